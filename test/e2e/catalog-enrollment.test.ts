import { Role } from '../../src/shared/permissions';
import { fromGlobalId } from '../../src/shared/ids';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { assign, buildCourse, gqlOk, mutate, mutateOk, userGid, type BuiltCourse } from '../support/catalog';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let admin: string;
let published: BuiltCourse;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'enrol-a');
  b = await seedOrg(t.owner, 'enrol-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('hr', [Role.HR]);
  await a.user('clerk1', [Role.LEARNER], { orgUnitPath: '杭州/萧山', jobTitle: '营业员' });
  await a.user('clerk2', [Role.LEARNER], { orgUnitPath: '杭州/萧山/营业厅/一组', jobTitle: '营业员' });
  await a.user('operator', [Role.LEARNER], { orgUnitPath: '杭州/滨江', jobTitle: '话务员' });
  await a.user('neighbour', [Role.LEARNER], { orgUnitPath: '杭州/萧山区', jobTitle: '话务员' });
  await a.user('gone', [Role.LEARNER], { orgUnitPath: '杭州/萧山', jobTitle: '营业员' });
  await t.owner.query(`UPDATE app_user SET status = 'DEACTIVATED' WHERE id = $1`, [a.users.gone.id]);
  await b.user('admin', [Role.ORG_ADMIN]);
  await b.user('learner', [Role.LEARNER]);
  admin = await t.token(a.id, a.users.admin.externalId);
  published = await buildCourse(t, admin, 'ENROL-1', [1]);
});
afterAll(async () => {
  await t.close();
});

const as = (org: SeededOrg, key: string): Promise<string> => t.token(org.id, org.users[key].externalId);
const enrolledKeys = async (courseId: string): Promise<string[]> => {
  const data = await gqlOk(t, `query($c: ID!) { enrollments(first: 100, filter: { courseId: $c }) { nodes { user { externalId } } } }`, { c: courseId }, admin);
  return data.enrollments.nodes.map((n: { user: { externalId: string } }) => n.user.externalId.replace('enrol-a-', '')).sort();
};
const assignInput = (courseId: string, extra: Record<string, unknown>) => ({ courseId, dueAt: new Date(Date.now() + 30 * DAY).toISOString(), ...extra });

test('assigning users, an org unit subtree or a job title, with a due date; assigning twice does not enroll twice', async () => {
  const course = await buildCourse(t, admin, 'ENROL-RULES', [1]);
  const first = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', assignInput(course.id, { userIds: [userGid(a.users.operator)] }), 'createdCount enrollments { source dueAt }');
  expect(first).toMatchObject({ createdCount: 1, enrollments: [{ source: 'ADMIN' }] });
  const bySubtree = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', assignInput(course.id, { orgUnitPath: ' 杭州 / 萧山 ' }), 'createdCount');
  expect(bySubtree.createdCount).toBe(2);
  expect(await enrolledKeys(course.id)).toEqual(['clerk1', 'clerk2', 'operator']);
  const byTitle = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', assignInput(course.id, { jobTitle: '话务员' }), 'createdCount enrollments { id }');
  expect(byTitle).toMatchObject({ createdCount: 1 });
  expect(byTitle.enrollments).toHaveLength(2);
  expect(await enrolledKeys(course.id)).toEqual(['clerk1', 'clerk2', 'neighbour', 'operator']);

  const due = new Date(Date.now() + 60 * DAY);
  const again = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, userIds: [userGid(a.users.operator)], dueAt: due.toISOString(), moveDueDates: true }, 'createdCount enrollments { dueAt source }');
  expect(again).toMatchObject({ createdCount: 0, enrollments: [{ dueAt: due.toISOString(), source: 'ADMIN' }] });
  const [row] = await t.owner.query(`SELECT count(*)::int AS n FROM enrollment WHERE user_id = $1`, [a.users.operator.id]);
  expect(row.n).toBe(1);
  const both = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: published.id, orgUnitPath: '杭州/萧山', jobTitle: '营业员' }, 'createdCount');
  expect(both.createdCount).toBe(2);
});

