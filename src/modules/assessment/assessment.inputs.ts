import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { UserError } from '../../shared/payload';
import { AssessmentAttempt } from './assessment-attempt.entity';
import { AuthoredAssessment } from './authoring.types';

@InputType({ description: 'Authors: sets the assessment of an ASSESSMENT activity in a draft revision from one JSON document.' })
export class SetAssessmentInput {
  @Field(() => ID)
  activityId: string;

  @Field(() => GraphQLJSON, {
    description: 'The whole assessment as one JSON document, in the form AuthoredAssessment.document reads (question and option `id`s, every '
      + 'setting given); texts are { "zhCN": …, "en": … } (the older "zh-CN" key is read too). The typed authorAssessment input describes each field.',
  })
  assessment: unknown;
}

@ObjectType({ description: 'The result of authorAssessment and setAssessment.' })
export class SetAssessmentPayload {
  @Field(() => AuthoredAssessment, { nullable: true })
  assessment?: AuthoredAssessment;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class StartAttemptInput {
  @Field(() => ID, { description: 'An ASSESSMENT activity of a course you are enrolled in.' })
  activityId: string;
}

@InputType()
export class MatchPairInput {
  @Field()
  left: string;

  @Field()
  right: string;
}

@InputType({ description: 'An answer to one question: set the one field that fits its kind, or none to clear the answer.' })
export class AnswerInput {
  @Field()
  questionId: string;

  @Field(() => String, { nullable: true, description: 'SINGLE_CHOICE' })
  optionId?: string | null;

  @Field(() => [String], { nullable: true, description: 'MULTIPLE_CHOICE (any order), ORDERING (every item, first to last)' })
  optionIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'TRUE_FALSE' })
  value?: boolean | null;

  @Field(() => String, { nullable: true, description: 'FILL_IN' })
  text?: string | null;

  @Field(() => [MatchPairInput], { nullable: true, description: 'MATCHING: each prompt with the answer it goes with' })
  pairs?: MatchPairInput[] | null;

  @Field(() => Int, { nullable: true, description: 'SCALE: a value within the scale' })
  scale?: number | null;
}

@InputType({ description: 'Saves answers to an attempt in progress; may be called any number of times.' })
export class SaveAnswersInput {
  @Field(() => ID)
  attemptId: string;

  @Field(() => [AnswerInput])
  answers: AnswerInput[];
}

@InputType()
export class SubmitAttemptInput {
  @Field(() => ID)
  attemptId: string;
}

@ObjectType()
export class AttemptPayload {
  @Field(() => AssessmentAttempt, { nullable: true, description: 'The attempt (for startAttempt with an attempt in progress: that one, see `resumed`).' })
  attempt?: AssessmentAttempt | null;

  /** startAttempt: an attempt in progress was returned (the `resumed` field). */
  resumed?: boolean;

  @Field(() => [UserError])
  errors: UserError[];
}
