import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';

/**
 * The progress merge and the SCORM commit as SQL functions. PL/pgSQL keeps each statement's plan
 * per connection, so the hottest write path (a SCORM commit) costs one round trip and no
 * planning: the function locks the session, writes the attempt and session, merges progress and
 * rolls the enrollment up in the statement's own transaction. Both are SECURITY INVOKER: they run
 * as the application role, under row-level security, on the tenant they are given.
 */
export class ProgressFunctions1764200000000 implements MigrationInterface {
  name = 'ProgressFunctions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // Statuses only move up (worst to best, as COMPLETION_ORDER / SUCCESS_ORDER in progress.rules.ts),
    // scores and progress keep their maximum, time adds up. The roll-up counts the required activities
    // (all of them when none is marked required) of the learner's revision whose rule is met; only a
    // completed activity can move it, so in-between reports skip the count and the enrollment write.
    await q.query(`
      CREATE FUNCTION record_activity_progress(
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

        IF merged.completed THEN
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
      $fn$`);

    // One SCORM commit, already validated and judged by the server (statuses after the manifest's
    // thresholds, whether the activity's completion rule is met). The session, attempt, enrollment
    // and activity come from the signed commit token (a session never changes them). Updating the
    // session row first locks it, so one session's commits queue up; a row that no longer qualifies
    // (superseded, finished, a repeated or older sequence, a withdrawn enrollment) is re-checked
    // after the wait and nothing is written. Answers OK, or why nothing was written:
    // UNKNOWN_SESSION, SUPERSEDED, WITHDRAWN, or STALE (a no-op the SCO is told succeeded).
    await q.query(`
      CREATE FUNCTION scorm_commit(
        p_org uuid, p_session uuid, p_attempt uuid, p_attempt_number integer, p_enrollment uuid,
        p_activity uuid, p_activity_key uuid, p_revision uuid, p_sequence integer, p_final boolean, p_attempt_status text,
        p_completion text, p_success text, p_score_scaled double precision, p_score_raw double precision,
        p_score_min double precision, p_score_max double precision, p_progress double precision,
        p_location text, p_suspend_data text, p_exit text, p_session_seconds double precision,
        p_interactions jsonb, p_objectives jsonb, p_comments jsonb, p_learner_preference jsonb, p_completed boolean
      ) RETURNS text LANGUAGE plpgsql SECURITY INVOKER AS $fn$
      DECLARE
        refusal text;
      BEGIN
        -- Transaction-local: the statement's own transaction runs on this tenant only.
        PERFORM set_config('app.organization_id', p_org::text, true);
        UPDATE scorm_session s SET commit_sequence = COALESCE(p_sequence, s.commit_sequence), finished_at = CASE WHEN p_final THEN now() END
          FROM enrollment e
         WHERE s.organization_id = p_org AND s.id = p_session AND s.attempt_id = p_attempt
           AND NOT s.superseded AND s.finished_at IS NULL AND (p_sequence IS NULL OR p_sequence > s.commit_sequence)
           AND e.organization_id = p_org AND e.id = p_enrollment AND e.status <> 'WITHDRAWN';
        IF NOT FOUND THEN
          SELECT CASE WHEN s.superseded THEN 'SUPERSEDED' WHEN e.status = 'WITHDRAWN' THEN 'WITHDRAWN' ELSE 'STALE' END INTO refusal
            FROM scorm_session s JOIN enrollment e ON e.organization_id = s.organization_id AND e.id = p_enrollment
           WHERE s.organization_id = p_org AND s.id = p_session AND s.attempt_id = p_attempt;
          RETURN COALESCE(refusal, 'UNKNOWN_SESSION');
        END IF;
        -- session_time counts once, on the final commit (a session's final commit is applied once).
        UPDATE activity_attempt SET
          completion_status = p_completion, success_status = p_success, score_scaled = p_score_scaled, score_raw = p_score_raw,
          score_min = p_score_min, score_max = p_score_max, progress_measure = p_progress, location = p_location,
          suspend_data = p_suspend_data, exit = p_exit, interactions = p_interactions, objectives = p_objectives,
          comments = p_comments, learner_preference = p_learner_preference,
          total_time_seconds = CASE WHEN p_final THEN round((total_time_seconds + p_session_seconds)::numeric, 2)::double precision ELSE total_time_seconds END,
          status = p_attempt_status, finished_at = CASE WHEN p_attempt_status = 'FINISHED' THEN now() END, updated_at = now()
         WHERE organization_id = p_org AND id = p_attempt;
        PERFORM record_activity_progress(p_org, p_enrollment, p_activity_key, p_activity, p_revision,
          p_completion, p_success, p_score_scaled, p_score_raw, p_score_min, p_score_max, p_progress,
          p_attempt_number, CASE WHEN p_final THEN p_session_seconds ELSE 0 END, p_completed);
        RETURN 'OK';
      END
      $fn$`);

    for (const fn of FUNCTIONS) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [...FUNCTIONS].reverse()) await q.query(`DROP FUNCTION ${fn}`);
  }
}

const FUNCTIONS = [
  'record_activity_progress(uuid, uuid, uuid, uuid, uuid, text, text, double precision, double precision, double precision, double precision, double precision, integer, double precision, boolean)',
  'scorm_commit(uuid, uuid, uuid, integer, uuid, uuid, uuid, uuid, integer, boolean, text, text, text, double precision, double precision, double precision, double precision, double precision, text, text, text, double precision, jsonb, jsonb, jsonb, jsonb, boolean)',
];
