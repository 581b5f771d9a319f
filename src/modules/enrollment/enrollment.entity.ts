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
}
registerEnumType(EnrollmentSource, {
  name: 'EnrollmentSource',
  description: 'ADMIN: assigned by name; RULE: by org unit or job title; SELF: the learner enrolled.',
});

/** A learner assigned to a course. One row per user and course; re-assigning updates it. */
@ObjectType('Enrollment', { implements: Node, description: 'A learner assigned to a course, with their progress.' })
@Entity('enrollment')
@Index('uq_enrollment_user_course', ['organizationId', 'userId', 'courseId'], { unique: true })
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
