import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { DataSource } from 'typeorm';
import { SteadyLatency } from './latency';

/** One HTTP request autocannon repeats. */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Another server than the app (the peer), as `http://host:port`. */
  origin?: string;
  /** When given, each request goes to one of these paths at random (many learners, not one hot row). */
  paths?: string[];
  headers?: Record<string, string>;
  body?: string;
}

/** What one contender did in one or more turns. CPU and GC are per request, in milliseconds. */
export interface BenchResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** This process's CPU (server and autocannon alike: the load generator's share is the same for every contender). */
  nodeCpuMs: number;
  gcMs: number;
  /** The database backends' CPU (embedded cluster on this machine only; 0 otherwise). */
  pgCpuMs: number;
  /** Resident memory of this process after the turn, MB. */
  rssMb: number;
}

let gcTotalMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcTotalMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux everywhere in practice). */
const TICKS_PER_MS = 100 / 1000;

/** CPU ms of each database backend serving the bench, read from /proc (empty where there is none). */
async function backendCpu(owner: DataSource): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const rows = (await owner.query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) as { pid: number }[];
  for (const { pid } of rows) {
    try {
      // Fields after the command name: state is [0], utime [11], stime [12].
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS);
    } catch {
      // Not on this machine (BENCH_DATABASE_URL) or already gone.
    }
  }
  return out;
}

function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Runs autocannon against `origin` (or the request's own origin) and measures this process and the database around it. */
export async function fire(origin: string, req: BenchRequest, connections: number, seconds: number, owner: DataSource): Promise<BenchResult> {
  const paths = req.paths;
  const [pgBefore, cpuBefore, gcBefore] = [await backendCpu(owner), process.cpuUsage(), gcTotalMs];
  const run = autocannon({
    url: (req.origin ?? origin) + req.path, method: req.method, headers: req.headers, body: req.body, connections, duration: seconds,
    ...(paths ? { requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, path: paths[Math.floor(Math.random() * paths.length)] }) }] } : {}),
  });
  // autocannon's own percentiles count each connection's setup in its first request (latency.ts).
  const latency = new SteadyLatency().listen(run as unknown as EventEmitter);
  const result = await run;
  const cpu = process.cpuUsage(cpuBefore);
  const pgCpu = cpuSpent(pgBefore, await backendCpu(owner));
  // None answered in time (a machine too loaded for the duration): costs per request are then per one.
  const requests = Math.max(1, result.requests.total);
  return {
    requestsPerSec: result.requests.average, p50: latency.percentile(50), p99: latency.percentile(99), errors: result.errors + result.non2xx, requests,
    nodeCpuMs: (cpu.user + cpu.system) / 1000 / requests, gcMs: (gcTotalMs - gcBefore) / requests, pgCpuMs: pgCpu / requests,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

/** Turns of one contender as one result: mean throughput and median, the worst p99, per-request costs over all requests. */
export function combined(rounds: BenchResult[]): BenchResult {
  const mean = (pick: (r: BenchResult) => number): number => rounds.reduce((sum, r) => sum + pick(r), 0) / rounds.length;
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const perRequest = (pick: (r: BenchResult) => number): number => rounds.reduce((sum, r) => sum + pick(r) * r.requests, 0) / requests;
  return {
    requestsPerSec: mean((r) => r.requestsPerSec),
    p50: Math.round(mean((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    requests,
    nodeCpuMs: perRequest((r) => r.nodeCpuMs),
    gcMs: perRequest((r) => r.gcMs),
    pgCpuMs: perRequest((r) => r.pgCpuMs),
    rssMb: Math.max(...rounds.map((r) => r.rssMb)),
  };
}
