import { normalizeAnswerText } from './text';
import { validateAnswer } from './validate-answer';
import { scaleSumRange } from './validate';
import type {
  AnswerFor,
  Assessment,
  AssessmentKind,
  FillInQuestion,
  GradingMethod,
  MatchingQuestion,
  MultipleChoiceQuestion,
  OrderingQuestion,
  Question,
  QuestionKind,
  ScaleQuestion,
  ScoreBand,
} from './types';

/** How an answer fared; SCALE items have no right answer and are always `neutral`. */
export type Correctness = 'correct' | 'incorrect' | 'partial' | 'neutral';

/** SCORM `success_status` of an attempt. */
export type SuccessStatus = 'passed' | 'failed' | 'unknown';

export interface QuestionGrade {
  questionId: string;
  kind: QuestionKind;
  /** False when there was no answer, or one that does not fit the question (graded as no answer). */
  answered: boolean;
  earned: number;
  max: number;
  correctness: Correctness;
  /** SCALE only: the item's score after reverse scoring; null otherwise or when unanswered. */
  scaleScore: number | null;
}

/** The score summary shared by one attempt and a combination of attempts. */
export interface ScoreSummary {
  raw: number;
  min: number;
  max: number;
  /** (raw - min) / (max - min), clamped to 0..1: SCORM `score.scaled`. */
  scaled: number;
  /** `scaled` as a percentage rounded to two decimals. */
  percent: number;
  /** null for a self-assessment, which is never passed or failed. */
  passed: boolean | null;
  success: SuccessStatus;
  /** Self-assessment only: the band the sum falls in; null while items are unanswered. */
  band: ScoreBand | null;
}

export interface AttemptGrade extends ScoreSummary {
  kind: AssessmentKind;
  passingScore: number | null;
  questions: QuestionGrade[];
  /** Ids of questions without a (valid) answer. */
  unanswered: string[];
}

