import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { loadConfig } from '../src/config';
import { generateScale } from '../src/demo/scale';
import { buildServer } from '../src/server';
import { mintDevToken } from '../src/shared/auth';
import { newId } from '../src/shared/ids';
import { reportSql } from '../src/modules/report/report.query';
import { appUrlFrom } from '../src/db/app-role';
import { BENCH_CONFIG, benchDatabase, withBenchCluster } from './harness';
import type { ReaderResult } from './export-reader';

/** Report rows generated (`BENCH_EXPORT_ROWS`, 1,000,000 by default; smaller for a quick run). */
const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Run {
  rows: number;
  ms: number;
  firstByteMs: number;
  /** Largest resident set growth over the process's before the export, sampled every 100 ms. */
  rssGrowthMb: number;
  /** Of which, at their own peaks: the V8 heap's reserved size and the memory outside it (Buffers). */
  heapGrowthMb: number;
  externalGrowthMb: number;
}

/** Samples the resident set while `fn` runs; the server runs in this process, so this is the server's memory. */
async function measured(fn: (firstByte: () => void) => Promise<number>): Promise<Run> {
  gc();
  const base = process.memoryUsage();
  const peak = { ...base };
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapTotal = Math.max(peak.heapTotal, now.heapTotal);
    peak.external = Math.max(peak.external, now.external);
  }, 100);
  const started = performance.now();
  let firstByteMs = 0;
  const mb = (bytes: number): number => bytes / 2 ** 20;
  try {
    const rows = await fn(() => void (firstByteMs ||= performance.now() - started));
    return {
      rows, ms: performance.now() - started, firstByteMs, rssGrowthMb: mb(peak.rss - base.rss),
      heapGrowthMb: mb(peak.heapTotal - base.heapTotal), externalGrowthMb: mb(peak.external - base.external),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Counts the lines of a byte stream (one per CSV record here: generated names hold no line breaks). */
function lineCounter(onFirst: () => void): { sink: Writable; lines: () => number } {
  let lines = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      onFirst();
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      done();
    },
  });
  return { sink, lines: () => lines };
}

/** The baseline: PostgreSQL's own CSV of the same statement (parameters inlined), as the app role in the tenant. */
async function copyRun(appUrl: string, org: string): Promise<Run> {
  const q = reportSql(org, { includeHistory: false }, { kind: 'all' });
  const sql = q.sql.replace(/\$1\b/g, `'${org}'::uuid`);
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  try {
    await client.query(`BEGIN READ ONLY; SELECT set_config('app.organization_id', '${org}', true)`);
    const run = await measured(async (first) => {
      const counter = lineCounter(first);
      await pipeline(client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`)), counter.sink);
      return counter.lines() - 1;
    });
    await client.query('COMMIT');
    return run;
  } finally {
    await client.end();
  }
}

/** The project: the download route over HTTP, read as fast as it comes by a client in another process. */
async function httpRun(url: string, token: string, format: 'csv' | 'xlsx'): Promise<Run> {
  let read: ReaderResult | undefined;
  const run = await measured(async () => {
    const child = fork(join(__dirname, 'export-reader.js'), [`${url}/reports/certifications.${format}`, token]);
    const [result] = await Promise.all([
      new Promise<ReaderResult>((resolve, reject) => {
        child.once('message', (m) => resolve(m as ReaderResult));
        child.once('exit', (code) => reject(new Error(`the export reader exited with ${code}`)));
      }),
      once(child, 'exit'),
    ]);
    if (result.status !== 200) throw new Error(`export answered ${result.status}`);
    read = result;
    return format === 'csv' ? result.lines - 1 : result.bytes;
  });
  // The reader's own clock: the time to start its process is not the server's.
  return { ...run, ms: read!.ms, firstByteMs: read!.firstByteMs };
}

const line = (label: string, r: Run, unit = 'rows'): string =>
  `  ${label.padEnd(9)} ${(ROWS / (r.ms / 1000)).toFixed(0).padStart(8)} rows/s  (${(r.ms / 1000).toFixed(1)} s, ${r.rows} ${unit})` +
  `   first byte ${r.firstByteMs.toFixed(0)} ms   RSS +${r.rssGrowthMb.toFixed(0)} MB (heap +${r.heapGrowthMb.toFixed(0)}, outside it +${r.externalGrowthMb.toFixed(0)})`;

/** The goals, each with its figure: CSV at least half COPY's rate; per download, RSS growth ≤ 100 MB and the first byte within 1 s. */
function goals(r: { csvOfCopy: number; runs: Run[] }): string {
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const rss = Math.max(...r.runs.map((x) => x.rssGrowthMb));
  const first = Math.max(...r.runs.map((x) => x.firstByteMs));
  return `CSV/COPY ≥ 0.5 ${mark(r.csvOfCopy >= 0.5)}, RSS growth ≤ 100 MB ${mark(rss <= 100)} (largest ${rss.toFixed(0)}), ` +
    `first byte ≤ 1 s ${mark(first <= 1000)} (slowest ${first.toFixed(0)} ms)`;
}

/**
 * The report downloads on ROWS generated rows: CSV and XLSX rows per second through the HTTP
 * route, against `COPY (the same statement) TO STDOUT WITH CSV` in this process; the first byte and
 * the growth of this process's resident memory (the server's) during each. The machine may be
 * shared: compare the ratio, not the times.
 */
export async function runExportBench(): Promise<void> {
  await withBenchCluster(async (adminUrl) => {
    const { ownerUrl, owner, ds } = await benchDatabase(adminUrl, 'export');
    const org = newId();
    await owner.query(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, 'bench-export', '基准公司', 'bench')`, [org]);
    await owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) VALUES ($1, gen_random_uuid(), 'hr', '人事', '{HR}')`, [org]);
    const db = new Client({ connectionString: ownerUrl });
    await db.connect();
    const started = performance.now();
    await generateScale(db, org, { rows: ROWS, onProgress: (done, total) => process.stderr.write(`\rgenerating ${done}/${total} rows`) });
    await db.end();
    process.stderr.write(` in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    const config = loadConfig(BENCH_CONFIG);
    const app = await buildServer({ dataSource: ds, config, serverSecret: 'bench-server-secret' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const token = await mintDevToken(config.jwt, { subject: 'hr', organization: org });
    try {
      // Turns: COPY, CSV, COPY again, so a slow moment of the machine weighs on both.
      const copy1 = await copyRun(appUrlFrom(ownerUrl, 'bench-app'), org);
      const csv = await httpRun(url, token, 'csv');
      const copy2 = await copyRun(appUrlFrom(ownerUrl, 'bench-app'), org);
      const xlsx = await httpRun(url, token, 'xlsx');
      const copy: Run = { ...copy1, ms: (copy1.ms + copy2.ms) / 2 };
      process.stdout.write(`\nexport (${ROWS} report rows, GET /reports/certifications.*, this process's RSS)\n` +
        `${line('COPY', copy)}\n${line('CSV', csv)}\n${line('XLSX', xlsx, 'bytes')}\n` +
        `  ratio     CSV ${(copy.ms / csv.ms).toFixed(2)} of COPY's rate (goal ≥ 0.5); XLSX ${(copy.ms / xlsx.ms).toFixed(2)}\n` +
        `  goals     ${goals({ csvOfCopy: copy.ms / csv.ms, runs: [csv, xlsx] })}\n`);
    } finally {
      await app.close();
      await ds.destroy();
      await owner.destroy();
    }
  });
}
