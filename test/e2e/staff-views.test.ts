import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg, type SeededUser } from '../support/seed';
import { assign, buildCourse, gqlOk, userGid, type BuiltCourse } from '../support/catalog';
import { assessmentCourse, gradedDocument, startAttempt, submitAttempt } from '../support/assessment';
import { completePages, rawId } from '../support/certification';

/**
 * Staff views (issue 10): progress through an enrollment is its learner's, the transcript, the
 * enrollment filters and courseStatistics, with the permission matrix and statement counts.
 */
let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
const tokens: Record<string, string> = {};
let course: BuiltCourse;
let quiz: { courseId: string; activityId: string };
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'staff-a');
  b = await seedOrg(t.owner, 'staff-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('hr', [Role.HR]);
  await a.user('manager', [Role.MANAGER], { orgUnitPath: '华东/杭州' });
  await a.user('learner', [Role.LEARNER], { orgUnitPath: '华东/杭州/萧山' });
  await a.user('report', [Role.LEARNER], { orgUnitPath: '华南', managerKey: 'manager' });
  await a.user('outsider', [Role.LEARNER], { orgUnitPath: '华北' });
  await b.user('admin', [Role.ORG_ADMIN]);
  for (const [key, org] of [['admin', a], ['hr', a], ['manager', a], ['learner', a], ['report', a], ['outsider', a]] as const) tokens[key] = await t.token(org.id, org.users[key].externalId);
  tokens.bAdmin = await t.token(b.id, b.users.admin.externalId);

  course = await buildCourse(t, tokens.admin, 'SV-1', [2, 1]);
  await assign(t, tokens.admin, course.id, [a.users.learner, a.users.report]);
  await assign(t, tokens.admin, course.id, [a.users.outsider], new Date(Date.now() - DAY));
  await completePages(t, tokens.learner, course.activities.flat());
  await gqlOk(t, `mutation($i: RecordActivityProgressInput!) { recordActivityProgress(input: $i) { errors { code } } }`,
    { i: { activityId: course.activities[0][0], completed: true, sessionSeconds: 42 } }, tokens.report);
  // The learner's completed cycle carries a certificate that ends in 20 days.
  await t.owner.query(`INSERT INTO certificate (organization_id, id, number, verification_code, status_list_index, user_id, course_id, revision_id,
      enrollment_id, cycle, holder_name, course_title, issued_at, valid_from, valid_until, issued_by)
    SELECT e.organization_id, gen_random_uuid(), 'SV-2026-000001', 'ABCDEFGHIJKLMNOPQRST', 1, e.user_id, e.course_id, e.revision_id,
      e.id, e.cycle, 'learner', '{"zh-CN": "课程"}', now(), now(), now() + interval '20 days', 'test'
      FROM enrollment e WHERE e.organization_id = $1 AND e.user_id = $2`, [a.id, a.users.learner.id]);

  // An assessment whose review policy shows the learner nothing, attempted once.
  quiz = await assessmentCourse(t, tokens.admin, 'SV-Q', gradedDocument({ reviewPolicy: { show: 'NOTHING', when: 'IMMEDIATELY' } }), [a.users.learner]);
  const started = await startAttempt(t, tokens.learner, quiz.activityId);
  await submitAttempt(t, tokens.learner, started.attempt!.id);
});
afterAll(() => t.close());

const THROUGH_ENROLLMENT = `query($filter: EnrollmentFilter) { enrollments(first: 50, filter: $filter) { nodes {
  user { externalId } course { code modules { progress { completedCount } activities { progress { completed timeSpentSeconds } } } }
  revision { modules { activities { progress { completed } } } } } } }`;

