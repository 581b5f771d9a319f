import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Session time is kept per commit: `scorm_session.session_time_seconds` holds the most a session
 * reported, `scorm_commit` stores it on every commit and adds it to the attempt's total on the
 * final one; a launch that supersedes an abandoned session (no final commit: a crash, a closed
 * tab) adds it then. The function keeps its signature; only its body changes.
 */
export class ScormSessionTime1764360000000 implements MigrationInterface {
  name = 'ScormSessionTime1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "scorm_session" ADD "session_time_seconds" double precision NOT NULL DEFAULT '0'`);
    await q.query(`
      CREATE OR REPLACE FUNCTION scorm_commit(
        p_org uuid, p_session uuid, p_attempt uuid, p_attempt_number integer, p_enrollment uuid,
        p_activity uuid, p_activity_key uuid, p_revision uuid, p_sequence integer, p_final boolean, p_attempt_status text,
        p_completion text, p_success text, p_score_scaled double precision, p_score_raw double precision,
        p_score_min double precision, p_score_max double precision, p_progress double precision,
        p_location text, p_suspend_data text, p_exit text, p_session_seconds double precision,
        p_interactions jsonb, p_objectives jsonb, p_comments jsonb, p_learner_preference jsonb, p_completed boolean
      ) RETURNS text LANGUAGE plpgsql SECURITY INVOKER AS $fn$
      DECLARE
        refusal text;
        session_seconds double precision;
      BEGIN
        -- Transaction-local: the statement's own transaction runs on this tenant only.
        PERFORM set_config('app.organization_id', p_org::text, true);
        UPDATE scorm_session s SET commit_sequence = COALESCE(p_sequence, s.commit_sequence), finished_at = CASE WHEN p_final THEN now() END,
               session_time_seconds = GREATEST(s.session_time_seconds, p_session_seconds)
          FROM enrollment e
         WHERE s.organization_id = p_org AND s.id = p_session AND s.attempt_id = p_attempt
           AND NOT s.superseded AND s.finished_at IS NULL AND (p_sequence IS NULL OR p_sequence > s.commit_sequence)
           AND e.organization_id = p_org AND e.id = p_enrollment AND e.status <> 'WITHDRAWN'
        RETURNING s.session_time_seconds INTO session_seconds;
        IF NOT FOUND THEN
          SELECT CASE WHEN s.superseded THEN 'SUPERSEDED' WHEN e.status = 'WITHDRAWN' THEN 'WITHDRAWN' ELSE 'STALE' END INTO refusal
            FROM scorm_session s JOIN enrollment e ON e.organization_id = s.organization_id AND e.id = p_enrollment
           WHERE s.organization_id = p_org AND s.id = p_session AND s.attempt_id = p_attempt;
          RETURN COALESCE(refusal, 'UNKNOWN_SESSION');
        END IF;
        -- session_seconds is the session's time so far, kept on the session by every commit (a crash
        -- loses only what came after the last commit); it is added once: by the final commit here, or
        -- by the launch that supersedes an abandoned session.
        UPDATE activity_attempt SET
          completion_status = p_completion, success_status = p_success, score_scaled = p_score_scaled, score_raw = p_score_raw,
          score_min = p_score_min, score_max = p_score_max, progress_measure = p_progress, location = p_location,
          suspend_data = p_suspend_data, exit = p_exit, interactions = p_interactions, objectives = p_objectives,
          comments = p_comments, learner_preference = p_learner_preference,
          total_time_seconds = CASE WHEN p_final THEN round((total_time_seconds + session_seconds)::numeric, 2)::double precision ELSE total_time_seconds END,
          status = p_attempt_status, finished_at = CASE WHEN p_attempt_status = 'FINISHED' THEN now() END, updated_at = now()
         WHERE organization_id = p_org AND id = p_attempt;
        PERFORM record_activity_progress(p_org, p_enrollment, p_activity_key, p_activity, p_revision,
          p_completion, p_success, p_score_scaled, p_score_raw, p_score_min, p_score_max, p_progress,
          p_attempt_number, CASE WHEN p_final THEN session_seconds ELSE 0 END, p_completed);
        RETURN 'OK';
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION scorm_commit(
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
    await q.query(`ALTER TABLE "scorm_session" DROP COLUMN "session_time_seconds"`);
  }
}
