import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';
import { COMMIT_28, scormCommit } from './1764410000000-ScormSequencing';
import { recordActivityProgress } from './1764470000000-ProgressRollupLock';

/**
 * A SCORM commit does less in the database (the hottest write: every SCO commits every few
 * seconds for every learner), measured by `npm run bench -- scorm-commit`:
 *
 * - It no longer reads the enrollment. A withdrawn enrollment's commits were refused by joining the
 *   enrollment on every commit; now the withdrawal ends the enrollment's open sessions
 *   (src/modules/scorm/scorm-session.service.ts, as a new launch does), so the session row alone
 *   says whether a commit is taken. The refusal's reason still reads the enrollment (WITHDRAWN
 *   before SUPERSEDED), on the refusal path only.
 * - It merges into the progress row with a plain UPDATE in its own body instead of calling
 *   `record_activity_progress` (a nested PL/pgSQL call and a speculative INSERT … ON CONFLICT on a
 *   row that exists after the first commit); the first report of an activity still goes through
 *   `record_activity_progress`. The merge rule and the enrollment roll-up are written once, below
 *   (`mergeInto`, `ROLL_UP`), and both functions are built from them; the roll-up is unchanged.
 * - Attempt rows leave room on their pages (fillfactor 70): a SCO's commit rewrites its attempt's
 *   whole row (suspend data, interactions: a kilobyte or more), and with full pages a third of those
 *   rewrites could not stay on the page (not HOT), so each also wrote three index entries and left
 *   the indexes to grow. Pages written from now on keep the room; `VACUUM FULL activity_attempt`
 *   rewrites the existing ones.
 */
export class ScormCommitLean1764510000000 implements MigrationInterface {
  name = 'ScormCommitLean1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(RECORD_ACTIVITY_PROGRESS);
    await q.query(SCORM_COMMIT);
    await q.query('ALTER TABLE "activity_attempt" SET (fillfactor = 70)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "activity_attempt" RESET (fillfactor)');
    await q.query(`DROP FUNCTION ${COMMIT_28}`);
    await q.query(scormCommit(true));
    await q.query(`REVOKE ALL ON FUNCTION ${COMMIT_28} FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${COMMIT_28} TO ${APP_ROLE}`);
    await q.query(recordActivityProgress(true));
  }
}

/** The values a report brings, by progress column. */
type Incoming = Record<
  'activity_id' | 'completion_status' | 'success_status' | 'score_scaled' | 'score_raw' | 'score_min' | 'score_max'
  | 'progress_measure' | 'attempt_count' | 'time_spent_seconds' | 'completed' | 'completed_at',
  string
>;

/**
 * How a report merges into the stored progress row `p`: never regress. Statuses move only up
 * their order (src/modules/progress/progress.rules.ts names the same orders), scores and
 * progress keep their best, time adds up, completed stays completed.
 */
function mergeInto(n: Incoming): string {
  const completionOrder = `ARRAY['unknown', 'not attempted', 'incomplete', 'completed']`;
  const successOrder = `ARRAY['unknown', 'failed', 'passed']`;
  return `
          activity_id = ${n.activity_id},
          completion_status = CASE
            WHEN array_position(${completionOrder}, ${n.completion_status}) > array_position(${completionOrder}, p.completion_status)
            THEN ${n.completion_status} ELSE p.completion_status END,
          success_status = CASE
            WHEN array_position(${successOrder}, ${n.success_status}) > array_position(${successOrder}, p.success_status)
            THEN ${n.success_status} ELSE p.success_status END,
          score_scaled = GREATEST(p.score_scaled, ${n.score_scaled}),
          score_raw = GREATEST(p.score_raw, ${n.score_raw}),
          score_min = COALESCE(${n.score_min}, p.score_min),
          score_max = COALESCE(${n.score_max}, p.score_max),
          progress_measure = GREATEST(p.progress_measure, ${n.progress_measure}),
          attempt_count = GREATEST(p.attempt_count, ${n.attempt_count}),
          time_spent_seconds = p.time_spent_seconds + ${n.time_spent_seconds},
          completed = p.completed OR ${n.completed},
          completed_at = COALESCE(p.completed_at, ${n.completed_at}),
          updated_at = now()`;
}

const EXCLUDED = Object.fromEntries(
  ['activity_id', 'completion_status', 'success_status', 'score_scaled', 'score_raw', 'score_min', 'score_max', 'progress_measure',
    'attempt_count', 'time_spent_seconds', 'completed', 'completed_at'].map((column) => [column, `EXCLUDED.${column}`]),
) as Incoming;

// The roll-up of migration ProgressRollupLock, unchanged: after a report that leaves its activity
// completed, the enrollment's percentage and status (in both functions' bodies, with their p_org,
// p_enrollment and p_revision).
const ROLL_UP = `
          -- Wait for any other roll-up of this enrollment to commit, so the count below (a new
          -- statement, a new snapshot) sees its activity: without it, two activities completed at
          -- once each count only themselves and the enrollment never reaches 100 %.
          PERFORM 1 FROM enrollment e WHERE e.organization_id = p_org AND e.id = p_enrollment FOR NO KEY UPDATE;
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
          WHERE e.organization_id = p_org AND e.id = p_enrollment;`;

