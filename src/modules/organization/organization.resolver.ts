import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Organization } from './organization.entity';
import { CreateOrganizationInput, CreateOrganizationPayload } from './organization.inputs';
import { organizationService } from './organization.service';

export const OrganizationConnection = Connection(Organization, 'Organization');

registerNode('Organization', async (ctx, id) => (ctx.organizationId === id ? organizationService.current(ctx) : null));

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => ID)
  id(@Root() org: Organization): string {
    return toGlobalId('Organization', org.id);
  }

  @Query(() => Organization, { description: "The caller's organization." })
  organization(@Ctx() ctx: RequestContext): Promise<Organization> {
    return organizationService.current(ctx);
  }

  @Query(() => OrganizationConnection, { description: 'Platform admins: all organizations.' })
  organizations(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return organizationService.list(ctx, page);
  }

  @Mutation(() => CreateOrganizationPayload, { description: 'Platform admins: create an organization (a tenant).' })
  async createOrganization(@Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: RequestContext): Promise<CreateOrganizationPayload> {
    return { organization: await organizationService.create(ctx, input), errors: [] };
  }
}
