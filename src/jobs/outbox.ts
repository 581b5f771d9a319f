import type { RequestContext } from '../shared/context';

/** Something that must follow a change (DESIGN §10): written in the change's transaction. */
export interface OutboxEventInput { type: string; entityType: string; entityId: string; payload?: Record<string, unknown> }

/** Stand-in of the transactional outbox (cert-plumbing builds it): records nothing here. */
export async function emitEvent(ctx: RequestContext, event: OutboxEventInput): Promise<void> {
  void ctx;
  void event;
}
