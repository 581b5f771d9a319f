import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { Connection, PageArgs } from '../../shared/pagination';
import { registerNode } from '../../shared/node';
import { Permission } from '../../shared/permissions';
import { AppUser } from './user.entity';
import { UpsertUsersInput, UpsertUsersPayload, UserFilter } from './user.inputs';
import { userById } from './user.loader';
import { userService } from './user.service';

export const USER_TYPE = 'User';

export const UserConnection = Connection(AppUser, 'User');

registerNode(USER_TYPE, async (ctx, id) => (ctx.can(Permission.USERS_READ) || ctx.user?.id === id ? userService.findOne(ctx, id) : null));

@Resolver(() => AppUser)
export class UserResolver {
  @FieldResolver(() => ID)
  id(@Root() user: AppUser): string {
    return toGlobalId(USER_TYPE, user.id);
  }

  @FieldResolver(() => AppUser, { nullable: true })
  manager(@Root() user: AppUser, @Ctx() ctx: RequestContext): Promise<AppUser | null> | null {
    return user.managerId ? userById(ctx).load(user.managerId) : null;
  }

  @Query(() => AppUser, { nullable: true, description: "A user of your organization you are allowed to see; null with a NOT_FOUND error beside the other fields' data when missing, forbidden or another organization's." })
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<AppUser | null> {
    return userService.findOne(ctx, idOf(USER_TYPE, id));
  }

  @Query(() => UserConnection, { description: 'Users of your organization (managers see their team).' })
  users(@Args() page: PageArgs, @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null, @Ctx() ctx: RequestContext) {
    return userService.list(ctx, filter ?? {}, page);
  }

  @Mutation(() => UpsertUsersPayload, { description: 'Creates or updates users by externalId (LMS provisioning); all or nothing.' })
  async upsertUsers(@Arg('input', () => UpsertUsersInput) input: UpsertUsersInput, @Ctx() ctx: RequestContext): Promise<UpsertUsersPayload> {
    return { users: await userService.upsert(ctx, input.users), errors: [] };
  }
}