test('progress reached through an enrollment is its learner\'s; Activity.progress elsewhere is the viewer\'s', async () => {
  const data = await gqlOk(t, THROUGH_ENROLLMENT, { filter: { courseId: course.id } }, tokens.hr);
  const byUser = Object.fromEntries(data.enrollments.nodes.map((n: any) => [n.user.externalId, n]));
  const learner = byUser['staff-a-learner'];
  expect(learner.course.modules.map((m: any) => m.progress.completedCount)).toEqual([2, 1]);
  expect(learner.course.modules.flatMap((m: any) => m.activities.map((x: any) => x.progress?.completed))).toEqual([true, true, true]);
  expect(learner.revision.modules.flatMap((m: any) => m.activities.map((x: any) => x.progress?.completed))).toEqual([true, true, true]);
  const report = byUser['staff-a-report'];
  expect(report.course.modules[0].activities[0].progress).toEqual({ completed: true, timeSpentSeconds: 42 });
  expect(report.course.modules[0].activities[1].progress).toBeNull();
  expect(byUser['staff-a-outsider'].course.modules[0].activities[0].progress).toBeNull();
  // Outside an enrollment the same field is the viewer's (HR is not enrolled).
  const own = await gqlOk(t, `query($id: ID!) { course(id: $id) { modules { activities { progress { completed } } } } }`, { id: course.id }, tokens.hr);
  expect(own.course.modules[0].activities[0].progress).toBeNull();
});

const TRANSCRIPT = `query($id: ID!) { transcript(userId: $id) { user { externalId } certificates { number status }
  enrollments { cycle status course { code } certificate { number validUntil }
    activityProgress { completionStatus successStatus scoreScaled attemptCount timeSpentSeconds lastActivityAt completed activity { id progress { completed } } }
    assessmentAttempts { number status submittedAt result { percent passed } activity { id } } } } }`;

test('the transcript: every cycle, per-activity progress, graded attempts and certificates; the learner keeps the review policy\'s hiding', async () => {
  const hr = (await gqlOk(t, TRANSCRIPT, { id: userGid(a.users.learner) }, tokens.hr)).transcript;
  expect(hr.user.externalId).toBe('staff-a-learner');
  expect(hr.certificates).toEqual([{ number: 'SV-2026-000001', status: 'ACTIVE' }]);
  const [pages, assessment] = hr.enrollments;
  expect(pages).toMatchObject({ cycle: 1, status: 'COMPLETED', course: { code: 'SV-1' }, certificate: { number: 'SV-2026-000001' } });
  expect(pages.activityProgress).toHaveLength(3);
  expect(pages.activityProgress[0]).toMatchObject({ completionStatus: 'COMPLETED', attemptCount: 1, completed: true, activity: { progress: { completed: true } } });
  expect(new Date(pages.activityProgress[0].lastActivityAt).getTime()).toBeGreaterThan(Date.now() - 600_000);
  expect(assessment.course.code).toBe('SV-Q');
  expect(assessment.assessmentAttempts).toEqual([{ number: 1, status: 'SUBMITTED', submittedAt: expect.any(String), result: { percent: 0, passed: false }, activity: { id: quiz.activityId } }]);
  expect(assessment.activityProgress[0]).toMatchObject({ successStatus: 'FAILED', scoreScaled: 0 });

  const own = (await gqlOk(t, TRANSCRIPT, { id: userGid(a.users.learner) }, tokens.learner)).transcript;
  expect(own.enrollments[1].assessmentAttempts[0].result).toBeNull();
  expect(own.enrollments[1].activityProgress[0]).toMatchObject({ successStatus: 'UNKNOWN', scoreScaled: null });
  expect(own.enrollments[0]).toEqual(hr.enrollments[0]);
});

const transcriptCode = async (viewer: string, user: SeededUser | string): Promise<string> => {
  const res = await t.gql(`query($id: ID!) { transcript(userId: $id) { user { externalId } } }`, { id: typeof user === 'string' ? user : userGid(user) }, { token: tokens[viewer] });
  return res.body.errors?.[0]?.extensions?.code ?? 'OK';
};

