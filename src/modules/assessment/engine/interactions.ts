import type { QuestionGrade } from './grade';
import { validateAnswer } from './validate-answer';
import type { AnswerFor, Question } from './types';

/** The SCORM 2004 interaction types a native quiz produces. */
export type InteractionType = 'true-false' | 'choice' | 'fill-in' | 'long-fill-in' | 'sequencing' | 'matching' | 'likert';

/** `correct`/`incorrect`/`neutral`, or the share of the points earned (0..1) for partial credit. */
export type InteractionResult = 'correct' | 'incorrect' | 'neutral' | number;

/**
 * One `cmi.interactions.n` record. There are deliberately no `correct_responses`: interactions are
 * part of the progress a learner can read back, and they must not carry answers the review policy
 * has not released.
 */
export interface ScormInteraction {
  id: string;
  type: InteractionType;
  /** The prompt in Chinese, so reports can show what was asked. */
  description: string;
  weighting: number;
  learner_response: string;
  result: InteractionResult;
  /** When the question was first shown (SCORM `time`); absent when unknown. */
  timestamp?: string;
  /** From first shown to answered (SCORM `timeinterval`, e.g. `PT12S`); absent when unknown. */
  latency?: string;
}

/** When a question was first shown to the learner and when it was (last) answered. */
export interface InteractionTiming {
  presentedAt: Date | string;
  answeredAt: Date | string;
}

/** SCORM 2004 response delimiters: `[,]` between items, `[.]` between a matching pair's ends. */
const ITEM = '[,]';
const PAIR = '[.]';
/** fill-in holds strings of up to 250 characters; longer ones (or ones containing `[,]`) are long-fill-in. */
const FILL_IN_SPM = 250;

/**
 * A submitted attempt's answers as SCORM 2004 `cmi.interactions`, in the order of `questions`
 * (the attempt plan). Only answered questions become interactions: an interaction records a
 * learner response. `grades` come from `gradeAttempt(...).questions`.
 */
export function toInteractions(
  questions: readonly Question[],
  answers: Readonly<Record<string, unknown>>,
  grades: readonly QuestionGrade[],
  timestamps: Readonly<Record<string, InteractionTiming>>,
): ScormInteraction[] {
  const gradeOf = new Map(grades.map((g) => [g.questionId, g]));
  const out: ScormInteraction[] = [];
  for (const question of questions) {
    const formattedAnswer = Object.hasOwn(answers, question.id) ? learnerResponse(question, answers[question.id]) : null;
    const grade = gradeOf.get(question.id);
    if (!formattedAnswer || !grade) continue;
    const { type, response } = formattedAnswer;
    const timing = Object.hasOwn(timestamps, question.id) ? timestamps[question.id] : undefined;
    out.push({
      id: question.id,
      type,
      description: question.prompt['zh-CN'],
      weighting: question.points,
      learner_response: response,
      result: resultOf(grade),
      ...(timing && { timestamp: scormTime(timing.presentedAt), latency: scormDuration(timing.presentedAt, timing.answeredAt) }),
    });
  }
  return out;
}

function resultOf(grade: QuestionGrade): InteractionResult {
  if (grade.correctness !== 'partial') return grade.correctness;
  return Math.round((grade.earned / grade.max) * 1e7) / 1e7;
}

/**
 * The SCORM 2004 `learner_response` for a raw answer, with the interaction type it implies: choice
 * `a[,]b`, true-false `true`, fill-in the text, sequencing `a[,]b[,]c`, matching
 * `l1[.]r1[,]l2[.]r2`, likert the picked value. Null when the answer does not fit the question.
 */
export function learnerResponse(question: Question, raw: unknown): { type: InteractionType; response: string } | null {
  switch (question.kind) {
    case 'SINGLE_CHOICE':
      return formatted(question, raw, 'choice', (a) => a.optionId);
    case 'MULTIPLE_CHOICE':
      return formatted(question, raw, 'choice', (a) => a.optionIds.join(ITEM));
    case 'TRUE_FALSE':
      return formatted(question, raw, 'true-false', (a) => String(a.value));
    case 'FILL_IN': {
      const check = validateAnswer(question, raw);
      return check.ok ? fillInResponse(check.answer.text) : null;
    }
    case 'ORDERING':
      return formatted(question, raw, 'sequencing', (a) => a.optionIds.join(ITEM));
    case 'MATCHING':
      return formatted(question, raw, 'matching', (a) => a.pairs.map((p) => `${p.left}${PAIR}${p.right}`).join(ITEM));
    case 'SCALE':
      return formatted(question, raw, 'likert', (a) => String(a.value));
  }
}

function formatted<Q extends Question>(
  question: Q,
  raw: unknown,
  type: InteractionType,
  format: (answer: AnswerFor<Q['kind']>) => string,
): { type: InteractionType; response: string } | null {
  const check = validateAnswer(question, raw);
  return check.ok ? { type, response: format(check.answer) } : null;
}

/**
 * Whitespace is collapsed because SCORM strings are single-line; a leading "{" is preceded by a
 * space because SCORM reads "{…}" at the start as a delimiter such as `{lang=…}`.
 */
function fillInResponse(text: string): { type: InteractionType; response: string } {
  const collapsed = text.trim().replace(/\s+/gu, ' ');
  const response = collapsed.startsWith('{') ? ` ${collapsed}` : collapsed;
  const long = [...response].length > FILL_IN_SPM || response.includes(ITEM);
  return { type: long ? 'long-fill-in' : 'fill-in', response };
}

/** SCORM `time`: ISO 8601 in UTC with at most two decimals of a second (e.g. `2024-05-01T08:30:00.25Z`). */
export function scormTime(at: Date | string): string {
  return `${new Date(at).toISOString().slice(0, 22)}Z`;
}

/** SCORM `timeinterval` between two instants, e.g. `PT12S`, `PT1M3.5S`, `PT2H`; never negative. */
export function scormDuration(from: Date | string, to: Date | string): string {
  const centis = Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 10));
  const hours = Math.floor(centis / 360000);
  const minutes = Math.floor((centis % 360000) / 6000);
  const seconds = (centis % 6000) / 100;
  const parts = [hours ? `${hours}H` : '', minutes ? `${minutes}M` : '', seconds || (!hours && !minutes) ? `${seconds}S` : ''];
  return `PT${parts.join('')}`;
}
