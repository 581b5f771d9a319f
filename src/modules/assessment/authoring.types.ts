import { Field, Float, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Translations } from '../course/localized';
import { AssessmentKind, GradingMethod, MatchPairView, QuestionKind, ReviewPolicyView } from './assessment.types';
import type { Assessment } from './engine';

/*
 * Authors read an assessment back in the shapes authorAssessment takes, answers included. No
 * learner-facing type references these. Keys are `key`, not `id`: they are unique only within
 * their assessment or question, so a normalized client cache keeps them inside their parent.
 */

@ObjectType('AssessmentOption', { description: 'An item to order or match.', simpleResolvers: true })
export class AssessmentOptionView {
  @Field({ description: 'Key of the item within its question.' })
  key: string;

  @Field(() => Translations)
  text: Translations;
}

@ObjectType('ChoiceOption', { description: 'An option of a choice question.', simpleResolvers: true })
export class ChoiceOptionView extends AssessmentOptionView {
  @Field()
  correct: boolean;
}

@ObjectType('QuestionFeedback', { simpleResolvers: true })
export class QuestionFeedbackView {
  @Field(() => Translations, { nullable: true, description: 'Shown for a fully correct answer.' })
  correct: Translations | null;

  @Field(() => Translations, { nullable: true, description: 'Shown for any other answer.' })
  incorrect: Translations | null;
}

/** The GraphQL type of each question kind. */
export const QUESTION_TYPE = {
  SINGLE_CHOICE: 'SingleChoiceQuestion',
  MULTIPLE_CHOICE: 'MultipleChoiceQuestion',
  TRUE_FALSE: 'TrueFalseQuestion',
  FILL_IN: 'FillInQuestion',
  ORDERING: 'OrderingQuestion',
  MATCHING: 'MatchingQuestion',
  SCALE: 'ScaleQuestion',
} as const;

@InterfaceType('AuthoredQuestion', {
  description: 'A question as authored, answer included; each kind is its own type (select its fields with `... on SingleChoiceQuestion`).',
  resolveType: (q: { kind: keyof typeof QUESTION_TYPE }) => QUESTION_TYPE[q.kind],
})
export abstract class AuthoredQuestionView {
  @Field({ description: 'Key of the question within its assessment (what answers name as questionId).' })
  key: string;

  @Field(() => QuestionKind)
  kind: string;

  @Field(() => Translations)
  prompt: Translations;

  @Field(() => Float, { description: 'Points a fully correct answer earns; 0 for SCALE items.' })
  points: number;

  @Field(() => [String])
  tags: string[];

  @Field(() => Translations, { nullable: true })
  explanation: Translations | null;

  @Field(() => QuestionFeedbackView, { nullable: true })
  feedback: QuestionFeedbackView | null;
}

const question = { implements: AuthoredQuestionView, simpleResolvers: true } as const;

@ObjectType(QUESTION_TYPE.SINGLE_CHOICE, { ...question, description: 'SINGLE_CHOICE: one option is right.' })
export class SingleChoiceQuestionView extends AuthoredQuestionView {
  @Field(() => [ChoiceOptionView], { description: 'Exactly one is correct.' })
  options: ChoiceOptionView[];
}

@ObjectType(QUESTION_TYPE.MULTIPLE_CHOICE, { ...question, description: 'MULTIPLE_CHOICE: one or more options are right.' })
export class MultipleChoiceQuestionView extends AuthoredQuestionView {
  @Field(() => [ChoiceOptionView], { description: 'At least one is correct.' })
  options: ChoiceOptionView[];

  @Field()
  partialCredit: boolean;
}

@ObjectType(QUESTION_TYPE.TRUE_FALSE, { ...question, description: 'TRUE_FALSE: a statement that is true or false.' })
export class TrueFalseQuestionView extends AuthoredQuestionView {
  @Field()
  answer: boolean;
}

@ObjectType(QUESTION_TYPE.FILL_IN, { ...question, description: 'FILL_IN: the learner types the answer.' })
export class FillInQuestionView extends AuthoredQuestionView {
  @Field(() => [String], { description: 'Answers that are right, compared ignoring case, width and spacing.' })
  accepted: string[];
}

