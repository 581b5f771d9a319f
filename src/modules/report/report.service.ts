import type { Writable } from 'node:stream';
import type { Locale, RequestContext } from '../../shared/context';
import { badInput, forbidden } from '../../shared/errors';
import { decodeCursor, encodeCursor, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { getEntityOrThrow } from '../../shared/scoped';
import { auditService } from '../audit/audit.service';
import { Course } from '../course/course.entity';
import { rowMapper, type ReportRow } from './report.columns';
import { writeReport, type OnRow, type RowBatches } from './report.files';
import { filterForAudit, type ReportFilter } from './report.filter';
import { reportCountSql, reportSql, type ReportCursor, type ReportDbRow, type ReportScope } from './report.query';
import { msg } from '../../shared/i18n/message';

/**
 * Rows fetched from the server-side cursor at a time. Measured with `npm run bench -- export`: a
 * batch of 2,000 rows grew the server's heap by about 150 MB before a full collection; from 50 to
 * 500 rows the growth is about the same (what remains is the rows' own strings and dates being
 * promoted) and 200 is the fastest, the round trips costing little next to the rows.
 */
export const FETCH_SIZE = 200;
const CURSOR_NAME = 'certification_report';

export type ExportFormat = 'csv' | 'xlsx';

/** How `write` reports progress, and whom and which background export its audit entry names. */
export interface WriteOptions {
  onRow?: OnRow;
  actor?: string;
  exportId?: string;
}

/** A report page with its rows, keyset cursors and a lazy total. */
export interface ReportPage {
  nodes: ReportRow[];
  cursors: string[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Who reads what: report readers (HR, org admins, API keys with REPORTS_READ) the whole
 * organization, managers their team; anyone else is refused. A course filter of another tenant is NOT_FOUND.
 */
export async function scopeOf(ctx: RequestContext, filter: ReportFilter): Promise<ReportScope> {
  ctx.assert();
  let scope: ReportScope;
  if (ctx.can(Permission.REPORTS_READ)) scope = { kind: 'all' };
  else if (ctx.can(Permission.PROGRESS_READ_TEAM) && ctx.user) scope = { kind: 'team', userId: ctx.user.id, orgUnitPath: ctx.user.orgUnitPath || null };
  else throw forbidden('The certification report needs REPORTS_READ or a manager role');
  if (filter.courseId) await getEntityOrThrow(ctx, Course, filter.courseId, 'Course');
  return scope;
}

const query = (ctx: RequestContext, q: { sql: string; params: unknown[] }): Promise<unknown[]> => ctx.manager.query(q.sql, q.params);

export const reportService = {
  /** One page of the report: a fixed number of statements whatever the page size (the total only when asked). */
  async page(ctx: RequestContext, filter: ReportFilter, args: PageArgs): Promise<ReportPage> {
    const cap = ctx.deps.config.limits.pageSize;
    if (args.first !== undefined && args.first !== null && (!Number.isInteger(args.first) || args.first < 1 || args.first > cap)) {
      throw badInput(msg('first must be from 1 to {max}', { max: cap }));
    }
    const size = args.first ?? Math.min(20, cap);
    const after = args.after ? (decodeCursor(args.after, ['text', 'uuid']) as ReportCursor) : undefined;
    const scope = await scopeOf(ctx, filter);
    const rows = (await query(ctx, reportSql(ctx.orgId, filter, scope, { after, limit: size + 1 }))) as ReportDbRow[];
    const page = rows.slice(0, size);
    const cursors = page.map((r) => encodeCursor([r.name, r.row_key]));
    return {
      nodes: page.map(rowMapper(ctx.deps.config.publicUrl, ctx.locale)),
      cursors,
      pageInfo: { hasNextPage: rows.length > size, endCursor: cursors.at(-1) ?? null },
      totalCount: async () => ((await query(ctx, reportCountSql(ctx.orgId, filter, scope))) as { n: number }[])[0].n,
    };
  },

  /** How many rows an export of `filter` holds (the CLI's progress bar). */
  async count(ctx: RequestContext, filter: ReportFilter, fixed?: ReportScope): Promise<number> {
    const scope = fixed ?? (await scopeOf(ctx, filter));
    return ((await query(ctx, reportCountSql(ctx.orgId, filter, scope))) as { n: number }[])[0].n;
  },

  /**
   * Opens the report as a server-side cursor in the context's transaction, which must stay open
   * while the rows are read: batches are fetched only as the consumer asks (one ahead), so memory stays flat.
   */
  async open(ctx: RequestContext, filter: ReportFilter, fixed?: { scope: ReportScope; locale: Locale }): Promise<RowBatches> {
    const scope = fixed?.scope ?? (await scopeOf(ctx, filter));
    const q = reportSql(ctx.orgId, filter, scope);
    // Every row is read: plan for the whole result, not for the first tenth (the default for cursors).
    await ctx.manager.query(`SET LOCAL cursor_tuple_fraction = 1`);
    await ctx.manager.query(`DECLARE ${CURSOR_NAME} NO SCROLL CURSOR FOR ${q.sql}`, q.params);
    const toRow = rowMapper(ctx.deps.config.publicUrl, fixed?.locale ?? ctx.locale);
    const fetch = (): Promise<ReportDbRow[]> => ctx.manager.query(`FETCH ${FETCH_SIZE} FROM ${CURSOR_NAME}`);
    return (async function* rows() {
      // One batch ahead: the database reads the next batch while this one is written out.
      let next: Promise<ReportDbRow[]> | null = fetch();
      try {
        while (next) {
          const batch: ReportDbRow[] = await next;
          next = batch.length === FETCH_SIZE ? fetch() : null;
          if (batch.length) yield batch.map(toRow);
        }
      } finally {
        // A consumer that stops early leaves no fetch running on the transaction's connection.
        await next?.catch(() => undefined);
      }
    })();
  },

  /**
   * Writes opened rows to `dest` and audits the export in the same transaction: who (the context's
   * actor, or the one a background export was started by), which filter, the format, the rows read
   * and whether the file was completed. A reader that goes away is not an error of the export: it
   * is recorded as incomplete.
   */
  async write(ctx: RequestContext, format: ExportFormat, filter: ReportFilter, rows: RowBatches, dest: Writable, opts: WriteOptions = {}): Promise<{ rows: number; complete: boolean }> {
    let count = 0;
    let complete = false;
    try {
      count = await writeReport(format, rows, dest, (n) => {
        count = n;
        opts.onRow?.(n);
      });
      complete = true;
    } catch (err) {
      ctx.log.info({ err, rows: count }, 'report export ended early');
      dest.destroy();
    }
    await auditService.record(ctx, {
      action: 'report.export', entityType: 'CertificationReport', entityId: opts.exportId ?? null, actor: opts.actor,
      after: { format, filter: filterForAudit(filter), rows: count, complete },
    });
    return { rows: count, complete };
  },
};
