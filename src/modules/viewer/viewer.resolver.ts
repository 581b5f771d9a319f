import { Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { unauthenticated } from '../../shared/errors';
import { toGlobalId } from '../../shared/ids';
import { Permission, Role } from '../../shared/permissions';
import { AppUser } from '../user/user.entity';
import { Organization } from '../organization/organization.entity';
import { organizationService } from '../organization/organization.service';

/** The caller of a request. Other modules add fields to it (enrollments, progress). */
@ObjectType({ description: 'The caller: who they are, in which organization, and what they may do.' })
export class Viewer {
  @Field(() => ID)
  id: string;

  @Field(() => AppUser, { nullable: true, description: 'Null for API keys and platform admins.' })
  user: AppUser | null;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [Permission])
  permissions: Permission[];
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who is calling. Needs a valid token or API key.' })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const p = ctx.principal;
    if (p.kind === 'anonymous') throw unauthenticated();
    const id = ctx.user ? toGlobalId('User', ctx.user.id) : ctx.apiKeyId ? toGlobalId('ApiKey', ctx.apiKeyId) : toGlobalId('PlatformAdmin', '00000000-0000-0000-0000-000000000000');
    return { id, user: ctx.user, roles: ctx.roles, permissions: [...ctx.permissions] };
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The caller's organization (null for platform admins)." })
  organization(@Ctx() ctx: RequestContext): Promise<Organization | null> | null {
    return ctx.organizationId ? organizationService.current(ctx) : null;
  }
}
