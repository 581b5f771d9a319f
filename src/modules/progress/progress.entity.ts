import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { toGlobalId } from '../../shared/ids';
import { TenantEntity } from '../../shared/tenant-entity';
import { LearnerAttempt } from './learner-attempt';
import { Activity } from '../course/content.entity';
import { Enrollment } from '../enrollment/enrollment.entity';

/** SCORM 2004 `cmi.completion_status` vocabulary (stored as SCORM spells it). */
export enum CompletionStatus {
  COMPLETED = 'completed',
  INCOMPLETE = 'incomplete',
  NOT_ATTEMPTED = 'not attempted',
  UNKNOWN = 'unknown',
}
registerEnumType(CompletionStatus, { name: 'CompletionStatus', description: 'SCORM 2004 cmi.completion_status.' });

/** SCORM 2004 `cmi.success_status` vocabulary. */
export enum SuccessStatus {
  PASSED = 'passed',
  FAILED = 'failed',
  UNKNOWN = 'unknown',
}
registerEnumType(SuccessStatus, { name: 'SuccessStatus', description: 'SCORM 2004 cmi.success_status.' });

export enum AttemptStatus {
  OPEN = 'OPEN',
  SUSPENDED = 'SUSPENDED',
  FINISHED = 'FINISHED',
}

/** One launch of an activity with its SCORM-2004-shaped run-time state (DESIGN §7 Progress). */
@Entity('activity_attempt')
@Index('uq_activity_attempt_number', ['organizationId', 'enrollmentId', 'activityId', 'number'], { unique: true })
@Index('ix_activity_attempt_user', ['organizationId', 'userId'])
export class ActivityAttempt extends LearnerAttempt {
  @Column('int')
  number: number;

  @Column('text', { default: AttemptStatus.OPEN })
  status: AttemptStatus;

  @Column('text', { default: CompletionStatus.UNKNOWN })
  completionStatus: CompletionStatus;

  @Column('text', { default: SuccessStatus.UNKNOWN })
  successStatus: SuccessStatus;

  @Column('double precision', { nullable: true })
  scoreScaled: number | null;

  @Column('double precision', { nullable: true })
  scoreRaw: number | null;

  @Column('double precision', { nullable: true })
  scoreMin: number | null;

  @Column('double precision', { nullable: true })
  scoreMax: number | null;

  @Column('double precision', { nullable: true })
  progressMeasure: number | null;

  @Column('text', { nullable: true })
  location: string | null;

  @Column('text', { nullable: true })
  suspendData: string | null;

  @Column('double precision', { default: 0 })
  totalTimeSeconds: number;

  @Column('text', { nullable: true })
  entry: string | null;

  @Column('text', { nullable: true })
  exit: string | null;

  @Column('jsonb', { default: () => `'[]'` })
  interactions: object[];

  @Column('jsonb', { default: () => `'[]'` })
  objectives: object[];

  /** SCORM learner comments (2004 `comments_from_learner`, 1.2 `comments`). */
  @Column('jsonb', { default: () => `'[]'` })
  comments: object[];

  /** SCORM learner preferences, keyed by the version's element names. */
  @Column('jsonb', { default: () => `'{}'` })
  learnerPreference: Record<string, string>;

  @Column('timestamptz', { default: () => 'now()' })
  startedAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;
}

/**
 * The best state a learner reached on an activity (by its stable key) within an enrollment, rolled
 * up over attempts. It never regresses: statuses only move up, scores and progress keep the maximum.
 */
@ObjectType('ActivityProgress', { description: "A learner's best state on an activity, whatever its kind.", simpleResolvers: true })
@Entity('activity_progress')
@Index('uq_activity_progress_key', ['organizationId', 'enrollmentId', 'activityKey'], { unique: true })
export class ActivityProgress extends TenantEntity {
  /** A global id, so that a normalized client cache updates this object in place when a mutation returns it. */
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('ActivityProgress', this.id);
  }

  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => Enrollment, { onDelete: 'CASCADE' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'enrollment_id', referencedColumnName: 'id' }])
  enrollment?: Enrollment;

  @Column('uuid')
  activityKey: string;

  /** The activity row (in the learner's revision) last recorded on. */
  @Column('uuid')
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'activity_id', referencedColumnName: 'id' }])
  activity?: Activity;

  @Field(() => CompletionStatus)
  @Column('text', { default: CompletionStatus.UNKNOWN })
  completionStatus: CompletionStatus;

  @Field(() => SuccessStatus)
  @Column('text', { default: SuccessStatus.UNKNOWN })
  successStatus: SuccessStatus;

  @Field(() => Float, { nullable: true })
  @Column('double precision', { nullable: true })
  scoreScaled: number | null;

  @Field(() => Float, { nullable: true })
  @Column('double precision', { nullable: true })
  scoreRaw: number | null;

  @Field(() => Float, { nullable: true })
  @Column('double precision', { nullable: true })
  scoreMin: number | null;

  @Field(() => Float, { nullable: true })
  @Column('double precision', { nullable: true })
  scoreMax: number | null;

  @Field(() => Float, { nullable: true, description: '0..1' })
  @Column('double precision', { nullable: true })
  progressMeasure: number | null;

  @Field(() => Int)
  @Column('int', { default: 0 })
  attemptCount: number;

  @Column('double precision', { default: 0 })
  timeSpentSeconds: number;

  /** The stored sum of reported times accumulates binary float noise (11.780000000000001); shown in centiseconds. */
  @Field(() => Float, { name: 'timeSpentSeconds' })
  get timeSpentRounded(): number {
    return Math.round(this.timeSpentSeconds * 100) / 100;
  }

  @Field({ description: "The activity's completion rule is met." })
  @Column('boolean', { default: false })
  completed: boolean;

  @Field(() => Date, { nullable: true, description: 'When the completion rule was first met.' })
  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
