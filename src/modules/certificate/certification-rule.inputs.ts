import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Course } from '../course/course.entity';

export enum CertificateValidityKind {
  NONE = 'NONE',
  MONTHS = 'MONTHS',
  FIXED_DATE = 'FIXED_DATE',
}
registerEnumType(CertificateValidityKind, {
  name: 'CertificateValidityKind',
  description: 'NONE: valid without end; MONTHS: validityMonths from the start of validity; FIXED_DATE: until validUntil for everyone.',
});

const SCORE_DOC = 'The course score is the mean of the scaled scores (×100) that the required activities of the learner\'s revision reported (all activities when none is marked required); activities without a score do not count. A rule with a minimum score is not met while no required activity has a score.';

@ObjectType({ description: `What earns a certificate on a course revision: completing every required activity, plus the optional conditions here. Frozen with the revision on publish; a learner's pinned revision's rule applies. ${SCORE_DOC}` })
export class CertificationRule {
  @Field({ description: 'Also required: every required activity that reports a success status reports PASSED, and at least one does.' })
  requirePassed: boolean;

  @Field(() => Float, { nullable: true, description: 'Also required: a course score (0–100) at least this.' })
  minScore: number | null;

  @Field(() => CertificateValidityKind)
  validityKind: CertificateValidityKind;

  @Field(() => Int, { nullable: true, description: 'MONTHS: how many months a certificate stays valid.' })
  validityMonths: number | null;

  @Field(() => Date, { nullable: true, description: 'FIXED_DATE: when every certificate of this revision ends.' })
  validUntil: Date | null;

  @Field(() => Int, { nullable: true, description: 'Days before expiry when recertification opens a new enrollment cycle (due at the expiry); null: none.' })
  recertificationWindowDays: number | null;
}

@InputType({ description: 'Sets the certification rule of the course\'s draft revision (published revisions keep theirs).' })
export class SetCertificationRuleInput {
  @Field(() => ID)
  courseId: string;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  requirePassed?: boolean | null;

  @Field(() => Float, { nullable: true, description: '0–100, compared with the course score.' })
  minScore?: number | null;

  @Field(() => CertificateValidityKind)
  validityKind: CertificateValidityKind;

  @Field(() => Int, { nullable: true, description: 'MONTHS: 1–600.' })
  validityMonths?: number | null;

  @Field(() => Date, { nullable: true, description: 'FIXED_DATE: a moment in the future.' })
  validUntil?: Date | null;

  @Field(() => Int, { nullable: true, description: '1–3650 days, shorter than the validity; needs a validity with an end.' })
  recertificationWindowDays?: number | null;
}

@InputType()
export class ClearCertificationRuleInput {
  @Field(() => ID)
  courseId: string;
}

@ObjectType()
export class CertificationRulePayload {
  @Field(() => Course, { nullable: true })
  course?: Course;

  @Field(() => CertificationRule, { nullable: true, description: 'The draft revision\'s rule now (null: cleared).' })
  rule?: CertificationRule | null;

  @Field(() => [UserError])
  errors: UserError[];
}
