import type { DataSource } from 'typeorm';
import { newId } from '../src/shared/ids';
import { tenantRead, type BenchRequest, type Scenario } from './harness';

/** The learner catalog: every enrollment with its course, modules, activities and the viewer's progress. */
export const LEARNER_CATALOG_QUERY = `query LearnerCatalog {
  viewer {
    enrollments(first: 20) {
      nodes {
        id status progressPercent dueAt
        revision { number }
        course {
          id code title
          modules {
            id title position
            activities {
              id kind title required
              progress { completionStatus successStatus scoreScaled progressMeasure completed }
            }
          }
        }
      }
    }
  }
}`;

export interface CatalogSize {
  courses: number;
  modules: number;
  activities: number;
}

/**
 * Seeds (as the owner) `courses` published courses of `modules` × `activities` PAGE activities,
 * enrolls the user in all of them (a third overdue) and records progress on every other activity.
 */
export async function seedLearnerCatalog(owner: DataSource, orgId: string, userId: string, size: CatalogSize): Promise<void> {
  const q = (sql: string, params: unknown[] = []): Promise<unknown> => owner.query(sql, [orgId, ...params]);
  await q(`INSERT INTO course (organization_id, id, code, status, title, description, tags, published_at)
    SELECT $1, gen_random_uuid(), 'C' || lpad(i::text, 4, '0'), 'PUBLISHED', jsonb_build_object('zh-CN', '课程 ' || i, 'en', 'Course ' || i),
           jsonb_build_object('zh-CN', '描述 ' || i), '{bench}', now() FROM generate_series(1, $2::int) i`, [size.courses]);
  await q(`INSERT INTO course_revision (organization_id, id, course_id, number, status, published_at)
    SELECT $1, gen_random_uuid(), id, 1, 'PUBLISHED', now() FROM course WHERE organization_id = $1`);
  await q(`UPDATE course c SET published_revision_id = r.id FROM course_revision r WHERE r.organization_id = $1 AND c.organization_id = $1 AND r.course_id = c.id`);
  await q(`INSERT INTO course_module (organization_id, id, course_id, revision_id, key, position, title)
    SELECT $1, gen_random_uuid(), r.course_id, r.id, gen_random_uuid(), m, jsonb_build_object('zh-CN', '第' || m || '章', 'en', 'Module ' || m)
      FROM course_revision r, generate_series(1, $2::int) m WHERE r.organization_id = $1`, [size.modules]);
  await q(`INSERT INTO activity (organization_id, id, course_id, revision_id, module_id, key, position, kind, title, required, completion_kind, content)
    SELECT $1, gen_random_uuid(), m.course_id, m.revision_id, m.id, gen_random_uuid(), a, 'PAGE', jsonb_build_object('zh-CN', '第' || a || '节'),
           true, 'VIEWED', jsonb_build_object('html', '<p>内容</p>')
      FROM course_module m, generate_series(1, $2::int) a WHERE m.organization_id = $1`, [size.activities]);
  await q(`INSERT INTO enrollment (organization_id, id, user_id, course_id, revision_id, source, status, assigned_by, due_at, started_at)
    SELECT $1, gen_random_uuid(), $2, c.id, c.published_revision_id, 'ADMIN', 'IN_PROGRESS', 'bench',
           now() + (CASE WHEN row_number() OVER (ORDER BY c.code) % 3 = 0 THEN -1 ELSE 1 END) * interval '7 days', now()
      FROM course c WHERE c.organization_id = $1`, [userId]);
  await q(`INSERT INTO activity_progress (organization_id, id, enrollment_id, activity_key, activity_id, completion_status, progress_measure, attempt_count, completed, completed_at)
    SELECT $1, gen_random_uuid(), e.id, a.key, a.id, 'completed', 1, 1, true, now()
      FROM enrollment e JOIN activity a ON a.organization_id = e.organization_id AND a.revision_id = e.revision_id
     WHERE e.organization_id = $1 AND a.position % 2 = 1`);
}

/** Courses the learner is enrolled in (`BENCH_CATALOG_COURSES`, 20 by default; the query pages at 20). */
const CATALOG_COURSES = Number(process.env.BENCH_CATALOG_COURSES ?? 20);

