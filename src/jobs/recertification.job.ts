import type { RequestContext } from '../shared/context';
import { recertification } from '../modules/certificate/recertification';

/**
 * Every hour, in each tenant: opens the recertification cycles whose window has opened and marks
 * the certificates about to expire. Both sweeps act on each certificate once (a column records
 * it), so a repeated or overlapping firing changes nothing; the events they write send the mail.
 */
export const recertificationJob = {
  kind: 'recertification-sweep',
  schedule: '7 * * * *',
  async run(ctx: RequestContext, firedAt: Date): Promise<void> {
    const now = new Date(Math.max(firedAt.getTime(), Date.now()));
    await recertification.openDue(ctx, now);
    await recertification.remindExpiring(ctx, now);
  },
};
