import type { TranslationsInput } from '../course/localized';
import type {
  AssessmentSettingsInput, AuthorAssessmentInput, ChoiceOptionInput, AssessmentOptionInput, GradedQuestionFieldsInput, QuestionFieldsInput,
  QuestionInput,
} from './authoring.inputs';
import { AUTHORING_DEFAULTS as D } from './authoring.defaults';
import {
  IssueList, validateAssessment, type Assessment, type AssessmentSettings, type ChoiceOption, type Issue, type IssuePath, type LocalizedText,
  type Question, type QuestionKind, type QuestionOption,
} from './engine';

/** The field of `QuestionInput` that holds each kind. */
export const KIND_FIELD = {
  SINGLE_CHOICE: 'singleChoice',
  MULTIPLE_CHOICE: 'multipleChoice',
  TRUE_FALSE: 'trueFalse',
  FILL_IN: 'fillIn',
  ORDERING: 'ordering',
  MATCHING: 'matching',
  SCALE: 'scale',
} as const satisfies Record<QuestionKind, keyof QuestionInput>;

type KindField = (typeof KIND_FIELD)[QuestionKind];
const KIND_OF = Object.fromEntries(Object.entries(KIND_FIELD).map(([kind, field]) => [field, kind])) as Record<KindField, QuestionKind>;

/** The stored form of a text, trimmed: the API's `zhCN` is stored as `zh-CN`, as course titles are. */
function text(input: TranslationsInput): LocalizedText {
  const en = input.en?.trim();
  return en ? { 'zh-CN': input.zhCN.trim(), en } : { 'zh-CN': input.zhCN.trim() };
}

const option = (o: AssessmentOptionInput): QuestionOption => ({ id: o.key, text: text(o.text) });
const choice = (o: ChoiceOptionInput): ChoiceOption => ({ ...option(o), correct: o.correct ?? D.correct });

function common(q: QuestionFieldsInput): Omit<Question, 'kind' | 'points'> {
  const feedback = q.feedback && {
    ...(q.feedback.correct ? { correct: text(q.feedback.correct) } : {}),
    ...(q.feedback.incorrect ? { incorrect: text(q.feedback.incorrect) } : {}),
  };
  return {
    id: q.key, prompt: text(q.prompt), tags: q.tags ?? [],
    ...(q.explanation ? { explanation: text(q.explanation) } : {}),
    ...(feedback && Object.keys(feedback).length ? { feedback } : {}),
  };
}

const graded = (q: GradedQuestionFieldsInput) => ({ ...common(q), points: q.points ?? D.points });

/** One question in the engine's form, with the defaults applied. */
function question(kind: QuestionKind, input: QuestionInput): Question {
  switch (kind) {
    case 'SINGLE_CHOICE': {
      const q = input.singleChoice!;
      return { ...graded(q), kind, options: q.options.map(choice) };
    }
    case 'MULTIPLE_CHOICE': {
      const q = input.multipleChoice!;
      return { ...graded(q), kind, options: q.options.map(choice), partialCredit: q.partialCredit ?? D.partialCredit };
    }
    case 'TRUE_FALSE':
      return { ...graded(input.trueFalse!), kind, answer: input.trueFalse!.answer };
    case 'FILL_IN':
      return { ...graded(input.fillIn!), kind, accepted: input.fillIn!.accepted };
    case 'ORDERING': {
      const q = input.ordering!;
      return { ...graded(q), kind, options: q.options.map(option), partialCredit: q.partialCredit ?? D.partialCredit };
    }
    case 'MATCHING': {
      const q = input.matching!;
      const pairs = q.pairs.map((p) => ({ left: p.left, right: p.right }));
      return { ...graded(q), kind, left: q.left.map(option), right: q.right.map(option), pairs, partialCredit: q.partialCredit ?? D.partialCredit };
    }
    case 'SCALE': {
      const q = input.scale!;
      return {
        ...common(q), kind, points: 0, leftPole: text(q.leftPole), rightPole: text(q.rightPole),
        scaleFrom: q.scaleFrom ?? D.scaleFrom, scaleTo: q.scaleTo ?? D.scaleTo, reverse: q.reverse ?? D.reverse,
      };
    }
  }
}

