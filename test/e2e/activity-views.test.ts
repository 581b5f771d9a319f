import { Role } from '../../src/shared/permissions';
import { fromGlobalId } from '../../src/shared/ids';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { assign, buildCourse, mutateOk, userGid } from '../support/catalog';
import { assessmentCourse, gradedDocument, startAttempt, submitAttempt } from '../support/assessment';

/**
 * An operation is run by graphql-js the first time and compiled from the second on; a compiled one
 * whose activities all come from `CourseModule.activities` reads them as views (activity-views.ts).
 * Every answer below is compared across three runs: resolvers, then views.
 */
let t: TestApp;
let a: SeededOrg;
let learner: string;
let hr: string;
let quiz: { courseId: string; activityId: string };

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'views-a');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('hr', [Role.HR]);
  await a.user('learner', [Role.LEARNER]);
  const admin = await t.token(a.id, a.users.admin.externalId);
  learner = await t.token(a.id, a.users.learner.externalId);
  hr = await t.token(a.id, a.users.hr.externalId);
  const pages = await buildCourse(t, admin, 'VIEWS-PAGES', [2, 1]);
  await assign(t, admin, pages.id, [a.users.learner]);
  await mutateOk(t, learner, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId: pages.activities[0][0], progressMeasure: 0.5 }, 'progress { completed }');
  await mutateOk(t, learner, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId: pages.activities[1][0], completed: true }, 'progress { completed }');
  await t.owner.query(`UPDATE activity SET title = title || '{"en": "Lesson one"}' WHERE id = $1`, [fromGlobalId(pages.activities[0][0]).id]);
  // A quiz whose review policy shows the learner nothing: their score stays hidden from them, not from HR.
  quiz = await assessmentCourse(t, admin, 'VIEWS-QUIZ', gradedDocument({ reviewPolicy: { show: 'NOTHING', when: 'IMMEDIATELY' } }), [a.users.learner]);
  const started = await startAttempt(t, learner, quiz.activityId);
  await submitAttempt(t, learner, started.attempt!.id);
});
afterAll(() => t.close());

type Activity = { id: string; title: string; progress: { scoreScaled: number | null } | null };
type Catalog = { viewer: { enrollments: { nodes: { course: { id: string; modules: { activities: Activity[] }[] } }[] } } };

const ACTIVITY = '__typename id key kind title position required progress { completionStatus successStatus scoreScaled progressMeasure completed attemptCount }';
const DASHBOARD = `query Dashboard { viewer { enrollments(first: 50) { nodes { id course { id code title modules { id title activities { ${ACTIVITY} } } } } } } }`;

/** Runs `query` three times; every run answers the same, with the same number of statements. */
async function thrice<T>(query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string> = {}): Promise<T> {
  const runs: { body: { data?: T | null; errors?: unknown[] }; statements: number }[] = [];
  for (let i = 0; i < 3; i++) runs.push(await t.gql<T>(query, variables, { token, headers }));
  for (const run of runs) expect(run.body.errors).toBeUndefined();
  expect(runs[1].body.data).toEqual(runs[0].body.data);
  expect(runs[2].body.data).toEqual(runs[0].body.data);
  expect(runs.map((r) => r.statements)).toEqual(runs.map(() => runs[0].statements));
  return runs[2].body.data!;
}

const activities = (data: Catalog, courseId?: string) =>
  data.viewer.enrollments.nodes.filter((n) => !courseId || n.course.id === courseId).flatMap((n) => n.course.modules.flatMap((m) => m.activities));

test('the dashboard answers the same from views as from resolvers: ids, titles in the caller\'s language, progress with hidden scores kept hidden', async () => {
  const zh = await thrice<Catalog>(DASHBOARD, {}, learner);
  const en = await thrice<Catalog>(DASHBOARD, {}, learner, { 'accept-language': 'en' });
  expect(activities(zh).map((x) => x.title)).toContain('第1节');
  expect(activities(en).map((x) => x.title)).toContain('Lesson one');
  expect(activities(zh).filter((x) => x.progress !== null)).toHaveLength(3);
  const [own] = activities(zh, quiz.courseId);
  expect(own).toMatchObject({ id: quiz.activityId, progress: { scoreScaled: null } });
});

test('the same with every column of progress, through a fragment, and for another learner through a transcript (scores as recorded)', async () => {
  const full = `query Full { viewer { enrollments(first: 5) { nodes { course { id modules { activities { ...A } } } } } } }
    fragment A on Activity { id title progress { id scoreScaled scoreRaw attemptCount timeSpentSeconds completedAt updatedAt } }`;
  const mine = await thrice<Catalog>(full, {}, learner);
  expect(activities(mine, quiz.courseId)[0].progress).toMatchObject({ scoreScaled: null });
  type Transcript = { transcript: { enrollments: { course: { id: string; modules: { activities: Activity[] }[] } }[] } };
  const transcript = await thrice<Transcript>(
    'query($u: ID!) { transcript(userId: $u) { enrollments { course { id modules { activities { id title progress { scoreScaled completed } } } } } } }',
    { u: userGid(a.users.learner) }, hr);
  const recorded = transcript.transcript.enrollments.find((e) => e.course.id === quiz.courseId)!.course.modules[0].activities[0];
  expect(recorded.progress?.scoreScaled).toEqual(expect.any(Number));
});

test('an operation that also asks what a view does not have is answered by the resolvers, the same every time', async () => {
  const wider = `query Wider { viewer { enrollments(first: 50) { nodes { course { modules { activities { ${ACTIVITY} createdAt completion { kind } } } } } } } }`;
  const data = await thrice<Catalog>(wider, {}, learner);
  expect(activities(data).every((x) => typeof (x as unknown as { createdAt: string }).createdAt === 'string')).toBe(true);
});
