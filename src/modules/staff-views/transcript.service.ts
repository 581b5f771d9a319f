import DataLoader from 'dataloader';
import type { RequestContext } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { defineLoader } from '../../shared/loaders';
import { Permission } from '../../shared/permissions';
import { getEntityOrThrow } from '../../shared/scoped';
import type { AssessmentAttempt } from '../assessment/assessment-attempt.entity';
import { assessmentOf } from '../assessment/assessment.content';
import { activityById, attemptsByEnrollment } from '../assessment/assessment.loader';
import { effectiveStatus } from '../assessment/attempt.time';
import { scoreView, visibilityOf } from '../assessment/attempt.view';
import type { Enrollment } from '../enrollment/enrollment.entity';
import { AppUser } from '../user/user.entity';
import { userService } from '../user/user.service';
import { AttemptGradeView } from './transcript.types';

/** HR, org admins (and keys with their scopes) read every learner's progress. */
export const readsAllProgress = (ctx: RequestContext): boolean => ctx.can(Permission.PROGRESS_READ_ALL) || ctx.can(Permission.ENROLLMENTS_MANAGE);

/**
 * Whose progress the caller may read, by user id: everyone's (HR, org admins), their org unit
 * subtree's and direct reports' (managers), else only their own. One statement per batch at most.
 */
export const progressReadable = defineLoader(
  (ctx) =>
    new DataLoader<string, boolean>(async (userIds) => {
      if (readsAllProgress(ctx)) return userIds.map(() => true);
      const team = ctx.can(Permission.PROGRESS_READ_TEAM) && ctx.user ? await userService.visibleIds(ctx, [...userIds]) : new Set<string>();
      return userIds.map((id) => id === ctx.user?.id || team.has(id));
    }),
);

/** Grade views of an enrollment's attempts; the learner reading their own sees what the review policy releases. */
async function gradeViews(ctx: RequestContext, enrollment: Enrollment, attempts: AssessmentAttempt[]): Promise<AttemptGradeView[]> {
  const own = enrollment.userId === ctx.user?.id;
  const activities = own ? await activityById(ctx).loadMany([...new Set(attempts.map((a) => a.activityId))]) : [];
  const assessments = new Map(activities.flatMap((a) => (a && !(a instanceof Error) ? [[a.id, assessmentOf(a)] as const] : [])));
  return attempts.map((attempt) => {
    const assessment = assessments.get(attempt.activityId);
    const shown = !own || (assessment && visibilityOf(assessment, attempt, attempts.filter((a) => a.activityId === attempt.activityId)).score);
    // An instance, so that wrapping it (throughEnrollment) keeps the class type-graphql checks roots against.
    return Object.assign(new AttemptGradeView(), {
      activityId: attempt.activityId, number: attempt.number, status: effectiveStatus(attempt), startedAt: attempt.startedAt,
      submittedAt: attempt.submittedAt,
      result: shown && attempt.grade ? scoreView(attempt.grade, ctx.locale) : null,
    });
  });
}

export const transcriptService = {
  /** A learner's transcript: NOT_FOUND for users of another tenant and for learners the caller may not follow. */
  async forUser(ctx: RequestContext, userId: string): Promise<{ userId: string }> {
    ctx.assert();
    const user = await getEntityOrThrow(ctx, AppUser, userId, 'User');
    if (!(await progressReadable(ctx).load(user.id))) throw notFound('User');
    return { userId: user.id };
  },

  /** The transcript of a user already in hand, or null when the caller may not read their progress. */
  async ofUser(ctx: RequestContext, user: AppUser): Promise<{ userId: string } | null> {
    return ctx.principal.kind !== 'anonymous' && (await progressReadable(ctx).load(user.id)) ? { userId: user.id } : null;
  },

  /** An enrollment cycle's assessment attempts with their grades. */
  async attempts(ctx: RequestContext, enrollment: Enrollment): Promise<AttemptGradeView[]> {
    return gradeViews(ctx, enrollment, await attemptsByEnrollment(ctx).load(enrollment.id));
  },
};
