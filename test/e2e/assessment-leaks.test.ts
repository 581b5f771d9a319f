import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import {
  type Attempt, ATTEMPT_FIELDS, CORRECT, INFO_FIELDS, SECRET, assessmentCourse, questionOf, gradedDocument, saveAnswers, startAttempt, submitAttempt,
} from '../support/assessment';
import { gqlOk } from '../support/catalog';
import { seedOrg, type SeededOrg } from '../support/seed';

/**
 * For every question kind: everything a learner can reach (payloads, node(id), the course tree,
 * progress, errors, introspection of learner-visible types) holds no correct answer, feedback or
 * explanation until the review policy (here: FEEDBACK after the last of two attempts) releases
 * them; then they appear.
 */
let t: TestApp;
let a: SeededOrg;
let learner: string;
let courseId: string;
let activityId: string;
/** JSON of every learner-visible response before release. */
const before: string[] = [];
let released: { node: Attempt };

/** Wrong answers, so the learner's own responses never equal the correct ones. */
const WRONG = [
  { questionId: 'single', optionId: 'kiwi' },
  { questionId: 'multi', optionIds: ['gray'] },
  { questionId: 'tf', value: false },
  { questionId: 'fill', text: 'horse' },
  { questionId: 'order', optionIds: ['thank', 'solve', 'listen', 'greet'] },
  { questionId: 'match', pairs: [{ left: 'cat', right: 'woof' }, { left: 'dog', right: 'meow' }, { left: 'cow', right: 'quack' }] },
  { questionId: 'scale', scale: 2 },
];

