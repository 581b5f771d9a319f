import { In } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { UserErrorCode, userError } from '../../shared/payload';
import { Permission } from '../../shared/permissions';
import { emitEvent } from '../../jobs/outbox';
import { ExportState, ReportExport, type ReportFormat } from './report-export.entity';
import { exportLinkOf } from './report-export.link';
import { filterForAudit, type ReportFilter } from './report.filter';
import { scopeOf } from './report.service';
import { msg } from '../../shared/i18n/message';

/** The outbox event a worker turns into the export's file. */
export const EXPORT_REQUESTED = 'report.export.requested';

/** Exports one caller may have queued or running at once (each holds a worker and a cursor). */
export const MAX_PENDING_EXPORTS = 3;

/** Who may read an export: whoever started it, and whoever reads the whole organization's reports. */
const visible = (ctx: RequestContext, e: ReportExport): boolean => ctx.can(Permission.REPORTS_READ) || e.requestedBy === ctx.actor;

export const reportExportService = {
  /**
   * Queues an export of the report as the caller may read it now (their scope is kept with it) and,
   * in the same transaction, the event that has a worker write it.
   */
  async start(ctx: RequestContext, filter: ReportFilter, format: ReportFormat): Promise<ReportExport> {
    const scope = await scopeOf(ctx, filter);
    const pending = await ctx.manager.countBy(ReportExport, { organizationId: ctx.orgId, requestedBy: ctx.actor, state: In([ExportState.QUEUED, ExportState.RUNNING]) });
    if (pending >= MAX_PENDING_EXPORTS) {
      throw userError(UserErrorCode.LIMIT_REACHED, msg('You have {pending} exports waiting or running; start another when one is done', { pending }), ['input']);
    }
    const e = ctx.manager.create(ReportExport, {
      organizationId: ctx.orgId, format, filter: filterForAudit(filter), scope, locale: ctx.locale, requestedBy: ctx.actor, state: ExportState.QUEUED,
    });
    await ctx.manager.save(ReportExport, e);
    await emitEvent(ctx, { type: EXPORT_REQUESTED, entityType: 'CertificationExport', entityId: e.id });
    return e;
  },

  /** An export the caller may read; anyone else's (or another tenant's) is NOT_FOUND. */
  async find(ctx: RequestContext, id: string): Promise<ReportExport> {
    ctx.assert();
    const e = await ctx.manager.findOneBy(ReportExport, { organizationId: ctx.orgId, id });
    if (!e || !visible(ctx, e)) throw notFound('Export');
    return e;
  },

  /** A fresh short-lived link to a finished export's file, or null while there is none. */
  downloadUrl(ctx: RequestContext, e: ReportExport): Promise<string | null> {
    if (e.state !== ExportState.DONE) return Promise.resolve(null);
    return exportLinkOf(ctx.deps.config, ctx.deps.serverSecret, e);
  },
};
