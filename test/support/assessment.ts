import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from './app';
import { assign, gqlOk, mutate, mutateOk, type PayloadErrors } from './catalog';
import { seedOrg, type SeededOrg, type SeededUser } from './seed';

/** Markers that appear only in authoring data: a learner must never see them before review. */
export const SECRET = {
  fillIn: 'Zebra-Secret-42',
  explanation: 'EXPLANATION-MARKER',
  feedbackCorrect: 'FEEDBACK-RIGHT-MARKER',
  feedbackIncorrect: 'FEEDBACK-WRONG-MARKER',
};

const text = (zh: string) => ({ 'zh-CN': zh, en: `${zh} (en)` });
const option = (id: string, label: string, correct?: boolean) => ({ id, text: text(label), ...(correct === undefined ? {} : { correct }) });
const common = (id: string, kind: string, points = 2) => ({
  id, kind, prompt: text(`题目 ${id}`), points, tags: [] as string[], explanation: text(SECRET.explanation),
  feedback: { correct: text(SECRET.feedbackCorrect), incorrect: text(SECRET.feedbackIncorrect) },
});

/** One question of every kind, with the correct answer of each (in the API's AnswerValue shape). */
export const EVERY_KIND = [
  { ...common('single', 'SINGLE_CHOICE'), options: [option('kiwi', '甲', false), option('plum', '乙', true), option('fig', '丙', false)] },
  { ...common('multi', 'MULTIPLE_CHOICE', 3), partialCredit: true, options: [option('red', '红', true), option('blue', '蓝', true), option('gray', '灰', false), option('pink', '粉', false)] },
  { ...common('tf', 'TRUE_FALSE', 1), answer: true },
  { ...common('fill', 'FILL_IN'), accepted: [SECRET.fillIn, '斑马'] },
  { ...common('order', 'ORDERING'), options: [option('greet', '问候'), option('listen', '倾听'), option('solve', '解决'), option('thank', '致谢')] },
  { ...common('match', 'MATCHING'), left: [option('cat', '猫'), option('dog', '狗'), option('cow', '牛')], right: [option('meow', '喵'), option('woof', '汪'), option('moo', '哞'), option('quack', '嘎')],
    pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'woof' }, { left: 'cow', right: 'moo' }] },
  { ...common('scale', 'SCALE', 0), leftPole: text('完全同意'), rightPole: text('完全不同意'), scaleFrom: 5, scaleTo: 1 },
];

/** The correct answer of each gradable question of EVERY_KIND, as AnswerValue. */
export const CORRECT: Record<string, Record<string, unknown>> = {
  single: { optionId: 'plum' },
  multi: { optionIds: ['red', 'blue'] },
  tf: { value: true },
  fill: { text: SECRET.fillIn },
  order: { optionIds: ['greet', 'listen', 'solve', 'thank'] },
  match: { pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'woof' }, { left: 'cow', right: 'moo' }] },
};

/** A graded assessment document holding `questions` (default: every kind). */
export function gradedDocument(settings: Record<string, unknown> = {}, questions: unknown[] = EVERY_KIND): Record<string, unknown> {
  return structuredClone({
    key: 'e2e-quiz',
    title: text('测验'),
    settings: {
      kind: 'GRADED', passingScore: 60, attemptsAllowed: 2, gradingMethod: 'HIGHEST', timeLimitSeconds: null,
      shuffleQuestions: true, shuffleOptions: true, draw: [], reviewPolicy: { show: 'FEEDBACK', when: 'AFTER_LAST_ATTEMPT' }, scoreBands: [],
      ...settings,
    },
    questions,
  });
}

/** Every field of an attempt a learner can select. */
export const ATTEMPT_FIELDS = `id number status startedAt deadlineAt submittedAt secondsRemaining createdAt
  review { score correctAnswers feedback }
  result { raw min max scaled percent passed successStatus band { min max label interpretation } }
  questions { key kind prompt points options { key text } left { key text } right { key text } leftPole rightPole scaleFrom scaleTo maxLength
    response { optionId optionIds value text pairs { left right } scale } answeredAt
    review { correctness earned max scaleScore feedback explanation correctAnswer { optionId optionIds value text pairs { left right } scale } } }`;

/** Every field of an assessment's learner view. */
export const INFO_FIELDS = `title description kind passingScore attemptsAllowed gradingMethod timeLimitSeconds questionCount
  reviewPolicy { show when } viewerAttemptsRemaining
  viewerResult { raw min max scaled percent passed successStatus band { min max label interpretation } }
  viewerAttempts { ${ATTEMPT_FIELDS} }`;