const readAll = async (token: string, attemptId: string): Promise<void> => {
  const attempt = await t.gql(`query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { ${ATTEMPT_FIELDS} activity { id } } } }`, { id: attemptId }, { token });
  const tree = await t.gql(`query($id: ID!) { node(id: $id) { ... on Course { modules { activities { id kind assessment { ${INFO_FIELDS} } progress { completionStatus successStatus scoreScaled scoreRaw } } } } } }`, { id: courseId }, { token });
  const authored = await t.gql(`query($id: ID!) { authoredAssessment(activityId: $id) { document } }`, { id: activityId }, { token });
  expect(authored.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  before.push(JSON.stringify(attempt.body), JSON.stringify(tree.body), JSON.stringify(authored.body));
};

/** The response JSON without the learner's own answers (which may name anything they like). */
const withoutResponses = (json: string): string => JSON.stringify(JSON.parse(json), (key, value) => (key === 'response' ? undefined : value));

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'leak-a');
  const b = await seedOrg(t.owner, 'leak-b');
  await b.user('learner');
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await a.user('learner');
  const author = await t.token(a.id, a.users.author.externalId);
  learner = await t.token(a.id, a.users.learner.externalId);
  ({ courseId, activityId } = await assessmentCourse(t, author, 'LEAKS', gradedDocument(), [a.users.learner]));

  const first = await startAttempt(t, learner, activityId);
  const id1 = first.attempt!.id;
  before.push(JSON.stringify(first));
  before.push(JSON.stringify(await saveAnswers(t, learner, id1, WRONG)));
  before.push(JSON.stringify(await saveAnswers(t, learner, id1, [{ questionId: 'single', optionId: 'nope' }, { questionId: 'order', optionIds: ['thank'] }])));
  await readAll(learner, id1);
  before.push(JSON.stringify(await submitAttempt(t, learner, id1)));
  await readAll(learner, id1);
  const second = await startAttempt(t, learner, activityId);
  before.push(JSON.stringify(second));
  await saveAnswers(t, learner, second.attempt!.id, WRONG);
  await readAll(learner, second.attempt!.id);
  await readAll(learner, id1);

  await submitAttempt(t, learner, second.attempt!.id);
  released = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on AssessmentAttempt { ${ATTEMPT_FIELDS} } } }`, { id: id1 }, learner);
});
afterAll(() => t.close());

test('before the policy allows it, no question has a review, and no feedback or explanation is sent', () => {
  for (const json of before) {
    for (const marker of [SECRET.explanation, SECRET.feedbackCorrect, SECRET.feedbackIncorrect]) expect(json).not.toContain(marker);
    expect(json).not.toMatch(/"correctAnswer":\{/);
    expect(json).not.toMatch(/"review":\{"correctness"/);
    expect(json).not.toMatch(/"correct(ness)?":/);
  }
  expect(before.some((json) => json.includes('"result":{"raw"'))).toBe(true);
});

const leaks: Record<string, (json: string) => boolean> = {
  single: (json) => json.includes('"optionId":"plum"'),
  multi: (json) => /"optionIds":\["(red","blue|blue","red)"\]/.test(json),
  tf: (json) => json.includes('"value":true'),
  fill: (json) => json.includes(SECRET.fillIn) || json.includes('斑马'),
  order: (json) => json.includes('"greet","listen","solve","thank"') || /"options":\[\{"key":"greet"[^\]]*"listen"[^\]]*"solve"[^\]]*"thank"/.test(json),
  match: (json) => /"right":\[\{"key":"meow"[^\]]*\{"key":"woof"[^\]]*\{"key":"moo"/.test(json) || json.includes('{"left":"cat","right":"meow"},{"left":"dog","right":"woof"}'),
};

test.each(Object.keys(leaks))('%s: the correct answer reaches the learner only once released', (kind) => {
  for (const json of before) expect({ kind, leaked: leaks[kind](withoutResponses(json)) }).toEqual({ kind, leaked: false });
  expect(leaks[kind](withoutResponses(JSON.stringify(released)))).toBe(true);
  const question = questionOf(released.node, kind);
  expect(question.review?.correctAnswer).toEqual(expect.objectContaining(CORRECT[kind]));
  expect(question.review).toMatchObject({ correctness: 'INCORRECT', earned: 0, explanation: `${SECRET.explanation}`, feedback: SECRET.feedbackIncorrect });
});

test('scale items have no correct answer, even once released', () => {
  const scale = questionOf(released.node, 'scale');
  expect(scale.review).toMatchObject({ correctness: 'NEUTRAL', correctAnswer: null, scaleScore: 2, explanation: SECRET.explanation });
  expect(released.node.review).toEqual({ score: true, correctAnswers: true, feedback: true });
});

/** Every type a learner's assessment reads can reach, by introspection (the course tree's Activity and Enrollment have tests of their own). */
async function learnerTypes(): Promise<Map<string, { name: string; description: string | null; type: unknown }[]>> {
  const seen = new Map<string, { name: string; description: string | null; type: unknown }[]>();
  const queue = ['AssessmentAttempt', 'AssessmentInfo', 'AttemptPayload'];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name) || name === 'Activity' || name === 'Enrollment') continue;
    const res = await gqlOk(t, `query($n: String!) { __type(name: $n) { kind fields { name description type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } }`, { n: name }, learner);
    const fields = res.__type.fields ?? [];
    seen.set(name, fields);
    for (const f of fields) {
      let type = f.type;
      while (type.ofType) type = type.ofType;
      if (type.kind === 'OBJECT' || type.kind === 'INTERFACE' || type.kind === 'SCALAR') queue.push(type.name);
    }
  }
  return seen;
}

test('learner-visible types have no field that could carry authoring data, and cannot reach the authors\' type', async () => {
  const types = await learnerTypes();
  expect([...types.keys()]).toEqual(expect.arrayContaining(['AssessmentAttempt', 'AttemptQuestion', 'AttemptOption', 'QuestionReview']));
  expect(types.has('AuthoredAssessment')).toBe(false);
  expect(types.has('JSON')).toBe(false);
  const forbidden = ['correct', 'accepted', 'answer', 'answers', 'document', 'grade', 'plan', 'reverse', 'isCorrect', 'answerKey'];
  for (const [type, fields] of types) for (const f of fields) expect({ type, field: f.name, forbidden: forbidden.includes(f.name) }).toEqual({ type, field: f.name, forbidden: false });
  const text = JSON.stringify([...types]);
  for (const marker of Object.values(SECRET)) expect(text).not.toContain(marker);
});
