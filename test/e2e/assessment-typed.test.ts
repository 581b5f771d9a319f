import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from '../support/app';
import { questionOf, saveAnswers, startAuthoringWorld, startAttempt, submitAttempt } from '../support/assessment';
import { assign, gqlOk, mutate, mutateOk } from '../support/catalog';
import type { SeededOrg } from '../support/seed';

/*
 * The typed authoring API (issue 14 item 7): every question kind built from typed inputs with only
 * the required fields, defaults applied by the server, read back typed, taken and graded.
 */

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let author: string;
let learner: string;

beforeAll(async () => {
  ({ t, a, b, author, learner } = await startAuthoringWorld('typed'));
});
afterAll(() => t.close());

const zh = (s: string) => ({ zhCN: s });
const items = (...keys: string[]) => keys.map((key) => ({ key, text: zh(key) }));

/** One question of every kind, with only the fields the schema requires. */
const requiredOnly = () => [
  { singleChoice: { key: 'single', prompt: zh('单选'), options: [{ ...items('kiwi')[0] }, { ...items('plum')[0], correct: true }] } },
  { multipleChoice: { key: 'multi', prompt: zh('多选'), options: [{ ...items('red')[0], correct: true }, { ...items('blue')[0], correct: true }, items('gray')[0]] } },
  { trueFalse: { key: 'tf', prompt: zh('判断'), answer: false } },
  { fillIn: { key: 'fill', prompt: zh('填空'), accepted: ['首问负责制'] } },
  { ordering: { key: 'order', prompt: zh('排序'), options: items('greet', 'listen', 'solve') } },
  { matching: { key: 'match', prompt: zh('连线'), left: items('cat', 'dog'), right: items('meow', 'woof', 'moo'), pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'woof' }] } },
  { scale: { key: 'scale', prompt: zh('量表'), leftPole: zh('低'), rightPole: zh('高') } },
];

const T = 'zhCN en';
const OPT = `key text { ${T} }`;
const AUTHORED = `activityId frozen key title { ${T} } description { ${T} }
  settings { kind passingScore attemptsAllowed gradingMethod timeLimitSeconds shuffleQuestions shuffleOptions
    draw { tag count } reviewPolicy { show when } scoreBands { min max label { ${T} } interpretation { ${T} } } }
  questions { __typename key kind prompt { ${T} } points tags explanation { ${T} } feedback { correct { ${T} } incorrect { ${T} } }
    ... on SingleChoiceQuestion { choices: options { ${OPT} correct } }
    ... on MultipleChoiceQuestion { choices: options { ${OPT} correct } partialCredit }
    ... on TrueFalseQuestion { answer }
    ... on FillInQuestion { accepted }
    ... on OrderingQuestion { items: options { ${OPT} } partialCredit }
    ... on MatchingQuestion { left { ${OPT} } right { ${OPT} } pairs { left right } partialCredit }
    ... on ScaleQuestion { leftPole { ${T} } rightPole { ${T} } scaleFrom scaleTo reverse } }`;

const authored = async (token: string, activityId: string) =>
  (await gqlOk(t, `query($id: ID!) { authoredAssessment(activityId: $id) { ${AUTHORED} } }`, { id: activityId }, token)).authoredAssessment;
const authorAssessment = (token: string, input: Record<string, unknown>) =>
  mutate(t, token, 'authorAssessment', 'AuthorAssessmentInput', input, 'assessment { key }');

async function draftActivity(code: string): Promise<{ courseId: string; activityId: string }> {
  const course = await mutateOk(t, author, 'createCourse', 'CreateCourseInput', { code, title: zh(code) }, 'course { id }');
  const mod = await mutateOk(t, author, 'createModule', 'CreateModuleInput', { courseId: course.course.id, title: zh('一') }, 'module { id }');
  const activity = await mutateOk(t, author, 'createActivity', 'CreateActivityInput', { moduleId: mod.module.id, kind: 'ASSESSMENT', title: zh('测验') }, 'activity { id }');
  return { courseId: course.course.id, activityId: activity.activity.id };
}

const shown = (text: string) => ({ zhCN: text, en: null });
const defaults = { points: 1, tags: [], explanation: null, feedback: null };
const optionsOf = (...keys: string[]) => keys.map((key) => ({ key, text: shown(key) }));

