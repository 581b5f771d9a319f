import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { UserError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { ApiKey } from './api-key.entity';
import { apiKeyService } from './api-key.service';

export const ApiKeyConnection = Connection(ApiKey, 'ApiKey');

@InputType()
export class CreateApiKeyInput {
  @Field()
  name: string;

  @Field(() => [Permission], { description: 'What the key may do; at most what you may do.' })
  scopes: Permission[];
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey?: ApiKey;

  @Field(() => String, { nullable: true, description: 'The whole key (cg_<keyId>_<secret>). Shown only in this response.' })
  key?: string;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey?: ApiKey;

  @Field(() => [UserError])
  errors: UserError[];
}

registerNode('ApiKey', async (ctx, id) => (ctx.can(Permission.API_KEYS_MANAGE) ? getEntityOrThrow(ctx, ApiKey, id, 'API key') : null));

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => ID)
  id(@Root() key: ApiKey): string {
    return toGlobalId('ApiKey', key.id);
  }

  @Query(() => ApiKeyConnection, { description: "Your organization's API keys." })
  apiKeys(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return apiKeyService.list(ctx, page);
  }

  @Mutation(() => CreateApiKeyPayload)
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreateApiKeyPayload> {
    const { apiKey, secret } = await apiKeyService.create(ctx, input.name, input.scopes);
    return { apiKey, key: secret, errors: [] };
  }

  @Mutation(() => RevokeApiKeyPayload)
  async revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() ctx: RequestContext): Promise<RevokeApiKeyPayload> {
    return { apiKey: await apiKeyService.revoke(ctx, idOf('ApiKey', input.id)), errors: [] };
  }
}
