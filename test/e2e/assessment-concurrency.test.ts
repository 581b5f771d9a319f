import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { assessmentCourse, gradedDocument, saveAnswers, startAttempt, submitAttempt } from '../support/assessment';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let author: string;
let learner: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'race-a');
  b = await seedOrg(t.owner, 'race-b');
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await a.user('learner');
  await a.user('colleague');
  await b.user('admin', [Role.ORG_ADMIN]);
  await b.user('learner');
  author = await t.token(a.id, a.users.author.externalId);
  learner = await t.token(a.id, a.users.learner.externalId);
});
afterAll(() => t.close());

const count = async (sql: string, params: unknown[] = []): Promise<number> => (await t.owner.query(sql, params))[0].n;

test('two submits racing on the same attempt produce one graded result', async () => {
  const { activityId } = await assessmentCourse(t, author, 'RACE-SUBMIT', gradedDocument({ attemptsAllowed: null }), [a.users.learner]);
  for (let round = 0; round < 3; round++) {
    const { attempt } = await startAttempt(t, learner, activityId);
    await saveAnswers(t, learner, attempt!.id, [{ questionId: 'single', optionId: 'plum' }]);
    const results = await Promise.all(Array.from({ length: 4 }, () => submitAttempt(t, learner, attempt!.id)));
    for (const r of results) expect(r).toMatchObject({ errors: [], attempt: { id: attempt!.id, status: 'SUBMITTED', result: { raw: 2 } } });
    expect(new Set(results.map((r) => r.attempt!.submittedAt)).size).toBe(1);
  }
  expect(await count(`SELECT count(*)::int AS n FROM activity_attempt WHERE activity_id IN (SELECT activity_id FROM assessment_attempt)`)).toBe(3);
  expect(await count(`SELECT attempt_count AS n FROM activity_progress WHERE activity_id IN (SELECT activity_id FROM assessment_attempt)`)).toBe(3);
});

test('parallel starts never exceed the attempt limit, and never open two attempts', async () => {
  const { activityId } = await assessmentCourse(t, author, 'RACE-START', gradedDocument({ attemptsAllowed: 2 }), [a.users.learner]);
  const fire = () => Promise.all(Array.from({ length: 8 }, () => startAttempt(t, learner, activityId)));
  for (let round = 0; round < 2; round++) {
    const results = await fire();
    const created = results.filter((r) => !r.resumed);
    expect(created).toHaveLength(1);
    for (const r of results) expect(r).toMatchObject({ errors: [], attempt: { id: created[0].attempt!.id } });
    await submitAttempt(t, learner, created[0].attempt!.id);
  }
  const last = await fire();
  for (const r of last) expect(r).toMatchObject({ attempt: null, errors: [{ code: 'LIMIT_REACHED' }] });
  expect(await count(`SELECT count(*)::int AS n FROM assessment_attempt a JOIN activity ac ON ac.id = a.activity_id JOIN course c ON c.id = ac.course_id WHERE c.code = 'RACE-START'`)).toBe(2);
});

test("another tenant's learner or admin, and another learner of the same tenant, get NOT_FOUND and change nothing", async () => {
  const { activityId } = await assessmentCourse(t, author, 'RACE-PRIVATE', gradedDocument(), [a.users.learner, a.users.colleague]);
  const { attempt } = await startAttempt(t, learner, activityId);
  await saveAnswers(t, learner, attempt!.id, [{ questionId: 'tf', value: true }]);
  const before = await t.owner.query(`SELECT * FROM assessment_attempt WHERE organization_id = $1 ORDER BY id`, [a.id]);
  const intruders = [
    await t.token(a.id, a.users.colleague.externalId),
    await t.token(a.id, a.users.author.externalId),
    await t.token(b.id, b.users.learner.externalId),
    await t.token(b.id, b.users.admin.externalId),
  ];
  for (const token of intruders) {
    const read = await t.gql(`query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { id status } } }`, { id: attempt!.id }, { token });
    expect(read.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    for (const op of ['saveAnswers(input: { attemptId: $id, answers: [{ questionId: "tf", value: false }] })', 'submitAttempt(input: { attemptId: $id })']) {
      const res = await t.gql(`mutation($id: ID!) { ${op} { attempt { id } errors { code } } }`, { id: attempt!.id }, { token });
      expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain(a.id);
    }
  }
  const tenantB = await t.token(b.id, b.users.learner.externalId);
  const start = await t.gql(`mutation($id: ID!) { startAttempt(input: { activityId: $id }) { attempt { id } errors { code } } }`, { id: activityId }, { token: tenantB });
  expect(start.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect(await t.owner.query(`SELECT * FROM assessment_attempt WHERE organization_id = $1 ORDER BY id`, [a.id])).toEqual(before);
});
