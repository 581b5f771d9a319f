import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SuccessStatus } from '../progress/progress.entity';
import { ASSESSMENT_KINDS, GRADING_METHODS, QUESTION_KINDS, REVIEW_SHOW_LEVELS, REVIEW_WHEN, type Assessment } from './engine';

/*
 * Learner-facing types carry only what a learner may see: there is no field for correctness
 * flags, accepted answers or matching pairs. Correct answers reach a learner only through
 * `QuestionReview`, which exists only when the review policy releases it. Authors read the full
 * assessment through `AuthoredAssessment` (authoring.types.ts), which no learner-facing type references.
 */

const enumOf = <T extends string>(values: readonly T[]): { [K in T]: K } =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

/** The engine's vocabularies as GraphQL enums (values and names are the engine's). */
export const QuestionKind = enumOf(QUESTION_KINDS);
registerEnumType(QuestionKind, { name: 'QuestionKind', description: 'How a question is answered.' });
export const AssessmentKind = enumOf(ASSESSMENT_KINDS);
registerEnumType(AssessmentKind, { name: 'AssessmentKind', description: 'GRADED: scored against a passing score; SELF_ASSESSMENT: the sum of scale items, read against score bands.' });
export const GradingMethod = enumOf(GRADING_METHODS);
registerEnumType(GradingMethod, { name: 'GradingMethod', description: 'Which result counts across attempts.' });
export const ReviewShow = enumOf(REVIEW_SHOW_LEVELS);
registerEnumType(ReviewShow, { name: 'ReviewShow', description: 'What a learner sees after submitting: each level includes the ones before.' });
export const ReviewWhen = enumOf(REVIEW_WHEN);
registerEnumType(ReviewWhen, { name: 'ReviewWhen', description: 'From when on correct answers and feedback are shown.' });

/** Engine correctness values under GraphQL names. */
export const Correctness = { CORRECT: 'correct', INCORRECT: 'incorrect', PARTIAL: 'partial', NEUTRAL: 'neutral' } as const;
registerEnumType(Correctness, { name: 'Correctness', description: 'How an answer fared; scale items are NEUTRAL.' });

@ObjectType('AssessmentReviewPolicy', { simpleResolvers: true })
export class ReviewPolicyView {
  @Field(() => ReviewShow)
  show: string;

  @Field(() => ReviewWhen)
  when: string;
}

@ObjectType('ScoreBandResult', { description: "The self-assessment band a total falls in, with what it means.", simpleResolvers: true })
export class ScoreBandView {
  @Field(() => Int)
  min: number;

  @Field(() => Int)
  max: number;

  @Field()
  label: string;

  @Field()
  interpretation: string;
}

@ObjectType('AssessmentScore', { description: 'A result in the SCORM score shape.', simpleResolvers: true })
export class ScoreView {
  @Field(() => Float)
  raw: number;

  @Field(() => Float)
  min: number;

  @Field(() => Float)
  max: number;

  @Field(() => Float, { description: '0..1' })
  scaled: number;

  @Field(() => Float, { description: 'scaled as a percentage, two decimals.' })
  percent: number;

  @Field(() => Boolean, { nullable: true, description: 'Null for a self-assessment.' })
  passed: boolean | null;

  @Field(() => SuccessStatus)
  successStatus: SuccessStatus;

  @Field(() => ScoreBandView, { nullable: true, description: 'Self-assessments: the band of the total.' })
  band: ScoreBandView | null;
}

/** What a learner sees of an assessment outside an attempt: its rules, never its questions. */
@ObjectType('AssessmentInfo', { description: 'An assessment as a learner sees it before starting: title, rules and their own attempts.', simpleResolvers: true })
export class AssessmentInfo {
  @Field(() => ID, { description: 'Globally unique (one per activity), so that a normalized client cache updates the counts when a mutation returns them.' })
  id: string;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => AssessmentKind)
  kind: string;

  @Field(() => Float, { nullable: true, description: 'Percent needed to pass; null for a self-assessment.' })
  passingScore: number | null;

  @Field(() => Int, { nullable: true, description: 'Null: unlimited.' })
  attemptsAllowed: number | null;

  @Field(() => GradingMethod)
  gradingMethod: string;

  @Field(() => Int, { nullable: true, description: 'Null: untimed.' })
  timeLimitSeconds: number | null;

  @Field(() => Int, { description: 'Questions in each attempt.' })
  questionCount: number;

  @Field(() => ReviewPolicyView)
  reviewPolicy: ReviewPolicyView;

  activityId: string;
  assessment: Assessment;
}