test('who reads a transcript: learners themselves, managers their subtree and direct reports, HR and admins anyone, no other tenant', async () => {
  const u = a.users;
  const matrix = {
    learner: [await transcriptCode('learner', u.learner), await transcriptCode('learner', u.report)],
    manager: [await transcriptCode('manager', u.learner), await transcriptCode('manager', u.report), await transcriptCode('manager', u.outsider)],
    hr: [await transcriptCode('hr', u.outsider), await transcriptCode('admin', u.outsider)],
    bAdmin: [await transcriptCode('bAdmin', u.learner)],
  };
  expect(matrix).toEqual({ learner: ['OK', 'NOT_FOUND'], manager: ['OK', 'OK', 'NOT_FOUND'], hr: ['OK', 'OK'], bAdmin: ['NOT_FOUND'] });
  // Through users: the manager sees transcripts of their team only; a key that only reads users gets none.
  const listed = await gqlOk(t, `{ users(first: 50) { nodes { externalId transcript { enrollments { cycle } } } } }`, {}, tokens.manager);
  expect(listed.users.nodes.map((n: any) => n.externalId).sort()).toEqual(['staff-a-learner', 'staff-a-manager', 'staff-a-report']);
  expect(listed.users.nodes.every((n: any) => n.transcript !== null)).toBe(true);
});

const idsOf = async (token: string, filter: Record<string, unknown>): Promise<string[]> => {
  const res = await gqlOk(t, `query($f: EnrollmentFilter) { enrollments(first: 50, filter: $f) { nodes { user { externalId } } } }`, { f: filter }, token);
  return res.enrollments.nodes.map((n: any) => n.user.externalId.replace('staff-a-', '')).sort();
};

