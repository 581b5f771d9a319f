import type {
  Assessment,
  AssessmentSettings,
  FillInQuestion,
  MatchingQuestion,
  MultipleChoiceQuestion,
  OrderingQuestion,
  Question,
  ScaleQuestion,
  SingleChoiceQuestion,
  TrueFalseQuestion,
} from '../../../src/modules/assessment/engine';

const text = (zh: string) => ({ 'zh-CN': zh, en: zh.toUpperCase() });
const feedback = { correct: text('对'), incorrect: text('错') };
const common = { points: 2, feedback, explanation: text('见第1章'), tags: [] as string[] };

export const single: SingleChoiceQuestion = {
  ...common,
  id: 'single',
  kind: 'SINGLE_CHOICE',
  prompt: text('单选'),
  options: [
    { id: 'a', text: text('A'), correct: false },
    { id: 'b', text: text('B'), correct: true },
    { id: 'c', text: text('C'), correct: false },
  ],
};

export const multiple: MultipleChoiceQuestion = {
  ...common,
  id: 'multiple',
  kind: 'MULTIPLE_CHOICE',
  prompt: text('多选'),
  partialCredit: true,
  points: 3,
  options: [
    { id: 'a', text: text('A'), correct: true },
    { id: 'b', text: text('B'), correct: true },
    { id: 'c', text: text('C'), correct: true },
    { id: 'd', text: text('D'), correct: false },
    { id: 'e', text: text('E'), correct: false },
  ],
};

export const trueFalse: TrueFalseQuestion = { ...common, id: 'tf', kind: 'TRUE_FALSE', prompt: text('判断'), answer: false, points: 1 };

export const fillIn: FillInQuestion = { ...common, id: 'fill', kind: 'FILL_IN', prompt: text('填空'), accepted: ['ABC123', '三'] };

export const ordering: OrderingQuestion = {
  ...common,
  id: 'order',
  kind: 'ORDERING',
  prompt: text('排序'),
  options: ['s1', 's2', 's3', 's4'].map((id) => ({ id, text: text(id) })),
};

export const matching: MatchingQuestion = {
  ...common,
  id: 'match',
  kind: 'MATCHING',
  prompt: text('配对'),
  left: ['l1', 'l2', 'l3'].map((id) => ({ id, text: text(id) })),
  right: ['r1', 'r2', 'r3', 'rx'].map((id) => ({ id, text: text(id) })),
  pairs: [
    { left: 'l1', right: 'r1' },
    { left: 'l2', right: 'r2' },
    { left: 'l3', right: 'r3' },
  ],
};

export const scale: ScaleQuestion = {
  ...common,
  id: 'scale',
  kind: 'SCALE',
  prompt: text('量表'),
  points: 0,
  leftPole: text('左'),
  rightPole: text('右'),
  scaleFrom: 10,
  scaleTo: 1,
};

/** One question of every kind. */
export const EVERY_KIND: Question[] = [single, multiple, trueFalse, fillIn, ordering, matching, scale];

export const gradedSettings: AssessmentSettings = {
  kind: 'GRADED',
  passingScore: 60,
  attemptsAllowed: 3,
  gradingMethod: 'HIGHEST',
  timeLimitSeconds: 600,
  shuffleQuestions: false,
  shuffleOptions: false,
  draw: [],
  reviewPolicy: { show: 'FEEDBACK', when: 'AFTER_LAST_ATTEMPT' },
  scoreBands: [],
};

/** A valid graded assessment with every kind of question (the scale item is ungraded). */
export function gradedAssessment(overrides: Partial<AssessmentSettings> = {}, questions: Question[] = EVERY_KIND): Assessment {
  return structuredClone({ key: 'fixture', title: text('测验'), settings: { ...gradedSettings, ...overrides }, questions });
}

/** A valid self-assessment of three 1..5 items (sums 3..15), one reverse-scored. */
export function selfAssessment(): Assessment {
  const item = (n: number, reverse = false): ScaleQuestion => ({
    ...scale,
    id: `s${n}`,
    scaleFrom: 1,
    scaleTo: 5,
    ...(reverse && { reverse }),
  });
  const band = (min: number, max: number) => ({ min, max, label: text(`${min}`), interpretation: text(`${min}-${max}`) });
  return structuredClone({
    key: 'self',
    title: text('自评'),
    settings: {
      ...gradedSettings,
      kind: 'SELF_ASSESSMENT' as const,
      passingScore: null,
      reviewPolicy: { show: 'FEEDBACK' as const, when: 'IMMEDIATELY' as const },
      scoreBands: [band(3, 6), band(7, 11), band(12, 15)],
    },
    questions: [item(1), item(2), item(3, true)],
  });
}

/** A perfect answer for a gradable question. */
export const PERFECT: Record<string, unknown> = {
  single: { optionId: 'b' },
  multiple: { optionIds: ['a', 'b', 'c'] },
  tf: { value: false },
  fill: { text: 'abc123' },
  order: { optionIds: ['s1', 's2', 's3', 's4'] },
  match: { pairs: [{ left: 'l1', right: 'r1' }, { left: 'l2', right: 'r2' }, { left: 'l3', right: 'r3' }] },
  scale: { value: 7 },
};
