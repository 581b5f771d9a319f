import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';
import { AppUser } from '../user/user.entity';
import { Course, CourseRevision } from '../course/course.entity';

/** Stored statuses, plus OVERDUE which the API derives from the due date. */
export enum EnrollmentStatus {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  OVERDUE = 'OVERDUE',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(EnrollmentStatus, {
  name: 'EnrollmentStatus',
  description: 'OVERDUE is derived: not completed or withdrawn, and the due date has passed.',
});

export enum EnrollmentSource {
  ADMIN = 'ADMIN',
  RULE = 'RULE',
  SELF = 'SELF',
  RECERTIFICATION = 'RECERTIFICATION',
  LTI = 'LTI',
}
registerEnumType(EnrollmentSource, {
  name: 'EnrollmentSource',
  description: 'ADMIN: assigned by name; RULE: by org unit or job title; SELF: the learner enrolled; RECERTIFICATION: opened before a certificate expires; LTI: the learner launched the course from an LMS.',
});

/**
 * One cycle of a learner's assignment to a course. At most one cycle per user and course is open
 * (closed_at null); re-assigning updates it. Recertification closes it and opens the next cycle,
 * so past cycles stay as history with their own progress (progress rows hang off the cycle's id).
 */
@ObjectType('Enrollment', { implements: Node, simpleResolvers: true, description: 'A learner assigned to a course (one cycle of it), with their progress.' })
@Entity('enrollment')
@Index('uq_enrollment_open_cycle', ['organizationId', 'userId', 'courseId'], { unique: true, where: 'closed_at IS NULL' })
@Index('uq_enrollment_cycle', ['organizationId', 'userId', 'courseId', 'cycle'], { unique: true })
@Index('ix_enrollment_course', ['organizationId', 'courseId'])
export class Enrollment extends TenantEntity {
  @Column('uuid')
  userId: string;

  @ManyToOne(() => AppUser, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'user_id', referencedColumnName: 'id' },
  ])
  user?: AppUser;

  @Column('uuid')
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'course_id', referencedColumnName: 'id' },
  ])
  course?: Course;

  /** Fixed when the learner starts; until then the course's published revision applies. */
  @Column('uuid', { nullable: true })
  revisionId: string | null;

  @ManyToOne(() => CourseRevision, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'revision_id', referencedColumnName: 'id' },
  ])
  revision?: CourseRevision;

  @Field(() => Int, { description: '1 for the first assignment of the course to the learner; each recertification opens the next.' })
  @Column('int', { default: 1 })
  cycle: number;

  @Field(() => Date, { nullable: true, description: 'When a later cycle replaced this one; null for the open cycle.' })
  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Field(() => EnrollmentSource)
  @Column('text')
  source: EnrollmentSource;

  /** NOT_STARTED, IN_PROGRESS, COMPLETED or WITHDRAWN; the API adds OVERDUE. */
  @Column('text', { default: EnrollmentStatus.NOT_STARTED })
  status: EnrollmentStatus;

  @Field()
  @Column('timestamptz', { default: () => 'now()' })
  assignedAt: Date;

  @Field({ description: 'Who assigned it: user:<externalId>, apikey:<keyId>, system:… (SELF enrollments: the learner).' })
  @Column('text')
  assignedBy: string;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  withdrawnAt: Date | null;

  @Field(() => Int, { description: 'Share of the required activities done, 0–100.' })
  @Column('int', { default: 0 })
  progressPercent: number;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
