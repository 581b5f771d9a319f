import type { RequestContext } from '../../shared/context';
import { forbidden, notFound } from '../../shared/errors';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { viewerEnrollmentByCourse } from '../catalog/catalog.loader';
import { contentReadable } from '../course/content.access';
import { Activity, ActivityKind, CompletionKind } from '../course/content.entity';
import { EnrollmentStatus, type Enrollment } from '../enrollment/enrollment.entity';
import { ActivityProgress, AttemptStatus, CompletionStatus } from './progress.entity';
import type { ProgressUpdate } from './progress.rules';
import { progressService } from './progress.service';
import { msg } from '../../shared/i18n/message';

/** What a front end reports for a PAGE or VIDEO activity. */
export interface NativeReport {
  completed?: boolean | null;
  progressMeasure?: number | null;
  sessionSeconds?: number | null;
}

/** The reported state; a video counts as completed once watched past its PROGRESS threshold (as SCORM does). */
function stateOf(check: InputCheck, activity: Activity, report: NativeReport): ProgressUpdate {
  const progress = report.progressMeasure ?? null;
  const seconds = report.sessionSeconds ?? 0;
  if (progress !== null && !(progress >= 0 && progress <= 1)) check.add(UserErrorCode.INVALID, 'progressMeasure must be between 0 and 1', ['input', 'progressMeasure']);
  if (!(seconds >= 0 && seconds <= 86_400)) check.add(UserErrorCode.INVALID, 'sessionSeconds must be between 0 and 86400', ['input', 'sessionSeconds']);
  if (activity.kind === ActivityKind.PAGE) return { completionStatus: CompletionStatus.COMPLETED, progressMeasure: 1, timeSpentSeconds: seconds, attemptNumber: 1 };
  const threshold = activity.completionKind === CompletionKind.PROGRESS ? activity.completionThreshold ?? 1 : 1;
  const done = report.completed === true || (progress !== null && progress >= threshold);
  return { completionStatus: done ? CompletionStatus.COMPLETED : CompletionStatus.INCOMPLETE, progressMeasure: report.completed ? 1 : progress, timeSpentSeconds: seconds, attemptNumber: 1 };
}

/** A native activity has one running attempt; it carries the same SCORM-shaped state as any other. */
async function writeAttempt(ctx: RequestContext, enrollment: Enrollment, activity: Activity, state: ProgressUpdate): Promise<void> {
  const finished = state.completionStatus === CompletionStatus.COMPLETED;
  await ctx.manager.query(
    `INSERT INTO activity_attempt AS t (organization_id, id, enrollment_id, activity_id, user_id, number, status, completion_status,
       progress_measure, total_time_seconds, finished_at)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, 1, $5, $6, $7, $8, CASE WHEN $9 THEN now() END)
     ON CONFLICT (organization_id, enrollment_id, activity_id, number) DO UPDATE SET
       status = CASE WHEN t.status = '${AttemptStatus.FINISHED}' THEN t.status ELSE EXCLUDED.status END,
       completion_status = CASE WHEN t.completion_status = 'completed' THEN t.completion_status ELSE EXCLUDED.completion_status END,
       progress_measure = GREATEST(t.progress_measure, EXCLUDED.progress_measure),
       total_time_seconds = t.total_time_seconds + EXCLUDED.total_time_seconds,
       finished_at = COALESCE(t.finished_at, EXCLUDED.finished_at),
       updated_at = now()`,
    [ctx.orgId, enrollment.id, activity.id, enrollment.userId, finished ? AttemptStatus.FINISHED : AttemptStatus.OPEN,
      state.completionStatus, state.progressMeasure ?? null, state.timeSpentSeconds ?? 0, finished],
  );
}

export const nativeProgressService = {
  /** The caller's own progress on a PAGE or VIDEO activity of a course they are enrolled in. */
  async record(ctx: RequestContext, activityId: string, report: NativeReport): Promise<{ progress: ActivityProgress; activity: Activity; enrollmentId: string }> {
    ctx.assert(Permission.LEARN);
    if (!ctx.user) throw forbidden('Only users record progress');
    const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
    if (!(await contentReadable(ctx, activity.courseId, activity.revisionId))) throw notFound('Activity');
    if (activity.kind !== ActivityKind.PAGE && activity.kind !== ActivityKind.VIDEO) {
      throw userError(UserErrorCode.INVALID, msg('{kind} activities report progress through their own run-time', { kind: activity.kind }), ['input', 'activityId']);
    }
    const enrollment = await viewerEnrollmentByCourse(ctx).load(activity.courseId);
    if (!enrollment || enrollment.status === EnrollmentStatus.WITHDRAWN) {
      throw userError(UserErrorCode.FORBIDDEN, 'enroll in the course first', ['input', 'activityId']);
    }
    const check = new InputCheck();
    const state = stateOf(check, activity, report);
    if (!check.ok) throw new UserErrors(check.errors);
    const progress = await progressService.recordActivityProgress(ctx, enrollment, activity, state);
    await writeAttempt(ctx, enrollment, activity, state);
    return { progress, activity, enrollmentId: enrollment.id };
  },
};
