import type { RequestContext } from '../../shared/context';
import { UserErrorCode, userError } from '../../shared/payload';
import type { Activity } from '../course/content.entity';
import { courseById } from '../course/course.loader';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { leanReader } from '../course/lean';
import { ActivityProgress } from './progress.entity';
import { COMPLETION_ORDER, SUCCESS_ORDER, ruleMet, type ProgressUpdate } from './progress.rules';

const sqlArray = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;
const better = (column: string, order: readonly string[]): string =>
  `${column} = CASE WHEN array_position(${sqlArray(order)}, EXCLUDED.${column}) > array_position(${sqlArray(order)}, p.${column})
     THEN EXCLUDED.${column} ELSE p.${column} END`;

/**
 * One statement: merges a reported state into the activity's best progress (statuses only move
 * up, scores and progress keep their maximum) and rolls the enrollment up from it: the share of
 * required activities (all of them when none is marked required) whose rule is met; all met →
 * COMPLETED; never regresses. The roll-up sees the merged row through the CTE, as the table's
 * snapshot does not yet hold it. Returns the merged progress row.
 */
const recordSqlCache = new Map<string, string>();
function recordSql(columns: string, prelude: string): string {
  const key = `${columns}|${prelude}`;
  let sql = recordSqlCache.get(key);
  if (!sql) recordSqlCache.set(key, (sql = recordStatement(columns, prelude)));
  return sql;
}

function recordStatement(columns: string, prelude: string): string {
  return `
  WITH ${prelude ? `${prelude},` : ''} merged AS (
    INSERT INTO activity_progress AS p (organization_id, id, enrollment_id, activity_key, activity_id, completion_status, success_status,
      score_scaled, score_raw, score_min, score_max, progress_measure, attempt_count, time_spent_seconds, completed, completed_at)
    VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, CASE WHEN $14 THEN now() END)
    ON CONFLICT (organization_id, enrollment_id, activity_key) DO UPDATE SET
      activity_id = EXCLUDED.activity_id,
      ${better('completion_status', COMPLETION_ORDER)},
      ${better('success_status', SUCCESS_ORDER)},
      score_scaled = GREATEST(p.score_scaled, EXCLUDED.score_scaled),
      score_raw = GREATEST(p.score_raw, EXCLUDED.score_raw),
      score_min = COALESCE(EXCLUDED.score_min, p.score_min),
      score_max = COALESCE(EXCLUDED.score_max, p.score_max),
      progress_measure = GREATEST(p.progress_measure, EXCLUDED.progress_measure),
      attempt_count = GREATEST(p.attempt_count, EXCLUDED.attempt_count),
      time_spent_seconds = p.time_spent_seconds + EXCLUDED.time_spent_seconds,
      completed = p.completed OR EXCLUDED.completed,
      completed_at = COALESCE(p.completed_at, EXCLUDED.completed_at),
      updated_at = now()
    RETURNING ${columns}
  ), counted AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE CASE WHEN a.key = m."activityKey" THEN m.completed ELSE COALESCE(o.completed, false) END) AS done
      FROM activity a
      CROSS JOIN merged m
      LEFT JOIN activity_progress o ON o.organization_id = a.organization_id AND o.enrollment_id = $2 AND o.activity_key = a.key
     WHERE a.organization_id = $1 AND a.revision_id = $15
       AND (a.required OR NOT EXISTS (SELECT 1 FROM activity r WHERE r.organization_id = $1 AND r.revision_id = $15 AND r.required))
  ), rolled AS (
    UPDATE enrollment e SET
      progress_percent = GREATEST(e.progress_percent, CASE WHEN c.total = 0 THEN 0 ELSE floor(100.0 * c.done / c.total)::int END),
      status = CASE WHEN e.status = '${EnrollmentStatus.COMPLETED}' OR (c.total > 0 AND c.done = c.total) THEN '${EnrollmentStatus.COMPLETED}' ELSE '${EnrollmentStatus.IN_PROGRESS}' END,
      completed_at = COALESCE(e.completed_at, CASE WHEN c.total > 0 AND c.done = c.total THEN now() END),
      updated_at = now()
    FROM counted c WHERE e.organization_id = $1 AND e.id = $2
      -- Only a completed activity can move the roll-up (the first report already set IN_PROGRESS),
      -- so the frequent in-between reports skip the count and the enrollment write.
      AND EXISTS (SELECT 1 FROM merged WHERE completed)
  )
  SELECT * FROM merged`;
}

/**
 * Data-modifying CTEs a caller runs in the same statement as the progress merge (one round trip
 * for the SCORM commit): its parameters are numbered from $16 on; $1 is the organization.
 */
export interface ProgressPrelude {
  sql: string;
  params: unknown[];
}

export const progressService = {
  /**
   * Records a learner's state on an activity: fixes the enrollment's revision on first use (the
   * learner keeps it), merges the state into the activity's best progress, and re-rolls the
   * enrollment. Assessments (issue 4) and SCORM commits (issue 5) call this after writing attempts.
   */
  async recordActivityProgress(ctx: RequestContext, enrollment: Enrollment, activity: Activity, state: ProgressUpdate, prelude?: ProgressPrelude): Promise<ActivityProgress> {
    if (enrollment.status === EnrollmentStatus.WITHDRAWN) throw userError(UserErrorCode.CONFLICT, 'the enrollment is withdrawn', ['input']);
    if (activity.courseId !== enrollment.courseId) throw userError(UserErrorCode.INVALID, 'the activity belongs to another course', ['input', 'activityId']);
    const revisionId = await this.fixRevision(ctx, enrollment, activity);
    const completed = ruleMet(activity, state);
    const reader = leanReader(ctx.manager.connection, ActivityProgress, 'p');
    const rows = (await ctx.manager.query(recordSql(reader.columns, prelude?.sql ?? ''), [
      ctx.orgId, enrollment.id, activity.key, activity.id, state.completionStatus ?? 'unknown', state.successStatus ?? 'unknown',
      state.scoreScaled ?? null, state.scoreRaw ?? null, state.scoreMin ?? null, state.scoreMax ?? null, state.progressMeasure ?? null,
      state.attemptNumber ?? 0, state.timeSpentSeconds ?? 0, completed, revisionId, ...(prelude?.params ?? []),
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
             status = CASE WHEN status = '${EnrollmentStatus.NOT_STARTED}' THEN '${EnrollmentStatus.IN_PROGRESS}' ELSE status END
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