test('every kind built with only the required fields: defaults applied, read back typed, taken and graded', async () => {
  const { courseId, activityId } = await draftActivity('TYPED-ALL');
  const res = await authorAssessment(author, { activityId, key: 'typed-quiz', title: zh('测验'), questions: requiredOnly() });
  expect(res.errors).toEqual([]);
  expect(await authored(author, activityId)).toEqual({
    activityId, frozen: false, key: 'typed-quiz', title: shown('测验'), description: null,
    settings: {
      kind: 'GRADED', passingScore: 60, attemptsAllowed: null, gradingMethod: 'HIGHEST', timeLimitSeconds: null, shuffleQuestions: false,
      shuffleOptions: false, draw: [], reviewPolicy: { show: 'SCORE', when: 'IMMEDIATELY' }, scoreBands: [],
    },
    questions: [
      { __typename: 'SingleChoiceQuestion', key: 'single', kind: 'SINGLE_CHOICE', prompt: shown('单选'), ...defaults,
        choices: [{ key: 'kiwi', text: shown('kiwi'), correct: false }, { key: 'plum', text: shown('plum'), correct: true }] },
      { __typename: 'MultipleChoiceQuestion', key: 'multi', kind: 'MULTIPLE_CHOICE', prompt: shown('多选'), ...defaults, partialCredit: false,
        choices: [{ key: 'red', text: shown('red'), correct: true }, { key: 'blue', text: shown('blue'), correct: true }, { key: 'gray', text: shown('gray'), correct: false }] },
      { __typename: 'TrueFalseQuestion', key: 'tf', kind: 'TRUE_FALSE', prompt: shown('判断'), ...defaults, answer: false },
      { __typename: 'FillInQuestion', key: 'fill', kind: 'FILL_IN', prompt: shown('填空'), ...defaults, accepted: ['首问负责制'] },
      { __typename: 'OrderingQuestion', key: 'order', kind: 'ORDERING', prompt: shown('排序'), ...defaults, items: optionsOf('greet', 'listen', 'solve'), partialCredit: false },
      { __typename: 'MatchingQuestion', key: 'match', kind: 'MATCHING', prompt: shown('连线'), ...defaults, partialCredit: false,
        left: optionsOf('cat', 'dog'), right: optionsOf('meow', 'woof', 'moo'), pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'woof' }] },
      { __typename: 'ScaleQuestion', key: 'scale', kind: 'SCALE', prompt: shown('量表'), ...defaults, points: 0,
        leftPole: shown('低'), rightPole: shown('高'), scaleFrom: 1, scaleTo: 5, reverse: false },
    ],
  });

  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  await assign(t, author, courseId, [a.users.learner]);
  const { attempt } = await startAttempt(t, learner, activityId);
  expect(attempt!.questions.map((q) => q.key)).toEqual(['single', 'multi', 'tf', 'fill', 'order', 'match', 'scale']);
  expect(questionOf(attempt!, 'order').options!.map((o) => o.key).sort()).toEqual(['greet', 'listen', 'solve']);
  // Five of the six graded questions right (the MATCHING one wrong), and a scale value.
  await saveAnswers(t, learner, attempt!.id, [
    { questionId: 'single', optionId: 'plum' }, { questionId: 'multi', optionIds: ['blue', 'red'] }, { questionId: 'tf', value: false },
    { questionId: 'fill', text: ' 首问负责制 ' }, { questionId: 'order', optionIds: ['greet', 'listen', 'solve'] },
    { questionId: 'match', pairs: [{ left: 'cat', right: 'woof' }, { left: 'dog', right: 'meow' }] }, { questionId: 'scale', scale: 4 },
  ]);
  const { attempt: done } = await submitAttempt(t, learner, attempt!.id);
  expect(done!.result).toMatchObject({ raw: 5, max: 6, percent: 83.33, passed: true, successStatus: 'PASSED' });
  expect(done!.questions.map((q) => q.review?.correctness ?? null)).toEqual([null, null, null, null, null, null, null]);
});

/** A valid input whose question `index` (of requiredOnly) is replaced. */
const withQuestion = (activityId: string, index: number, question: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const questions: Record<string, unknown>[] = requiredOnly();
  questions[index] = question;
  return { activityId, key: 'bad-quiz', title: zh('测验'), questions, ...extra };
};

