import { Field, Float, Int, ObjectType } from 'type-graphql';

/** Where a course stands for an org unit subtree (or the caller's team), over open enrollment cycles. */
@ObjectType('CourseStatistics', {
  description: 'A course over the open enrollment cycles of the learners in scope (withdrawn ones left out); the status counts split `enrolled` as Enrollment.status does.',
  simpleResolvers: true,
})
export class CourseStatistics {
  /** For the `course` field. */
  courseId: string;

  @Field(() => String, { nullable: true, description: 'The org unit subtree counted; null: everyone the caller may see.' })
  orgUnitPath: string | null;

  @Field(() => Int, { description: 'Open cycles, not withdrawn.' })
  enrolled: number;

  @Field(() => Int)
  notStarted: number;

  @Field(() => Int)
  inProgress: number;

  @Field(() => Int)
  completed: number;

  @Field(() => Int, { description: 'Unfinished and past the due date (not counted in notStarted or inProgress).' })
  overdue: number;

  @Field(() => Int, { description: 'Learners in scope holding a valid (ACTIVE, unexpired) certificate for the course.' })
  certified: number;

  @Field(() => Int, { description: 'Learners whose valid certificate ends within 30 days.' })
  expiringWithin30Days: number;

  @Field(() => Float, { nullable: true, description: 'Mean over open cycles of the cycle score (mean scaled score of the activities that reported one, ×100); null when none did.' })
  averageScore: number | null;

  @Field(() => Float, { nullable: true, description: 'Median seconds from assignment to completion over completed open cycles; null when none is completed.' })
  medianSecondsToComplete: number | null;
}
