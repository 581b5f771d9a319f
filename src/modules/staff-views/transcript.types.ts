import { Field, Int, ObjectType } from 'type-graphql';
import { AssessmentAttemptStatus } from '../assessment/assessment-attempt.entity';
import { ScoreView } from '../assessment/assessment.types';

/** A learner's whole record: every enrollment cycle with its progress, attempts and certificate, and every certificate. */
@ObjectType('Transcript', { description: "A learner's record: every enrollment cycle (with its per-activity progress, assessment attempts and certificate) and every certificate." })
export class Transcript {
  /** The learner's user id (not exposed: `user` resolves it). */
  userId: string;
}

/** An assessment attempt as a transcript shows it: when, where it stands, and its grade. */
@ObjectType('AssessmentAttemptGrade', { description: 'An assessment attempt on a transcript: its number, status, times and grade (no questions or answers).', simpleResolvers: true })
export class AttemptGradeView {
  /** For the `activity` field. */
  activityId: string;

  @Field(() => Int)
  number: number;

  @Field(() => AssessmentAttemptStatus)
  status: AssessmentAttemptStatus;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  submittedAt: Date | null;

  @Field(() => ScoreView, { nullable: true, description: 'The grade once graded. The learner reading their own sees it only when the review policy shows scores.' })
  result: ScoreView | null;
}
