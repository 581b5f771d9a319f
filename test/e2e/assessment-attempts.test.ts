import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import {
  type AttemptQuestion, assessmentCourse, questionOf, assessmentInfo, gradedDocument, saveAnswers, startAttempt, submitAttempt,
} from '../support/assessment';
import { gqlOk, mutateOk } from '../support/catalog';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let author: string;
let learner: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'quiz-a');
  b = await seedOrg(t.owner, 'quiz-b');
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await a.user('learner');
  await a.user('outsider');
  await b.user('learner');
  author = await t.token(a.id, a.users.author.externalId);
  learner = await t.token(a.id, a.users.learner.externalId);
});
afterAll(() => t.close());

/** A good-enough answer to every question: 8.5 of 12 points (70.83%). */
const ANSWERS = [
  { questionId: 'single', optionId: 'plum' },
  { questionId: 'multi', optionIds: ['red'] },
  { questionId: 'tf', value: true },
  { questionId: 'fill', text: '  ｚｅｂｒａ-SECRET-42 ' },
  { questionId: 'order', optionIds: ['greet', 'listen', 'solve', 'thank'] },
  { questionId: 'match', pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'moo' }, { left: 'cow', right: 'woof' }] },
  { questionId: 'scale', scale: 4 },
];

/** Question ids with their option orders, as shown. */
const order = (attempt: { questions: Pick<AttemptQuestion, 'key' | 'options' | 'right'>[] }) =>
  attempt.questions.map((q) => [q.key, ...(q.options ?? []).map((o) => o.key), ...(q.right ?? []).map((o) => o.key)]);

test('start, save many times, submit: the plan is fixed on reload and the result feeds progress in the SCORM shape', async () => {
  const { activityId } = await assessmentCourse(t, author, 'QUIZ-FLOW', gradedDocument(), [a.users.learner]);
  const started = await startAttempt(t, learner, activityId);
  expect(started.errors).toEqual([]);
  const attempt = started.attempt!;
  expect(attempt).toMatchObject({ number: 1, status: 'IN_PROGRESS', result: null, review: { score: false, correctAnswers: false, feedback: false } });
  expect(attempt.questions.map((q: { key: string }) => q.key).sort()).toEqual(['fill', 'match', 'multi', 'order', 'scale', 'single', 'tf']);

  const again = await startAttempt(t, learner, activityId);
  // Resuming is a result, not an error.
  expect(again).toMatchObject({ errors: [], resumed: true });
  expect(started.resumed).toBe(false);
  expect(again.attempt!.id).toBe(attempt.id);
  expect(order(again.attempt!)).toEqual(order(attempt));
  const reloaded = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { questions { key options { key } right { key } } } } }`, { id: attempt.id }, learner);
  expect(order(reloaded.node)).toEqual(order(attempt));
  const english = await t.gql(`query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { questions { key prompt } } } }`, { id: attempt.id }, { token: learner, headers: { 'accept-language': 'en' } });
  expect(english.body.data).toMatchObject({ node: { questions: expect.arrayContaining([{ key: 'single', prompt: '题目 single (en)' }]) } });

  expect((await saveAnswers(t, learner, attempt.id, [{ questionId: 'single', optionId: 'kiwi' }])).errors).toEqual([]);
  const saved = await saveAnswers(t, learner, attempt.id, ANSWERS);
  expect(saved.errors).toEqual([]);
  const single = questionOf(saved.attempt!, 'single');
  expect(single).toMatchObject({ response: { optionId: 'plum' }, review: null });
  expect(questionOf(saved.attempt!, 'scale').response).toEqual(expect.objectContaining({ scale: 4 }));

  const submitted = await submitAttempt(t, learner, attempt.id);
  expect(submitted.errors).toEqual([]);
  expect(submitted.attempt).toMatchObject({
    status: 'SUBMITTED', review: { score: true, correctAnswers: false, feedback: false },
    result: { raw: 8.5, min: 0, max: 12, scaled: 0.708333, percent: 70.83, passed: true, successStatus: 'PASSED', band: null },
  });
  expect(submitted.attempt!.questions.every((q: { review: unknown }) => q.review === null)).toBe(true);

  const [row] = await t.owner.query(`SELECT * FROM activity_attempt WHERE activity_id = $1`, [(await t.owner.query(`SELECT activity_id FROM assessment_attempt`))[0].activity_id]);
  expect(row).toMatchObject({ number: 1, status: 'FINISHED', completion_status: 'completed', success_status: 'passed', score_raw: 8.5, score_min: 0, score_max: 12, score_scaled: 0.708333, entry: 'ab-initio', exit: 'normal' });
  expect(row.interactions).toHaveLength(7);
  expect(row.interactions.find((i: { id: string }) => i.id === 'multi')).toMatchObject({ type: 'choice', learnerResponse: 'red', result: '0.5', weighting: 3 });
  expect(row.interactions.find((i: { id: string }) => i.id === 'match')).toMatchObject({ type: 'matching', learnerResponse: 'cat[.]meow[,]dog[.]moo[,]cow[.]woof', result: 'incorrect' });
  for (const i of row.interactions) {
    expect(i.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,2})?Z$/);
    expect(i.latency).toMatch(/^PT/);
  }

  const info = await assessmentInfo(t, learner, activityId);
  expect(info.progress).toMatchObject({ completionStatus: 'COMPLETED', successStatus: 'PASSED', scoreScaled: 0.708333, scoreRaw: 8.5, attemptCount: 1, completed: true });
  expect(info.assessment).toMatchObject({ viewerAttemptsRemaining: 1, viewerResult: { percent: 70.83, passed: true }, questionCount: 7 });
  const enrollment = await gqlOk(t, `{ viewer { enrollments { nodes { status progressPercent } } } }`, {}, learner);
  expect(enrollment.viewer.enrollments.nodes).toEqual([{ status: 'COMPLETED', progressPercent: 100 }]);
});

test('the attempt limit: attempts run out; the grading method decides what counts; answers show after the last attempt', async () => {
  const { activityId } = await assessmentCourse(t, author, 'QUIZ-LIMIT', gradedDocument({ gradingMethod: 'LAST' }), [a.users.learner]);
  for (const answers of [ANSWERS, [{ questionId: 'tf', value: false }]]) {
    const { attempt } = await startAttempt(t, learner, activityId);
    await saveAnswers(t, learner, attempt!.id, answers);
    await submitAttempt(t, learner, attempt!.id);
  }
  const refused = await startAttempt(t, learner, activityId);
  expect(refused).toMatchObject({ attempt: null, errors: [{ code: 'LIMIT_REACHED', path: ['input', 'activityId'] }] });
  const info = await assessmentInfo(t, learner, activityId);
  expect(info.assessment.viewerAttemptsRemaining).toBe(0);
  expect(info.assessment.viewerResult).toMatchObject({ raw: 0, passed: false, successStatus: 'FAILED' });
  expect(info.progress).toMatchObject({ successStatus: 'PASSED', attemptCount: 2 });
  const [first] = info.assessment.viewerAttempts;
  expect(first.review).toEqual({ score: true, correctAnswers: true, feedback: true });
  expect(questionOf(first, 'tf').review).toMatchObject({ correctness: 'CORRECT', correctAnswer: { value: true } });
  const [rows] = await t.owner.query(`SELECT count(*)::int AS n FROM assessment_attempt WHERE activity_id = (SELECT activity_id FROM assessment_attempt WHERE number = 2 LIMIT 1)`);
  expect(rows.n).toBe(2);
});

test('refused with a payload error: a course not published for the learner, an archived course, no enrollment', async () => {
  const { courseId, activityId } = await assessmentCourse(t, author, 'QUIZ-DRAFT', gradedDocument(), [a.users.learner]);
  await mutateOk(t, author, 'createCourseDraft', 'CourseIdInput', { id: courseId }, 'course { id }');
  const draft = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on Course { draftRevision { modules { activities { id } } } } } }`, { id: courseId }, author);
  const draftActivity = draft.node.draftRevision.modules[0].activities[0].id;
  expect((await startAttempt(t, learner, draftActivity)).errors).toEqual([expect.objectContaining({ code: 'NOT_PUBLISHED', path: ['input', 'activityId'] })]);

  const outsider = await t.token(a.id, a.users.outsider.externalId);
  const notEnrolled = await t.gql(`mutation($id: ID!) { startAttempt(input: { activityId: $id }) { attempt { id } errors { code } } }`, { id: activityId }, { token: outsider });
  expect(notEnrolled.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  await mutateOk(t, author, 'archiveCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  expect((await startAttempt(t, learner, activityId)).errors).toEqual([expect.objectContaining({ code: 'NOT_PUBLISHED' })]);
});

