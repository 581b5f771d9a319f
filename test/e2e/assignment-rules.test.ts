import pino from 'pino';
import { runQueuedJobs } from '../../src/jobs/worker';
import { resolveCaller } from '../../src/modules/user/caller';
import { fromGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { buildCourse, gqlOk, mutate, mutateOk, userGid, type BuiltCourse } from '../support/catalog';

/**
 * Assigning by org unit or job title is a standing rule (issue 14 item 8): users provisioned or
 * moved into it later are enrolled by the worker, re-assigning moves no due date unless asked
 * (and never a completed one's), past due dates and unknown units are refused.
 */
let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let admin: string;
let bAdmin: string;
const DAY = 86_400_000;
const HALL = '杭州/萧山分公司/营业厅';
const log = pino({ level: 'silent' });

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'rule-a');
  b = await seedOrg(t.owner, 'rule-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('clerk', [Role.LEARNER], { orgUnitPath: `${HALL}/一组`, jobTitle: '营业员' });
  await a.user('operator', [Role.LEARNER], { orgUnitPath: '杭州/萧山分公司/客服热线', jobTitle: '话务员' });
  await b.user('admin', [Role.ORG_ADMIN]);
  await b.user('clerk', [Role.LEARNER], { orgUnitPath: HALL, jobTitle: '营业员' });
  await b.user('only', [Role.LEARNER], { orgUnitPath: '仅在乙方' });
  admin = await t.token(a.id, a.users.admin.externalId);
  bAdmin = await t.token(b.id, b.users.admin.externalId);
});
afterAll(() => t.close());

const runJobs = () => runQueuedJobs({ dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller }, log, t.db.ownerUrl);
const ASSIGNED = 'createdCount alreadyEnrolledCount skippedCompletedCount dueDatesMovedCount rule { id orgUnitPath jobTitle dueAt dueInDays active } enrollments { id dueAt }';

interface UserRow { externalId: string; orgUnitPath?: string; jobTitle?: string; status?: string }
const provision = (token: string, users: UserRow[]) =>
  t.gql<{ upsertUsers: { errors: unknown[] } }>(`mutation($i: UpsertUsersInput!) { upsertUsers(input: $i) { errors { code } } }`,
    { i: { users: users.map((u) => ({ name: u.externalId, ...u })) } }, { token });

/** The open enrollment of the user (by external id) in the course, as the owner sees it. */
async function enrollmentOf(course: BuiltCourse, externalId: string): Promise<{ source: string; status: string; due_at: Date | null; assigned_by: string; assigned_at: Date } | undefined> {
  const rows = await t.owner.query(
    `SELECT e.source, e.status, e.due_at, e.assigned_by, e.assigned_at FROM enrollment e JOIN app_user u ON u.organization_id = e.organization_id AND u.id = e.user_id
      JOIN course c ON c.organization_id = e.organization_id AND c.id = e.course_id
      WHERE u.external_id = $1 AND c.id = $2 AND e.closed_at IS NULL`, [externalId, fromGlobalId(course.id).id]);
  return rows[0];
}

test('a user provisioned into the unit after the assignment is enrolled, due N days after their own enrollment; so is one moved in; one moved out keeps theirs', async () => {
  const course = await buildCourse(t, admin, 'RULE-HALL', [1]);
  const first = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: HALL, dueInDays: 30 }, ASSIGNED);
  expect(first).toMatchObject({ createdCount: 1, rule: { orgUnitPath: HALL, jobTitle: null, dueAt: null, dueInDays: 30, active: true } });

  expect((await provision(admin, [{ externalId: 'rule-a-new', orgUnitPath: `${HALL}/二组` }, { externalId: 'rule-a-elsewhere', orgUnitPath: '杭州/滨江' }])).body.data?.upsertUsers.errors).toEqual([]);
  await runJobs();
  const fresh = await enrollmentOf(course, 'rule-a-new');
  expect(fresh).toMatchObject({ source: 'RULE', status: 'NOT_STARTED', assigned_by: 'user:rule-a-admin' });
  expect(Math.abs(fresh!.due_at!.getTime() - fresh!.assigned_at.getTime() - 30 * DAY)).toBeLessThan(5000);
  expect(await enrollmentOf(course, 'rule-a-elsewhere')).toBeUndefined();

  await provision(admin, [{ externalId: 'rule-a-elsewhere', orgUnitPath: HALL }]);
  await runJobs();
  expect(await enrollmentOf(course, 'rule-a-elsewhere')).toMatchObject({ source: 'RULE', status: 'NOT_STARTED' });

  // Moving out keeps the enrollment (progress and history stay); the worker running again changes nothing.
  await provision(admin, [{ externalId: 'rule-a-new', orgUnitPath: '杭州/滨江' }]);
  await runJobs();
  expect(await enrollmentOf(course, 'rule-a-new')).toEqual(fresh);
  const [count] = await t.owner.query(`SELECT count(*)::int AS n FROM enrollment e JOIN course c ON c.id = e.course_id WHERE c.code = 'RULE-HALL'`);
  expect(count.n).toBe(3);
});

