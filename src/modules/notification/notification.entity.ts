import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { AppUser } from '../user/user.entity';
import type { MessageKind } from './messages';

export enum NotificationStatus {
  /** Claimed, not sent yet (or the process died while sending). */
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** The last attempt failed; the next call with the same key tries again. */
  FAILED = 'FAILED',
  /** Not sent and never will be: the recipient has no usable email address. */
  SKIPPED = 'SKIPPED',
}

/**
 * One email the service sends, at most once per dedupe key: the row is claimed (locked) before
 * the message goes out and marked SENT after, so a job that runs twice sends once.
 */
@Entity('notification')
@Index('uq_notification_dedupe_key', ['organizationId', 'dedupeKey'], { unique: true })
@Index('ix_notification_user', ['organizationId', 'userId'])
export class Notification extends TenantEntity {
  /** Chosen by the sender, e.g. `certificate-issued:<certificateId>`. */
  @Column('text')
  dedupeKey: string;

  @Column('text')
  kind: MessageKind;

  @Column('uuid', { nullable: true })
  userId: string | null;

  @ManyToOne(() => AppUser, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'user_id', referencedColumnName: 'id' },
  ])
  user?: AppUser;

  /** The address the message went (or was to go) to; null when skipped for want of one. */
  @Column('text', { nullable: true })
  recipient: string | null;

  @Column('text')
  subject: string;

  @Column('text', { default: NotificationStatus.PENDING })
  status: NotificationStatus;

  /** Sending attempts so far (failed ones included). */
  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { nullable: true })
  lastError: string | null;

  /** The Message-ID header of the sent message. */
  @Column('text', { nullable: true })
  messageId: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
