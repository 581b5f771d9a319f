import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { OneOf } from '../../shared/one-of';
import { TranslationsInput } from '../course/localized';
import { MatchPairInput } from './assessment.inputs';
import { AssessmentKind, GradingMethod, ReviewShow, ReviewWhen } from './assessment.types';
import { AUTHORING_DEFAULTS as D } from './authoring.defaults';

/*
 * The assessment document as typed input, one input type per question kind. Every optional field
 * says its default, which the server applies when the field is left out or null.
 */

@InputType({ description: 'What a learner is told after answering, when the review policy releases FEEDBACK.' })
export class QuestionFeedbackInput {
  @Field(() => TranslationsInput, { nullable: true, description: 'Shown for a fully correct answer.' })
  correct?: TranslationsInput | null;

  @Field(() => TranslationsInput, { nullable: true, description: 'Shown for any other answer.' })
  incorrect?: TranslationsInput | null;
}

@InputType({ description: 'An item to order or match.' })
export class AssessmentOptionInput {
  @Field({ description: 'Key of the item within its question: 1-64 letters, digits, "_" or "-". Learners see it (answers name it), so it must not give the answer away (no "right", no "step-1").' })
  key: string;

  @Field(() => TranslationsInput, { description: 'Up to 500 characters.' })
  text: TranslationsInput;
}

@InputType({ description: 'An option of a choice question.' })
export class ChoiceOptionInput extends AssessmentOptionInput {
  @Field(() => Boolean, { nullable: true, description: `Whether picking it is right. Default: ${D.correct}.` })
  correct?: boolean | null;
}

/** The fields every question kind has (an input type only as a base: no field uses it, so it is not in the schema). */
@InputType()
export abstract class QuestionFieldsInput {
  @Field({ description: 'Stable key, unique within the assessment: 1-128 letters, digits, "_", ".", ":" or "-". Answers and the SCORM interaction id name it, so keep it when editing.' })
  key: string;

  @Field(() => TranslationsInput, { description: 'The question, up to 2000 characters.' })
  prompt: TranslationsInput;

  @Field(() => [String], { nullable: true, description: 'Free tags (up to 64 characters each); a tag named in settings.draw puts the question in that pool. Default: none.' })
  tags?: string[] | null;

  @Field(() => TranslationsInput, { nullable: true, description: 'Why the answer is what it is (e.g. the lesson it comes from), shown when the review policy releases FEEDBACK. Default: none.' })
  explanation?: TranslationsInput | null;

  @Field(() => QuestionFeedbackInput, { nullable: true, description: 'Default: none.' })
  feedback?: QuestionFeedbackInput | null;
}

/** The fields of every question kind that earns points. */
@InputType()
export abstract class GradedQuestionFieldsInput extends QuestionFieldsInput {
  @Field(() => Float, { nullable: true, description: `Points a fully correct answer earns: more than 0, at most 1000. Default: ${D.points}.` })
  points?: number | null;
}

@InputType({ description: 'One option is right.' })
export class SingleChoiceQuestionInput extends GradedQuestionFieldsInput {
  @Field(() => [ChoiceOptionInput], { description: '2-36 options, exactly one of them with correct: true.' })
  options: ChoiceOptionInput[];
}

@InputType({ description: 'One or more options are right; the learner picks all of them.' })
export class MultipleChoiceQuestionInput extends GradedQuestionFieldsInput {
  @Field(() => [ChoiceOptionInput], { description: '2-36 options, at least one of them with correct: true.' })
  options: ChoiceOptionInput[];

  @Field(() => Boolean, { nullable: true, description: `Credit per option instead of all-or-nothing. Default: ${D.partialCredit}.` })
  partialCredit?: boolean | null;
}

@InputType({ description: 'A statement that is true or false.' })
export class TrueFalseQuestionInput extends GradedQuestionFieldsInput {
  @Field({ description: 'Whether the statement is true.' })
  answer: boolean;
}