test('a job-title rule with a fixed due date enrolls later holders of the title with that date; a withdrawn learner is not re-enrolled by a move', async () => {
  const course = await buildCourse(t, admin, 'RULE-TITLE', [1]);
  const due = new Date(Date.now() + 20 * DAY);
  const res = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, jobTitle: '话务员', dueAt: due.toISOString() }, ASSIGNED);
  expect(res).toMatchObject({ createdCount: 1, rule: { jobTitle: '话务员', orgUnitPath: null, dueAt: due.toISOString() } });
  await provision(admin, [{ externalId: 'rule-a-caller', orgUnitPath: '杭州/余杭', jobTitle: '话务员' }]);
  await runJobs();
  expect((await enrollmentOf(course, 'rule-a-caller'))!.due_at).toEqual(due);

  const [{ id }] = await t.owner.query(`SELECT e.id FROM enrollment e JOIN app_user u ON u.id = e.user_id WHERE u.external_id = 'rule-a-caller' AND e.course_id = (SELECT id FROM course WHERE code = 'RULE-TITLE')`);
  await mutateOk(t, admin, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: Buffer.from(`Enrollment:${id}`).toString('base64url') }, 'enrollment { id }');
  await provision(admin, [{ externalId: 'rule-a-caller', orgUnitPath: '杭州/临平', jobTitle: '话务员' }]);
  await runJobs();
  expect(await enrollmentOf(course, 'rule-a-caller')).toMatchObject({ status: 'WITHDRAWN' });
});

test('re-assigning keeps every due date unless asked, and never moves a completed learner’s; the counts say what happened', async () => {
  const course = await buildCourse(t, admin, 'RULE-AGAIN', [1]);
  const d1 = new Date(Date.now() + 10 * DAY);
  const d2 = new Date(Date.now() + 40 * DAY);
  await provision(admin, [{ externalId: 'rule-a-done', orgUnitPath: '杭州/萧山分公司/客服热线' }]);
  const first = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: '杭州/萧山分公司/客服热线', dueAt: d1.toISOString() }, ASSIGNED);
  expect(first.createdCount).toBe(2);
  const [done] = await t.owner.query(`SELECT e.id FROM enrollment e JOIN app_user u ON u.id = e.user_id WHERE u.external_id = 'rule-a-done' AND e.course_id = (SELECT id FROM course WHERE code = 'RULE-AGAIN')`);
  await mutateOk(t, admin, 'completeEnrollment', 'CompleteEnrollmentInput', { id: Buffer.from(`Enrollment:${done.id}`).toString('base64url'), reason: 'paper exam' }, 'enrollment { status }');

  const again = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: '杭州/萧山分公司/客服热线', dueAt: d2.toISOString() }, ASSIGNED);
  expect(again).toMatchObject({ createdCount: 0, alreadyEnrolledCount: 1, skippedCompletedCount: 1, dueDatesMovedCount: 0, rule: { id: first.rule.id, dueAt: d2.toISOString() } });
  expect((await enrollmentOf(course, 'rule-a-done'))!.due_at).toEqual(d1);
  expect((await enrollmentOf(course, a.users.operator.externalId))!.due_at).toEqual(d1);

  const moved = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: '杭州/萧山分公司/客服热线', dueAt: d2.toISOString(), moveDueDates: true }, ASSIGNED);
  expect(moved).toMatchObject({ createdCount: 0, alreadyEnrolledCount: 1, skippedCompletedCount: 1, dueDatesMovedCount: 1 });
  expect(await enrollmentOf(course, 'rule-a-done')).toMatchObject({ status: 'COMPLETED', due_at: d1 });
  expect((await enrollmentOf(course, a.users.operator.externalId))!.due_at).toEqual(d2);
  const rules = await gqlOk(t, `query($c: ID!) { assignmentRules(filter: { courseId: $c }) { nodes { id dueAt } } }`, { c: course.id }, admin);
  expect(rules.assignmentRules.nodes).toEqual([{ id: first.rule.id, dueAt: d2.toISOString() }]);
});

