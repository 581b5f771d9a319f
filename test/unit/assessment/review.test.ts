import {
  HIDDEN,
  correctAnswerOf,
  feedbackFor,
  gradeQuestion,
  learnerView,
  planAttempt,
  reviewVisibility,
  type Question,
  type ReviewPolicy,
  type ReviewState,
  type ReviewVisibility,
} from '../../../src/modules/assessment/engine';
import { EVERY_KIND, PERFECT, fillIn, gradedAssessment, matching, multiple, ordering, scale, single } from './fixtures';

describe('reviewVisibility', () => {
  const state = (overrides: Partial<ReviewState> = {}): ReviewState => ({
    submitted: true, passed: false, attemptsUsed: 1, attemptsAllowed: 3, ...overrides,
  });
  const v = (score: boolean, correctAnswers: boolean, feedback: boolean): ReviewVisibility => ({ score, correctAnswers, feedback });

  it.each<[string, ReviewPolicy, ReviewState, ReviewVisibility]>([
    ['an open attempt, however generous the policy', { show: 'FEEDBACK', when: 'IMMEDIATELY' }, state({ submitted: false, passed: true }), v(false, false, false)],
    ['NOTHING', { show: 'NOTHING', when: 'IMMEDIATELY' }, state(), v(false, false, false)],
    ['SCORE', { show: 'SCORE', when: 'IMMEDIATELY' }, state(), v(true, false, false)],
    ['CORRECT_ANSWERS', { show: 'CORRECT_ANSWERS', when: 'IMMEDIATELY' }, state(), v(true, true, false)],
    ['FEEDBACK', { show: 'FEEDBACK', when: 'IMMEDIATELY' }, state(), v(true, true, true)],
    ['AFTER_PASSING before passing', { show: 'FEEDBACK', when: 'AFTER_PASSING' }, state(), v(true, false, false)],
    ['AFTER_PASSING once passed', { show: 'FEEDBACK', when: 'AFTER_PASSING' }, state({ passed: true }), v(true, true, true)],
    ['AFTER_LAST_ATTEMPT with attempts left', { show: 'FEEDBACK', when: 'AFTER_LAST_ATTEMPT' }, state({ attemptsUsed: 2, passed: true }), v(true, false, false)],
    ['AFTER_LAST_ATTEMPT when used up', { show: 'CORRECT_ANSWERS', when: 'AFTER_LAST_ATTEMPT' }, state({ attemptsUsed: 3 }), v(true, true, false)],
    ['AFTER_LAST_ATTEMPT with unlimited attempts', { show: 'FEEDBACK', when: 'AFTER_LAST_ATTEMPT' }, state({ attemptsUsed: 50, attemptsAllowed: null }), v(true, false, false)],
  ])('for %s', (_name, policy, reviewState, expected) => {
    expect(reviewVisibility(policy, reviewState)).toEqual(expected);
  });
});

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

const CORRECTNESS_KEYS = ['correct', 'incorrect', 'accepted', 'answer', 'correctAnswer', 'pairs', 'feedback', 'explanation', 'reverse', 'tags'];