@InputType({ description: 'The learner types the answer.' })
export class FillInQuestionInput extends GradedQuestionFieldsInput {
  @Field(() => [String], { description: '1-20 answers, any of which is right; compared ignoring case, full/half width and spacing.' })
  accepted: string[];
}

@InputType({ description: 'The learner puts the items in order.' })
export class OrderingQuestionInput extends GradedQuestionFieldsInput {
  @Field(() => [AssessmentOptionInput], { description: '2-36 items in the right order, first to last (learners see them shuffled).' })
  options: AssessmentOptionInput[];

  @Field(() => Boolean, { nullable: true, description: `Credit per correctly placed neighbour pair instead of all-or-nothing. Default: ${D.partialCredit}.` })
  partialCredit?: boolean | null;
}

@InputType({ description: 'The learner matches each left item with a right item.' })
export class MatchingQuestionInput extends GradedQuestionFieldsInput {
  @Field(() => [AssessmentOptionInput], { description: 'The prompts column: 2-36 items.' })
  left: AssessmentOptionInput[];

  @Field(() => [AssessmentOptionInput], { description: 'The answers column: at least as many items as left (extra ones are distractors), keys distinct from the left ones.' })
  right: AssessmentOptionInput[];

  @Field(() => [MatchPairInput], { description: 'The right matches: every left key once, a right key at most once.' })
  pairs: MatchPairInput[];

  @Field(() => Boolean, { nullable: true, description: `Credit per correct pair instead of all-or-nothing. Default: ${D.partialCredit}.` })
  partialCredit?: boolean | null;
}

@InputType({ description: 'A bipolar or Likert item with no right answer and no points: the learner picks an integer from scaleFrom (at leftPole) to scaleTo (at rightPole), which is its score. A SELF_ASSESSMENT holds only these.' })
export class ScaleQuestionInput extends QuestionFieldsInput {
  @Field(() => TranslationsInput, { description: 'The text at scaleFrom, up to 500 characters.' })
  leftPole: TranslationsInput;

  @Field(() => TranslationsInput, { description: 'The text at scaleTo, up to 500 characters.' })
  rightPole: TranslationsInput;

  @Field(() => Int, { nullable: true, description: `First value of the scale (may be above scaleTo, e.g. 10 down to 1). Default: ${D.scaleFrom}.` })
  scaleFrom?: number | null;

  @Field(() => Int, { nullable: true, description: `Last value of the scale; at most 100 steps from scaleFrom. Default: ${D.scaleTo}.` })
  scaleTo?: number | null;

  @Field(() => Boolean, { nullable: true, description: `Score the value mirrored (scaleFrom + scaleTo - value). Default: ${D.reverse}.` })
  reverse?: boolean | null;
}

@OneOf()
@InputType({ description: 'One question: set exactly one field, the one of its kind.' })
export class QuestionInput {
  @Field(() => SingleChoiceQuestionInput, { nullable: true, description: 'SINGLE_CHOICE' })
  singleChoice?: SingleChoiceQuestionInput | null;

  @Field(() => MultipleChoiceQuestionInput, { nullable: true, description: 'MULTIPLE_CHOICE' })
  multipleChoice?: MultipleChoiceQuestionInput | null;

  @Field(() => TrueFalseQuestionInput, { nullable: true, description: 'TRUE_FALSE' })
  trueFalse?: TrueFalseQuestionInput | null;

  @Field(() => FillInQuestionInput, { nullable: true, description: 'FILL_IN' })
  fillIn?: FillInQuestionInput | null;

  @Field(() => OrderingQuestionInput, { nullable: true, description: 'ORDERING' })
  ordering?: OrderingQuestionInput | null;

  @Field(() => MatchingQuestionInput, { nullable: true, description: 'MATCHING' })
  matching?: MatchingQuestionInput | null;

  @Field(() => ScaleQuestionInput, { nullable: true, description: 'SCALE' })
  scale?: ScaleQuestionInput | null;
}

@InputType({ description: 'A pool of tagged questions an attempt draws from.' })
export class DrawPoolInput {
  @Field({ description: 'The tag that puts a question in the pool (a question belongs to one pool at most).' })
  tag: string;

