/**
 * The assessment model as plain, JSON-serializable data. Nothing here knows about the database or
 * GraphQL: a course revision stores an `Assessment` as-is, and the engine functions take it back.
 */

/** Text a learner reads: Chinese is required, English is optional (DESIGN §6). */
export interface LocalizedText {
  'zh-CN': string;
  en?: string;
}

export type TextLocale = keyof LocalizedText;

export const QUESTION_KINDS = [
  'SINGLE_CHOICE',
  'MULTIPLE_CHOICE',
  'TRUE_FALSE',
  'FILL_IN',
  'ORDERING',
  'MATCHING',
  'SCALE',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/**
 * An item a learner picks, orders or matches. `id` is stable across revisions and attempts, and
 * learners see it (answers name it), so it must not encode correctness or position (no
 * `right-answer`, no `step-1`, `step-2` in an ORDERING).
 */
export interface QuestionOption {
  id: string;
  text: LocalizedText;
}

/** A choice option; `correct` is authoring data that never reaches a learner before review. */
export interface ChoiceOption extends QuestionOption {
  correct: boolean;
}

/** Shown after grading, depending on the review policy. */
export interface QuestionFeedback {
  correct?: LocalizedText;
  incorrect?: LocalizedText;
}

interface QuestionBase {
  /** Stable id, unique within the assessment; also the SCORM interaction id. */
  id: string;
  prompt: LocalizedText;
  /** Points a fully correct answer earns. */
  points: number;
  feedback?: QuestionFeedback;
  /** Why the answer is what it is, usually citing the lesson it comes from. */
  explanation?: LocalizedText;
  /** Free tags; a tag named in `settings.draw` makes the question part of that pool. */
  tags: string[];
}

export interface SingleChoiceQuestion extends QuestionBase {
  kind: 'SINGLE_CHOICE';
  /** Exactly one is correct. */
  options: ChoiceOption[];
}

export interface MultipleChoiceQuestion extends QuestionBase {
  kind: 'MULTIPLE_CHOICE';
  /** At least one is correct. */
  options: ChoiceOption[];
  /** Credit per option (see `grade.ts`) instead of all-or-nothing. */
  partialCredit: boolean;
}

export interface TrueFalseQuestion extends QuestionBase {
  kind: 'TRUE_FALSE';
  answer: boolean;
}

export interface FillInQuestion extends QuestionBase {
  kind: 'FILL_IN';
  /** Any of these matches, compared case- and width-insensitively (see `text.ts`). */
  accepted: string[];
}

export interface OrderingQuestion extends QuestionBase {
  kind: 'ORDERING';
  /** Stored in the correct order: the stored order IS the answer, so it is never shown as-is. */
  options: QuestionOption[];
  /** Credit per correctly linked neighbour pair (see `grade.ts`) instead of all-or-nothing. */
  partialCredit?: boolean;
}

/** One correct association of a left item with a right item. */
export interface MatchPair {
  left: string;
  right: string;
}

export interface MatchingQuestion extends QuestionBase {
  kind: 'MATCHING';
  /** The prompts column. */
  left: QuestionOption[];
  /** The answers column; may hold more items than `left` (distractors). */
  right: QuestionOption[];
  /** Every left item exactly once; a right item at most once. */
  pairs: MatchPair[];
  /** Credit per correct pair instead of all-or-nothing. */
  partialCredit?: boolean;
}

/**
 * A bipolar or Likert item without a right answer. The learner picks an integer from `scaleFrom`
 * (shown at `leftPole`) to `scaleTo` (shown at `rightPole`), e.g. 10 down to 1; the value is the
 * item's score, mirrored (`scaleFrom + scaleTo - value`) when `reverse` is set.
 */
export interface ScaleQuestion extends QuestionBase {
  kind: 'SCALE';
  /** Scale items earn no points: a self-assessment sums their values instead. */
  points: 0;
  leftPole: LocalizedText;
  rightPole: LocalizedText;
  scaleFrom: number;
  scaleTo: number;
  reverse?: boolean;
}

export type Question =
  | SingleChoiceQuestion
  | MultipleChoiceQuestion
  | TrueFalseQuestion
  | FillInQuestion
  | OrderingQuestion
  | MatchingQuestion
  | ScaleQuestion;

export type QuestionOfKind<K extends QuestionKind> = Extract<Question, { kind: K }>;

export const ASSESSMENT_KINDS = ['GRADED', 'SELF_ASSESSMENT'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export const GRADING_METHODS = ['HIGHEST', 'AVERAGE', 'FIRST', 'LAST'] as const;
export type GradingMethod = (typeof GRADING_METHODS)[number];

/** Ordered from least to most revealing; each level includes the ones before it. */
export const REVIEW_SHOW_LEVELS = ['NOTHING', 'SCORE', 'CORRECT_ANSWERS', 'FEEDBACK'] as const;
export type ReviewShow = (typeof REVIEW_SHOW_LEVELS)[number];

export const REVIEW_WHEN = ['IMMEDIATELY', 'AFTER_PASSING', 'AFTER_LAST_ATTEMPT'] as const;
export type ReviewWhen = (typeof REVIEW_WHEN)[number];

/** What a learner may see of a submitted attempt (`show`), and from when on (`when`). */
export interface ReviewPolicy {
  show: ReviewShow;
  when: ReviewWhen;
}

/** `count` questions drawn at random from those tagged `tag`, per attempt. */
export interface DrawPool {
  tag: string;
  count: number;
}

/** A self-assessment result range, inclusive at both ends (sums of integers are integers). */
export interface ScoreBand {
  min: number;
  max: number;
  label: LocalizedText;
  interpretation: LocalizedText;
}

export interface AssessmentSettings {
  kind: AssessmentKind;
  /** Percent 0..100 needed to pass a GRADED assessment; null for a SELF_ASSESSMENT. */
  passingScore: number | null;
  /** null = unlimited. */
  attemptsAllowed: number | null;
  gradingMethod: GradingMethod;
  /** null = untimed; enforced by the server. */
  timeLimitSeconds: number | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  /** Pools; questions carrying none of these tags are always included. */
  draw: DrawPool[];
  reviewPolicy: ReviewPolicy;
  /** SELF_ASSESSMENT only: bands covering every possible sum, without gaps or overlaps. */
  scoreBands: ScoreBand[];
}

export interface Assessment {
  /** Stable key of the authored assessment (e.g. `etiquette-quiz`); not a database id. */
  key: string;
  title: LocalizedText;
  description?: LocalizedText;
  settings: AssessmentSettings;
  questions: Question[];
}

// Learner answers: one JSON shape per question kind.

export interface SingleChoiceAnswer {
  optionId: string;
}
export interface MultipleChoiceAnswer {
  optionIds: string[];
}
export interface TrueFalseAnswer {
  value: boolean;
}
export interface FillInAnswer {
  text: string;
}
/** A full permutation of the option ids, first to last. */
export interface OrderingAnswer {
  optionIds: string[];
}
export interface MatchingAnswer {
  pairs: MatchPair[];
}
/** An integer within the scale's range, as picked (before any reverse scoring). */
export interface ScaleAnswer {
  value: number;
}

export interface AnswerByKind {
  SINGLE_CHOICE: SingleChoiceAnswer;
  MULTIPLE_CHOICE: MultipleChoiceAnswer;
  TRUE_FALSE: TrueFalseAnswer;
  FILL_IN: FillInAnswer;
  ORDERING: OrderingAnswer;
  MATCHING: MatchingAnswer;
  SCALE: ScaleAnswer;
}
export type AnswerFor<K extends QuestionKind> = AnswerByKind[K];
export type Answer = AnswerByKind[QuestionKind];

/** An attempt's answers keyed by question id. */
export type AnswerMap = Readonly<Record<string, Answer>>;

/** Longest FILL_IN answer a learner may submit, in characters (code points). */
export const FILL_IN_MAX_LENGTH = 1000;

