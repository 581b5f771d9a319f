import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { EVERY_KIND, assessmentCourse, gradedDocument, saveAnswers, startAttempt, submitAttempt } from '../support/assessment';
import { gqlOk } from '../support/catalog';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let author: string;
let learner: string;
let activityId: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'answers-a');
  const b = await seedOrg(t.owner, 'answers-b');
  await b.user('learner');
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await a.user('learner');
  author = await t.token(a.id, a.users.author.externalId);
  learner = await t.token(a.id, a.users.learner.externalId);
  ({ activityId } = await assessmentCourse(t, author, 'ANSWERS', gradedDocument({ attemptsAllowed: null, timeLimitSeconds: 600 }), [a.users.learner]));
});
afterAll(() => t.close());

/** The answers stored on the attempt in progress. */
const storedAnswers = async (): Promise<Record<string, unknown>> =>
  (await t.owner.query(`SELECT answers FROM assessment_attempt WHERE status = 'IN_PROGRESS'`))[0].answers;

const attemptRow = async (): Promise<Record<string, unknown>> => (await t.owner.query(`SELECT * FROM assessment_attempt ORDER BY number DESC LIMIT 1`))[0];

test('unknown options, wrong shapes, foreign questions and oversized text are payload errors, and nothing of the call is saved', async () => {
  const { attempt } = await startAttempt(t, learner, activityId);
  await saveAnswers(t, learner, attempt!.id, [{ questionId: 'tf', value: false }]);
  const good = { questionId: 'single', optionId: 'plum' };
  const cases: [Record<string, unknown>, string, string[]][] = [
    [{ questionId: 'single', optionId: 'nope' }, 'NOT_FOUND', ['optionId']],
    [{ questionId: 'multi', optionIds: ['red', 'red'] }, 'DUPLICATE', ['optionIds', '1']],
    [{ questionId: 'single', text: 'plum' }, 'INVALID', ['text']],
    [{ questionId: 'tf', scale: 1 }, 'INVALID', ['scale']],
    [{ questionId: 'tf', value: true, text: 'x' }, 'INVALID', []],
    [{ questionId: 'not-in-attempt', value: true }, 'NOT_FOUND', ['questionId']],
    [{ questionId: 'fill', text: 'x'.repeat(1001) }, 'TOO_LARGE', ['text']],
    [{ questionId: 'order', optionIds: ['greet', 'listen'] }, 'INVALID', ['optionIds']],
    [{ questionId: 'match', pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'meow' }] }, 'DUPLICATE', ['pairs', '1', 'right']],
    [{ questionId: 'scale', scale: 6 }, 'INVALID', ['scale']],
    [{ questionId: 'q'.repeat(200), value: true }, 'TOO_LARGE', ['questionId']],
  ];
  for (const [bad, code, path] of cases) {
    const other = bad.questionId === 'single' ? { questionId: 'tf', value: true } : good;
    const res = await saveAnswers(t, learner, attempt!.id, [other, bad]);
    expect({ bad, errors: res.errors }).toEqual({ bad, errors: [expect.objectContaining({ code, path: ['input', 'answers', '1', ...path] })] });
    expect(res.attempt).toBeNull();
  }
  const twice = await saveAnswers(t, learner, attempt!.id, [good, { questionId: 'single', optionId: 'kiwi' }]);
  expect(twice.errors[0]).toMatchObject({ code: 'DUPLICATE', path: ['input', 'answers', '1', 'questionId'] });
  expect(await storedAnswers()).toEqual({ tf: { value: false } });

  const cleared = await saveAnswers(t, learner, attempt!.id, [{ questionId: 'tf' }, good]);
  expect(cleared.errors).toEqual([]);
  expect(await storedAnswers()).toEqual({ single: { optionId: 'plum' } });
  await submitAttempt(t, learner, attempt!.id);
});

test('error messages never echo correct answers or the options a learner did not name', async () => {
  const { attempt } = await startAttempt(t, learner, activityId);
  const res = await saveAnswers(t, learner, attempt!.id, [{ questionId: 'single', optionId: 'nope' }, { questionId: 'fill', text: 'x'.repeat(1001) }]);
  const text = JSON.stringify(res.errors);
  for (const secret of ['plum', 'kiwi', 'fig', 'Zebra', '斑马']) expect(text).not.toContain(secret);
  await submitAttempt(t, learner, attempt!.id);
});