@ObjectType('AttemptOption', { description: 'An item to pick, order or match.', simpleResolvers: true })
export class OptionView {
  @Field({ description: "The option's key within its question (what answers name); not an object id, so a normalized cache keeps options inside their question." })
  key: string;

  @Field()
  text: string;
}

@ObjectType('MatchPair', { simpleResolvers: true })
export class MatchPairView {
  @Field()
  left: string;

  @Field()
  right: string;
}

@ObjectType('AnswerValue', { description: 'An answer; the field that applies to the question kind is set.', simpleResolvers: true })
export class AnswerView {
  @Field(() => String, { nullable: true, description: 'SINGLE_CHOICE' })
  optionId?: string;

  @Field(() => [String], { nullable: true, description: 'MULTIPLE_CHOICE (any order), ORDERING (first to last)' })
  optionIds?: string[];

  @Field(() => Boolean, { nullable: true, description: 'TRUE_FALSE' })
  value?: boolean;

  @Field(() => String, { nullable: true, description: 'FILL_IN' })
  text?: string;

  @Field(() => [MatchPairView], { nullable: true, description: 'MATCHING' })
  pairs?: MatchPairView[];

  @Field(() => Int, { nullable: true, description: 'SCALE: the value picked' })
  scale?: number;
}

@ObjectType('QuestionReview', { description: 'How a submitted answer fared; present only when the review policy releases correct answers.', simpleResolvers: true })
export class QuestionReviewView {
  @Field(() => Correctness)
  correctness: string;

  @Field(() => Float)
  earned: number;

  @Field(() => Float)
  max: number;

  @Field(() => Int, { nullable: true, description: 'SCALE: the score the value counts for (mirrored when the item is reverse-scored).' })
  scaleScore: number | null;

  @Field(() => AnswerView, { nullable: true, description: 'Null for SCALE items, which have none.' })
  correctAnswer: AnswerView | null;

  @Field(() => String, { nullable: true, description: 'Present when the policy releases feedback.' })
  feedback: string | null;

  @Field(() => String, { nullable: true, description: 'Present when the policy releases feedback.' })
  explanation: string | null;
}

@ObjectType('AttemptQuestion', { description: 'A question of an attempt as the learner sees it, in the attempt\'s fixed order.', simpleResolvers: true })
export class AttemptQuestionView {
  @Field({ description: "The question's key within its assessment (what answers name as questionId); not an object id, so a normalized cache keeps questions inside their attempt." })
  key: string;

  @Field(() => QuestionKind)
  kind: string;

  @Field()
  prompt: string;

  @Field(() => Float)
  points: number;

  @Field(() => [OptionView], { nullable: true, description: 'SINGLE_CHOICE, MULTIPLE_CHOICE, ORDERING (in the order shown).' })
  options: OptionView[] | null;

  @Field(() => [OptionView], { nullable: true, description: 'MATCHING: the prompts column.' })
  left: OptionView[] | null;

  @Field(() => [OptionView], { nullable: true, description: 'MATCHING: the answers column (may hold extra items).' })
  right: OptionView[] | null;

  @Field(() => String, { nullable: true, description: 'SCALE: the text at scaleFrom.' })
  leftPole: string | null;

  @Field(() => String, { nullable: true, description: 'SCALE: the text at scaleTo.' })
  rightPole: string | null;

  @Field(() => Int, { nullable: true })
  scaleFrom: number | null;

  @Field(() => Int, { nullable: true })
  scaleTo: number | null;

  @Field(() => Int, { nullable: true, description: 'FILL_IN: longest answer accepted, in characters.' })
  maxLength: number | null;

  @Field(() => AnswerView, { nullable: true, description: 'Your saved answer.' })
  response: AnswerView | null;

  @Field(() => Date, { nullable: true, description: 'When your answer was last saved.' })
  answeredAt: Date | null;

  @Field(() => QuestionReviewView, { nullable: true })
  review: QuestionReviewView | null;
}

@ObjectType('AttemptReview', { description: 'What the review policy lets you see of this attempt now.', simpleResolvers: true })
export class ReviewView {
  @Field()
  score: boolean;

  @Field()
  correctAnswers: boolean;

  @Field()
  feedback: boolean;
}