test('deactivated users are skipped by rules and refused by name; drafts cannot be assigned', async () => {
  const res = await mutate(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: published.id, userIds: [userGid(a.users.gone)] }, 'createdCount');
  expect(res.errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'userIds', '0'] });
  const draft = await buildCourse(t, admin, 'ENROL-DRAFT', [1], { publish: false });
  const refused = await mutate(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: draft.id, userIds: [userGid(a.users.clerk1)] }, 'createdCount');
  expect(refused.errors[0]).toMatchObject({ code: 'NOT_PUBLISHED', path: ['input', 'courseId'] });
  const none = await mutate(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: published.id }, 'createdCount');
  expect(none.errors[0].code).toBe('INVALID');
});

test('a batch whose third user is invalid writes nothing (no enrollments, no audit entries)', async () => {
  const course = await buildCourse(t, admin, 'ENROL-ATOMIC', [1]);
  const res = await mutate(t, admin, 'assignCourse', 'AssignCourseInput',
    { courseId: course.id, userIds: [userGid(a.users.clerk1), userGid(a.users.clerk2), userGid(b.users.learner)] }, 'createdCount enrollments { id }');
  expect(res).toMatchObject({ createdCount: null, enrollments: null });
  expect(res.errors).toEqual([{ code: 'NOT_FOUND', message: '用户不存在', path: ['input', 'userIds', '2'] }]);
  expect(await enrolledKeys(course.id)).toEqual([]);
  const [audit] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action LIKE 'enrollment.%' AND after->>'courseId' = (SELECT id::text FROM course WHERE code = 'ENROL-ATOMIC')`);
  expect(audit.n).toBe(0);
});

test('a mutation that fails half-way, after writing enrollments, leaves none of them behind', async () => {
  const course = await buildCourse(t, admin, 'ENROL-HALF', [1]);
  await t.owner.query(`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$`);
  await t.owner.query(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_event FOR EACH ROW WHEN (NEW.action = 'enrollment.assign') EXECUTE FUNCTION fail_audit()`);
  try {
    const res = await t.gql(`mutation M($input: AssignCourseInput!) { assignCourse(input: $input) { createdCount } }`,
      { input: { courseId: course.id, orgUnitPath: '杭州' } }, { token: admin });
    expect(res.body.errors?.[0]).toMatchObject({ message: '服务器内部错误', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  } finally {
    await t.owner.query('DROP TRIGGER fail_audit ON audit_event; DROP FUNCTION fail_audit()');
  }
  expect(await enrolledKeys(course.id)).toEqual([]);
  expect(await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: '杭州' }, 'createdCount')).toMatchObject({ createdCount: 4 });
});

test('self-enrollment where the course allows it; refused otherwise; withdraw and re-assign', async () => {
  const open = await buildCourse(t, admin, 'ENROL-OPEN', [1], { selfEnrollment: true });
  const closed = await buildCourse(t, admin, 'ENROL-CLOSED', [1]);
  const learner = await as(a, 'operator');
  const self = await mutateOk(t, learner, 'selfEnroll', 'SelfEnrollInput', { courseId: open.id }, 'enrollment { id status source }');
  expect(self.enrollment).toMatchObject({ status: 'NOT_STARTED', source: 'SELF' });
  const twice = await mutateOk(t, learner, 'selfEnroll', 'SelfEnrollInput', { courseId: open.id }, 'enrollment { id }');
  expect(twice.enrollment.id).toBe(self.enrollment.id);
  const hidden = await t.gql(`mutation { selfEnroll(input: { courseId: "${closed.id}" }) { errors { code } } }`, {}, { token: learner });
  expect(hidden.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const refused = await mutate(t, admin, 'selfEnroll', 'SelfEnrollInput', { courseId: closed.id }, 'enrollment { id }');
  expect(refused.errors[0]).toMatchObject({ code: 'FORBIDDEN', message: '该课程不允许自行选课' });

  const withdrawn = await mutateOk(t, learner, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: self.enrollment.id }, 'enrollment { status withdrawnAt }');
  expect(withdrawn.enrollment.status).toBe('WITHDRAWN');
  const [assigned] = await assign(t, admin, closed.id, [a.users.operator]);
  const own = await mutate(t, learner, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: assigned }, 'enrollment { id }');
  expect(own.errors[0].code).toBe('FORBIDDEN');
  await mutateOk(t, admin, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: assigned }, 'enrollment { id }');
  const visible = async () => (await gqlOk(t, '{ courses(first: 50) { nodes { code } } }', {}, learner)).courses.nodes.map((c: { code: string }) => c.code);
  expect(await visible()).not.toContain('ENROL-CLOSED');
  const back = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: closed.id, userIds: [userGid(a.users.operator)] }, 'createdCount enrollments { id status }');
  expect(back).toMatchObject({ createdCount: 0, enrollments: [{ id: assigned, status: 'NOT_STARTED' }] });
  expect(await visible()).toContain('ENROL-CLOSED');
});

