import type { FastifyInstance } from 'fastify';
import { newId } from '../src/shared/ids';
import { buildScormZip } from './scorm-zip';
import type { BenchEnv, Scenario } from './harness';

/** Learners with one open session each (`BENCH_LEARNERS`); with 50 connections some commits of one session overlap and queue. */
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 100);

/** The body scorm-again sends on an ordinary commit: a full 2004 snapshot, no sequence (so every one is applied). */
function commitBody(): string {
  return JSON.stringify({
    cmi: {
      completion_status: 'incomplete', success_status: 'unknown', exit: '', entry: '', credit: 'credit', mode: 'normal',
      location: 'page-7', progress_measure: '0.4', score: { scaled: '0.5', raw: '50', min: '0', max: '100' },
      suspend_data: 'bookmark=7;answers=1,3,2,4;'.repeat(40), session_time: 'PT4M12S', interactions: {}, objectives: {},
      learner_id: 'x', learner_name: 'x', launch_data: '', completion_threshold: '', scaled_passing_score: '', max_time_allowed: '',
      time_limit_action: 'continue,no message', learner_preference: { audio_level: '1', language: '', delivery_speed: '1', audio_captioning: '0' },
      comments_from_learner: {}, comments_from_lms: {},
    },
  });
}

async function gql<T>(app: FastifyInstance, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { query, variables } });
  const body = res.json() as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A published one-SCO course assigned to every learner; one launch (commit URL) per learner. */
async function commitUrls({ app, owner, token }: BenchEnv): Promise<string[]> {
  const org = newId();
  await owner.query(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, 'bench-scorm', 'Bench', 'bench')`, [org]);
  const ids = Array.from({ length: LEARNERS }, (_, i) => `learner-${i}`);
  await owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) SELECT $1, gen_random_uuid(), x, x, '{LEARNER}' FROM unnest($2::text[]) x`, [org, ids]);
  await owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) VALUES ($1, gen_random_uuid(), 'admin', 'admin', '{ORG_ADMIN}')`, [org]);
  const admin = await token(org, 'admin');
  const form = new FormData();
  form.append('file', new Blob([await buildScormZip()], { type: 'application/zip' }), 'bench.zip');
  const request = new Request('http://bench/', { method: 'POST', body: form });
  const upload = await app.inject({ method: 'POST', url: '/scorm/packages', headers: { authorization: `Bearer ${admin}`, 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
  const packageId = (upload.json() as { package: { id: string } }).package.id;
  const zh = { zhCN: '基准课程', en: 'Bench' };
  const course = await gql<{ createCourse: { course: { id: string } } }>(app, admin, 'mutation($i: CreateCourseInput!) { createCourse(input: $i) { course { id } } }', { i: { code: 'BENCH', title: zh } });
  const courseId = course.createCourse.course.id;
  const mod = await gql<{ createModule: { module: { id: string } } }>(app, admin, 'mutation($i: CreateModuleInput!) { createModule(input: $i) { module { id } } }', { i: { courseId, title: zh } });
  const acts = await gql<{ addScormActivities: { activities: { id: string }[] } }>(app, admin, 'mutation($i: AddScormActivitiesInput!) { addScormActivities(input: $i) { activities { id } } }', { i: { moduleId: mod.createModule.module.id, packageId } });
  await gql(app, admin, 'mutation($i: CourseIdInput!) { publishCourse(input: $i) { course { id } } }', { i: { id: courseId } });
  const users = (await owner.query(`SELECT id FROM app_user WHERE organization_id = $1 AND external_id LIKE 'learner-%'`, [org])) as { id: string }[];
  const userIds = users.map((u) => Buffer.from(`User:${u.id}`).toString('base64url'));
  await gql(app, admin, 'mutation($i: AssignCourseInput!) { assignCourse(input: $i) { enrollments { id } } }', { i: { courseId, userIds } });
  const urls: string[] = [];
  for (const id of ids) {
    const launched = await gql<{ launchActivity: { launch: { commitUrl: string } } }>(app, await token(org, id),
      'mutation($i: LaunchActivityInput!) { launchActivity(input: $i) { launch { commitUrl } } }', { i: { activityId: acts.addScormActivities.activities[0].id } });
    urls.push(new URL(launched.launchActivity.launch.commitUrl).pathname);
  }
  return urls;
}

/**
 * The SCORM commit route (token check, full data-model validation, threshold rules, then one
 * statement: tenant, session lock and sequence check, attempt, progress merge, roll-up) against a
 * bare route doing one `pg` upsert of the same JSON. Each request picks one of the learners'
 * sessions at random.
 */
export const scormCommitScenario: Scenario = {
  name: 'scorm-commit',
  connections: 50,
  baselineLabel: 'upsert',
  async prepare(env) {
    const { app, owner, ds } = env;
    await owner.query('CREATE TABLE bench_commit (id int PRIMARY KEY, body jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())');
    await owner.query('GRANT SELECT, INSERT, UPDATE ON bench_commit TO coursegraph_app');
    app.post('/bench/commit/:id', async (req) => {
      await ds.query('INSERT INTO bench_commit (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()', [Number((req.params as { id: string }).id), req.body]);
      return { result: true, errorCode: 0 };
    });
    const paths = await commitUrls(env);
    const body = commitBody();
    const headers = { 'content-type': 'application/json' };
    return {
      project: { method: 'POST', path: paths[0], paths, headers, body },
      baseline: { method: 'POST', path: '/bench/commit/0', paths: paths.map((_, i) => `/bench/commit/${i}`), headers, body },
    };
  },
};