test('drawn questions are fixed per attempt; answering a question not drawn is refused', async () => {
  const pool = EVERY_KIND.filter((q) => ['single', 'tf', 'fill'].includes(q.id)).map((q) => ({ ...q, tags: ['pool'] }));
  const fixed = EVERY_KIND.filter((q) => q.id === 'multi');
  const { activityId: drawId } = await assessmentCourse(t, author, 'ANSWERS-DRAW', gradedDocument({ attemptsAllowed: null, draw: [{ tag: 'pool', count: 1 }] }, [...fixed, ...pool]), [a.users.learner]);
  const { attempt } = await startAttempt(t, learner, drawId);
  const ids: string[] = attempt!.questions.map((q: { key: string }) => q.key);
  expect(ids).toHaveLength(2);
  expect(ids).toContain('multi');
  const notDrawn = ['single', 'tf', 'fill'].find((id) => !ids.includes(id))!;
  const res = await saveAnswers(t, learner, attempt!.id, [{ questionId: notDrawn, text: 'x' }]);
  expect(res.errors[0]).toMatchObject({ code: 'NOT_FOUND', path: ['input', 'answers', '0', 'questionId'] });
  const reload = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { questions { key } } } }`, { id: attempt!.id }, learner);
  expect(reload.node.questions.map((q: { key: string }) => q.key)).toEqual(ids);
  await submitAttempt(t, learner, attempt!.id);
});

test('the server enforces the time limit: late answers are refused and the attempt closes with what was saved in time', async () => {
  const { attempt } = await startAttempt(t, learner, activityId);
  const deadline = new Date(attempt!.deadlineAt!).getTime() - new Date(attempt!.startedAt).getTime();
  expect(deadline).toBe(600_000);
  expect(attempt!.secondsRemaining).toBeGreaterThan(590);
  await saveAnswers(t, learner, attempt!.id, [{ questionId: 'tf', value: true }]);

  await t.owner.query(`UPDATE assessment_attempt SET deadline_at = now() - interval '5 seconds' WHERE id = $1`, [(await attemptRow()).id]);
  expect((await saveAnswers(t, learner, attempt!.id, [{ questionId: 'single', optionId: 'plum' }])).errors).toEqual([]);

  await t.owner.query(`UPDATE assessment_attempt SET deadline_at = now() - interval '1 minute' WHERE id = $1`, [(await attemptRow()).id]);
  const late = await saveAnswers(t, learner, attempt!.id, [{ questionId: 'fill', text: 'Zebra-Secret-42' }]);
  expect(late.errors).toEqual([expect.objectContaining({ code: 'EXPIRED', path: ['input', 'attemptId'] })]);
  const row = await attemptRow();
  expect(row).toMatchObject({ status: 'EXPIRED', answers: { tf: { value: true }, single: { optionId: 'plum' } }, score_raw: 3 });
  expect(row.submitted_at).toEqual(row.deadline_at);
  const [scorm] = await t.owner.query(`SELECT exit, score_raw FROM activity_attempt WHERE activity_id = $1 AND number = $2`, [row.activity_id, row.number]);
  expect(scorm).toEqual({ exit: 'time-out', score_raw: 3 });
  expect((await submitAttempt(t, learner, attempt!.id)).attempt).toMatchObject({ status: 'EXPIRED', result: { raw: 3 } });
});

test('an attempt left open past its deadline is closed and graded when it is next read', async () => {
  const { attempt } = await startAttempt(t, learner, activityId);
  await saveAnswers(t, learner, attempt!.id, [{ questionId: 'tf', value: true }]);
  await t.owner.query(`UPDATE assessment_attempt SET deadline_at = now() - interval '1 hour' WHERE id = $1`, [(await attemptRow()).id]);
  const read = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { status result { raw } } } }`, { id: attempt!.id }, learner);
  expect(read.node).toEqual({ status: 'EXPIRED', result: { raw: 1 } });
  expect(await attemptRow()).toMatchObject({ status: 'EXPIRED', score_raw: 1 });
  const next = await startAttempt(t, learner, activityId);
  expect(next.errors).toEqual([]);
  expect(next.attempt!.id).not.toBe(attempt!.id);
});
