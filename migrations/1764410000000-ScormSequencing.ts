import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';

/**
 * SCORM 2004 sequencing in the roll-up. `scorm_seq_holds` evaluates the formulas import compiles
 * from a package's sequencing (src/modules/scorm/engine/sequencing-formula.ts, which evaluates the
 * same JSON; a test runs both on the same cases) over the learner's state per SCO identifier:
 * `[completion_status, success_status, attempt_count]`. `scorm_cover_package`
 * evaluates a package's organization completion (rollup rules, shared objectives, skipped
 * clusters) and, when it holds, marks every SCO of the package done (a passed pre-test completes
 * the course; skipped lessons need no launch) and rolls the enrollment up through
 * `record_activity_progress`. `scorm_commit` gains `p_sequenced` (from the commit token, default
 * false) and calls it after a commit on a SCO of a sequenced package: still one statement per
 * commit, and nothing more for any other commit.
 */
export class ScormSequencing1764410000000 implements MigrationInterface {
  name = 'ScormSequencing1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION scorm_seq_holds(f jsonb, st jsonb) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $fn$
      DECLARE
        x jsonb;
        s jsonb;
        n integer := 0;
      BEGIN
        IF jsonb_typeof(f) = 'boolean' THEN RETURN f::boolean; END IF;
        IF jsonb_typeof(f) <> 'object' THEN RETURN false; END IF;
        IF f ? 'all' THEN
          FOR x IN SELECT value FROM jsonb_array_elements(f->'all') LOOP
            IF NOT scorm_seq_holds(x, st) THEN RETURN false; END IF;
          END LOOP;
          RETURN true;
        ELSIF f ? 'any' THEN
          FOR x IN SELECT value FROM jsonb_array_elements(f->'any') LOOP
            IF scorm_seq_holds(x, st) THEN RETURN true; END IF;
          END LOOP;
          RETURN false;
        ELSIF f ? 'not' THEN
          RETURN NOT scorm_seq_holds(f->'not', st);
        ELSIF f ? 'atLeast' THEN
          FOR x IN SELECT value FROM jsonb_array_elements(f->'of') LOOP
            IF scorm_seq_holds(x, st) THEN n := n + 1; END IF;
          END LOOP;
          RETURN n >= (f->>'atLeast')::integer;
        END IF;
        s := COALESCE(st->(f->>'sco'), '["unknown", "unknown", 0]'::jsonb);
        RETURN CASE f->>'is'
          WHEN 'completed' THEN s->>0 = 'completed'
          WHEN 'satisfied' THEN s->>1 = 'passed'
          WHEN 'failed' THEN s->>1 = 'failed'
          WHEN 'attempted' THEN (s->>2)::integer > 0 OR s->>0 IN ('incomplete', 'completed')
          WHEN 'progressKnown' THEN s->>0 IN ('incomplete', 'completed')
          WHEN 'objectiveKnown' THEN s->>1 IN ('passed', 'failed')
          WHEN 'attemptsAtLeast' THEN (s->>2)::integer >= (f->>'n')::integer
          ELSE false END;
      END
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION ${HOLDS} FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${HOLDS} TO ${APP_ROLE}`);
    await q.query(COVER_PACKAGE);
    await q.query(`DROP FUNCTION ${COMMIT_27}`);
    await q.query(scormCommit(true));
    for (const fn of [COVER, COMMIT_28]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ${COMMIT_28}`);
    await q.query(scormCommit(false));
    await q.query(`REVOKE ALL ON FUNCTION ${COMMIT_27} FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${COMMIT_27} TO ${APP_ROLE}`);
    await q.query(`DROP FUNCTION ${COVER}`);
    await q.query(`DROP FUNCTION ${HOLDS}`);
  }
}

const HOLDS = 'scorm_seq_holds(jsonb, jsonb)';