test('bad input of each kind: a coded error at the path of the field at fault, and nothing written', async () => {
  const { activityId } = await draftActivity('TYPED-BAD');
  const [single, multi, tf, fill, order, match, scale] = requiredOnly().map((q) => Object.values(q)[0] as Record<string, unknown>);
  const at = (...rest: (string | number)[]) => ['input', ...rest.map(String)];
  const cases: [Record<string, unknown>, { code: string; path: string[] }][] = [
    [withQuestion(activityId, 0, { singleChoice: { ...single, options: (single.options as object[]).map((o) => ({ ...o, correct: true })) } }),
      { code: 'INVALID', path: at('questions', 0, 'singleChoice', 'options') }],
    [withQuestion(activityId, 1, { multipleChoice: { ...multi, options: items('x', 'y') } }), { code: 'INVALID', path: at('questions', 1, 'multipleChoice', 'options') }],
    [withQuestion(activityId, 2, { trueFalse: { ...tf, prompt: zh('  ') } }), { code: 'INVALID', path: at('questions', 2, 'trueFalse', 'prompt', 'zhCN') }],
    [withQuestion(activityId, 3, { fillIn: { ...fill, accepted: [] } }), { code: 'INVALID', path: at('questions', 3, 'fillIn', 'accepted') }],
    [withQuestion(activityId, 4, { ordering: { ...order, options: items('a', 'a') } }), { code: 'DUPLICATE', path: at('questions', 4, 'ordering', 'options', 1, 'key') }],
    [withQuestion(activityId, 5, { matching: { ...match, pairs: [{ left: 'cat', right: 'meow' }, { left: 'dog', right: 'quack' }] } }),
      { code: 'NOT_FOUND', path: at('questions', 5, 'matching', 'pairs', 1, 'right') }],
    [withQuestion(activityId, 6, { scale: { ...scale, scaleFrom: 3, scaleTo: 3 } }), { code: 'INVALID', path: at('questions', 6, 'scale', 'scaleTo') }],
    [withQuestion(activityId, 2, { trueFalse: { ...tf, key: 'single' } }), { code: 'DUPLICATE', path: at('questions', 2, 'trueFalse', 'key') }],
    [withQuestion(activityId, 0, { singleChoice: single }, { settings: { passingScore: 120 } }), { code: 'INVALID', path: at('settings', 'passingScore') }],
    // A self-assessment holds only scale items: the first other question is at fault as a whole.
    [withQuestion(activityId, 0, { singleChoice: single }, { settings: { kind: 'SELF_ASSESSMENT', scoreBands: [] } }), { code: 'INVALID', path: at('questions', 0, 'singleChoice') }],
  ];
  for (const [input, error] of cases) {
    const res = await authorAssessment(author, input);
    expect({ error, errors: res.errors }).toEqual({ error, errors: expect.arrayContaining([expect.objectContaining(error)]) });
  }
  // Two kinds in one question (or none) is refused by GraphQL itself (@oneOf), naming the question.
  for (const question of [{ ...requiredOnly()[0], ...requiredOnly()[2] }, {}]) {
    const res = await t.gql(`mutation($input: AuthorAssessmentInput!) { authorAssessment(input: $input) { errors { code } } }`,
      { input: withQuestion(activityId, 3, question) }, { token: author });
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('"input.questions[3]"') });
    expect(res.body.errors?.[0].message).toContain('Exactly one key must be specified for OneOf type "QuestionInput"');
  }
  expect((await t.gql(`query($id: ID!) { authoredAssessment(activityId: $id) { key } }`, { id: activityId }, { token: author })).body.data).toEqual({ authoredAssessment: null });
  const [{ count }] = await t.owner.query(`SELECT count(*)::int AS count FROM audit_event WHERE action = 'assessment.set'
    AND entity_id IN (SELECT a.id::text FROM activity a JOIN course c ON c.id = a.course_id WHERE c.code = 'TYPED-BAD')`);
  expect(count).toBe(0);
});

