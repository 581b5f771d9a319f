import type { RequestContext } from '../shared/context';
import type { PeriodicJob } from './registry';

/** How long handled events (and their delivery ledger rows) are kept for inspection. */
export const OUTBOX_RETENTION_DAYS = 30;

/**
 * Nightly, per tenant: forgets events handled more than the retention ago (their ledger rows go
 * with them). Unhandled events stay whatever their age. Repeating a firing deletes nothing more.
 */
export const outboxCleanupJob: PeriodicJob = {
  kind: 'outbox-cleanup',
  schedule: '17 3 * * *',
  async run(ctx: RequestContext, firedAt: Date): Promise<void> {
    await ctx.manager.query(
      `DELETE FROM outbox_event WHERE organization_id = $1 AND processed_at < $2::timestamptz - make_interval(days => $3)`,
      [ctx.orgId, firedAt.toISOString(), OUTBOX_RETENTION_DAYS],
    );
  },
};
