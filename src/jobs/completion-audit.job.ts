import type { RequestContext } from '../shared/context';
import { auditService } from '../modules/audit/audit.service';
import { Enrollment } from '../modules/enrollment/enrollment.entity';
import { enrollmentView } from '../modules/enrollment/enrollment.write';
import type { OutboxEventRecord } from './outbox';

/**
 * Puts each completion in the organization's audit log, with the enrollment as it was completed:
 * whichever writer completed it (a SCORM commit, a quiz, an administrator), HR's audit trail
 * shows when and how far.
 */
export const completionAuditJob = {
  kind: 'completion-audit',
  handles: ['enrollment.completed'],
  async run(ctx: RequestContext, event: OutboxEventRecord): Promise<void> {
    const e = await ctx.manager.findOneBy(Enrollment, { organizationId: ctx.orgId, id: event.entityId });
    if (!e) return;
    await auditService.record(ctx, {
      action: 'enrollment.completed',
      entityType: 'Enrollment',
      entityId: e.id,
      after: { ...enrollmentView(e), completedAt: e.completedAt?.toISOString() ?? null, progressPercent: e.progressPercent },
    });
  },
};
