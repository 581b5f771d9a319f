import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import type { Runtime } from '../app';
import { RequestContext } from '../shared/context';
import { toGlobalId } from '../shared/ids';
import { Course } from '../modules/course/course.entity';
import { COURSE_TYPE } from '../modules/course/course.resolver';
import { filterFromQuery } from '../modules/report/report.filter';
import { reportService, type ExportFormat } from '../modules/report/report.service';

interface ReportOptions {
  org: string;
  format: string;
  out: string;
  status?: string;
  course?: string;
  orgUnit?: string;
  issuedFrom?: string;
  issuedTo?: string;
  expiringWithin?: string;
  overdue?: boolean;
  includeHistory?: boolean;
}

/** The CLI's options as the download's query parameters, so both are checked by the same code. */
async function queryOf(ctx: RequestContext, opts: ReportOptions): Promise<Record<string, string>> {
  const q: Record<string, string | undefined> = {
    status: opts.status?.toUpperCase(), orgUnitPath: opts.orgUnit, issuedFrom: opts.issuedFrom, issuedTo: opts.issuedTo,
    expiringWithinDays: opts.expiringWithin, overdue: opts.overdue ? 'true' : undefined, includeHistory: opts.includeHistory ? 'true' : undefined,
  };
  if (opts.course) {
    const course = await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, code: opts.course });
    if (!course) throw new Error(`no course with code "${opts.course}"`);
    q.courseId = toGlobalId(COURSE_TYPE, course.id);
  }
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Exports the report to a file as the operator (audited as system:cli), with a progress bar on stderr. */
async function exportReport(rt: Runtime, orgId: string, opts: ReportOptions): Promise<number> {
  if (opts.format !== 'csv' && opts.format !== 'xlsx') throw new Error('--format must be csv or xlsx');
  const format: ExportFormat = opts.format;
  return RequestContext.run(rt.deps, { kind: 'system', organizationId: orgId, label: 'cli' }, rt.log, async (ctx) => {
    const filter = filterFromQuery(await queryOf(ctx, opts));
    const total = await reportService.count(ctx, filter);
    const rows = await reportService.open(ctx, filter);
    const bar = new SingleBar({ format: 'exporting {bar} {value}/{total} rows', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
    bar.start(total, 0);
    const result = await reportService.write(ctx, format, filter, rows, createWriteStream(path.resolve(opts.out)), {
      onRow: (n) => {
        if (n % 500 === 0) bar.update(n);
      },
    });
    bar.update(result.rows);
    bar.stop();
    if (!result.complete) throw new Error(`the file ${opts.out} could not be written`);
    return result.rows;
  });
}

/** `report certifications`: the certification report to a CSV or XLSX file. */
export function registerReportCommands(program: Command, withRuntime: <T>(fn: (rt: Runtime) => Promise<T>) => Promise<T>, orgIdOf: (rt: Runtime, org: string) => Promise<string>): void {
  program
    .command('report')
    .description('Reports')
    .command('certifications')
    .description('Export the certification report (the columns and filters of GET /reports/certifications.csv)')
    .requiredOption('--org <slug|id>', 'organization')
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <csv|xlsx>', 'file format', 'csv')
    .option('--status <status>', 'certificate status: ACTIVE, EXPIRED, REVOKED or SUPERSEDED')
    .option('--course <code>', 'one course, by its code')
    .option('--org-unit <path>', 'employees in this org unit or below, e.g. 杭州/萧山分公司')
    .option('--issued-from <date>', 'certificates issued at or after (ISO 8601)')
    .option('--issued-to <date>', 'certificates issued before (ISO 8601)')
    .option('--expiring-within <days>', 'valid now and ending within this many days')
    .option('--overdue', 'only overdue enrollments')
    .option('--include-history', 'also past enrollment cycles and superseded certificates')
    .action(async (opts: ReportOptions) => {
      const rows = await withRuntime(async (rt) => exportReport(rt, await orgIdOf(rt, opts.org), opts));
      process.stdout.write(`${rows} rows written to ${opts.out}\n`);
    });
}