const RECORD_ACTIVITY_PROGRESS = `
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
        ON CONFLICT (organization_id, enrollment_id, activity_key) DO UPDATE SET${mergeInto(EXCLUDED)}
        RETURNING * INTO merged;
        IF merged.completed THEN${ROLL_UP}
        END IF;
        RETURN merged;
      END
      $fn$`;

// scorm_commit as migration ScormSequencing wrote it, without the enrollment join and with the
// progress merge inline; same signature, same answers.
const SCORM_COMMIT = `
      CREATE OR REPLACE FUNCTION scorm_commit(
        p_org uuid, p_session uuid, p_attempt uuid, p_attempt_number integer, p_enrollment uuid,
        p_activity uuid, p_activity_key uuid, p_revision uuid, p_sequence integer, p_final boolean, p_attempt_status text,
        p_completion text, p_success text, p_score_scaled double precision, p_score_raw double precision,
        p_score_min double precision, p_score_max double precision, p_progress double precision,
        p_location text, p_suspend_data text, p_exit text, p_session_seconds double precision,
        p_interactions jsonb, p_objectives jsonb, p_comments jsonb, p_learner_preference jsonb, p_completed boolean, p_sequenced boolean DEFAULT false
      ) RETURNS text LANGUAGE plpgsql SECURITY INVOKER AS $fn$
      DECLARE
        refusal text;
        session_seconds double precision;
        time_spent double precision;
        done boolean;
      BEGIN
        -- Transaction-local: the statement's own transaction runs on this tenant only.
        PERFORM set_config('app.organization_id', p_org::text, true);
        -- A session is open until its final commit, a newer launch of the attempt, or the
        -- enrollment's withdrawal (each of which ends it on this row); the row lock queues one
        -- session's commits.
        UPDATE scorm_session s SET commit_sequence = COALESCE(p_sequence, s.commit_sequence), finished_at = CASE WHEN p_final THEN now() END,
               session_time_seconds = GREATEST(s.session_time_seconds, p_session_seconds)
         WHERE s.organization_id = p_org AND s.id = p_session AND s.attempt_id = p_attempt
           AND NOT s.superseded AND s.finished_at IS NULL AND (p_sequence IS NULL OR p_sequence > s.commit_sequence)
        RETURNING s.session_time_seconds INTO session_seconds;
        IF NOT FOUND THEN
          SELECT CASE WHEN e.status = 'WITHDRAWN' THEN 'WITHDRAWN' WHEN s.superseded THEN 'SUPERSEDED' ELSE 'STALE' END INTO refusal
            FROM scorm_session s JOIN enrollment e ON e.organization_id = s.organization_id AND e.id = p_enrollment
           WHERE s.organization_id = p_org AND s.id = p_session AND s.attempt_id = p_attempt;
          RETURN COALESCE(refusal, 'UNKNOWN_SESSION');
        END IF;
        -- session_seconds is the session's time so far, kept on the session by every commit (a crash
        -- loses only what came after the last commit); it is added once: by the final commit here, or
        -- by whatever ends the session without one (src/modules/scorm/scorm-session.service.ts).
        time_spent := CASE WHEN p_final THEN session_seconds ELSE 0 END;
        UPDATE activity_attempt SET
          completion_status = p_completion, success_status = p_success, score_scaled = p_score_scaled, score_raw = p_score_raw,
          score_min = p_score_min, score_max = p_score_max, progress_measure = p_progress, location = p_location,
          suspend_data = p_suspend_data, exit = p_exit, interactions = p_interactions, objectives = p_objectives,
          comments = p_comments, learner_preference = p_learner_preference,
          total_time_seconds = CASE WHEN p_final THEN round((total_time_seconds + session_seconds)::numeric, 2)::double precision ELSE total_time_seconds END,
          status = p_attempt_status, finished_at = CASE WHEN p_attempt_status = 'FINISHED' THEN now() END, updated_at = now()
         WHERE organization_id = p_org AND id = p_attempt;
        UPDATE activity_progress p SET${mergeInto({
          activity_id: 'p_activity', completion_status: 'p_completion', success_status: 'p_success', score_scaled: 'p_score_scaled',
          score_raw: 'p_score_raw', score_min: 'p_score_min', score_max: 'p_score_max', progress_measure: 'p_progress',
          attempt_count: 'p_attempt_number', time_spent_seconds: 'time_spent', completed: 'p_completed',
          completed_at: 'CASE WHEN p_completed THEN now() END',
        })}
         WHERE p.organization_id = p_org AND p.enrollment_id = p_enrollment AND p.activity_key = p_activity_key
        RETURNING p.completed INTO done;
        IF NOT FOUND THEN
          -- The activity's first report: the row is created (or merged into, if another report made it meanwhile).
          PERFORM record_activity_progress(p_org, p_enrollment, p_activity_key, p_activity, p_revision,
            p_completion, p_success, p_score_scaled, p_score_raw, p_score_min, p_score_max, p_progress,
            p_attempt_number, time_spent, p_completed);
        ELSIF done THEN${ROLL_UP}
        END IF;
        IF p_sequenced THEN
          PERFORM scorm_cover_package(p_org, p_enrollment, p_activity_key, p_activity, p_revision);
        END IF;
        RETURN 'OK';
      END
      $fn$`;
