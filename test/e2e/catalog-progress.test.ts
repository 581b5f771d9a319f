import { Role } from '../../src/shared/permissions';
import { fromGlobalId } from '../../src/shared/ids';
import { LEARNER_CATALOG_QUERY, LEARNER_CATALOG_SQL, seedLearnerCatalog } from '../../bench/catalog.scenario';
import { tenantRead } from '../../bench/harness';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { assign, buildCourse, gqlOk, mutate, mutateOk, userGid } from '../support/catalog';
import { gradedDocument } from '../support/assessment';
import { watchQueries } from '../support/pg-spy';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'prog-a');
  b = await seedOrg(t.owner, 'prog-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('learner', [Role.LEARNER]);
  await a.user('other', [Role.LEARNER]);
  await b.user('learner', [Role.LEARNER]);
  admin = await t.token(a.id, a.users.admin.externalId);
});
afterAll(async () => {
  await t.close();
});

const record = (token: string, activityId: string, extra: Record<string, unknown> = {}) =>
  mutate<{ progress: { completed: boolean; progressMeasure: number; completionStatus: string } | null; enrollment: { status: string; progressPercent: number; completedAt: string | null } | null }>(
    t, token, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId, ...extra },
    'progress { completed progressMeasure completionStatus } enrollment { status progressPercent completedAt }');

test('native progress rolls up into modules and the enrollment, and never regresses', async () => {
  const course = await buildCourse(t, admin, 'PROG-1', [2, 0], { publish: false });
  const video = await mutateOk<{ activity: { id: string } }>(t, admin, 'createActivity', 'CreateActivityInput',
    { moduleId: course.modules[1], kind: 'VIDEO', title: { zhCN: '视频' }, video: { url: 'https://video.example/a.mp4', durationSeconds: 300 } }, 'activity { id }');
  const optional = await mutateOk<{ activity: { id: string } }>(t, admin, 'createActivity', 'CreateActivityInput',
    { moduleId: course.modules[1], kind: 'PAGE', title: { zhCN: '选读' }, required: false, page: { html: '<p>选读</p>' } }, 'activity { id }');
  await mutateOk(t, admin, 'publishCourse', 'CourseIdInput', { id: course.id }, 'course { id }');
  await assign(t, admin, course.id, [a.users.learner]);
  const learner = await t.token(a.id, a.users.learner.externalId);

  const first = await record(learner, course.activities[0][0], { sessionSeconds: 30 });
  expect(first.progress).toMatchObject({ completed: true, completionStatus: 'COMPLETED' });
  expect(first.enrollment).toMatchObject({ status: 'IN_PROGRESS', progressPercent: 33, completedAt: null });
  expect((await record(learner, video.activity.id, { progressMeasure: 0.8 })).progress).toMatchObject({ completed: false, progressMeasure: 0.8 });
  expect((await record(learner, video.activity.id, { progressMeasure: 0.5 })).progress).toMatchObject({ completed: false, progressMeasure: 0.8, completionStatus: 'INCOMPLETE' });
  await record(learner, optional.activity.id);
  const q = `query($id: ID!) { course(id: $id) { modules { progress { completed requiredCount completedCount } } } }`;
  expect((await gqlOk(t, q, { id: course.id }, learner)).course.modules).toEqual([
    { progress: { completed: false, requiredCount: 2, completedCount: 1 } }, { progress: { completed: false, requiredCount: 1, completedCount: 0 } },
  ]);
  await record(learner, course.activities[0][1]);
  const done = await record(learner, video.activity.id, { progressMeasure: 0.95, sessionSeconds: 280 });
  expect(done.enrollment).toMatchObject({ status: 'COMPLETED', progressPercent: 100 });
  expect(done.enrollment!.completedAt).not.toBeNull();
  const [attempt] = await t.owner.query(`SELECT number, status, completion_status, total_time_seconds FROM activity_attempt WHERE activity_id = (SELECT id FROM activity WHERE title->>'zh-CN' = '视频')`);
  expect(attempt).toEqual({ number: 1, status: 'FINISHED', completion_status: 'completed', total_time_seconds: 280 });
  const [progress] = await t.owner.query(`SELECT attempt_count, completed_at IS NOT NULL AS done FROM activity_progress p JOIN activity a ON a.id = p.activity_id WHERE a.title->>'zh-CN' = '视频'`);
  expect(progress).toEqual({ attempt_count: 1, done: true });
});