@ObjectType(QUESTION_TYPE.ORDERING, { ...question, description: 'ORDERING: the learner puts the items in order.' })
export class OrderingQuestionView extends AuthoredQuestionView {
  @Field(() => [AssessmentOptionView], { description: 'In the right order, first to last.' })
  options: AssessmentOptionView[];

  @Field()
  partialCredit: boolean;
}

@ObjectType(QUESTION_TYPE.MATCHING, { ...question, description: 'MATCHING: the learner matches each left item with a right item.' })
export class MatchingQuestionView extends AuthoredQuestionView {
  @Field(() => [AssessmentOptionView])
  left: AssessmentOptionView[];

  @Field(() => [AssessmentOptionView])
  right: AssessmentOptionView[];

  @Field(() => [MatchPairView], { description: 'The right matches, by item key.' })
  pairs: MatchPairView[];

  @Field()
  partialCredit: boolean;
}

@ObjectType(QUESTION_TYPE.SCALE, { ...question, description: 'SCALE: a bipolar or Likert item with no right answer.' })
export class ScaleQuestionView extends AuthoredQuestionView {
  @Field(() => Translations)
  leftPole: Translations;

  @Field(() => Translations)
  rightPole: Translations;

  @Field(() => Int)
  scaleFrom: number;

  @Field(() => Int)
  scaleTo: number;

  @Field()
  reverse: boolean;
}

@ObjectType('AssessmentDrawPool', { simpleResolvers: true })
export class DrawPoolView {
  @Field()
  tag: string;

  @Field(() => Int)
  count: number;
}

@ObjectType('AssessmentScoreBand', { simpleResolvers: true })
export class ScoreBandDefinitionView {
  @Field(() => Int)
  min: number;

  @Field(() => Int)
  max: number;

  @Field(() => Translations)
  label: Translations;

  @Field(() => Translations)
  interpretation: Translations;
}

@ObjectType('AssessmentSettings', { description: 'Every setting, defaults applied.', simpleResolvers: true })
export class AssessmentSettingsView {
  @Field(() => AssessmentKind)
  kind: string;

  @Field(() => Float, { nullable: true, description: 'Null for a SELF_ASSESSMENT.' })
  passingScore: number | null;

  @Field(() => Int, { nullable: true, description: 'Null: unlimited.' })
  attemptsAllowed: number | null;

  @Field(() => GradingMethod)
  gradingMethod: string;

  @Field(() => Int, { nullable: true, description: 'Null: untimed.' })
  timeLimitSeconds: number | null;

  @Field()
  shuffleQuestions: boolean;

  @Field()
  shuffleOptions: boolean;

  @Field(() => [DrawPoolView])
  draw: DrawPoolView[];

  @Field(() => ReviewPolicyView)
  reviewPolicy: ReviewPolicyView;

  @Field(() => [ScoreBandDefinitionView])
  scoreBands: ScoreBandDefinitionView[];
}

/** Authors only: the whole assessment, answers included. */
@ObjectType('AuthoredAssessment', { description: 'Authors: an assessment (settings and questions with their answers), in the shapes authorAssessment takes.' })
export class AuthoredAssessment {
  @Field(() => ID)
  activityId: string;

  @Field({ description: 'The revision is published, so the assessment can no longer change.' })
  frozen: boolean;

  @Field()
  key: string;

  @Field(() => Translations)
  title: Translations;

  @Field(() => Translations, { nullable: true })
  description: Translations | null;

  @Field(() => AssessmentSettingsView)
  settings: AssessmentSettingsView;

  @Field(() => [AuthoredQuestionView], { description: 'In the order authored.' })
  questions: AuthoredQuestionView[];

  @Field(() => GraphQLJSON, {
    description: 'The same assessment as one JSON document (the form setAssessment and course templates take).',
    deprecationReason: 'Untyped: read the typed fields (key, title, description, settings, questions).',
  })
  document: Assessment;
}