const COVER = 'scorm_cover_package(uuid, uuid, uuid, uuid, uuid)';
const COMMIT_ARGS = 'uuid, uuid, uuid, integer, uuid, uuid, uuid, uuid, integer, boolean, text, text, text, double precision, double precision, double precision, double precision, double precision, text, text, text, double precision, jsonb, jsonb, jsonb, jsonb, boolean';
const COMMIT_27 = `scorm_commit(${COMMIT_ARGS})`;
export const COMMIT_28 = `scorm_commit(${COMMIT_ARGS}, boolean)`;

// After a report on a SCO of a sequenced package: when the package's organization is completed after
// roll-up, every SCO of the package in the learner's revision counts as done (its progress row is
// marked completed, created for a SCO never launched, such as a skipped lesson), so every reader of
// `completed` agrees; the enrollment then rolls up as after any completed activity.
const COVER_PACKAGE = `
      CREATE FUNCTION scorm_cover_package(p_org uuid, p_enrollment uuid, p_activity_key uuid, p_activity uuid, p_revision uuid)
      RETURNS void LANGUAGE plpgsql SECURITY INVOKER AS $fn$
      DECLARE
        formula jsonb;
        package_id text;
      BEGIN
        SELECT a.content #> '{sequencing,packageCompletedWhen}', a.content->>'packageId' INTO formula, package_id
          FROM activity a WHERE a.organization_id = p_org AND a.id = p_activity;
        IF formula IS NULL OR NOT scorm_seq_holds(formula, (
             SELECT jsonb_object_agg(a.content->>'identifier', jsonb_build_array(COALESCE(o.completion_status, 'unknown'),
                      COALESCE(o.success_status, 'unknown'), COALESCE(o.attempt_count, 0)))
               FROM activity a
               LEFT JOIN activity_progress o ON o.organization_id = a.organization_id AND o.enrollment_id = p_enrollment AND o.activity_key = a.key
              WHERE a.organization_id = p_org AND a.revision_id = p_revision AND a.kind = 'SCORM' AND a.content->>'packageId' = package_id)) THEN
          RETURN;
        END IF;
        INSERT INTO activity_progress AS p (organization_id, id, enrollment_id, activity_key, activity_id, completed, completed_at)
        SELECT p_org, gen_random_uuid(), p_enrollment, a.key, a.id, true, now()
          FROM activity a WHERE a.organization_id = p_org AND a.revision_id = p_revision AND a.kind = 'SCORM' AND a.content->>'packageId' = package_id
        ON CONFLICT (organization_id, enrollment_id, activity_key) DO UPDATE SET completed = true, completed_at = COALESCE(p.completed_at, now()), updated_at = now()
          WHERE NOT p.completed;
        IF FOUND THEN
          -- A report that changes nothing but counts as completed: the roll-up of record_activity_progress.
          PERFORM record_activity_progress(p_org, p_enrollment, p_activity_key, p_activity, p_revision,
            'unknown', 'unknown', NULL, NULL, NULL, NULL, NULL, 0, 0, true);
        END IF;
      END
      $fn$`;

/** scorm_commit as migration ScormSessionTime wrote it, with or without the sequencing step. */
export function scormCommit(sequenced: boolean): string {
  return `
      CREATE FUNCTION scorm_commit(
        p_org uuid, p_session uuid, p_attempt uuid, p_attempt_number integer, p_enrollment uuid,
        p_activity uuid, p_activity_key uuid, p_revision uuid, p_sequence integer, p_final boolean, p_attempt_status text,
        p_completion text, p_success text, p_score_scaled double precision, p_score_raw double precision,
        p_score_min double precision, p_score_max double precision, p_progress double precision,
        p_location text, p_suspend_data text, p_exit text, p_session_seconds double precision,
        p_interactions jsonb, p_objectives jsonb, p_comments jsonb, p_learner_preference jsonb, p_completed boolean${sequenced ? ', p_sequenced boolean DEFAULT false' : ''}
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
          p_attempt_number, CASE WHEN p_final THEN session_seconds ELSE 0 END, p_completed);${sequenced ? `
        IF p_sequenced THEN
          PERFORM scorm_cover_package(p_org, p_enrollment, p_activity_key, p_activity, p_revision);
        END IF;` : ''}
        RETURN 'OK';
      END
      $fn$`;
}
