import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Certificate, CertificateStatus } from './certificate.entity';

@InputType()
export class CertificateFilter {
  @Field(() => CertificateStatus, { nullable: true, description: 'EXPIRED selects ACTIVE certificates past their validUntil; ACTIVE excludes them.' })
  status?: CertificateStatus | null;

  @Field(() => ID, { nullable: true })
  courseId?: string | null;

  @Field(() => String, { nullable: true, description: "Holders in this org unit or below it, e.g. 杭州/萧山分公司." })
  orgUnitPath?: string | null;

  @Field(() => Int, { nullable: true, description: 'Valid now and ending within this many days (0–3650).' })
  expiringWithinDays?: number | null;
}

@InputType({ description: 'HR: issue a certificate by hand, with the evidence for it.' })
export class IssueCertificateInput {
  @Field(() => ID)
  userId: string;

  @Field(() => ID)
  courseId: string;

  @Field({ description: 'Why (required, at most 1000 characters).' })
  reason: string;

  @Field(() => String, { nullable: true, description: 'A reference to evidence elsewhere (at most 200 characters).' })
  externalReference?: string | null;

  @Field(() => Date, { nullable: true, description: "End of validity; by default from the rule of the course's published revision (none: no end)." })
  validUntil?: Date | null;
}

@InputType()
export class RevokeCertificateInput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Why (required, at most 1000 characters); shown to HR, not on the public page.' })
  reason: string;
}

@InputType()
export class ReinstateCertificateInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'Why (kept in the audit log).' })
  reason?: string | null;
}

@ObjectType()
export class CertificatePayload {
  @Field(() => Certificate, { nullable: true })
  certificate?: Certificate;

  @Field(() => [UserError])
  errors: UserError[];
}