test('with a review policy of NOTHING the score stays hidden in the catalog progress too', async () => {
  const { courseId, activityId } = await assessmentCourse(t, author, 'QUIZ-SILENT', gradedDocument({ reviewPolicy: { show: 'NOTHING', when: 'IMMEDIATELY' } }), [a.users.learner]);
  const started = await startAttempt(t, learner, activityId);
  await saveAnswers(t, learner, started.attempt!.id, ANSWERS);
  const submitted = await submitAttempt(t, learner, started.attempt!.id);
  expect(submitted.attempt?.result ?? null).toBeNull();
  type Content = { id: string; modules: { activities: { id: string; progress: Record<string, unknown> | null }[] }[] };
  const sel = 'id modules { activities { id progress { scoreScaled scoreRaw successStatus completionStatus } } }';
  // On the course, and on the learner's own enrollment (the dashboard's path).
  const data = await gqlOk<{ course: Content; viewer: { enrollments: { nodes: { course: Content }[] } } }>(t,
    `query($id: ID!) { course(id: $id) { ${sel} } viewer { enrollments(first: 50) { nodes { course { ${sel} } } } } }`, { id: courseId }, learner);
  const own = data.viewer.enrollments.nodes.find((n) => n.course.id === courseId)!.course;
  for (const course of [data.course, own]) {
    const progress = course.modules.flatMap((m) => m.activities).find((x) => x.id === activityId)?.progress;
    expect(progress).toMatchObject({ scoreScaled: null, scoreRaw: null, successStatus: 'UNKNOWN', completionStatus: 'COMPLETED' });
  }
  const stored = (await t.owner.query(`SELECT score_scaled FROM activity_progress WHERE activity_id = $1`, [Buffer.from(activityId, 'base64url').toString().split(':')[1]])) as { score_scaled: number }[];
  expect(stored[0].score_scaled).toBeGreaterThan(0);
});
