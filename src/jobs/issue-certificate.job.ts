import type { RequestContext } from '../shared/context';
import { certificateService } from '../modules/certificate/certificate.service';
import type { OutboxEventRecord } from './outbox';

/**
 * Issues the certificate a completed enrollment cycle earned, whichever writer completed it. The
 * service issues at most once per cycle (a unique index backs it), and the delivery ledger makes
 * a re-run of this job a no-op, so a crash between the commit and the work loses nothing and
 * doubles nothing.
 */
export const issueCertificateJob = {
  kind: 'issue-certificate',
  handles: ['enrollment.completed'],
  async run(ctx: RequestContext, event: OutboxEventRecord): Promise<void> {
    await certificateService.issueForEnrollment(ctx, event.entityId);
  },
};
