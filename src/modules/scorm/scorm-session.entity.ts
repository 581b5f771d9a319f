import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { ActivityAttempt } from '../progress/progress.entity';

/**
 * One launch of a SCORM attempt. A new launch supersedes the attempt's earlier sessions, whose
 * commits are then refused; the highest commit sequence seen makes repeated or stale commits
 * no-ops; `finishedAt` marks the final commit, so session time is added to the total once.
 */
@Entity('scorm_session')
@Index('ix_scorm_session_attempt', ['organizationId', 'attemptId'])
export class ScormSession extends TenantEntity {
  @Column('uuid')
  attemptId: string;

  @ManyToOne(() => ActivityAttempt, { onDelete: 'CASCADE' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'attempt_id', referencedColumnName: 'id' }])
  attempt?: ActivityAttempt;

  @Column('int', { default: 0 })
  commitSequence: number;

  @Column('boolean', { default: false })
  superseded: boolean;

  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;

  /** The most session time the session's commits reported: added to the attempt's total by the final commit or the superseding launch. */
  @Column('double precision', { default: 0 })
  sessionTimeSeconds: number;

  /** `cmi.entry` this session started with: ab-initio, resume, or '' (relaunch of an unsuspended attempt). */
  @Column('text', { default: 'ab-initio' })
  entry: string;
}