function settings(input: AssessmentSettingsInput | null | undefined): AssessmentSettings {
  const s = input ?? {};
  const kind = (s.kind ?? D.kind) as AssessmentSettings['kind'];
  return {
    kind,
    passingScore: s.passingScore ?? (kind === 'GRADED' ? D.passingScore : null),
    attemptsAllowed: s.attemptsAllowed ?? null,
    gradingMethod: (s.gradingMethod ?? D.gradingMethod) as AssessmentSettings['gradingMethod'],
    timeLimitSeconds: s.timeLimitSeconds ?? null,
    shuffleQuestions: s.shuffleQuestions ?? D.shuffleQuestions,
    shuffleOptions: s.shuffleOptions ?? D.shuffleOptions,
    draw: (s.draw ?? []).map((p) => ({ tag: p.tag, count: p.count })),
    reviewPolicy: {
      show: (s.reviewPolicy?.show ?? D.reviewPolicy.show) as AssessmentSettings['reviewPolicy']['show'],
      when: (s.reviewPolicy?.when ?? D.reviewPolicy.when) as AssessmentSettings['reviewPolicy']['when'],
    },
    scoreBands: (s.scoreBands ?? []).map((b) => ({ min: b.min, max: b.max, label: text(b.label), interpretation: text(b.interpretation) })),
  };
}

/** The kind of each question: its one field set (GraphQL's @oneOf guarantees it; other callers are checked). */
function kindsOf(questions: readonly QuestionInput[], issues: IssueList): QuestionKind[] {
  const kinds: QuestionKind[] = [];
  questions.forEach((q, i) => {
    const set = (Object.keys(KIND_OF) as KindField[]).filter((field) => q[field] != null);
    if (set.length === 1) kinds.push(KIND_OF[set[0]]);
    else issues.add('INVALID', 'set exactly one field, the one of the question\'s kind', ['questions', i]);
  });
  return kinds;
}

/**
 * Where an engine issue is in the typed input: a question's fields sit under its kind's field,
 * ids are `key`s and Chinese is `zhCN`.
 */
function inputPath(path: IssuePath, kinds: readonly QuestionKind[]): IssuePath {
  const rename = (part: string | number): string | number => (part === 'zh-CN' ? 'zhCN' : part === 'id' ? 'key' : part);
  if (path[0] !== 'questions' || typeof path[1] !== 'number') return path.map(rename);
  const [, index, field, ...rest] = path;
  const kindField = KIND_FIELD[kinds[index]];
  // A question of the wrong kind (e.g. in a self-assessment) is at fault as a whole.
  const inner = field === 'kind' || field === undefined ? [] : [field, ...rest];
  return ['questions', index, kindField, ...inner.map(rename)];
}

/**
 * Builds the engine's assessment from the typed input, defaults applied, and checks it with the
 * engine's authoring rules. Issue paths are the input's (relative to it).
 */
export function assessmentFromInput(input: AuthorAssessmentInput): { ok: true; assessment: Assessment } | { ok: false; issues: Issue[] } {
  const issues = new IssueList();
  const kinds = kindsOf(input.questions, issues);
  if (!issues.ok) return { ok: false, issues: issues.items };
  const assessment: Assessment = {
    key: input.key,
    title: text(input.title),
    ...(input.description ? { description: text(input.description) } : {}),
    settings: settings(input.settings),
    questions: input.questions.map((q, i) => question(kinds[i], q)),
  };
  const found = validateAssessment(assessment);
  if (!found.length) return { ok: true, assessment };
  return { ok: false, issues: found.map((issue) => ({ ...issue, path: inputPath(issue.path, kinds) })) };
}
