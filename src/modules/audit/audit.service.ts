import type { RequestContext } from '../../shared/context';
import { fromGlobalId } from '../../shared/ids';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { AuditEvent } from './audit.entity';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Defaults to the caller's organization; platform work names the tenant it acted on. */
  organizationId?: string;
  /** Defaults to the caller; a job doing work someone asked for names them. */
  actor?: string;
}

/** Appends audit events in the request's transaction, so they commit or roll back with the change. */
export const auditService = {
  async record(ctx: RequestContext, entries: AuditEntry | AuditEntry[]): Promise<void> {
    const list = Array.isArray(entries) ? entries : [entries];
    if (list.length === 0) return;
    const rows = list.map((e) =>
      ctx.manager.create(AuditEvent, {
        organizationId: e.organizationId ?? ctx.orgId,
        actor: e.actor ?? ctx.actor,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId ?? null,
        before: e.before ?? null,
        after: e.after ?? null,
        requestId: ctx.requestId,
      }),
    );
    await ctx.manager.save(AuditEvent, rows, { reload: false });
  },

  /** The audit log, newest first. */
  async list(ctx: RequestContext, filter: { entityType?: string; entityId?: string; action?: string; since?: Date }, page: PageArgs) {
    ctx.assert(Permission.AUDIT_READ);
    const qb = ctx.manager.createQueryBuilder(AuditEvent, 'a').where('a.organization_id = :org', { org: ctx.orgId });
    if (filter.entityType) qb.andWhere('a.entity_type = :type', { type: filter.entityType });
    if (filter.entityId) qb.andWhere('a.entity_id = :eid', { eid: fromGlobalId(filter.entityId).id });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.since) qb.andWhere('a.created_at >= :since', { since: filter.since });
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: "date_trunc('milliseconds', a.created_at)", key: (a) => a.createdAt.toISOString(), kind: 'timestamp' },
      { sql: 'a.id', key: (a) => a.id, kind: 'uuid' },
    ], 'DESC');
  },
};