test('OVERDUE is derived from the due date and filterable', async () => {
  const course = await buildCourse(t, admin, 'ENROL-LATE', [1]);
  await assign(t, admin, course.id, [a.users.clerk1], new Date(Date.now() - DAY));
  await assign(t, admin, course.id, [a.users.clerk2], new Date(Date.now() + DAY));
  const mine = await gqlOk(t, '{ viewer { enrollments(status: OVERDUE) { nodes { status course { code } } } } }', {}, await as(a, 'clerk1'));
  expect(mine.viewer.enrollments.nodes).toEqual([{ status: 'OVERDUE', course: { code: 'ENROL-LATE' } }]);
  const hr = await as(a, 'hr');
  const q = `query($c: ID!, $s: EnrollmentStatus) { enrollments(filter: { courseId: $c, status: $s }) { nodes { status user { externalId } } } }`;
  expect((await gqlOk(t, q, { c: course.id, s: 'OVERDUE' }, hr)).enrollments.nodes).toEqual([{ status: 'OVERDUE', user: { externalId: 'enrol-a-clerk1' } }]);
  expect((await gqlOk(t, q, { c: course.id, s: 'NOT_STARTED' }, hr)).enrollments.nodes).toEqual([{ status: 'NOT_STARTED', user: { externalId: 'enrol-a-clerk2' } }]);
});

test('learners see published courses they are enrolled in or may enroll in; never drafts or unassigned private courses', async () => {
  await buildCourse(t, admin, 'VIS-DRAFT-OPEN', [1], { publish: false, selfEnrollment: true });
  await buildCourse(t, admin, 'VIS-OPEN', [1], { selfEnrollment: true, tags: ['服务'] });
  const privateCourse = await buildCourse(t, admin, 'VIS-PRIVATE', [1]);
  const archived = await buildCourse(t, admin, 'VIS-ARCHIVED', [1]);
  await assign(t, admin, archived.id, [a.users.neighbour]);
  await mutateOk(t, admin, 'archiveCourse', 'CourseIdInput', { id: archived.id }, 'course { id }');
  const learner = await as(a, 'neighbour');
  const codes = (await gqlOk(t, '{ courses(first: 100, filter: { search: "vis" }) { nodes { code status } } }', {}, learner)).courses.nodes;
  expect(codes).toEqual([{ code: 'VIS-OPEN', status: 'PUBLISHED' }]);
  for (const id of [privateCourse.id]) {
    const res = await t.gql(`{ course(id: "${id}") { id } }`, {}, { token: learner });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }
  const tagged = await gqlOk(t, '{ courses(filter: { tag: "服务" }) { nodes { code } } }', {}, learner);
  expect(tagged.courses.nodes).toEqual([{ code: 'VIS-OPEN' }]);
  const mine = await gqlOk(t, '{ viewer { enrollments { nodes { course { code status } } } } }', {}, learner);
  expect(mine.viewer.enrollments.nodes).toContainEqual({ course: { code: 'VIS-ARCHIVED', status: 'ARCHIVED' } });
  const drafts = await gqlOk(t, '{ courses(first: 100, filter: { status: DRAFT }) { nodes { code } } }', {}, learner);
  expect(drafts.courses.nodes).toEqual([]);
});