describe('learnerView before answers are released', () => {
  const partial: ReviewVisibility = { score: true, correctAnswers: false, feedback: false };
  const settingsCases = [false, true].map((shuffleOptions) => gradedAssessment({ shuffleOptions, shuffleQuestions: shuffleOptions }));
  const views = settingsCases.flatMap((assessment) =>
    ['s1', 's2', 's3', 'reload'].flatMap((seed) => {
      const plan = planAttempt(assessment, seed);
      return assessment.questions.flatMap((q) => [HIDDEN, partial].map((visibility) => ({
        question: q,
        view: learnerView(q, visibility, plan.optionOrder[q.id]),
      })));
    }),
  );

  it.each(EVERY_KIND.map((q) => q.kind))('holds no correctness information for %s', (kind) => {
    const ofKind = views.filter(({ question }) => question.kind === kind);
    expect(ofKind.length).toBeGreaterThan(0);
    for (const { question, view } of ofKind) {
      const json = JSON.parse(JSON.stringify(view)) as unknown;
      const keys = keysOf(json);
      for (const key of CORRECTNESS_KEYS) expect(keys).not.toContain(key);
      const text = JSON.stringify(json);
      expect(text).not.toContain('见第1章');
      if (question.kind === 'FILL_IN') for (const accepted of question.accepted) expect(text).not.toContain(accepted);
    }
  });

  it('shows options as id and text only', () => {
    for (const { view } of views) {
      for (const list of ['options', 'left', 'right'] as const) {
        const options = (view as unknown as Record<string, object[] | undefined>)[list];
        for (const option of options ?? []) expect(Object.keys(option).sort()).toEqual(['id', 'text']);
      }
    }
  });

  it('never shows an ordering in its correct order', () => {
    for (const { question, view } of views.filter((x) => x.question.kind === 'ORDERING')) {
      const correct = (question as typeof ordering).options.map((o) => o.id);
      expect(view.kind === 'ORDERING' && view.options.map((o) => o.id)).not.toEqual(correct);
    }
  });

  it('does not reveal an ordering even when handed the stored (correct) order, or no order', () => {
    const stored = ordering.options.map((o) => o.id);
    for (const order of [stored, undefined]) {
      const view = learnerView(ordering, HIDDEN, order);
      expect(view.kind === 'ORDERING' && view.options.map((o) => o.id)).not.toEqual(stored);
    }
  });

  it('does not line matching answers up with their prompts, even when handed such an order', () => {
    const view = learnerView(matching, HIDDEN, ['l1', 'l2', 'l3', 'r1', 'r2', 'r3', 'rx']);
    if (view.kind !== 'MATCHING') throw new Error('expected a matching view');
    expect(view.left.map((o) => o.id)).toEqual(['l1', 'l2', 'l3']);
    expect(view.right.map((o) => o.id).filter((id) => id !== 'rx')).not.toEqual(['r1', 'r2', 'r3']);
  });

  it('presents choice options in the planned order', () => {
    const view = learnerView(single, HIDDEN, ['c', 'a', 'b']);
    expect(view.kind === 'SINGLE_CHOICE' && view.options.map((o) => o.id)).toEqual(['c', 'a', 'b']);
  });

  it.each([[['a', 'b']], [['a', 'b', 'z']], [['a', 'a', 'b']]])('refuses an order %p that is not a permutation of the options', (order) => {
    expect(() => learnerView(single, HIDDEN, order)).toThrow(/option order/);
  });

  it('shows a scale item with its poles and range but not its scoring direction', () => {
    expect(learnerView({ ...scale, reverse: true }, HIDDEN)).toEqual({
      id: 'scale', kind: 'SCALE', prompt: scale.prompt, points: 0,
      leftPole: scale.leftPole, rightPole: scale.rightPole, scaleFrom: 10, scaleTo: 1,
    });
  });

  it('tells the fill-in length limit', () => {
    expect(learnerView(fillIn, HIDDEN)).toMatchObject({ kind: 'FILL_IN', maxLength: 1000 });
  });
});

describe('learnerView once answers are released', () => {
  const all: ReviewVisibility = { score: true, correctAnswers: true, feedback: true };

  it.each(EVERY_KIND.filter((q) => q.kind !== 'SCALE').map((q) => [q.kind, q] as const))('adds the correct answer of %s', (_k, q) => {
    const view = learnerView(q, { ...all, feedback: false });
    // FILL_IN reveals its first accepted spelling; the other kinds exactly the perfect answer.
    expect(view.correctAnswer).toEqual(q.kind === 'FILL_IN' ? { text: 'ABC123' } : PERFECT[q.id]);
    expect(view.correctAnswer).toEqual(correctAnswerOf(q));
    expect(view).not.toHaveProperty('feedback');
    expect(view).not.toHaveProperty('explanation');
  });

  it('adds feedback and explanation when feedback is visible', () => {
    expect(learnerView(multiple, all)).toMatchObject({
      correctAnswer: { optionIds: ['a', 'b', 'c'] },
      feedback: multiple.feedback,
      explanation: multiple.explanation,
    });
  });

  it('has no correct answer for a scale item', () => {
    expect(learnerView(scale, all)).not.toHaveProperty('correctAnswer');
  });
});

describe('feedbackFor', () => {
  const all: ReviewVisibility = { score: true, correctAnswers: true, feedback: true };
  it.each<[string, Question, unknown, string | null]>([
    ['a correct answer', single, { optionId: 'b' }, '对'],
    ['a wrong answer', single, { optionId: 'a' }, '错'],
    ['a partly right answer', multiple, { optionIds: ['a'] }, '错'],
    ['a scale item', scale, { value: 3 }, null],
  ])('picks the text for %s', (_name, question, answer, expected) => {
    expect(feedbackFor(question, gradeQuestion(question, answer), all)?.['zh-CN'] ?? null).toBe(expected);
  });

  it('gives nothing while feedback is hidden', () => {
    expect(feedbackFor(single, gradeQuestion(single, { optionId: 'b' }), { ...all, feedback: false })).toBeNull();
  });
});