test('a due date in the past, an unknown org unit or job title, and two due policies are coded errors that write nothing', async () => {
  const course = await buildCourse(t, admin, 'RULE-BAD', [1]);
  const cases: [Record<string, unknown>, string, string[]][] = [
    [{ orgUnitPath: HALL, dueAt: new Date(Date.now() - DAY).toISOString() }, 'INVALID', ['input', 'dueAt']],
    [{ userIds: [userGid(a.users.clerk)], dueAt: new Date(Date.now() - 60_000).toISOString() }, 'INVALID', ['input', 'dueAt']],
    [{ orgUnitPath: '杭州/萧山分公司/营业听' }, 'NOT_FOUND', ['input', 'orgUnitPath']],
    [{ orgUnitPath: '杭州/萧山分' }, 'NOT_FOUND', ['input', 'orgUnitPath']],
    [{ jobTitle: '营业圆' }, 'NOT_FOUND', ['input', 'jobTitle']],
    [{ orgUnitPath: HALL, dueAt: new Date(Date.now() + DAY).toISOString(), dueInDays: 3 }, 'INVALID', ['input', 'dueInDays']],
    [{ orgUnitPath: HALL, dueInDays: 0 }, 'INVALID', ['input', 'dueInDays']],
  ];
  for (const [input, code, path] of cases) {
    const res = await mutate(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, ...input }, 'createdCount');
    expect({ input, errors: res.errors }).toEqual({ input, errors: [expect.objectContaining({ code, path })] });
  }
  const [written] = await t.owner.query(`SELECT (SELECT count(*)::int FROM enrollment WHERE course_id = (SELECT id FROM course WHERE code = 'RULE-BAD')) AS enrollments,
    (SELECT count(*)::int FROM assignment_rule WHERE course_id = (SELECT id FROM course WHERE code = 'RULE-BAD')) AS rules`);
  expect(written).toEqual({ enrollments: 0, rules: 0 });
});

test('rules stay in their tenant: another organization’s unit is unknown, its provisioning enrolls nobody here, its admin cannot see or stop the rule', async () => {
  const course = await buildCourse(t, admin, 'RULE-TENANT', [1]);
  const res = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: HALL }, ASSIGNED);
  const bUnitOnly = await mutate(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: '仅在乙方' }, 'createdCount');
  expect(bUnitOnly.errors[0]).toMatchObject({ code: 'NOT_FOUND' });

  await provision(bAdmin, [{ externalId: 'rule-b-new', orgUnitPath: HALL }]);
  await runJobs();
  const [bSide] = await t.owner.query(`SELECT (SELECT count(*)::int FROM enrollment WHERE organization_id = $1) AS enrollments,
    (SELECT count(*)::int FROM outbox_event WHERE organization_id = $1 AND type = 'user.placed') AS events`, [b.id]);
  expect(bSide).toEqual({ enrollments: 0, events: 0 });
  expect((await gqlOk(t, '{ assignmentRules { nodes { id } } }', {}, bAdmin)).assignmentRules.nodes).toEqual([]);
  const stop = await t.gql(`mutation($i: DeactivateAssignmentRuleInput!) { deactivateAssignmentRule(input: $i) { rule { id } } }`, { i: { id: res.rule.id } }, { token: bAdmin });
  expect(stop.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const learner = await t.token(a.id, a.users.clerk.externalId);
  expect((await t.gql('{ assignmentRules { nodes { id } } }', {}, { token: learner })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('a deactivated rule enrolls nobody new and keeps what it enrolled; the audit log has both', async () => {
  const course = await buildCourse(t, admin, 'RULE-STOP', [1]);
  const res = await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, jobTitle: '营业员' }, ASSIGNED);
  const stopped = await mutateOk(t, admin, 'deactivateAssignmentRule', 'DeactivateAssignmentRuleInput', { id: res.rule.id }, 'rule { active deactivatedAt }');
  expect(stopped.rule.active).toBe(false);
  await provision(admin, [{ externalId: 'rule-a-late', orgUnitPath: HALL, jobTitle: '营业员' }]);
  await runJobs();
  expect(await enrollmentOf(course, 'rule-a-late')).toBeUndefined();
  expect(await enrollmentOf(course, a.users.clerk.externalId)).toMatchObject({ source: 'RULE' });
  const listed = await gqlOk(t, `query($c: ID!) { assignmentRules(filter: { courseId: $c, includeInactive: true }) { nodes { active course { code } } } }`, { c: course.id }, admin);
  expect(listed.assignmentRules.nodes).toEqual([{ active: false, course: { code: 'RULE-STOP' } }]);
  const audit = await t.owner.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY created_at`, [Buffer.from(res.rule.id, 'base64url').toString().split(':')[1]]);
  expect(audit.map((r: { action: string }) => r.action)).toEqual(['assignmentRule.create', 'assignmentRule.deactivate']);
});

test('provisioning in bulk under a rule costs the same statements for 2 users as for 40, and the worker enrolls them all', async () => {
  const course = await buildCourse(t, admin, 'RULE-BULK', [1]);
  await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.id, orgUnitPath: HALL, dueInDays: 7 }, ASSIGNED);
  const batch = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ externalId: `bulk-${tag}-${i}`, orgUnitPath: `${HALL}/${i % 3}组` }));
  const small = await provision(admin, batch('s', 2));
  const large = await provision(admin, batch('l', 40));
  expect(large.body.data?.upsertUsers.errors).toEqual([]);
  expect(large.statements).toBe(small.statements);
  await runJobs();
  const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM enrollment e JOIN app_user u ON u.id = e.user_id WHERE e.course_id = (SELECT id FROM course WHERE code = 'RULE-BULK') AND u.external_id LIKE 'bulk-%'`);
  expect(n).toBe(42);
});
