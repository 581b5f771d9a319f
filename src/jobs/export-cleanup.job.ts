import type { RequestContext } from '../shared/context';
import { cleanupExports } from '../modules/report/report-export.run';
import type { PeriodicJob } from './registry';

/** Every ten minutes, per tenant: finished exports past their expiry lose their file. Repeating a firing removes nothing more. */
export const exportCleanupJob: PeriodicJob = {
  kind: 'export-cleanup',
  schedule: '*/10 * * * *',
  async run(ctx: RequestContext, firedAt: Date): Promise<void> {
    await cleanupExports(ctx, firedAt);
  },
};
