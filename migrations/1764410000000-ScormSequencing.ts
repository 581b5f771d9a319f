import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';

/**
 * SCORM 2004 sequencing in the roll-up. `scorm_seq_holds` evaluates the formulas import compiles
 * from a package's sequencing (src/modules/scorm/engine/sequencing-formula.ts, which evaluates the
 * same JSON; a test runs both on the same cases) over the learner's state per SCO identifier:
 * `[completion_status, success_status, attempt_count]`. `record_activity_progress` keeps its
 * signature and merge; its roll-up now also counts a SCO of a sequenced package as done when the
 * package's organization is completed after its rollup rules (a passed pre-test that completes
 * the course, skipped lessons that do not count), and it rolls up after any report on such a
 * SCO, not only after one that meets the SCO's own rule. Still one statement per commit.
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
    await q.query(recordActivityProgress(SEQUENCED_ROLLUP));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(recordActivityProgress(PLAIN_ROLLUP));
    await q.query(`DROP FUNCTION ${HOLDS}`);
  }
}

const HOLDS = 'scorm_seq_holds(jsonb, jsonb)';

/** Required activities (all of them when none is marked required) of the learner's revision. */
const REQUIRED = `a.organization_id = p_org AND a.revision_id = p_revision
               AND (a.required OR NOT EXISTS (SELECT 1 FROM activity r WHERE r.organization_id = p_org AND r.revision_id = p_revision AND r.required))`;

const PLAIN_ROLLUP = {
  when: 'merged.completed',
  counts: `SELECT count(*) AS total, count(*) FILTER (WHERE COALESCE(o.completed, false)) AS done
              FROM activity a
              LEFT JOIN activity_progress o ON o.organization_id = a.organization_id AND o.enrollment_id = p_enrollment AND o.activity_key = a.key
             WHERE ${REQUIRED}`,
};

// Per sequenced package of the revision: whether its organization is completed after roll-up.
const SEQUENCED_ROLLUP = {
  when: `merged.completed OR EXISTS (SELECT 1 FROM activity s WHERE s.organization_id = p_org AND s.id = p_activity AND s.content ? 'sequencing')`,
  counts: `WITH package AS (
              SELECT a.content->>'packageId' AS package_id,
                     scorm_seq_holds((array_agg(a.content #> '{sequencing,packageCompletedWhen}'))[1],
                       jsonb_object_agg(a.content->>'identifier', jsonb_build_array(COALESCE(o.completion_status, 'unknown'),
                         COALESCE(o.success_status, 'unknown'), COALESCE(o.attempt_count, 0)))) AS completed
                FROM activity a
                LEFT JOIN activity_progress o ON o.organization_id = a.organization_id AND o.enrollment_id = p_enrollment AND o.activity_key = a.key
               WHERE a.organization_id = p_org AND a.revision_id = p_revision AND a.kind = 'SCORM' AND a.content ? 'sequencing'
               GROUP BY 1)
            SELECT count(*) AS total, count(*) FILTER (WHERE COALESCE(o.completed, false) OR COALESCE(k.completed, false)) AS done
              FROM activity a
              LEFT JOIN activity_progress o ON o.organization_id = a.organization_id AND o.enrollment_id = p_enrollment AND o.activity_key = a.key
              LEFT JOIN package k ON a.kind = 'SCORM' AND k.package_id = a.content->>'packageId'
             WHERE ${REQUIRED}`,
};

/** The function as migration ProgressFunctions wrote it, with the given roll-up. */
function recordActivityProgress(rollup: { when: string; counts: string }): string {
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

        IF ${rollup.when} THEN
          UPDATE enrollment e SET
            progress_percent = GREATEST(e.progress_percent, CASE WHEN c.total = 0 THEN 0 ELSE floor(100.0 * c.done / c.total)::int END),
            status = CASE WHEN e.status = 'COMPLETED' OR (c.total > 0 AND c.done = c.total) THEN 'COMPLETED' ELSE 'IN_PROGRESS' END,
            completed_at = COALESCE(e.completed_at, CASE WHEN c.total > 0 AND c.done = c.total THEN now() END),
            updated_at = now()
          FROM (
            ${rollup.counts}
          ) c
          WHERE e.organization_id = p_org AND e.id = p_enrollment;
        END IF;
        RETURN merged;
      END
      $fn$`;
}
