import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TenantEntity } from '../shared/tenant-entity';

/**
 * Something that happened, written in the same transaction as the change (transactional outbox,
 * DESIGN §10). An insert trigger turns each row into a job; `processedAt` is set once every
 * handler of its type has run.
 */
@Entity('outbox_event')
@Index('ix_outbox_event_entity', ['organizationId', 'entityType', 'entityId'])
export class OutboxEvent extends TenantEntity {
  /** e.g. `enrollment.completed`. */
  @Column('text')
  type: string;

  @Column('text')
  entityType: string;

  @Column('uuid')
  entityId: string;

  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;

  @Column('timestamptz', { nullable: true })
  processedAt: Date | null;
}

/**
 * The delivery ledger: one row per event and handler, written in the handler's own transaction,
 * so a job that runs again skips the handlers whose effects already committed.
 */
@Entity('outbox_delivery')
@Index('uq_outbox_delivery', ['organizationId', 'eventId', 'handler'], { unique: true })
export class OutboxDelivery extends TenantEntity {
  @Column('uuid')
  eventId: string;

  @ManyToOne(() => OutboxEvent, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'event_id', referencedColumnName: 'id' },
  ])
  event?: OutboxEvent;

  /** The handler's name (its job kind). */
  @Column('text')
  handler: string;
}
