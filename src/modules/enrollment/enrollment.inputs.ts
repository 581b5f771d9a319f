import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';
import { AssignmentRule } from './assignment-rule.entity';

@InputType({
  description: 'Whom to assign: the listed users, plus everyone matching an org unit subtree and/or job title (both given: both must match). '
    + 'A match is a standing rule (see AssignmentRule): users provisioned into it, moved into it or reactivated later are enrolled too.',
})
export class AssignCourseInput {
  @Field(() => ID)
  courseId: string;

  @Field(() => [ID], { nullable: true, description: 'Users by id (at most 1000).' })
  userIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Everyone in this org unit or below it, e.g. 杭州/萧山分公司; a unit no provisioned user is in (or below) is NOT_FOUND.' })
  orgUnitPath?: string | null;

  @Field(() => String, { nullable: true, description: 'Everyone with this job title; a title no user has is NOT_FOUND.' })
  jobTitle?: string | null;

  @Field(() => Date, { nullable: true, description: 'Fixed due date, in the future (a past one is INVALID). Existing enrollments keep theirs unless moveDueDates.' })
  dueAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Instead of dueAt: due this many days (1–3650) after each user is enrolled, also those a rule enrolls later.' })
  dueInDays?: number | null;

  @Field(() => Boolean, {
    nullable: true, defaultValue: false,
    description: 'Give unfinished existing enrollments the new due date. Completed enrollments are never changed; without this flag no existing due date moves.',
  })
  moveDueDates?: boolean | null;
}

@ObjectType()
export class AssignCoursePayload {
  @Field(() => [Enrollment], { nullable: true, description: 'Every targeted enrollment, new or existing.' })
  enrollments?: Enrollment[];

  @Field(() => Int, { nullable: true, description: 'How many enrollments are new (assigning someone twice does not enroll them twice).' })
  createdCount?: number;

  @Field(() => Int, { nullable: true, description: 'Targeted users who were enrolled and had not completed (a withdrawn enrollment is reactivated).' })
  alreadyEnrolledCount?: number;

  @Field(() => Int, { nullable: true, description: 'Targeted users who had completed the course: left as they were.' })
  skippedCompletedCount?: number;

  @Field(() => Int, { nullable: true, description: 'Existing enrollments whose due date moved (only with moveDueDates).' })
  dueDatesMovedCount?: number;

  @Field(() => AssignmentRule, { nullable: true, description: 'The standing rule for the org unit / job title given (made, or the existing one); null for users by id only.' })
  rule?: AssignmentRule | null;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class AssignmentRuleFilter {
  @Field(() => ID, { nullable: true })
  courseId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Also list deactivated rules.' })
  includeInactive?: boolean | null;
}

@InputType()
export class DeactivateAssignmentRuleInput {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class AssignmentRulePayload {
  @Field(() => AssignmentRule, { nullable: true })
  rule?: AssignmentRule;

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