test("tenant B cannot assign, read or withdraw tenant A's enrollments", async () => {
  const bAdmin = await as(b, 'admin');
  const [enrollmentId] = await assign(t, admin, published.id, [a.users.operator]);
  const assignRes = await t.gql(`mutation { assignCourse(input: { courseId: "${published.id}", userIds: ["${userGid(b.users.learner)}"] }) { errors { code } } }`, {}, { token: bAdmin });
  expect(assignRes.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  for (const query of [`{ node(id: "${enrollmentId}") { id } }`, `mutation { withdrawEnrollment(input: { id: "${enrollmentId}" }) { errors { code } } }`]) {
    expect((await t.gql(query, {}, { token: bAdmin })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }
  expect((await gqlOk(t, '{ enrollments { nodes { id } } }', {}, bAdmin)).enrollments.nodes).toEqual([]);
  const learnerAssign = await t.gql(`mutation { assignCourse(input: { courseId: "${published.id}", jobTitle: "x" }) { errors { code } } }`, {}, { token: await as(a, 'clerk1') });
  expect(learnerAssign.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test("a learner's own enrollments page by cursor: due soonest first, no due date last, status filters and totals, never a closed cycle", async () => {
  await a.user('pager', [Role.LEARNER]);
  const learner = a.users.pager;
  const due = { P1: 3 * DAY, P2: -DAY, P3: undefined, P4: DAY, P5: 2 * DAY, P6: DAY / 2 } as const;
  const ids: Record<string, string> = {};
  for (const [code, offset] of Object.entries(due)) {
    const course = await buildCourse(t, admin, `PAGE-${code}`, [1]);
    [ids[code]] = await assign(t, admin, course.id, [learner], offset === undefined ? undefined : new Date(Date.now() + offset));
  }
  const raw = (code: string) => fromGlobalId(ids[code]).id;
  await t.owner.query(`UPDATE enrollment SET status = 'COMPLETED', completed_at = now(), progress_percent = 100 WHERE id = $1`, [raw('P5')]);
  await t.owner.query(`UPDATE enrollment SET closed_at = now() WHERE id = $1`, [raw('P6')]);
  const token = await as(a, 'pager');
  const q = `query($after: String, $s: EnrollmentStatus) { viewer { enrollments(first: 2, after: $after, status: $s) {
    nodes { course { code } status } edges { cursor } pageInfo { hasNextPage endCursor } totalCount } } }`;
  const all = async (s?: string) => {
    const codes: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: { nodes: { course: { code: string } }[]; edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } =
        (await gqlOk(t, q, { after, s }, token)).viewer.enrollments;
      codes.push(...page.nodes.map((n) => n.course.code.replace('PAGE-', '')));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) return { codes, total: page.totalCount };
      after = page.pageInfo.endCursor;
    }
    throw new Error('pages without end');
  };
  expect(await all()).toEqual({ codes: ['P2', 'P4', 'P5', 'P1', 'P3'], total: 5 });
  expect(await all('OVERDUE')).toEqual({ codes: ['P2'], total: 1 });
  expect(await all('NOT_STARTED')).toEqual({ codes: ['P4', 'P1', 'P3'], total: 3 });
  expect(await all('COMPLETED')).toEqual({ codes: ['P5'], total: 1 });
  for (const args of ['after: "bm90IGEgY3Vyc29y"', 'first: 0']) {
    const res = await t.gql(`{ viewer { enrollments(${args}) { nodes { id } } } }`, {}, { token });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  }
});
