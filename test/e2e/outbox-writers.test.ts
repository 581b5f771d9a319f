import pino from 'pino';
import { fromGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { resolveCaller } from '../../src/modules/user/caller';
import { runQueuedJobs } from '../../src/jobs/worker';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { assign, buildCourse, mutate, userGid } from '../support/catalog';
import { blankCmi2004, withValues } from '../support/cmi-fixtures';
import { commit, launch, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { CORRECT, assessmentCourse, gradedDocument, saveAnswers, startAttempt, submitAttempt } from '../support/assessment';

/** Every writer that completes an enrollment writes `enrollment.completed` once, at the transition. */
let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let admin: string;
let learner: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'writers-a');
  b = await seedOrg(t.owner, 'writers-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('learner', [Role.LEARNER]);
  await b.user('admin', [Role.ORG_ADMIN]);
  admin = await t.token(a.id, a.users.admin.externalId);
  learner = await t.token(a.id, a.users.learner.externalId);
});
afterAll(() => t.close());

const completedEvents = async (enrollmentId: string) =>
  (await t.owner.query(`SELECT payload FROM outbox_event WHERE type = 'enrollment.completed' AND entity_id = $1`, [enrollmentId])) as { payload: unknown }[];
const enrollmentOf = async (courseGid: string): Promise<string> =>
  ((await t.owner.query(`SELECT id FROM enrollment WHERE course_id = $1 AND user_id = $2`, [fromGlobalId(courseGid).id, a.users.learner.id])) as { id: string }[])[0].id;

test('a SCORM commit that completes the course writes the event once; later commits do not', async () => {
  const { courseId, activityIds } = await scormCourse(t, admin, admin, await scormZip(manifest2004()), 'W-SCORM', [userGid(a.users.learner)]);
  const enrollmentId = await enrollmentOf(courseId);
  const l = await launch(t, learner, activityIds[0]);
  await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'incomplete' }), 1);
  expect(await completedEvents(enrollmentId)).toEqual([]);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'completed' }), 2)).body.result).toBe(true);
  await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'completed', progress_measure: '1' }), 3, true);
  expect(await completedEvents(enrollmentId)).toEqual([{ payload: { enrollmentId } }]);
});

test('submitting a passing assessment writes the event once', async () => {
  const { courseId, activityId } = await assessmentCourse(t, admin, 'W-QUIZ', gradedDocument({ attemptsAllowed: 3 }), [a.users.learner]);
  const enrollmentId = await enrollmentOf(courseId);
  for (let i = 0; i < 2; i++) {
    const started = await startAttempt(t, learner, activityId);
    await saveAnswers(t, learner, started.attempt!.id, Object.entries(CORRECT).map(([questionId, answer]) => ({ questionId, ...answer })));
    expect((await submitAttempt(t, learner, started.attempt!.id)).errors).toEqual([]);
  }
  expect(await completedEvents(enrollmentId)).toEqual([{ payload: { enrollmentId } }]);
});

const complete = (token: string, id: string, reason: string) =>
  mutate<{ enrollment: { status: string; completedAt: string | null } | null }>(t, token, 'completeEnrollment', 'CompleteEnrollmentInput', { id, reason }, 'enrollment { status completedAt }');

test('an administrator completes an enrollment by hand: audited with the reason, the event written once', async () => {
  const course = await buildCourse(t, admin, 'W-ADMIN', [2]);
  const [gid] = await assign(t, admin, course.id, [a.users.learner]);
  const enrollmentId = fromGlobalId(gid).id;
  const done = await complete(admin, gid, '  线下培训已完成  ');
  expect(done).toMatchObject({ errors: [], enrollment: { status: 'COMPLETED', completedAt: expect.any(String) } });
  expect(await completedEvents(enrollmentId)).toEqual([{ payload: { enrollmentId } }]);
  const [audit] = (await t.owner.query(`SELECT actor, before, after FROM audit_event WHERE action = 'enrollment.complete' AND entity_id = $1`, [enrollmentId])) as Record<string, any>[];
  expect(audit).toMatchObject({ actor: 'user:writers-a-admin', before: { status: 'NOT_STARTED' }, after: { status: 'COMPLETED', reason: '线下培训已完成' } });

  const again = await complete(admin, gid, 'twice');
  expect(again).toMatchObject({ enrollment: null, errors: [{ code: 'CONFLICT', path: ['input', 'id'] }] });
  expect(await completedEvents(enrollmentId)).toHaveLength(1);

  // Then the learner records progress: no second event.
  await mutate(t, learner, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId: course.activities[0][0] }, 'enrollment { status }');
  await mutate(t, learner, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId: course.activities[0][1] }, 'enrollment { status }');
  expect(await completedEvents(enrollmentId)).toHaveLength(1);

  const log = pino({ level: 'silent' });
  await runQueuedJobs({ dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller }, log, t.db.ownerUrl);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'enrollment.completed' AND entity_id = $1`, [enrollmentId])).toEqual([{ n: 1 }]);
});

test('bad input, other roles and other tenants change nothing', async () => {
  const course = await buildCourse(t, admin, 'W-BAD', [1]);
  const [gid] = await assign(t, admin, course.id, [a.users.learner]);
  const enrollmentId = fromGlobalId(gid).id;
  const before = await t.owner.query(`SELECT status, completed_at, updated_at FROM enrollment WHERE id = $1`, [enrollmentId]);
  expect((await complete(admin, gid, '   ')).errors).toEqual([{ code: 'INVALID', message: 'reason 为必填项', path: ['input', 'reason'] }]);
  expect((await complete(admin, gid, 'x'.repeat(1001))).errors[0]).toMatchObject({ code: 'TOO_LARGE', path: ['input', 'reason'] });
  const asLearner = await t.gql(`mutation($i: CompleteEnrollmentInput!) { completeEnrollment(input: $i) { errors { code } } }`, { i: { id: gid, reason: 'me' } }, { token: learner });
  expect(asLearner.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const bAdmin = await t.token(b.id, b.users.admin.externalId);
  const other = await t.gql(`mutation($i: CompleteEnrollmentInput!) { completeEnrollment(input: $i) { errors { code } } }`, { i: { id: gid, reason: 'theirs' } }, { token: bAdmin });
  expect(other.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  await mutate(t, admin, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: gid }, 'enrollment { id }');
  expect((await complete(admin, gid, 'withdrawn')).errors[0]).toMatchObject({ code: 'CONFLICT', message: '该选课已退选' });
  expect(await completedEvents(enrollmentId)).toEqual([]);
  expect((await t.owner.query(`SELECT completed_at FROM enrollment WHERE id = $1`, [enrollmentId]))[0].completed_at).toBe((before as { completed_at: null }[])[0].completed_at);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'enrollment.complete' AND entity_id = $1`, [enrollmentId])).toEqual([{ n: 0 }]);
});