export interface CombinedGrade extends ScoreSummary {
  method: GradingMethod;
  attemptCount: number;
  /** The attempt the result was taken from; null for AVERAGE. */
  attemptIndex: number | null;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Grades one answer on the server. `raw` is the stored answer JSON; one that is missing or does
 * not fit the question earns nothing. Scoring rules per kind:
 * - SINGLE_CHOICE, TRUE_FALSE: all or nothing.
 * - FILL_IN: correct when it equals an accepted answer after `normalizeAnswerText` (case, width,
 *   whitespace ignored).
 * - MULTIPLE_CHOICE: all or nothing (the selected set equals the correct set), or with
 *   `partialCredit`: points × max(0, (correct selected − wrong selected) / correct total), so
 *   ticking every box does not pay.
 * - ORDERING: all or nothing, or with `partialCredit`: points × (neighbour links kept / (n − 1)),
 *   a link being "item k is placed right before item k+1 of the correct order". One item out of
 *   place costs at most two links instead of every position after it.
 * - MATCHING: all or nothing, or with `partialCredit`: points × (correct pairs / pairs).
 * - SCALE: neutral, no points; `scaleScore` is the value, mirrored when `reverse`.
 */
export function gradeQuestion(question: Question, raw: unknown): QuestionGrade {
  if (question.kind === 'SCALE') return gradeScale(question, raw);
  const fraction = raw === undefined || raw === null ? null : fractionOf(question, raw);
  const earned = fraction === null ? 0 : round(question.points * fraction, 4);
  const correctness: Correctness = fraction === 1 ? 'correct' : fraction !== null && fraction > 0 ? 'partial' : 'incorrect';
  return {
    questionId: question.id, kind: question.kind, answered: fraction !== null,
    earned, max: question.points, correctness, scaleScore: null,
  };
}

function gradeScale(question: ScaleQuestion, raw: unknown): QuestionGrade {
  const check = raw === undefined || raw === null ? null : validateAnswer(question, raw);
  const value = check?.ok ? check.answer.value : null;
  const scaleScore = value === null ? null : question.reverse ? question.scaleFrom + question.scaleTo - value : value;
  return { questionId: question.id, kind: 'SCALE', answered: value !== null, earned: 0, max: 0, correctness: 'neutral', scaleScore };
}

/** Share of the points earned, 0..1; null when the answer does not fit the question. */
function fractionOf(question: Exclude<Question, ScaleQuestion>, raw: unknown): number | null {
  switch (question.kind) {
    case 'SINGLE_CHOICE':
      return scored(question, raw, (q, a) => (q.options.find((o) => o.id === a.optionId)?.correct ? 1 : 0));
    case 'MULTIPLE_CHOICE':
      return scored(question, raw, (q, a) => multipleChoiceFraction(q, a.optionIds));
    case 'TRUE_FALSE':
      return scored(question, raw, (q, a) => (a.value === q.answer ? 1 : 0));
    case 'FILL_IN':
      return scored(question, raw, (q, a) => (fillInMatches(q, a.text) ? 1 : 0));
    case 'ORDERING':
      return scored(question, raw, (q, a) => orderingFraction(q, a.optionIds));
    case 'MATCHING':
      return scored(question, raw, (q, a) => matchingFraction(q, a.pairs));
  }
}

function scored<Q extends Question>(question: Q, raw: unknown, score: (q: Q, answer: AnswerFor<Q['kind']>) => number): number | null {
  const check = validateAnswer(question, raw);
  return check.ok ? score(question, check.answer) : null;
}

function multipleChoiceFraction(q: MultipleChoiceQuestion, selected: readonly string[]): number {
  const correctIds = new Set(q.options.filter((o) => o.correct).map((o) => o.id));
  const right = selected.filter((id) => correctIds.has(id)).length;
  const wrong = selected.length - right;
  if (!q.partialCredit) return right === correctIds.size && wrong === 0 ? 1 : 0;
  return Math.max(0, (right - wrong) / correctIds.size);
}

/** Exported for tests and for showing a learner why a text was (not) accepted. */
export function fillInMatches(q: FillInQuestion, text: string): boolean {
  const given = normalizeAnswerText(text);
  return given !== '' && q.accepted.some((accepted) => normalizeAnswerText(accepted) === given);
}

function orderingFraction(q: OrderingQuestion, order: readonly string[]): number {
  const correct = q.options.map((o) => o.id);
  if (!q.partialCredit) return correct.every((id, i) => order[i] === id) ? 1 : 0;
  const position = new Map(order.map((id, i) => [id, i]));
  let links = 0;
  for (let k = 0; k + 1 < correct.length; k++) {
    if (position.get(correct[k + 1]) === (position.get(correct[k]) ?? -2) + 1) links++;
  }
  return links / (correct.length - 1);
}

function matchingFraction(q: MatchingQuestion, pairs: readonly { left: string; right: string }[]): number {
  const given = new Map(pairs.map((p) => [p.left, p.right]));
  const right = q.pairs.filter((p) => given.get(p.left) === p.right).length;
  if (!q.partialCredit) return right === q.pairs.length ? 1 : 0;
  return right / q.pairs.length;
}

/**
 * Grades a submitted attempt holding `questionIds` (its plan). GRADED: raw = points earned, max =
 * points available, passed when percent (rounded to two decimals) ≥ passing score. SELF_ASSESSMENT: raw = sum of the scale
 * scores, min/max = lowest/highest possible sum, `band` = the band holding raw (only when every
 * item is answered), no pass/fail (`success: 'unknown'`). Answers to other questions are ignored.
 */
export function gradeAttempt(assessment: Assessment, questionIds: readonly string[], answers: Readonly<Record<string, unknown>>): AttemptGrade {
  const byId = new Map(assessment.questions.map((q) => [q.id, q]));
  const questions = questionIds.map((id) => {
    const question = byId.get(id);
    if (!question) throw new Error(`question "${id}" is not part of assessment "${assessment.key}"`);
    return question;
  });
  const grades = questions.map((q) => gradeQuestion(q, Object.hasOwn(answers, q.id) ? answers[q.id] : undefined));
  const unanswered = grades.filter((g) => !g.answered).map((g) => g.questionId);
  const { kind, passingScore, scoreBands } = assessment.settings;
  const summary = kind === 'GRADED'
    ? gradedSummary(grades, passingScore)
    : selfAssessmentSummary(grades, questions, scoreBands, unanswered.length === 0);
  return { kind, passingScore, questions: grades, unanswered, ...summary };
}

function gradedSummary(grades: readonly QuestionGrade[], passingScore: number | null): ScoreSummary {
  const raw = round(grades.reduce((sum, g) => sum + g.earned, 0), 4);
  const max = round(grades.reduce((sum, g) => sum + g.max, 0), 4);
  return summarize(raw, 0, max, passingScore);
}

function selfAssessmentSummary(
  grades: readonly QuestionGrade[],
  questions: readonly Question[],
  bands: readonly ScoreBand[],
  complete: boolean,
): ScoreSummary {
  const raw = grades.reduce((sum, g) => sum + (g.scaleScore ?? 0), 0);
  const { min, max } = scaleSumRange(questions.filter((q): q is ScaleQuestion => q.kind === 'SCALE'));
  const band = complete ? (bands.find((b) => raw >= b.min && raw <= b.max) ?? null) : null;
  return { ...summarize(raw, min, max, null), band };
}

/** The shared arithmetic; a null passing score means "no pass/fail". */
function summarize(raw: number, min: number, max: number, passingScore: number | null): ScoreSummary {
  const scaled = max > min ? Math.min(1, Math.max(0, (raw - min) / (max - min))) : 0;
  return { raw, min, max, scaled: round(scaled, 6), percent: round(scaled * 100, 2), ...outcome(scaled, passingScore), band: null };
}

function outcome(scaled: number, passingScore: number | null): Pick<ScoreSummary, 'passed' | 'success'> {
  // Decided on the percentage the learner is shown, so "80.00%" never reads as a fail and float
  // noise (or four-decimal partial credit) cannot tip a result that rounds to the threshold.
  const passed = passingScore === null ? null : round(scaled * 100, 2) >= passingScore;
  return { passed, success: passed === null ? 'unknown' : passed ? 'passed' : 'failed' };
}

/**
 * The result that counts across a learner's submitted attempts (oldest first): FIRST, LAST,
 * HIGHEST (by scaled score, the earliest on ties) take one attempt as it was; AVERAGE takes the
 * mean of raw/min/max/scaled and decides passing on the mean (no band). Null when there are none.
 */
export function combineAttempts(grades: readonly AttemptGrade[], method: GradingMethod): CombinedGrade | null {
  if (grades.length === 0) return null;
  const base = { method, attemptCount: grades.length };
  if (method === 'AVERAGE') {
    const mean = (pick: (g: AttemptGrade) => number): number => round(grades.reduce((s, g) => s + pick(g), 0) / grades.length, 6);
    const scaled = mean((g) => g.scaled);
    const outcomeOfMean = outcome(scaled, grades[0].passingScore);
    return {
      ...base, raw: mean((g) => g.raw), min: mean((g) => g.min), max: mean((g) => g.max),
      scaled, percent: round(scaled * 100, 2), ...outcomeOfMean, band: null, attemptIndex: null,
    };
  }
  const index = method === 'FIRST' ? 0 : method === 'LAST' ? grades.length - 1 : highestIndex(grades);
  const { raw, min, max, scaled, percent, passed, success, band } = grades[index];
  return { ...base, raw, min, max, scaled, percent, passed, success, band, attemptIndex: index };
}

function highestIndex(grades: readonly AttemptGrade[]): number {
  return grades.reduce((best, g, i) => (g.scaled > grades[best].scaled ? i : best), 0);
}
