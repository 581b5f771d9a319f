import type { RequestContext } from '../shared/context';
import type { OutboxEventRecord } from './outbox';
import { completionAuditJob } from './completion-audit.job';
import { issueCertificateJob } from './issue-certificate.job';
import { certificateMailJob } from './certificate-mail.job';
import { recertificationJob } from './recertification.job';
import { outboxCleanupJob } from './outbox-cleanup.job';
import { assignmentRulesJob } from './assignment-rules.job';
import { certificationExportJob } from './certification-export.job';
import { exportCleanupJob } from './export-cleanup.job';
import { ltiScoreJob } from './lti-score.job';

/** One kind of work done for events: its name (ledger and job label) and the event types it handles. */
export interface EventJob {
  kind: string;
  handles: readonly string[];
  /** Runs in a system context of the event's tenant, in the transaction that records its delivery. */
  run(ctx: RequestContext, event: OutboxEventRecord): Promise<void>;
}

/**
 * Work done on a schedule (graphile-worker crontab, e.g. `0 3 * * *`): one job per tenant and
 * firing, each in a system context of that tenant. Must be safe to repeat for the same firing.
 */
export interface PeriodicJob {
  kind: string;
  schedule: string;
  run(ctx: RequestContext, firedAt: Date): Promise<void>;
}

/** What the worker runs: event jobs by event type, and periodic jobs. */
export interface JobRegistry {
  events: readonly EventJob[];
  periodic: readonly PeriodicJob[];
}

/** The service's jobs; a job kind adds itself here (one file per kind, `<kind>.job.ts`). */
export const jobRegistry: JobRegistry = {
  events: [completionAuditJob, issueCertificateJob, certificateMailJob, assignmentRulesJob, certificationExportJob, ltiScoreJob],
  periodic: [recertificationJob, outboxCleanupJob, exportCleanupJob],
};

/** The jobs that handle an event type, in registry order. */
export const jobsFor = (registry: JobRegistry, type: string): EventJob[] => registry.events.filter((j) => j.handles.includes(type));