test('settings given override the defaults; frozen, forbidden and other tenants are refused', async () => {
  const { courseId, activityId } = await draftActivity('TYPED-SET');
  const settings = {
    kind: 'SELF_ASSESSMENT', attemptsAllowed: 2, gradingMethod: 'LAST', timeLimitSeconds: 600, shuffleQuestions: true,
    reviewPolicy: { show: 'FEEDBACK' }, scoreBands: [{ min: 2, max: 5, label: zh('低'), interpretation: zh('多练习') }, { min: 6, max: 10, label: zh('高'), interpretation: { zhCN: '很好', en: 'Good' } }],
  };
  const questions = [2, 1].map((n) => ({ scale: { key: `s${n}`, prompt: zh(`第${n}题`), leftPole: zh('低'), rightPole: zh('高'), reverse: n === 1, tags: ['x'] } }));
  const input = { activityId, key: 'self', title: { zhCN: '自评', en: 'Self check' }, description: zh('说明'), settings, questions };
  expect((await authorAssessment(author, input)).errors).toEqual([]);
  const read = await authored(author, activityId);
  expect(read).toMatchObject({
    title: { zhCN: '自评', en: 'Self check' }, description: shown('说明'),
    settings: { ...settings, passingScore: null, shuffleOptions: false, reviewPolicy: { show: 'FEEDBACK', when: 'IMMEDIATELY' },
      scoreBands: [{ min: 2, max: 5, label: shown('低'), interpretation: shown('多练习') }, { min: 6, max: 10, label: shown('高'), interpretation: { zhCN: '很好', en: 'Good' } }] },
  });
  expect(read.questions[1]).toMatchObject({ key: 's1', reverse: true, tags: ['x'], scaleFrom: 1, scaleTo: 5 });

  const otherTenant = await t.gql(`mutation($input: AuthorAssessmentInput!) { authorAssessment(input: $input) { errors { code } } }`, { input }, { token: await t.token(b.id, b.users.author.externalId) });
  expect(otherTenant.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const denied = await t.gql(`mutation($input: AuthorAssessmentInput!) { authorAssessment(input: $input) { errors { code } } }`, { input }, { token: learner });
  expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  expect((await authorAssessment(author, input)).errors[0]).toMatchObject({ code: 'FROZEN', path: ['input', 'activityId'] });
});

test('the JSON document reads texts spelled zhCN, as every other input spells them', async () => {
  const { activityId } = await draftActivity('TYPED-JSON');
  const document = {
    key: 'json-quiz', title: { zhCN: '测验', en: null },
    settings: { kind: 'GRADED', passingScore: 50, attemptsAllowed: null, gradingMethod: 'FIRST', timeLimitSeconds: null, shuffleQuestions: false,
      shuffleOptions: false, draw: [], reviewPolicy: { show: 'SCORE', when: 'IMMEDIATELY' }, scoreBands: [] },
    questions: [{ id: 'tf', kind: 'TRUE_FALSE', prompt: { zhCN: '对吗?', en: 'Right?' }, points: 2, tags: [], answer: true }],
  };
  const set = (assessment: unknown) => mutate(t, author, 'setAssessment', 'SetAssessmentInput', { activityId, assessment }, 'assessment { key }');
  const both = { ...document, title: { zhCN: '测验', 'zh-CN': '测验' } };
  expect((await set(both)).errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'assessment', 'title', 'zh-CN'] });
  expect((await set(document)).errors).toEqual([]);
  const read = await authored(author, activityId);
  expect(read).toMatchObject({ title: shown('测验'), questions: [{ key: 'tf', prompt: { zhCN: '对吗?', en: 'Right?' }, points: 2, answer: true }] });
  const stored = await gqlOk(t, `query($id: ID!) { authoredAssessment(activityId: $id) { document } }`, { id: activityId }, author);
  expect(stored.authoredAssessment.document.title).toEqual({ 'zh-CN': '测验' });
});

test("the README's example builds its assessment as shown", async () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const example = /```graphql\n(mutation AuthorQuiz[\s\S]*?)```/.exec(readme)![1];
  const { activityId } = await draftActivity('TYPED-README');
  const data = await gqlOk(t, example, { activityId }, author);
  expect(data.authorAssessment).toEqual({
    assessment: { key: 'svc-quiz', settings: { passingScore: 80, gradingMethod: 'HIGHEST', reviewPolicy: { show: 'SCORE', when: 'IMMEDIATELY' } } }, errors: [],
  });
  expect((await authored(author, activityId)).questions.map((q: { kind: string }) => q.kind)).toEqual([
    'SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'TRUE_FALSE', 'FILL_IN', 'ORDERING', 'MATCHING', 'SCALE',
  ]);
});
