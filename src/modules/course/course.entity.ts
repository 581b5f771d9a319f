import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn, type Relation } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';
import { CourseTemplate } from '../template/template.entity';
import type { LocalizedText } from './localized';

export enum CourseStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(CourseStatus, { name: 'CourseStatus', description: 'DRAFT → PUBLISHED → ARCHIVED.' });

export enum RevisionStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
}
registerEnumType(RevisionStatus, { name: 'RevisionStatus', description: 'A draft is edited; a published revision is frozen.' });

/** How long a certificate stays valid: not at all limited, N months from its start, or up to a fixed date. */
export type CertificateValidity = { kind: 'NONE' } | { kind: 'MONTHS'; months: number } | { kind: 'FIXED_DATE'; until: string };

/**
 * A revision's certification rule (stored as jsonb, frozen with the revision on publish). The
 * certificate module evaluates and authors it (certificate/certification-rule.ts).
 */
export interface CertificationRuleData {
  requirePassed: boolean;
  /** 0–100, compared with the course score. */
  minScore: number | null;
  validity: CertificateValidity;
  /** Days before expiry when recertification opens; null: no recertification. */
  recertificationWindowDays: number | null;
}

/**
 * One version of a course's content (its modules and activities). Authors edit the draft;
 * publishing freezes it; a learner keeps the revision they started on.
 */
@ObjectType('CourseRevision', { implements: Node, simpleResolvers: true, description: "One frozen (or draft) version of a course's content." })
@Entity('course_revision')
@Index('uq_course_revision_number', ['organizationId', 'courseId', 'number'], { unique: true })
export class CourseRevision extends TenantEntity {
  @Column('uuid')
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'course_id', referencedColumnName: 'id' },
  ])
  course?: Relation<Course>;

  @Field(() => Int, { description: '1 for the first revision, then counting up.' })
  @Column('int')
  number: number;

  @Field(() => RevisionStatus)
  @Column('text', { default: RevisionStatus.DRAFT })
  status: RevisionStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  /** Null: completing the course earns no certificate. */
  @Column('jsonb', { nullable: true })
  certificationRule: CertificationRuleData | null;
}

/** An organization's course: catalog data here, content in revisions (DESIGN §7). */
@ObjectType('Course', { implements: Node, simpleResolvers: true, description: "An organization's course." })
@Entity('course')
@Index('uq_course_code', ['organizationId', 'code'], { unique: true })
@Index('ix_course_status', ['organizationId', 'status'])
export class Course extends TenantEntity {
  @Field({ description: 'Short code, unique in the organization.' })
  @Column('text')
  code: string;

  @Field(() => CourseStatus)
  @Column('text', { default: CourseStatus.DRAFT })
  status: CourseStatus;

  @Column('jsonb')
  title: LocalizedText;

  @Column('jsonb', { nullable: true })
  description: LocalizedText | null;

  @Field(() => [String])
  @Column('text', { array: true, default: () => `'{}'` })
  tags: string[];

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  estimatedMinutes: number | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  coverUrl: string | null;

  @Field({ description: 'Learners may enroll themselves when the course is published.' })
  @Column('boolean', { default: false })
  selfEnrollment: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Not read by certification.',
    deprecationReason: "Certificates follow the revision's certificationRule (setCertificationRule).",
  })
  @Column('int', { nullable: true })
  validityDays: number | null;

  @Column('uuid', { nullable: true })
  sourceTemplateId: string | null;

  @ManyToOne(() => CourseTemplate, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'source_template_id' })
  sourceTemplate?: CourseTemplate;

  @Field(() => Int, { nullable: true, description: 'Template version this course was adopted from or last pulled.' })
  @Column('int', { nullable: true })
  sourceTemplateVersion: number | null;

  @Column('uuid', { nullable: true })
  publishedRevisionId: string | null;

  @ManyToOne(() => CourseRevision, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'published_revision_id', referencedColumnName: 'id' },
  ])
  publishedRevision?: CourseRevision;

  @Column('uuid', { nullable: true })
  draftRevisionId: string | null;

  @ManyToOne(() => CourseRevision, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'draft_revision_id', referencedColumnName: 'id' },
  ])
  draftRevision?: CourseRevision;

  @Field(() => Date, { nullable: true, description: 'When the latest revision was published.' })
  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
