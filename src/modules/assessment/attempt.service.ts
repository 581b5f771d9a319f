import type { RequestContext } from '../../shared/context';
import { forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { UserError, UserErrorCode, userError } from '../../shared/payload';
import { Permission } from '../../shared/permissions';
import { getEntityOrThrow } from '../../shared/scoped';
import { viewerEnrollmentByCourse } from '../catalog/catalog.loader';
import { contentReadable } from '../course/content.access';
import { Activity, ActivityKind } from '../course/content.entity';
import { CourseStatus, RevisionStatus } from '../course/course.entity';
import { courseById, revisionById } from '../course/course.loader';
import { EnrollmentStatus, type Enrollment } from '../enrollment/enrollment.entity';
import { progressService } from '../progress/progress.service';
import { AssessmentAttempt, AssessmentAttemptStatus } from './assessment-attempt.entity';
import { assessmentOf, planQuestions } from './assessment.content';
import type { AnswerInput } from './assessment.inputs';
import { activityById, viewerAttemptsByActivity } from './assessment.loader';
import { checkAnswerInputs, storeAnswers } from './attempt.answers';
import { closeOverdue } from './attempt.expiry';
import { closeAttempt } from './attempt.grading';
import { effectiveStatus } from './attempt.time';
import { planAttempt, type Assessment } from './engine';
import { msg } from '../../shared/i18n/message';

const ACTIVITY_PATH = ['input', 'activityId'];
const ATTEMPT_PATH = ['input', 'attemptId'];

interface Takeable {
  activity: Activity;
  assessment: Assessment;
  enrollment: Enrollment;
}

/**
 * The checks before an attempt starts: an assessment the caller may see, in a published course
 * they are enrolled in, in the revision they are on. Someone who can neither see the activity nor
 * is enrolled gets NOT_FOUND; the rest are payload errors.
 */
async function takeable(ctx: RequestContext, activityId: string): Promise<Takeable> {
  ctx.assert(Permission.LEARN);
  if (!ctx.user) throw forbidden('Only users take assessments');
  const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
  const enrollment = await viewerEnrollmentByCourse(ctx).load(activity.courseId);
  const enrolled = !!enrollment && enrollment.status !== EnrollmentStatus.WITHDRAWN;
  if (!enrolled && !(await contentReadable(ctx, activity.courseId, activity.revisionId))) throw notFound('Activity');
  if (activity.kind !== ActivityKind.ASSESSMENT) throw userError(UserErrorCode.INVALID, 'the activity is not an assessment', ACTIVITY_PATH);
  if (!enrolled) throw userError(UserErrorCode.FORBIDDEN, 'enroll in the course first', ACTIVITY_PATH);
  const [course, revision] = await Promise.all([courseById(ctx).load(activity.courseId), revisionById(ctx).load(activity.revisionId)]);
  if (course?.status !== CourseStatus.PUBLISHED || revision?.status !== RevisionStatus.PUBLISHED) {
    throw userError(UserErrorCode.NOT_PUBLISHED, 'the course is not published, so its assessment cannot be taken', ACTIVITY_PATH);
  }
  if (activity.revisionId !== (enrollment.revisionId ?? course.publishedRevisionId)) {
    throw userError(UserErrorCode.CONFLICT, 'the activity is not in the revision of the course you are on', ACTIVITY_PATH);
  }
  const assessment = assessmentOf(activity);
  if (!assessment) throw userError(UserErrorCode.INVALID, 'the assessment has no questions yet', ACTIVITY_PATH);
  return { activity, assessment, enrollment };
}

async function insertAttempt(ctx: RequestContext, { activity, assessment, enrollment }: Takeable, number: number): Promise<AssessmentAttempt> {
  const id = newId();
  const limit = assessment.settings.timeLimitSeconds;
  await ctx.manager.createQueryBuilder().insert().into(AssessmentAttempt).values({
    organizationId: ctx.orgId, id, enrollmentId: enrollment.id, activityId: activity.id, userId: enrollment.userId, number,
    status: AssessmentAttemptStatus.IN_PROGRESS, plan: planAttempt(assessment, id),
    startedAt: () => 'now()',
    deadlineAt: limit === null ? null : () => `now() + make_interval(secs => ${Math.trunc(limit)})`,
  }).execute();
  return getEntityOrThrow(ctx, AssessmentAttempt, id, 'Attempt');
}

/** Refuses changes to an attempt that is no longer open. */
function assertOpen(attempt: AssessmentAttempt): void {
  const status = effectiveStatus(attempt);
  if (status === AssessmentAttemptStatus.EXPIRED) throw userError(UserErrorCode.EXPIRED, 'the time limit has passed; answers can no longer be saved', ATTEMPT_PATH);
  if (status === AssessmentAttemptStatus.SUBMITTED) throw userError(UserErrorCode.CONFLICT, 'the attempt has been submitted', ATTEMPT_PATH);
}

/** Starting, answering and submitting attempts; learners only ever reach their own. */
export const attemptService = {
  /** The caller's own attempt (closed first when overdue); null for anyone else's, in any tenant. */
  async ownedOrNull(ctx: RequestContext, id: string): Promise<AssessmentAttempt | null> {
    ctx.assert();
    const attempt = await ctx.manager.findOneBy(AssessmentAttempt, { organizationId: ctx.orgId, id });
    if (!attempt || !ctx.user || attempt.userId !== ctx.user.id) return null;
    if (!(await closeOverdue(ctx, [attempt]))) return attempt;
    return getEntityOrThrow(ctx, AssessmentAttempt, id, 'Attempt');
  },

  /** The caller's own attempt, or NOT_FOUND (another learner's and another tenant's alike). */
  async findOwned(ctx: RequestContext, id: string): Promise<AssessmentAttempt> {
    const attempt = await this.ownedOrNull(ctx, id);
    if (!attempt) throw notFound('Attempt');
    return attempt;
  },

  /**
   * Starts an attempt with its plan fixed (drawn questions, orders). Attempts are counted under a
   * lock on the enrollment row, so parallel starts cannot exceed the limit. An attempt already in
   * progress is resumed: returned (`resumed`) instead of starting another.
   */
  async start(ctx: RequestContext, activityId: string): Promise<{ attempt: AssessmentAttempt; resumed: boolean; errors: UserError[] }> {
    const target = await takeable(ctx, activityId);
    const where = { organizationId: ctx.orgId, enrollmentId: target.enrollment.id, activityId };
    const attemptsSoFar = (): Promise<AssessmentAttempt[]> => ctx.manager.find(AssessmentAttempt, { where, order: { number: 'ASC' } });
    await closeOverdue(ctx, await attemptsSoFar());
    await ctx.manager.query('SELECT 1 FROM enrollment WHERE organization_id = $1 AND id = $2 FOR UPDATE', [ctx.orgId, target.enrollment.id]);
    const attempts = await attemptsSoFar();
    viewerAttemptsByActivity(ctx).clear(activityId);
    const open = attempts.find((a) => a.status === AssessmentAttemptStatus.IN_PROGRESS);
    if (open) return { attempt: open, resumed: true, errors: [] };
    const limit = target.assessment.settings.attemptsAllowed;
    if (limit !== null && attempts.length >= limit) throw userError(UserErrorCode.LIMIT_REACHED, msg('all {limit} attempt(s) have been used', { limit }), ACTIVITY_PATH);
    await progressService.fixRevision(ctx, target.enrollment, target.activity);
    return { attempt: await insertAttempt(ctx, target, attempts.length + 1), resumed: false, errors: [] };
  },

  /** Saves answers (checked against the attempt's own questions) while the attempt is open and in time. */
  async save(ctx: RequestContext, attemptId: string, answers: AnswerInput[]): Promise<AssessmentAttempt> {
    ctx.assert(Permission.LEARN);
    const attempt = await this.findOwned(ctx, attemptId);
    assertOpen(attempt);
    const activity = await activityById(ctx).load(attempt.activityId);
    const assessment = activity && assessmentOf(activity);
    if (!assessment) throw notFound('Attempt');
    const changes = checkAnswerInputs(answers, planQuestions(assessment, attempt.plan));
    if (!(await storeAnswers(ctx, attempt.id, changes))) {
      assertOpen(await getEntityOrThrow(ctx, AssessmentAttempt, attemptId, 'Attempt'));
      throw userError(UserErrorCode.EXPIRED, 'the time limit has passed; answers can no longer be saved', ATTEMPT_PATH);
    }
    viewerAttemptsByActivity(ctx).clear(attempt.activityId);
    return getEntityOrThrow(ctx, AssessmentAttempt, attemptId, 'Attempt');
  },

  /**
   * Submits and grades an attempt. Submitting twice (or racing) grades once: the later call gets
   * the same graded attempt. Past the deadline it closes as EXPIRED with what was saved in time.
   */
  async submit(ctx: RequestContext, attemptId: string): Promise<AssessmentAttempt> {
    ctx.assert(Permission.LEARN);
    const attempt = await this.findOwned(ctx, attemptId);
    await closeAttempt(ctx, attempt.id);
    viewerAttemptsByActivity(ctx).clear(attempt.activityId);
    return getEntityOrThrow(ctx, AssessmentAttempt, attemptId, 'Attempt');
  },
};
