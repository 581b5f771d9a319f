import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../../shared/context';
import { forbidden, notFound } from '../../../shared/errors';
import { idOf, toGlobalId } from '../../../shared/ids';
import { Permission, Role } from '../../../shared/permissions';
import { UserError } from '../../../shared/payload';
import { Course } from '../../course/course.entity';
import { courseById } from '../../course/course.loader';
import { COURSE_TYPE } from '../../course/course.resolver';
import { syncContextMembers } from './nrps';

export const LTI_CONTEXT_TYPE = 'LtiContext';

/** Org admins only: the roster sync creates users and enrollments from another system's data. */
function assertOrgAdmin(ctx: RequestContext): void {
  ctx.assert(Permission.USERS_WRITE, Permission.ENROLLMENTS_MANAGE);
  if (ctx.principal.kind !== 'system' && !ctx.roles.includes(Role.ORG_ADMIN)) throw forbidden('Only organization administrators manage LTI services');
}

@ObjectType('LtiContext', { description: 'An LMS course (LTI context) that launched a Coursegraph course, with the services its platform offers.' })
export class LtiContextView {
  readonly id: string;

  readonly courseId: string;

  @Field({ description: "The platform's issuer." })
  issuer: string;

  @Field()
  clientId: string;

  @Field()
  deploymentId: string;

  @Field(() => String, { nullable: true, description: "The LMS's id of its course (context claim); null when the launch had none." })
  contextId: string | null;

  @Field({ description: 'The platform offers its roster (NRPS): syncLtiContextMembers can run.' })
  rosterAvailable: boolean;

  @Field({ description: 'The platform offers grade passback (AGS) for this context.' })
  gradesAvailable: boolean;

  @Field(() => Date, { nullable: true })
  lastSyncedAt: Date | null;
}

@InputType()
export class SyncLtiContextMembersInput {
  @Field(() => ID, { description: 'An LtiContext id (from ltiContexts).' })
  contextId: string;
}

@ObjectType({ description: 'What a roster sync did.' })
export class LtiRosterSync {
  @Field(() => Int, { description: 'Members the LMS listed.' })
  members: number;

  @Field(() => Int)
  usersCreated: number;

  @Field(() => Int, { description: 'Members who were users already.' })
  usersExisting: number;

  @Field(() => Int)
  enrollmentsCreated: number;

  @Field(() => Int, { description: 'Learners enrolled already (completed ones included).' })
  alreadyEnrolled: number;

  @Field(() => Int, { description: 'Members not enrolled: inactive in the LMS, not learners, or deactivated here.' })
  skipped: number;
}

@ObjectType()
export class SyncLtiContextMembersPayload {
  @Field(() => LtiContextView, { nullable: true })
  context?: LtiContextView | null;

  @Field(() => LtiRosterSync, { nullable: true })
  sync?: LtiRosterSync | null;

  @Field(() => [UserError])
  errors: UserError[];
}

interface ContextRow {
  id: string;
  course_id: string;
  issuer: string;
  client_id: string;
  deployment_id: string;
  context_id: string | null;
  memberships_url: string | null;
  lineitems_url: string | null;
  ags_scopes: string[];
  last_synced_at: Date | null;
}

const view = (r: ContextRow): LtiContextView => Object.assign(new LtiContextView(), {
  id: r.id, courseId: r.course_id, issuer: r.issuer, clientId: r.client_id, deploymentId: r.deployment_id, contextId: r.context_id,
  rosterAvailable: !!r.memberships_url, gradesAvailable: !!r.lineitems_url || r.ags_scopes.length > 0, lastSyncedAt: r.last_synced_at,
});

const CONTEXT_COLUMNS = 'id, course_id, issuer, client_id, deployment_id, context_id, memberships_url, lineitems_url, ags_scopes, last_synced_at';

@Resolver(() => LtiContextView)
export class LtiServicesResolver {
  @FieldResolver(() => ID, { name: 'id' })
  globalId(@Root() c: LtiContextView): string {
    return toGlobalId(LTI_CONTEXT_TYPE, c.id);
  }

  @FieldResolver(() => Course)
  async course(@Root() c: LtiContextView, @Ctx() ctx: RequestContext): Promise<Course> {
    return (await courseById(ctx).load(c.courseId))!;
  }

  @Query(() => [LtiContextView], { description: 'Org admins: the LMS contexts that launched the organization\'s courses (at most 500, oldest first), of one course when given.' })
  async ltiContexts(@Arg('courseId', () => ID, { nullable: true }) courseId: string | null, @Ctx() ctx: RequestContext): Promise<LtiContextView[]> {
    assertOrgAdmin(ctx);
    const course = courseId ? idOf(COURSE_TYPE, courseId) : null;
    if (course && !(await courseById(ctx).load(course))) throw notFound('Course');
    const rows = (await ctx.manager.query(
      `SELECT ${CONTEXT_COLUMNS} FROM lti_context WHERE organization_id = $1 AND ($2::uuid IS NULL OR course_id = $2) ORDER BY created_at, id LIMIT 500`,
      [ctx.orgId, course],
    )) as ContextRow[];
    return rows.map(view);
  }

  @Mutation(() => SyncLtiContextMembersPayload, {
    description: "Org admins: reads the LMS context's roster (LTI Names and Role Provisioning) and makes its members users of the organization (new ones as LEARNER) and its active learners enrolled in the context's course. Idempotent. PLATFORM_ERROR when the LMS refuses or is unreachable; INVALID when it offers no roster.",
  })
  async syncLtiContextMembers(@Arg('input', () => SyncLtiContextMembersInput) input: SyncLtiContextMembersInput, @Ctx() ctx: RequestContext): Promise<SyncLtiContextMembersPayload> {
    assertOrgAdmin(ctx);
    const id = idOf(LTI_CONTEXT_TYPE, input.contextId);
    const sync = await syncContextMembers(ctx, id);
    const [row] = (await ctx.manager.query(`SELECT ${CONTEXT_COLUMNS} FROM lti_context WHERE organization_id = $1 AND id = $2`, [ctx.orgId, id])) as ContextRow[];
    return { context: view(row), sync, errors: [] };
  }
}