  @Field(() => Int, { description: 'Questions drawn at random from the pool per attempt, at most its size.' })
  count: number;
}

@InputType({ description: 'What a learner sees of a submitted attempt, and from when on.' })
export class ReviewPolicyInput {
  @Field(() => ReviewShow, { nullable: true, description: `Default: ${D.reviewPolicy.show}.` })
  show?: string | null;

  @Field(() => ReviewWhen, { nullable: true, description: `Default: ${D.reviewPolicy.when} (AFTER_PASSING is not for a SELF_ASSESSMENT).` })
  when?: string | null;
}

@InputType({ description: 'A SELF_ASSESSMENT result range (inclusive) with what it means.' })
export class ScoreBandInput {
  @Field(() => Int)
  min: number;

  @Field(() => Int)
  max: number;

  @Field(() => TranslationsInput, { description: 'Up to 100 characters.' })
  label: TranslationsInput;

  @Field(() => TranslationsInput, { description: 'What the result means, up to 2000 characters.' })
  interpretation: TranslationsInput;
}

@InputType({ description: 'How the assessment is taken and scored; every field is optional.' })
export class AssessmentSettingsInput {
  @Field(() => AssessmentKind, { nullable: true, description: `Default: ${D.kind}.` })
  kind?: string | null;

  @Field(() => Float, { nullable: true, description: `Percent (0-100) needed to pass a GRADED assessment. Default: ${D.passingScore} for GRADED; a SELF_ASSESSMENT has none (leave it out).` })
  passingScore?: number | null;

  @Field(() => Int, { nullable: true, description: 'Attempts a learner may start, 1-1000. Default: unlimited.' })
  attemptsAllowed?: number | null;

  @Field(() => GradingMethod, { nullable: true, description: `Which attempt counts. Default: ${D.gradingMethod}.` })
  gradingMethod?: string | null;

  @Field(() => Int, { nullable: true, description: 'Time limit per attempt in seconds (1-86400), enforced by the server. Default: untimed.' })
  timeLimitSeconds?: number | null;

  @Field(() => Boolean, { nullable: true, description: `Show the questions in a random order per attempt. Default: ${D.shuffleQuestions}.` })
  shuffleQuestions?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: `Show choice options in a random order per attempt. Default: ${D.shuffleOptions}.` })
  shuffleOptions?: boolean | null;

  @Field(() => [DrawPoolInput], { nullable: true, description: 'Pools to draw questions from; questions in no pool are always asked. Default: none (every question is asked).' })
  draw?: DrawPoolInput[] | null;

  @Field(() => ReviewPolicyInput, { nullable: true, description: `Default: show ${D.reviewPolicy.show}, when ${D.reviewPolicy.when}.` })
  reviewPolicy?: ReviewPolicyInput | null;

  @Field(() => [ScoreBandInput], { nullable: true, description: 'SELF_ASSESSMENT only, and required there: bands covering every possible total without gaps or overlaps. Default: none.' })
  scoreBands?: ScoreBandInput[] | null;
}

@InputType({ description: 'Authors: the whole assessment of an ASSESSMENT activity in a draft revision, typed per question kind.' })
export class AuthorAssessmentInput {
  @Field(() => ID)
  activityId: string;

  @Field({ description: 'Stable key of the assessment: 1-64 lower-case letters, digits or "-".' })
  key: string;

  @Field(() => TranslationsInput, { description: 'Up to 200 characters.' })
  title: TranslationsInput;

  @Field(() => TranslationsInput, { nullable: true, description: 'Up to 2000 characters. Default: none.' })
  description?: TranslationsInput | null;

  @Field(() => AssessmentSettingsInput, { nullable: true, description: 'Default: every setting at its default (a GRADED assessment).' })
  settings?: AssessmentSettingsInput | null;

  @Field(() => [QuestionInput], { description: '1-500 questions, in the order they are asked unless shuffled.' })
  questions: QuestionInput[];
}
