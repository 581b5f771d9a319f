import { correctAnswerOf } from './correct-answer';
import { concealOrder, planOptionOrder } from './draw';
import type { QuestionGrade } from './grade';
import {
  FILL_IN_MAX_LENGTH,
  REVIEW_SHOW_LEVELS,
  type Answer,
  type LocalizedText,
  type Question,
  type QuestionFeedback,
  type QuestionOption,
  type ReviewPolicy,
  type ReviewShow,
} from './types';

/** Where a learner stands with an assessment when they look at an attempt. */
export interface ReviewState {
  /** Whether the attempt being looked at has been submitted. */
  submitted: boolean;
  /** Whether the learner has passed the assessment (any attempt, as the grading method says). */
  passed: boolean;
  attemptsUsed: number;
  /** null = unlimited. */
  attemptsAllowed: number | null;
}

/** What a learner may see of an attempt right now. */
export interface ReviewVisibility {
  /** Total score, pass/fail, and a self-assessment's band with its interpretation. */
  score: boolean;
  /** Correct answers and per-question correctness. */
  correctAnswers: boolean;
  /** Feedback texts and explanations. */
  feedback: boolean;
}

/** While an attempt is open nothing is revealed. */
export const HIDDEN: ReviewVisibility = Object.freeze({ score: false, correctAnswers: false, feedback: false });

const atLeast = (show: ReviewShow, level: ReviewShow): boolean =>
  REVIEW_SHOW_LEVELS.indexOf(show) >= REVIEW_SHOW_LEVELS.indexOf(level);

/**
 * Applies a review policy. Nothing is shown before submission. `show` is a ladder (NOTHING <
 * SCORE < CORRECT_ANSWERS < FEEDBACK, each including the ones before). The score is shown as soon
 * as the attempt is submitted; `when` holds back only what gives answers away: correct answers
 * and feedback appear IMMEDIATELY, AFTER_PASSING (once passed) or AFTER_LAST_ATTEMPT (once a
 * limited number of attempts is used up; never with unlimited attempts).
 */
export function reviewVisibility(policy: ReviewPolicy, state: ReviewState): ReviewVisibility {
  if (!state.submitted) return { ...HIDDEN };
  const released =
    policy.when === 'IMMEDIATELY' ||
    (policy.when === 'AFTER_PASSING' && state.passed) ||
    (policy.when === 'AFTER_LAST_ATTEMPT' && state.attemptsAllowed !== null && state.attemptsUsed >= state.attemptsAllowed);
  return {
    score: atLeast(policy.show, 'SCORE'),
    correctAnswers: released && atLeast(policy.show, 'CORRECT_ANSWERS'),
    feedback: released && atLeast(policy.show, 'FEEDBACK'),
  };
}

interface LearnerQuestionBase {
  id: string;
  prompt: LocalizedText;
  points: number;
  /** Only when `correctAnswers` is visible (absent for SCALE). */
  correctAnswer?: Answer;
  /** Only when `feedback` is visible. */
  feedback?: QuestionFeedback;
  explanation?: LocalizedText;
}

/** A question as a learner may see it: no correctness flags, accepted answers or pairs. */
export type LearnerQuestion = LearnerQuestionBase &
  (
    | { kind: 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'ORDERING'; options: QuestionOption[] }
    | { kind: 'TRUE_FALSE' }
    | { kind: 'FILL_IN'; maxLength: number }
    | { kind: 'MATCHING'; left: QuestionOption[]; right: QuestionOption[] }
    | { kind: 'SCALE'; leftPole: LocalizedText; rightPole: LocalizedText; scaleFrom: number; scaleTo: number }
  );

/**
 * The only shape in which a question may leave the server for a learner. It copies what may be
 * shown field by field (never spreading the authored object, so a new authoring field cannot
 * leak), presents options in `optionOrder` (the attempt plan's order for this question), and adds
 * correct answers, feedback and explanations only when `visibility` allows. ORDERING and MATCHING
 * are never presented in an order that gives the answer away, even when `optionOrder` would; a
 * SCALE item's reverse flag is not shown because it tells which end scores high.
 */
export function learnerView(question: Question, visibility: ReviewVisibility, optionOrder?: readonly string[]): LearnerQuestion {
  const base: LearnerQuestionBase = {
    id: question.id,
    prompt: copyText(question.prompt),
    points: question.points,
    ...revealed(question, visibility),
  };
  const order = presentedOrder(question, optionOrder);
  switch (question.kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
    case 'ORDERING':
      return { ...base, kind: question.kind, options: inOrder(question.options, order) };
    case 'TRUE_FALSE':
      return { ...base, kind: question.kind };
    case 'FILL_IN':
      return { ...base, kind: question.kind, maxLength: FILL_IN_MAX_LENGTH };
    case 'MATCHING':
      return { ...base, kind: question.kind, left: inOrder(question.left, order), right: inOrder(question.right, order) };
    case 'SCALE': {
      const { leftPole, rightPole, scaleFrom, scaleTo } = question;
      return { ...base, kind: question.kind, leftPole: copyText(leftPole), rightPole: copyText(rightPole), scaleFrom, scaleTo };
    }
  }
}

function revealed(question: Question, visibility: ReviewVisibility): Partial<LearnerQuestionBase> {
  const out: Partial<LearnerQuestionBase> = {};
  const answer = visibility.correctAnswers ? correctAnswerOf(question) : null;
  if (answer) out.correctAnswer = answer;
  if (visibility.feedback && question.feedback) {
    const { correct, incorrect } = question.feedback;
    out.feedback = { ...(correct && { correct: copyText(correct) }), ...(incorrect && { incorrect: copyText(incorrect) }) };
  }
  if (visibility.feedback && question.explanation) out.explanation = copyText(question.explanation);
  return out;
}

function copyText(text: LocalizedText): LocalizedText {
  return text.en === undefined ? { 'zh-CN': text['zh-CN'] } : { 'zh-CN': text['zh-CN'], en: text.en };
}

/** Options of `options` that appear in `order`, in that order, reduced to id and text. */
function inOrder(options: readonly QuestionOption[], order: readonly string[]): QuestionOption[] {
  const byId = new Map(options.map((o) => [o.id, o]));
  return order.flatMap((id) => {
    const option = byId.get(id);
    return option ? [{ id: option.id, text: copyText(option.text) }] : [];
  });
}

/**
 * The order to present, checked to be a permutation of the question's ids. Without one, choice
 * lists keep their authored order and ORDERING/MATCHING get a fixed shuffle (never the answer).
 */
function presentedOrder(question: Question, order: readonly string[] | undefined): string[] {
  const fallback = planOptionOrder(question, false, question.id) ?? [];
  if (!order) return fallback;
  const expected = new Set(fallback);
  if (order.length !== expected.size || new Set(order).size !== order.length || !order.every((id) => expected.has(id))) {
    throw new Error(`option order does not match the options of question "${question.id}"`);
  }
  return question.kind === 'ORDERING' || question.kind === 'MATCHING' ? concealOrder(question, order) : [...order];
}

/** The feedback text that goes with a graded answer, when the learner may see feedback. */
export function feedbackFor(question: Question, grade: QuestionGrade, visibility: ReviewVisibility): LocalizedText | null {
  if (!visibility.feedback || grade.correctness === 'neutral') return null;
  const text = grade.correctness === 'correct' ? question.feedback?.correct : question.feedback?.incorrect;
  return text ? copyText(text) : null;
}