/** A published course holding one ASSESSMENT activity with `document`, assigned to `learners`. */
export async function assessmentCourse(t: TestApp, author: string, code: string, document: unknown, learners: SeededUser[] = [], completion?: Record<string, unknown>): Promise<{ courseId: string; activityId: string }> {
  const zh = (s: string) => ({ zhCN: s, en: `${s} (en)` });
  const course = await mutateOk(t, author, 'createCourse', 'CreateCourseInput', { code, title: zh(`课程 ${code}`) }, 'course { id }');
  const mod = await mutateOk(t, author, 'createModule', 'CreateModuleInput', { courseId: course.course.id, title: zh('第一章') }, 'module { id }');
  const activity = await mutateOk(t, author, 'createActivity', 'CreateActivityInput', { moduleId: mod.module.id, kind: 'ASSESSMENT', title: zh('测验'), completion }, 'activity { id }');
  await mutateOk(t, author, 'setAssessment', 'SetAssessmentInput', { activityId: activity.activity.id, assessment: document }, 'assessment { activityId }');
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: course.course.id }, 'course { id }');
  if (learners.length) await assign(t, author, course.course.id, learners);
  return { courseId: course.course.id, activityId: activity.activity.id };
}

type Option = { key: string; text: string };
type Score = { raw: number; percent: number; passed: boolean | null; successStatus: string; band: { label: string; interpretation: string } | null };

/** A question of an attempt as a learner reads it (the fields the tests look at). */
export interface AttemptQuestion {
  key: string;
  kind: string;
  options: Option[] | null;
  right: Option[] | null;
  response: Record<string, unknown> | null;
  review: { correctness: string; correctAnswer: Record<string, unknown> | null; scaleScore: number | null; feedback: string | null; explanation: string | null } | null;
}

/** An attempt as a learner reads it (the fields the tests look at). */
export interface Attempt {
  id: string;
  status: string;
  startedAt: string;
  deadlineAt: string | null;
  submittedAt: string | null;
  secondsRemaining: number | null;
  review: { score: boolean; correctAnswers: boolean; feedback: boolean };
  result: Score | null;
  questions: AttemptQuestion[];
}

type AttemptResult = { attempt: Attempt | null; resumed: boolean } & PayloadErrors;

/** The question `id` of an attempt (the test fails when it is not there). */
export function questionOf(attempt: Pick<Attempt, 'questions'>, id: string): AttemptQuestion {
  const question = attempt.questions.find((q) => q.key === id);
  if (!question) throw new Error(`question ${id} is not in the attempt`);
  return question;
}

/** startAttempt with every learner-visible field selected. */
export const startAttempt = (t: TestApp, token: string, activityId: string): Promise<AttemptResult> =>
  mutate<AttemptResult>(t, token, 'startAttempt', 'StartAttemptInput', { activityId }, `resumed attempt { ${ATTEMPT_FIELDS} }`);

/** saveAnswers with every learner-visible field selected. */
export const saveAnswers = (t: TestApp, token: string, attemptId: string, answers: Record<string, unknown>[]): Promise<AttemptResult> =>
  mutate<AttemptResult>(t, token, 'saveAnswers', 'SaveAnswersInput', { attemptId, answers }, `attempt { ${ATTEMPT_FIELDS} }`);

/** submitAttempt with every learner-visible field selected. */
export const submitAttempt = (t: TestApp, token: string, attemptId: string): Promise<AttemptResult> =>
  mutate<AttemptResult>(t, token, 'submitAttempt', 'SubmitAttemptInput', { attemptId }, `attempt { ${ATTEMPT_FIELDS} }`);

/** The activity's learner view (rules, own attempts, own result) through node(id). */
export async function assessmentInfo(t: TestApp, token: string, activityId: string): Promise<{
  assessment: { viewerAttemptsRemaining: number | null; viewerResult: Score | null; viewerAttempts: Attempt[] };
  progress: Record<string, unknown>;
}> {
  const data = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on Activity { assessment { ${INFO_FIELDS} } progress { completionStatus successStatus scoreScaled scoreRaw scoreMin scoreMax attemptCount completed } } } }`, { id: activityId }, token);
  return data.node;
}

/** Two organizations: in `a` an author (also HR) and a learner, in `b` an author; tokens for a's two. */
export interface AuthoringWorld {
  t: TestApp;
  a: SeededOrg;
  b: SeededOrg;
  author: string;
  learner: string;
}

/** Starts the app and seeds the organizations the authoring tests share (slugs `<prefix>-a`, `<prefix>-b`). */
export async function startAuthoringWorld(prefix: string): Promise<AuthoringWorld> {
  const t = await startTestApp();
  const a = await seedOrg(t.owner, `${prefix}-a`);
  const b = await seedOrg(t.owner, `${prefix}-b`);
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await a.user('learner');
  await b.user('author', [Role.AUTHOR]);
  return { t, a, b, author: await t.token(a.id, a.users.author.externalId), learner: await t.token(a.id, a.users.learner.externalId) };
}
