import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { Node } from '../../shared/node';
import { LearnerAttempt } from '../progress/learner-attempt';
import type { Answer, AttemptGrade, AttemptPlan } from './engine';

/** Where an attempt stands; only IN_PROGRESS takes answers. */
export enum AssessmentAttemptStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  SUBMITTED = 'SUBMITTED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(AssessmentAttemptStatus, {
  name: 'AssessmentAttemptStatus',
  description: 'IN_PROGRESS until submitted; EXPIRED when the time limit closed it (graded with what was saved).',
});

/**
 * One learner's attempt at an assessment activity. The plan (drawn questions and option orders,
 * seeded with the attempt id) is fixed when it starts; answers are saved until it is submitted or
 * its deadline passes; the grade is written once, when it closes.
 */
@ObjectType('AssessmentAttempt', { implements: Node, description: "A learner's attempt at an assessment; only its learner can read it." })
@Entity('assessment_attempt')
@Index('uq_assessment_attempt_number', ['organizationId', 'enrollmentId', 'activityId', 'number'], { unique: true })
@Index('uq_assessment_attempt_open', ['organizationId', 'enrollmentId', 'activityId'], { unique: true, where: `status = 'IN_PROGRESS'` })
@Index('ix_assessment_attempt_user', ['organizationId', 'userId', 'activityId'])
export class AssessmentAttempt extends LearnerAttempt {
  @Field(() => Int, { description: '1 for the first attempt at this activity, then counting up.' })
  @Column('int')
  number: number;

  @Column('text', { default: AssessmentAttemptStatus.IN_PROGRESS })
  status: AssessmentAttemptStatus;

  /** The questions drawn and the option orders shown, from `planAttempt` seeded with the id. */
  @Column('jsonb')
  plan: AttemptPlan;

  /** Saved answers by question id, as checked by the engine. */
  @Column('jsonb', { default: () => `'{}'` })
  answers: Record<string, Answer>;

  /** When each question's answer was last saved (ISO), for interaction latencies. */
  @Column('jsonb', { default: () => `'{}'` })
  answeredAt: Record<string, string>;

  @Field()
  @Column('timestamptz', { default: () => 'now()' })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the time limit ends; null when untimed.' })
  @Column('timestamptz', { nullable: true })
  deadlineAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was submitted, or when its time ran out.' })
  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;

  /** The engine's grade, written once when the attempt closes. Server-side: it holds per-question correctness. */
  @Column('jsonb', { nullable: true })
  grade: AttemptGrade | null;

  @Column('double precision', { nullable: true })
  scoreRaw: number | null;

  @Column('double precision', { nullable: true })
  scoreScaled: number | null;

  @Column('boolean', { nullable: true })
  passed: boolean | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
