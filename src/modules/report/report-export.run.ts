import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RequestContext, type Locale } from '../../shared/context';
import { ExportState, ReportExport } from './report-export.entity';
import { exportDir } from './report-export.link';
import { filterFromStored } from './report.filter';
import { reportService, type ExportFormat } from './report.service';

/** How often a running export's row count is written where GraphQL reads it. */
const PROGRESS_EVERY_MS = 500;
/** Failed and expired exports are forgotten this long after they were started. */
const FORGET_AFTER_DAYS = 30;

type ProgressValues = Partial<Pick<ReportExport, 'state' | 'startedAt' | 'finishedAt' | 'totalRows' | 'rowsWritten' | 'error'>>;

/**
 * Writes a running export's state in short transactions of their own, beside the long one that
 * reads the report, so that readers see the progress while the file is written.
 */
class Progress {
  private pending: Promise<void> = Promise.resolve();
  private last = 0;

  constructor(private readonly ctx: RequestContext, private readonly id: string) {}

  set(values: ProgressValues): Promise<void> {
    const principal = { kind: 'system' as const, organizationId: this.ctx.orgId, label: 'job:certification-export' };
    return RequestContext.run(this.ctx.deps, principal, this.ctx.log, async (c) => {
      await c.manager.update(ReportExport, { organizationId: c.orgId, id: this.id }, values);
    });
  }

  /** Records `rows` unless it was recorded less than PROGRESS_EVERY_MS ago; one update at a time. */
  rows(rows: number): void {
    if (Date.now() - this.last < PROGRESS_EVERY_MS) return;
    this.last = Date.now();
    this.pending = this.pending.then(() => this.set({ rowsWritten: rows })).catch((err: unknown) => this.ctx.log.warn({ err }, 'export progress not recorded'));
  }

  flush(): Promise<void> {
    return this.pending;
  }
}

/** Reads the export's rows into `file` through the report's cursor; the audit entry names whoever started it. */
async function writeFile(ctx: RequestContext, e: ReportExport, file: string, progress: Progress): Promise<number> {
  const filter = filterFromStored(e.filter);
  const rows = await reportService.open(ctx, filter, { scope: e.scope, locale: e.locale as Locale });
  const format = e.format.toLowerCase() as ExportFormat;
  const result = await reportService.write(ctx, format, filter, rows, createWriteStream(file), {
    actor: e.requestedBy, exportId: e.id, onRow: (n) => progress.rows(n),
  });
  await progress.flush();
  if (!result.complete) throw new Error('the export file could not be written');
  return result.rows;
}

/**
 * Runs a queued export in the worker's transaction of the tenant: counts its rows, writes the file
 * under a random name (`.part` until it is complete), then marks it DONE until the retention ends.
 * Repeats are no-ops; a failure removes the partial file and leaves the export FAILED.
 */
export async function runExport(ctx: RequestContext, exportId: string): Promise<void> {
  const e = await ctx.manager.findOneBy(ReportExport, { organizationId: ctx.orgId, id: exportId });
  if (!e || (e.state !== ExportState.QUEUED && e.state !== ExportState.RUNNING)) return;
  const progress = new Progress(ctx, e.id);
  const dir = exportDir(ctx.deps.config, ctx.orgId);
  const fileName = `${e.id}-${randomBytes(12).toString('hex')}.${e.format.toLowerCase()}`;
  const part = path.join(dir, `${fileName}.part`);
  try {
    const total = await reportService.count(ctx, filterFromStored(e.filter), e.scope);
    await progress.set({ state: ExportState.RUNNING, startedAt: new Date(), totalRows: total, rowsWritten: 0 });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const rows = await writeFile(ctx, e, part, progress);
    await rename(part, path.join(dir, fileName));
    const finishedAt = new Date();
    const expiresAt = new Date(finishedAt.getTime() + ctx.deps.config.exports.retentionHours * 3_600_000);
    const byteSize = (await stat(path.join(dir, fileName))).size;
    await ctx.manager.update(ReportExport, { organizationId: ctx.orgId, id: e.id }, { state: ExportState.DONE, rowsWritten: rows, byteSize, fileName, finishedAt, expiresAt });
  } catch (err) {
    ctx.log.error({ err, exportId }, 'report export failed');
    await rm(part, { force: true });
    await progress.flush();
    await progress.set({ state: ExportState.FAILED, error: 'The export could not be written; start it again', finishedAt: new Date() });
  }
}

/**
 * Removes the files of exports past their expiry (they become EXPIRED), any file in the tenant's
 * folder that no finished export names once it is older than the retention (left by a worker that
 * died), and forgets old failed and expired exports.
 */
export async function cleanupExports(ctx: RequestContext, now: Date): Promise<number> {
  const expired = (await ctx.manager.query(
    `UPDATE report_export x SET state = $3, file_name = NULL FROM report_export old
      WHERE x.organization_id = $1 AND old.organization_id = x.organization_id AND old.id = x.id
        AND x.state = $4 AND x.expires_at <= $2 RETURNING old.file_name`,
    [ctx.orgId, now, ExportState.EXPIRED, ExportState.DONE],
  )) as [{ file_name: string }[], number];
  const dir = exportDir(ctx.deps.config, ctx.orgId);
  for (const { file_name: name } of expired[0]) await rm(path.join(dir, name), { force: true });
  const live = new Set(((await ctx.manager.query(`SELECT file_name FROM report_export WHERE organization_id = $1 AND state = $2`, [ctx.orgId, ExportState.DONE])) as { file_name: string }[]).map((r) => r.file_name));
  const stale = now.getTime() - ctx.deps.config.exports.retentionHours * 3_600_000;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!live.has(name) && (await stat(path.join(dir, name))).mtimeMs < stale) await rm(path.join(dir, name), { force: true });
  }
  await ctx.manager.query(`DELETE FROM report_export WHERE organization_id = $1 AND state IN ($2, $3) AND created_at < $4::timestamptz - make_interval(days => $5)`,
    [ctx.orgId, ExportState.FAILED, ExportState.EXPIRED, now, FORGET_AFTER_DAYS]);
  return expired[0].length;
}
