import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';

@InputType({
  description: 'Whom to assign: the listed users, plus everyone matching the rule (org unit subtree and/or job title; both given: both must match).',
})
export class AssignCourseInput {
  @Field(() => ID)
  courseId: string;

  @Field(() => [ID], { nullable: true, description: 'Users by id (at most 1000).' })
  userIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Everyone in this org unit or below it, e.g. 杭州/萧山分公司.' })
  orgUnitPath?: string | null;

  @Field(() => String, { nullable: true, description: 'Everyone with this job title.' })
  jobTitle?: string | null;

  @Field(() => Date, { nullable: true, description: 'Due date; re-assigning with a due date moves it.' })
  dueAt?: Date | null;
}

@ObjectType()
export class AssignCoursePayload {
  @Field(() => [Enrollment], { nullable: true, description: 'Every targeted enrollment, new or existing.' })
  enrollments?: Enrollment[];

  @Field(() => Int, { nullable: true, description: 'How many enrollments are new (assigning someone twice does not enroll them twice).' })
  createdCount?: number;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class SelfEnrollInput {
  @Field(() => ID)
  courseId: string;
}

@InputType()
export class WithdrawEnrollmentInput {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class EnrollmentPayload {
  @Field(() => Enrollment, { nullable: true })
  enrollment?: Enrollment;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class EnrollmentFilter {
  @Field(() => ID, { nullable: true })
  courseId?: string;

  @Field(() => ID, { nullable: true })
  userId?: string;

  @Field(() => EnrollmentStatus, { nullable: true, description: 'OVERDUE selects unfinished enrollments past their due date.' })
  status?: EnrollmentStatus;

  @Field(() => Boolean, { nullable: true, description: 'Also list past cycles (closed by recertification); by default only open cycles.' })
  includePastCycles?: boolean;

  @Field(() => String, { nullable: true, description: 'Learners in this org unit or below it, e.g. 杭州/萧山分公司 (at most 500 characters).' })
  orgUnitPath?: string | null;

  @Field(() => Date, { nullable: true, description: 'Due at or after this time (enrollments without a due date drop out).' })
  dueAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Due before this time (enrollments without a due date drop out).' })
  dueBefore?: Date | null;
}
