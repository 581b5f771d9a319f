import type { RequestContext } from '../shared/context';
import { isUuid, newId } from '../shared/ids';
import { OutboxEvent } from './outbox.entity';

/** Something that happened, as a service reports it. */
export interface OutboxEventInput {
  type: string;
  entityType: string;
  entityId: string;
  payload?: Record<string, unknown>;
}

/** An event as a handler receives it. */
export interface OutboxEventRecord {
  id: string;
  organizationId: string;
  type: string;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Writes an event in the context's transaction (transactional outbox): it exists, and its job is
 * queued, exactly when the change that caused it commits. Handlers run later in the worker.
 */
export async function emitEvent(ctx: RequestContext, event: OutboxEventInput): Promise<void> {
  if (!event.type || !event.entityType || !isUuid(event.entityId)) throw new Error('an event needs a type, an entity type and a uuid entity id');
  await ctx.manager.query(
    'INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload) VALUES ($1, $2, $3, $4, $5, $6)',
    [ctx.orgId, newId(), event.type, event.entityType, event.entityId, JSON.stringify(event.payload ?? {})],
  );
}

/** An event of the context's tenant, or null (gone with its organization). */
export async function loadEvent(ctx: RequestContext, id: string): Promise<OutboxEventRecord | null> {
  const e = await ctx.manager.findOneBy(OutboxEvent, { organizationId: ctx.orgId, id });
  return e && { id: e.id, organizationId: e.organizationId, type: e.type, entityType: e.entityType, entityId: e.entityId, payload: e.payload, createdAt: e.createdAt };
}