test('enrollments filter by org unit subtree, course, status and due range; managers stay within their team', async () => {
  expect(await idsOf(tokens.hr, { courseId: course.id, orgUnitPath: '华东' })).toEqual(['learner']);
  expect(await idsOf(tokens.hr, { courseId: course.id, orgUnitPath: '华东/杭' })).toEqual([]);
  expect(await idsOf(tokens.hr, { courseId: course.id, status: 'OVERDUE' })).toEqual(['outsider']);
  expect(await idsOf(tokens.hr, { courseId: course.id, dueBefore: new Date().toISOString() })).toEqual(['outsider']);
  expect(await idsOf(tokens.hr, { courseId: course.id, dueAfter: new Date().toISOString() })).toEqual([]);
  expect(await idsOf(tokens.manager, { courseId: course.id })).toEqual(['learner', 'report']);
  expect(await idsOf(tokens.manager, { courseId: course.id, orgUnitPath: '华北' })).toEqual([]);
  const inverted = await t.gql(`query($f: EnrollmentFilter) { enrollments(filter: $f) { nodes { id } } }`,
    { f: { dueAfter: '2030-01-02T00:00:00Z', dueBefore: '2030-01-01T00:00:00Z' } }, { token: tokens.hr });
  expect(inverted.body.errors?.[0]).toMatchObject({ message: 'dueAfter 晚于 dueBefore', extensions: { code: 'BAD_USER_INPUT' } });
  const long = await t.gql(`query($f: EnrollmentFilter) { enrollments(filter: $f) { nodes { id } } }`, { f: { orgUnitPath: 'x'.repeat(501) } }, { token: tokens.hr });
  expect(long.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

const STATISTICS = `query($id: ID!, $unit: String) { courseStatistics(courseId: $id, orgUnitPath: $unit) { course { code } orgUnitPath enrolled notStarted inProgress
  completed overdue certified expiringWithin30Days averageScore medianSecondsToComplete } }`;

test('courseStatistics counts open cycles by the status rules, certificates by their status, per subtree and team', async () => {
  const all = (await gqlOk(t, STATISTICS, { id: course.id }, tokens.hr)).courseStatistics;
  expect(all).toMatchObject({ course: { code: 'SV-1' }, orgUnitPath: null, enrolled: 3, notStarted: 0, inProgress: 1, completed: 1, overdue: 1, certified: 1, expiringWithin30Days: 1, averageScore: null });
  expect(all.medianSecondsToComplete).toBeGreaterThanOrEqual(0);
  expect((await gqlOk(t, STATISTICS, { id: course.id, unit: '华南' }, tokens.hr)).courseStatistics).toMatchObject({ orgUnitPath: '华南', enrolled: 1, inProgress: 1, certified: 0 });
  expect((await gqlOk(t, STATISTICS, { id: course.id }, tokens.manager)).courseStatistics).toMatchObject({ enrolled: 2, overdue: 0, completed: 1, inProgress: 1 });
  expect((await gqlOk(t, STATISTICS, { id: quiz.courseId }, tokens.admin)).courseStatistics).toMatchObject({ enrolled: 1, inProgress: 1, averageScore: 0 });
  const codes = async (token: string, id = course.id) => (await t.gql(STATISTICS, { id }, { token })).body.errors?.[0]?.extensions?.code;
  expect([await codes(tokens.learner), await codes(tokens.bAdmin)]).toEqual(['FORBIDDEN', 'NOT_FOUND']);
});

/** Adds `n` learners under 大区 with an enrollment (alternately started) on the course, and progress on its first activity. */
async function addLearners(org: SeededOrg, courseId: string, n: number): Promise<void> {
  await t.owner.query(
    `WITH u AS (INSERT INTO app_user (organization_id, id, external_id, name, org_unit_path, roles)
       SELECT $1, gen_random_uuid(), 'bulk-' || $2 || '-' || i, 'bulk ' || i, '大区/' || (i % 7), '{LEARNER}' FROM generate_series(1, $3) i RETURNING id),
     e AS (INSERT INTO enrollment (organization_id, id, user_id, course_id, source, status, assigned_by, due_at)
       SELECT $1, gen_random_uuid(), u.id, $2::uuid, 'ADMIN', 'IN_PROGRESS', 'test', now() + interval '3 days' FROM u RETURNING id)
     INSERT INTO activity_progress (organization_id, id, enrollment_id, activity_key, activity_id, completion_status, score_scaled, completed)
       SELECT $1, gen_random_uuid(), e.id, act.key, act.id, 'completed', 0.5, true FROM e,
         (SELECT a.key, a.id FROM activity a JOIN course c ON c.published_revision_id = a.revision_id WHERE c.id = $2::uuid ORDER BY a.position LIMIT 1) act`,
    [org.id, courseId, n]);
}

test('courseStatistics and the transcript answer in a fixed number of statements whatever the size', async () => {
  const small = await seedOrg(t.owner, 'staff-small');
  const big = await seedOrg(t.owner, 'staff-big');
  const sizes: Record<string, { stats: number; transcript: number; list: number }> = {};
  for (const [org, n, courses] of [[small, 2, 1], [big, 300, 4]] as const) {
    const hr = await t.token(org.id, (await org.user('admin', [Role.ORG_ADMIN])).externalId);
    const learner = await org.user('learner', [Role.LEARNER], { orgUnitPath: '大区/1' });
    const built = [];
    for (let i = 0; i < courses; i++) built.push(await buildCourse(t, hr, `N-${i}`, [2, 1 + i]));
    for (const c of built) {
      await addLearners(org, rawId(c.id), n);
      await assign(t, hr, c.id, [learner]);
    }
    const statistics = await t.gql(STATISTICS, { id: built[0].id, unit: '大区' }, { token: hr });
    expect(statistics.body.data).toMatchObject({ courseStatistics: { enrolled: n + 1, inProgress: n, notStarted: 1, averageScore: 50 } });
    const transcript = await t.gql(TRANSCRIPT, { id: userGid(learner) }, { token: hr });
    expect((transcript.body.data as any).transcript.enrollments).toHaveLength(courses);
    const list = await t.gql(THROUGH_ENROLLMENT, {}, { token: hr });
    expect((list.body.data as any).enrollments.nodes).toHaveLength(Math.min(50, (n + 1) * courses));
    sizes[org.slug] = { stats: statistics.statements, transcript: transcript.statements, list: list.statements };
  }
  expect(sizes['staff-big']).toEqual(sizes['staff-small']);
  // BEGIN with the tenant setting, caller, course, the numbers, COMMIT
  expect(sizes['staff-big'].stats).toBe(5);
});