test('progress is refused when not enrolled, withdrawn, or for SCORM and assessment activities', async () => {
  const course = await buildCourse(t, admin, 'PROG-2', [1], { selfEnrollment: true });
  const other = await t.token(a.id, a.users.other.externalId);
  expect((await record(other, course.activities[0][0])).errors[0]).toMatchObject({ code: 'FORBIDDEN', message: '请先选修该课程' });
  const [enrollment] = await assign(t, admin, course.id, [a.users.other]);
  await mutateOk(t, admin, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: enrollment }, 'enrollment { id }');
  expect((await record(other, course.activities[0][0])).errors[0].code).toBe('FORBIDDEN');
  const quizCourse = await buildCourse(t, admin, 'PROG-3', [1], { publish: false, selfEnrollment: true });
  const quiz = await mutateOk<{ activity: { id: string } }>(t, admin, 'createActivity', 'CreateActivityInput',
    { moduleId: quizCourse.modules[0], kind: 'ASSESSMENT', title: { zhCN: '课程测验' } }, 'activity { id completion { kind } }');
  const unpublishable = await mutate(t, admin, 'publishCourse', 'CourseIdInput', { id: quizCourse.id }, 'course { id }');
  expect(unpublishable.errors[0]).toMatchObject({ code: 'INVALID', message: expect.stringContaining('课程测验 (no questions)') });
  await mutateOk(t, admin, 'setAssessment', 'SetAssessmentInput', { activityId: quiz.activity.id, assessment: gradedDocument() }, 'assessment { frozen }');
  await mutateOk(t, admin, 'publishCourse', 'CourseIdInput', { id: quizCourse.id }, 'course { id }');
  await mutateOk(t, other, 'selfEnroll', 'SelfEnrollInput', { courseId: quizCourse.id }, 'enrollment { id }');
  expect((await record(other, quiz.activity.id)).errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'activityId'] });
  const bLearner = await t.token(b.id, b.users.learner.externalId);
  const cross = await t.gql(`mutation { recordActivityProgress(input: { activityId: "${course.activities[0][0]}" }) { errors { code } } }`, {}, { token: bLearner });
  expect(cross.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

test("a learner's own cycles show their own progress: the open one as on the course, a past one its own", async () => {
  const course = await buildCourse(t, admin, 'PROG-4', [2]);
  const [first] = await assign(t, admin, course.id, [a.users.other]);
  const learner = await t.token(a.id, a.users.other.externalId);
  await record(learner, course.activities[0][0]);
  // Recertification's shape: the first cycle closed with its progress, a second one open without any.
  await t.owner.query(`UPDATE enrollment SET closed_at = now(), status = 'COMPLETED' WHERE id = $1`, [fromGlobalId(first).id]);
  await t.owner.query(`INSERT INTO enrollment (organization_id, id, user_id, course_id, revision_id, source, status, assigned_by, cycle)
    SELECT organization_id, gen_random_uuid(), user_id, course_id, revision_id, source, 'IN_PROGRESS', assigned_by, 2 FROM enrollment WHERE id = $1`, [fromGlobalId(first).id]);
  await record(learner, course.activities[0][1]);
  const progressOf = (modules: { activities: { progress: { completed: boolean } | null }[] }[]) => modules[0].activities.map((x) => x.progress?.completed ?? null);
  const sel = 'id modules { activities { progress { completed } } } }';
  type Content = { id: string; modules: [] };
  const data = await gqlOk<{ transcript: { enrollments: { cycle: number; course: Content; revision: Content }[] }; viewer: { enrollments: { nodes: { cycle: number; course: Content }[] } }; course: Content }>(t,
    `query($user: ID!, $course: ID!) { transcript(userId: $user) { enrollments { cycle course { ${sel} revision { ${sel} } }
      viewer { enrollments(first: 50) { nodes { cycle course { ${sel} } } } course(id: $course) { ${sel} }`,
    { user: userGid(a.users.other), course: course.id }, learner);
  const cycles = data.transcript.enrollments.filter((e) => e.course.id === course.id);
  expect(cycles.map((e) => [e.cycle, progressOf(e.course.modules), progressOf(e.revision.modules)])).toEqual([[1, [true, null], [true, null]], [2, [null, true], [null, true]]]);
  expect(progressOf(data.course.modules)).toEqual([null, true]);
  const open = data.viewer.enrollments.nodes.filter((n) => n.course.id === course.id);
  expect(open.map((n) => [n.cycle, progressOf(n.course.modules)])).toEqual([[2, [null, true]]]);
});

test('the learner catalog query uses a fixed number of SQL statements whatever the sizes, and matches the baseline SQL', async () => {
  await seedLearnerCatalog(t.owner, b.id, b.users.learner.id, { courses: 20, modules: 10, activities: 3 });
  const small = await seedOrg(t.owner, 'prog-small');
  await small.user('learner', [Role.LEARNER]);
  await seedLearnerCatalog(t.owner, small.id, small.users.learner.id, { courses: 2, modules: 2, activities: 3 });

  // Loaders resolve concurrently, yet a transaction's connection never gets a query while another runs.
  const token = await t.token(b.id, b.users.learner.externalId);
  const { overlapping, named, result: big } = await watchQueries(() =>
    t.gql<{ viewer: { enrollments: { nodes: { course: { modules: { activities: { progress: unknown }[] }[] } }[] } } }>(LEARNER_CATALOG_QUERY, {}, { token }));
  expect(overlapping).toEqual([]);
  // The loaders' fixed statements are prepared once per connection, not parsed and planned per request.
  expect(named.map((text) => /FROM "?(\w+)"? [tp]\b/.exec(text)?.[1] ?? /FROM (\w+) e\b/.exec(text)?.[1])).toEqual(
    expect.arrayContaining(['course', 'course_revision', 'course_module', 'activity', 'enrollment']));
  const tiny = await t.gql(LEARNER_CATALOG_QUERY, {}, { token: await t.token(small.id, small.users.learner.externalId) });
  expect(big.body.errors).toBeUndefined();
  const nodes = big.body.data!.viewer.enrollments.nodes;
  expect(nodes).toHaveLength(20);
  const activities = nodes.flatMap((n) => n.course.modules.flatMap((m) => m.activities));
  expect(activities).toHaveLength(600);
  expect(activities.filter((x) => x.progress !== null)).toHaveLength(400);
  // BEGIN with the tenant setting, caller, enrollments, courses, revisions, modules, activities, progress, COMMIT
  expect(big.statements).toBe(9);
  expect(tiny.statements).toBe(big.statements);

  const [baseline] = await tenantRead<{ data: unknown }>(t.ds, b.id, LEARNER_CATALOG_SQL, [b.id, b.users.learner.id]);
  expect(big.body.data).toEqual(baseline.data);
});

test('the catalog reads the columns it shows: progress in summary, activities without their details (which come, batched, when asked) and without what their module has', async () => {
  const course = await buildCourse(t, admin, 'PROG-5', [2, 1]);
  await assign(t, admin, course.id, [a.users.learner]);
  const learner = await t.token(a.id, a.users.learner.externalId);
  await record(learner, course.activities[0][0], { sessionSeconds: 42, progressMeasure: 0.5 });
  await record(learner, course.activities[1][0], { completed: true });
  const [stored] = await t.owner.query<{ created_at: Date; time_spent_seconds: number; updated_at: Date }[]>(
    `SELECT a.created_at, p.time_spent_seconds, p.updated_at FROM activity a JOIN activity_progress p ON p.activity_id = a.id WHERE a.id = $1`,
    [fromGlobalId(course.activities[0][0]).id]);
  type Listed = { viewer: { enrollments: { nodes: { course: { id: string; modules: { activities: Record<string, any>[] }[] } }[] } } };
  const firstOf = (data: Listed) => data.viewer.enrollments.nodes.find((n) => n.course.id === course.id)!.course.modules[0].activities[0];
  const listing = (fields: string, fragments = '') => `{ viewer { enrollments(first: 50) { nodes { course { id modules { activities { ${fields} } } } } } } }${fragments}`;
  const select = (sent: string[], from: RegExp) => sent.filter((text) => from.test(text)).map((text) => text.slice(0, text.indexOf(' FROM ')));

  // The dashboard's fields: the summary columns of progress, no activity details, no statement for them.
  const summary = await watchQueries(() => t.gql<Listed>(listing('id kind title required progress { completionStatus completed progressMeasure attemptCount }'), {}, { token: learner }));
  expect(summary.result.body.errors).toBeUndefined();
  expect(firstOf(summary.result.body.data!).progress).toEqual({ completionStatus: 'COMPLETED', completed: true, progressMeasure: 1, attemptCount: 1 });
  const [progressColumns] = select(summary.sent, /JOIN activity_progress p/);
  expect(progressColumns).toContain('"completionStatus"');
  expect(progressColumns).not.toMatch(/timeSpentSeconds|updatedAt|scoreRaw|completedAt/);
  const [activityColumns] = select(summary.sent, /FROM "activity" t/);
  expect(activityColumns).toContain('"required"');
  expect(activityColumns).not.toMatch(/content|createdAt|completionKind|completionThreshold|courseId|revisionId/);

  // Beyond the summary (a fragment's fields count too): every column of progress, and the details in one more statement for all activities.
  const full = await t.gql<Listed>(listing('createdAt completion { kind threshold } page { html } progress { ...P }', ' fragment P on ActivityProgress { completed timeSpentSeconds updatedAt }'), {}, { token: learner });
  expect(full.body.errors).toBeUndefined();
  expect(firstOf(full.body.data!)).toEqual({
    createdAt: stored.created_at.toISOString(), completion: { kind: 'VIEWED', threshold: null }, page: { html: '<p>第1节</p>' },
    progress: { completed: true, timeSpentSeconds: stored.time_spent_seconds, updatedAt: stored.updated_at.toISOString() },
  });
  expect(stored.time_spent_seconds).toBe(42);
  expect(full.statements).toBe(summary.result.statements + 1);

  // Both in one request: each answer complete, the summary served from every column.
  const both = await t.gql<Listed & { course: { modules: { progress: { completedCount: number }; activities: Record<string, any>[] }[] } }>(
    `query($id: ID!) { course(id: $id) { modules { progress { completedCount } activities { progress { timeSpentSeconds } } } }
      viewer { enrollments(first: 50) { nodes { course { id modules { activities { progress { completed } } } } } } } }`, { id: course.id }, { token: learner });
  expect(both.body.errors).toBeUndefined();
  expect(both.body.data!.course.modules.map((m) => [m.progress.completedCount, m.activities[0].progress?.timeSpentSeconds])).toEqual([[1, 42], [1, expect.any(Number)]]);
  expect(firstOf(both.body.data!).progress).toEqual({ completed: true });
});

test('the catalog listing (courses → modules → activities → progress) is batched too', async () => {
  const q = `{ courses(first: 50) { nodes { code title modules { title activities { title progress { completed } } } } } }`;
  const big = await t.gql(q, {}, { token: await t.token(b.id, b.users.learner.externalId) });
  const small = await t.gql(q, {}, { token: await t.token(a.id, a.users.learner.externalId) });
  expect(big.body.errors).toBeUndefined();
  expect((big.body.data as { courses: { nodes: unknown[] } }).courses.nodes).toHaveLength(20);
  // BEGIN with the tenant setting, caller, courses, viewer enrollments, modules, activities, progress, COMMIT
  expect(big.statements).toBe(8);
  expect(small.statements).toBe(big.statements);
});
