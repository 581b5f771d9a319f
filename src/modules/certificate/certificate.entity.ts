import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';
import { AppUser } from '../user/user.entity';
import { Course, CourseRevision } from '../course/course.entity';
import type { LocalizedText } from '../course/localized';
import { Enrollment } from '../enrollment/enrollment.entity';

/** ACTIVE, REVOKED and SUPERSEDED are stored; EXPIRED is derived from valid-until (certificate.rules.ts). */
export enum CertificateStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(CertificateStatus, {
  name: 'CertificateStatus',
  description: 'EXPIRED is derived at read time: an ACTIVE certificate whose validUntil has passed. SUPERSEDED: renewed by a later certificate.',
});

/** A certificate earned on a course (or issued by HR), numbered per organization (DESIGN §7). */
@ObjectType('Certificate', { implements: Node, description: 'A certificate a learner holds for a course.' })
@Entity('certificate')
@Index('uq_certificate_number', ['organizationId', 'number'], { unique: true })
@Index('uq_certificate_verification_code', ['organizationId', 'verificationCode'], { unique: true })
@Index('ix_certificate_verification_code', ['verificationCode'])
@Index('uq_certificate_status_list_index', ['organizationId', 'statusListIndex'], { unique: true })
@Index('uq_certificate_enrollment', ['organizationId', 'enrollmentId'], { unique: true, where: 'enrollment_id IS NOT NULL' })
@Index('ix_certificate_user_course', ['organizationId', 'userId', 'courseId'])
@Index('ix_certificate_valid_until', ['organizationId', 'validUntil'])
@Index('ix_certificate_issued', ['organizationId', 'issuedAt'])
@Index('ix_certificate_without_enrollment', ['organizationId', 'userId', 'courseId'], { where: 'enrollment_id IS NULL' })
export class Certificate extends TenantEntity {
  @Field({ description: 'Unique in the organization, sortable: <ORG CODE>-<YEAR>-<sequence>.' })
  @Column('text')
  number: string;

  /** 20 base32 characters (100 bits): what the public verify page is looked up by. */
  @Field({ description: 'The unguessable code of the public verify page.' })
  @Column('text')
  verificationCode: string;

  /** Position in the organization's Open Badges status list. */
  @Column('int')
  statusListIndex: number;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => AppUser, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'user_id', referencedColumnName: 'id' }])
  user?: AppUser;

  @Column('uuid')
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'course_id', referencedColumnName: 'id' }])
  course?: Course;

  @Column('uuid', { nullable: true })
  revisionId: string | null;

  @ManyToOne(() => CourseRevision, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'revision_id', referencedColumnName: 'id' }])
  revision?: CourseRevision;

  /** The completed cycle it was earned with; null when HR issued it by hand. */
  @Column('uuid', { nullable: true })
  enrollmentId: string | null;

  @ManyToOne(() => Enrollment, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'enrollment_id', referencedColumnName: 'id' }])
  enrollment?: Enrollment;

  @Field(() => Int, { nullable: true, description: 'The enrollment cycle it was earned in (null: issued by hand).' })
  @Column('int', { nullable: true })
  cycle: number | null;

  @Field({ description: "The holder's name as it was at issue." })
  @Column('text')
  holderName: string;

  /** The course title as it was at issue (what the verify page shows). */
  @Column('jsonb')
  courseTitle: LocalizedText;

  @Field(() => Float, { nullable: true, description: 'The course score (0–100) it was earned with; see CertificationRule.minScore.' })
  @Column('double precision', { nullable: true })
  score: number | null;

  @Field()
  @Column('timestamptz')
  issuedAt: Date;

  @Field()
  @Column('timestamptz')
  validFrom: Date;

  @Field(() => Date, { nullable: true, description: 'Null: valid without end.' })
  @Column('timestamptz', { nullable: true })
  validUntil: Date | null;

  /** ACTIVE, REVOKED or SUPERSEDED; the API derives EXPIRED. */
  @Column('text', { default: CertificateStatus.ACTIVE })
  status: CertificateStatus;

  @Field({ description: 'Who issued it: system:… for earned certificates, user:<externalId> for HR.' })
  @Column('text')
  issuedBy: string;

  @Field(() => String, { nullable: true, description: 'HR: why it was issued by hand.' })
  @Column('text', { nullable: true })
  issueReason: string | null;

  @Field(() => String, { nullable: true, description: 'HR: evidence elsewhere (e.g. an external training record).' })
  @Column('text', { nullable: true })
  externalReference: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  revokedBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  revocationReason: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  supersededAt: Date | null;

  @Column('uuid', { nullable: true })
  supersededById: string | null;

  /** Frozen from the rule at issue: days before validUntil when recertification opens. */
  @Column('int', { nullable: true })
  recertificationWindowDays: number | null;

  /** The cycle opened to renew it (set once, by the recertification sweep). */
  @Column('uuid', { nullable: true })
  recertificationEnrollmentId: string | null;

  /** When the "expiring soon" event went out (once). */
  @Column('timestamptz', { nullable: true })
  expiryRemindedAt: Date | null;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Per-organization counters (certificate numbers per year, status list positions): gaps possible, duplicates never. */
@Entity('certificate_counter')
@Index('uq_certificate_counter_scope', ['organizationId', 'scope'], { unique: true })
export class CertificateCounter extends TenantEntity {
  /** `number:<year>` or `status-list`. */
  @Column('text')
  scope: string;

  @Column('int')
  lastValue: number;
}