/** A POST /graphql of `query` as `jwt`'s bearer. */
export function graphqlRequest(jwt: string, query: string): BenchRequest {
  return { method: 'POST', path: '/graphql', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) };
}

const gid = (type: string): string => `translate(encode(convert_to('${type}:' || `;
const endGid = `::text, 'UTF8'), 'base64'), '+/=', '-_')`;
const iso = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The same data as LEARNER_CATALOG_QUERY in one hand-written statement ($1 organization, $2 user). */
export const LEARNER_CATALOG_SQL = `
SELECT json_build_object('viewer', json_build_object('enrollments', json_build_object('nodes', COALESCE(json_agg(x.node ORDER BY x.due, x.id), '[]')))) AS data
FROM (
  SELECT e.id, COALESCE(e.due_at, 'infinity') AS due, json_build_object(
    'id', ${gid('Enrollment')}e.id${endGid},
    'status', CASE WHEN e.status IN ('NOT_STARTED', 'IN_PROGRESS') AND e.due_at < now() THEN 'OVERDUE' ELSE e.status END,
    'progressPercent', e.progress_percent,
    'dueAt', ${iso('e.due_at')},
    'revision', json_build_object('number', r.number),
    'course', json_build_object('id', ${gid('Course')}c.id${endGid}, 'code', c.code, 'title', c.title->>'zh-CN', 'modules', (
      SELECT COALESCE(json_agg(json_build_object('id', ${gid('CourseModule')}m.id${endGid}, 'title', m.title->>'zh-CN', 'position', m.position,
        'activities', (
          SELECT COALESCE(json_agg(json_build_object('id', ${gid('Activity')}a.id${endGid}, 'kind', a.kind, 'title', a.title->>'zh-CN',
            'required', a.required, 'progress', CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object(
              'completionStatus', upper(replace(p.completion_status, ' ', '_')), 'successStatus', upper(p.success_status),
              'scoreScaled', p.score_scaled, 'progressMeasure', p.progress_measure, 'completed', p.completed) END
          ) ORDER BY a.position, a.id), '[]')
          FROM activity a
          LEFT JOIN activity_progress p ON p.organization_id = a.organization_id AND p.enrollment_id = e.id AND p.activity_key = a.key
          WHERE a.organization_id = m.organization_id AND a.module_id = m.id)
      ) ORDER BY m.position, m.id), '[]')
      FROM course_module m WHERE m.organization_id = c.organization_id AND m.revision_id = r.id)))
  AS node
  FROM enrollment e
  JOIN course c ON c.organization_id = e.organization_id AND c.id = e.course_id
  JOIN course_revision r ON r.organization_id = e.organization_id AND r.id = COALESCE(e.revision_id, c.published_revision_id)
  WHERE e.organization_id = $1 AND e.user_id = $2
  ORDER BY COALESCE(e.due_at, 'infinity'), e.id
  LIMIT 20
) x`;

/**
 * The learner catalog (20 courses × 10 modules × 3 activities with progress) through the whole
 * stack, against the mercurius + graphql-jit peer and a bare Fastify route running one json_agg
 * statement for the same JSON (the limit).
 */
export const catalogScenario: Scenario = {
  name: 'catalog',
  connections: 50,
  baselineLabel: 'limit',
  async prepare(env) {
    const { app, ds, owner, token } = env;
    const orgId = newId();
    const userId = newId();
    await owner.query(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, 'bench-catalog', 'Bench', 'bench')`, [orgId]);
    await owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) VALUES ($1, $2, 'bench-learner', 'Bench Learner', '{LEARNER}')`, [orgId, userId]);
    await seedLearnerCatalog(owner, orgId, userId, { courses: CATALOG_COURSES, modules: 10, activities: 3 });
    app.get('/bench/catalog', async () => {
      const rows = await tenantRead<{ data: unknown }>(ds, orgId, LEARNER_CATALOG_SQL, [orgId, userId]);
      return { data: rows[0].data };
    });
    const project = graphqlRequest(await token(orgId, 'bench-learner'), LEARNER_CATALOG_QUERY);
    // Loaded here only: the tests that read this file's query and SQL need no mercurius.
    const { startPeer } = await import('./peer.js');
    return { project, peer: { ...project, origin: await startPeer(env) }, baseline: { method: 'GET', path: '/bench/catalog' } };
  },
};
