import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Course, CourseRevision } from '../course/course.entity';
import { courseById, revisionById } from '../course/course.loader';
import { COURSE_TYPE } from '../course/course.resolver';
import { AppUser } from '../user/user.entity';
import { userById } from '../user/user.loader';
import { USER_TYPE } from '../user/user.resolver';
import { throughEnrollmentOrOwn } from '../catalog/catalog.loader';
import { Viewer } from '../viewer/viewer.resolver';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';
import { AssignCourseInput, AssignCoursePayload, EnrollmentFilter, EnrollmentPayload, SelfEnrollInput, WithdrawEnrollmentInput } from './enrollment.inputs';
import { enrollmentService } from './enrollment.service';
import { effectiveStatus } from './enrollment.rules';

export const ENROLLMENT_TYPE = 'Enrollment';

export const EnrollmentConnection = Connection(Enrollment, 'Enrollment');

registerNode(ENROLLMENT_TYPE, (ctx, id) => enrollmentService.findOne(ctx, id));

@Resolver(() => Enrollment)
export class EnrollmentResolver {
  @FieldResolver(() => ID)
  id(@Root() e: Enrollment): string {
    return toGlobalId(ENROLLMENT_TYPE, e.id);
  }

  @FieldResolver(() => EnrollmentStatus)
  status(@Root() e: Enrollment): EnrollmentStatus {
    return effectiveStatus(e);
  }

  @FieldResolver(() => AppUser)
  async user(@Root() e: Enrollment, @Ctx() ctx: RequestContext): Promise<AppUser> {
    return (await userById(ctx).load(e.userId))!;
  }

  @FieldResolver(() => Course, { description: "The course; its modules, activities and progress below are this enrollment's (its revision, its learner's progress)." })
  async course(@Root() e: Enrollment, @Ctx() ctx: RequestContext): Promise<Course> {
    const course = (await courseById(ctx).load(e.courseId))!;
    return throughEnrollmentOrOwn(ctx, e, course, e.revisionId ?? course.publishedRevisionId);
  }

  @FieldResolver(() => CourseRevision, { nullable: true, description: "The revision the learner is on: fixed once started, until then the published one; progress below it is the learner's." })
  async revision(@Root() e: Enrollment, @Ctx() ctx: RequestContext): Promise<CourseRevision | null> {
    const revisionId = e.revisionId ?? (await courseById(ctx).load(e.courseId))?.publishedRevisionId;
    const revision = revisionId ? await revisionById(ctx).load(revisionId) : null;
    return revision && throughEnrollmentOrOwn(ctx, e, revision, revision.id);
  }

  @FieldResolver(() => Boolean, { description: 'True once the learner started: later revisions do not change their content.' })
  revisionFixed(@Root() e: Enrollment): boolean {
    return e.revisionId !== null;
  }

  @Query(() => EnrollmentConnection, { description: 'HR and admins: enrollments of the organization; managers: of their org unit subtree and direct reports.' })
  enrollments(@Args() page: PageArgs, @Arg('filter', () => EnrollmentFilter, { nullable: true }) filter: EnrollmentFilter | null, @Ctx() ctx: RequestContext) {
    return enrollmentService.list(ctx, {
      courseId: filter?.courseId ? idOf(COURSE_TYPE, filter.courseId) : undefined,
      userId: filter?.userId ? idOf(USER_TYPE, filter.userId) : undefined,
      status: filter?.status,
      includePastCycles: filter?.includePastCycles ?? false,
      orgUnitPath: filter?.orgUnitPath ?? undefined,
      dueAfter: filter?.dueAfter ?? undefined,
      dueBefore: filter?.dueBefore ?? undefined,
    }, page);
  }

  @Mutation(() => AssignCoursePayload, { description: 'Assign a published course with a due date; all or nothing, and never twice to the same user. An org unit or job title becomes a standing rule that also enrolls users who match later.' })
  async assignCourse(@Arg('input', () => AssignCourseInput) input: AssignCourseInput, @Ctx() ctx: RequestContext): Promise<AssignCoursePayload> {
    const result = await enrollmentService.assign(ctx, idOf(COURSE_TYPE, input.courseId), {
      ...input, userIds: (input.userIds ?? []).map((id) => idOf(USER_TYPE, id)),
    });
    return {
      enrollments: result.enrollments, createdCount: result.created, alreadyEnrolledCount: result.alreadyEnrolled,
      skippedCompletedCount: result.skippedCompleted, dueDatesMovedCount: result.dueDatesMoved, rule: result.rule, errors: [],
    };
  }

  @Mutation(() => EnrollmentPayload, { description: 'Learners: enroll in a course that allows self-enrollment.' })
  async selfEnroll(@Arg('input', () => SelfEnrollInput) input: SelfEnrollInput, @Ctx() ctx: RequestContext): Promise<EnrollmentPayload> {
    return { enrollment: await enrollmentService.selfEnroll(ctx, idOf(COURSE_TYPE, input.courseId)), errors: [] };
  }

  @Mutation(() => EnrollmentPayload, { description: 'Withdraw an enrollment (learners: their own self-enrollments). Progress is kept.' })
  async withdrawEnrollment(@Arg('input', () => WithdrawEnrollmentInput) input: WithdrawEnrollmentInput, @Ctx() ctx: RequestContext): Promise<EnrollmentPayload> {
    return { enrollment: await enrollmentService.withdraw(ctx, idOf(ENROLLMENT_TYPE, input.id)), errors: [] };
  }
}

@Resolver(() => Viewer)
export class ViewerEnrollmentsResolver {
  @FieldResolver(() => EnrollmentConnection, { description: 'Your enrollments, due soonest first.' })
  enrollments(@Args() page: PageArgs, @Arg('status', () => EnrollmentStatus, { nullable: true }) status: EnrollmentStatus | null, @Ctx() ctx: RequestContext) {
    return enrollmentService.listForViewer(ctx, status ?? undefined, page);
  }
}
