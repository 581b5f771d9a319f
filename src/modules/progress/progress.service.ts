import type { RequestContext } from '../../shared/context';
import { UserErrorCode, userError } from '../../shared/payload';
import type { Activity } from '../course/content.entity';
import { courseById } from '../course/course.loader';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { leanReader } from '../../db/lean';
import { STARTED_STATUS_SQL } from '../enrollment/enrollment.rules';
import { ActivityProgress } from './progress.entity';
import { ruleMet, type ProgressUpdate } from './progress.rules';

/**
 * The `record_activity_progress` SQL function (migration ProgressFunctions) merges a reported
 * state into the activity's best progress (statuses only move up in COMPLETION_ORDER /
 * SUCCESS_ORDER, scores and progress keep their maximum, time adds up) and, once the activity is
 * completed, rolls the enrollment up: the share of required activities (all of them when none is
 * marked required) whose rule is met; all met → COMPLETED; never regresses. The SCORM commit
 * function calls the same one. Returns the merged progress row.
 */
let recordSql: string | undefined;
export const progressService = {
  /**
   * Records a learner's state on an activity: fixes the enrollment's revision on first use (the
   * learner keeps it), merges the state into the activity's best progress, and re-rolls the
   * enrollment. Assessments (issue 4) and SCORM commits (issue 5) call this after writing attempts.
   */
  async recordActivityProgress(ctx: RequestContext, enrollment: Enrollment, activity: Activity, state: ProgressUpdate): Promise<ActivityProgress> {
    if (enrollment.status === EnrollmentStatus.WITHDRAWN) throw userError(UserErrorCode.CONFLICT, 'the enrollment is withdrawn', ['input']);
    if (activity.courseId !== enrollment.courseId) throw userError(UserErrorCode.INVALID, 'the activity belongs to another course', ['input', 'activityId']);
    const revisionId = await this.fixRevision(ctx, enrollment, activity);
    const completed = ruleMet(activity, state);
    const reader = leanReader(ctx.manager.connection, ActivityProgress, 'p');
    recordSql ??= `SELECT ${reader.columns} FROM record_activity_progress($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) p`;
    const rows = (await ctx.manager.query(recordSql, [
      ctx.orgId, enrollment.id, activity.key, activity.id, revisionId, state.completionStatus ?? 'unknown', state.successStatus ?? 'unknown',
      state.scoreScaled ?? null, state.scoreRaw ?? null, state.scoreMin ?? null, state.scoreMax ?? null, state.progressMeasure ?? null,
      state.attemptNumber ?? 0, state.timeSpentSeconds ?? 0, completed,
    ])) as object[];
    return reader.hydrate(rows)[0];
  },

  /** The revision the learner is on; the first recorded activity fixes it to the published revision. */
  async fixRevision(ctx: RequestContext, enrollment: Enrollment, activity: Activity): Promise<string> {
    let revisionId = enrollment.revisionId;
    if (!revisionId) {
      const course = await courseById(ctx).load(enrollment.courseId);
      revisionId = course?.publishedRevisionId ?? null;
      if (revisionId && activity.revisionId === revisionId) {
        await ctx.manager.query(
          `UPDATE enrollment SET revision_id = $3, started_at = COALESCE(started_at, now()), updated_at = now(),
             status = ${STARTED_STATUS_SQL}
           WHERE organization_id = $1 AND id = $2`,
          [ctx.orgId, enrollment.id, revisionId],
        );
        enrollment.revisionId = revisionId;
      }
    }
    if (activity.revisionId !== revisionId) {
      throw userError(UserErrorCode.CONFLICT, 'the activity is not in the revision of the course you are on', ['input', 'activityId']);
    }
    return revisionId;
  },
};
