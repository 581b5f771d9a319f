import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enrollment roll-up of `record_activity_progress` under concurrency. Two activities of one
 * enrollment completed at the same moment (a SCO's final commit still in flight while the next SCO
 * finishes, two tabs, an assessment and a SCO) each counted the completed activities in their own
 * snapshot: the second waited for the first's row lock on the enrollment, and PostgreSQL re-checks
 * only the locked row after such a wait, not the count, so both wrote "one of two done" and the
 * enrollment stayed IN_PROGRESS at 50 % for good. The roll-up now locks the enrollment row first and
 * counts in the next statement, which sees what the other transaction committed. Only reports that
 * complete an activity take the lock, as only they touched the enrollment before.
 */
export class ProgressRollupLock1764470000000 implements MigrationInterface {
  name = 'ProgressRollupLock1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(recordActivityProgress(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(recordActivityProgress(false));
  }
}

/** record_activity_progress as migration ProgressFunctions wrote it, with or without the lock. */
export function recordActivityProgress(locked: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION record_activity_progress(
        p_org uuid, p_enrollment uuid, p_activity_key uuid, p_activity uuid, p_revision uuid,
        p_completion text, p_success text, p_score_scaled double precision, p_score_raw double precision,
        p_score_min double precision, p_score_max double precision, p_progress double precision,
        p_attempt integer, p_time_spent double precision, p_completed boolean
      ) RETURNS activity_progress LANGUAGE plpgsql SECURITY INVOKER AS $fn$
      DECLARE
        merged activity_progress;
      BEGIN
        INSERT INTO activity_progress AS p (organization_id, id, enrollment_id, activity_key, activity_id, completion_status, success_status,
          score_scaled, score_raw, score_min, score_max, progress_measure, attempt_count, time_spent_seconds, completed, completed_at)
        VALUES (p_org, gen_random_uuid(), p_enrollment, p_activity_key, p_activity, p_completion, p_success,
          p_score_scaled, p_score_raw, p_score_min, p_score_max, p_progress, p_attempt, p_time_spent, p_completed, CASE WHEN p_completed THEN now() END)
        ON CONFLICT (organization_id, enrollment_id, activity_key) DO UPDATE SET
          activity_id = EXCLUDED.activity_id,
          completion_status = CASE
            WHEN array_position(ARRAY['unknown', 'not attempted', 'incomplete', 'completed'], EXCLUDED.completion_status)
               > array_position(ARRAY['unknown', 'not attempted', 'incomplete', 'completed'], p.completion_status)
            THEN EXCLUDED.completion_status ELSE p.completion_status END,
          success_status = CASE
            WHEN array_position(ARRAY['unknown', 'failed', 'passed'], EXCLUDED.success_status)
               > array_position(ARRAY['unknown', 'failed', 'passed'], p.success_status)
            THEN EXCLUDED.success_status ELSE p.success_status END,
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
        RETURNING * INTO merged;

        IF merged.completed THEN${locked ? `
          -- Wait for any other roll-up of this enrollment to commit, so the count below (a new
          -- statement, a new snapshot) sees its activity: without it, two activities completed at
          -- once each count only themselves and the enrollment never reaches 100 %.
          PERFORM 1 FROM enrollment e WHERE e.organization_id = p_org AND e.id = p_enrollment FOR NO KEY UPDATE;` : ''}
          UPDATE enrollment e SET
            progress_percent = GREATEST(e.progress_percent, CASE WHEN c.total = 0 THEN 0 ELSE floor(100.0 * c.done / c.total)::int END),
            status = CASE WHEN e.status = 'COMPLETED' OR (c.total > 0 AND c.done = c.total) THEN 'COMPLETED' ELSE 'IN_PROGRESS' END,
            completed_at = COALESCE(e.completed_at, CASE WHEN c.total > 0 AND c.done = c.total THEN now() END),
            updated_at = now()
          FROM (
            SELECT count(*) AS total, count(*) FILTER (WHERE COALESCE(o.completed, false)) AS done
              FROM activity a
              LEFT JOIN activity_progress o ON o.organization_id = a.organization_id AND o.enrollment_id = p_enrollment AND o.activity_key = a.key
             WHERE a.organization_id = p_org AND a.revision_id = p_revision
               AND (a.required OR NOT EXISTS (SELECT 1 FROM activity r WHERE r.organization_id = p_org AND r.revision_id = p_revision AND r.required))
          ) c
          WHERE e.organization_id = p_org AND e.id = p_enrollment;
        END IF;
        RETURN merged;
      END
      $fn$`;
}
