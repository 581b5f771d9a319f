import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../ormconfig';
import { loadConfig, type Config } from '../src/config';
import { appUrlFrom, enableAppRoleLogin } from '../src/db/app-role';
import { ensureDatabase, startEmbeddedCluster, type EmbeddedCluster } from '../src/db/embedded';
import { buildServer } from '../src/server';
import { drainPool } from '../src/db/pool';
import { mintDevToken } from '../src/shared/auth';
import { installJobQueue } from '../src/jobs/queue-schema';

/** One HTTP request autocannon repeats. */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  /** When given, each request goes to one of these paths at random (many learners, not one hot row). */
  paths?: string[];
  headers?: Record<string, string>;
  body?: string;
}

/** What a scenario gets: the app (before it listens), both connections, a token minter. */
export interface BenchEnv {
  app: FastifyInstance;
  /** Application role connection (RLS applies), also what baseline routes should use. */
  ds: DataSource;
  /** Owner connection, for seeding. */
  owner: DataSource;
  config: Config;
  token(organizationId: string, subject: string): Promise<string>;
}

/**
 * A benchmark: `prepare` seeds data and registers any baseline route on the app (it has not
 * started listening yet), then returns the project's request and the baseline's request.
 */
export interface Scenario {
  name: string;
  connections: number;
  prepare(env: BenchEnv): Promise<{ project: BenchRequest; baseline: BenchRequest }>;
}

export interface BenchResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

/** A baseline's read: one pooled connection, a read-only transaction with the tenant set, one query. */
export async function tenantRead<T>(ds: DataSource, organizationId: string, sql: string, params: unknown[]): Promise<T[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`BEGIN READ ONLY; SELECT set_config('app.organization_id', '${organizationId}', true)`);
    const rows = (await runner.query(sql, params)) as T[];
    await runner.query('COMMIT');
    return rows;
  } finally {
    await runner.release();
  }
}

/** Turns baseline and project take within a scenario's time. */
const ROUNDS = 2;

/** Rounds of one side as one result: mean throughput and median, the worst p99, all errors. */
function combined(rounds: BenchResult[]): BenchResult {
  const mean = (pick: (r: BenchResult) => number): number => rounds.reduce((sum, r) => sum + pick(r), 0) / rounds.length;
  return {
    requestsPerSec: mean((r) => r.requestsPerSec),
    p50: Math.round(mean((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

async function fire(url: string, req: BenchRequest, connections: number, seconds: number): Promise<BenchResult> {
  const paths = req.paths;
  const result = await autocannon({
    url: url + req.path, method: req.method, headers: req.headers, body: req.body, connections, duration: seconds,
    ...(paths ? { requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, path: paths[Math.floor(Math.random() * paths.length)] }) }] } : {}),
  });
  return { requestsPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Runs `fn` with the superuser URL of an embedded PostgreSQL (or BENCH_DATABASE_URL), removed afterwards. */
export async function withBenchCluster<T>(fn: (adminUrl: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'coursegraph-bench-'));
  chmodSync(dir, 0o755);
  let cluster: EmbeddedCluster | undefined;
  try {
    cluster = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedCluster(dir);
    return await fn(process.env.BENCH_DATABASE_URL ?? cluster!.adminUrl);
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh database built by the migrations: the owner's connection, and the application role's (RLS applies). */
export async function benchDatabase(adminUrl: string, name: string): Promise<{ ownerUrl: string; owner: DataSource; ds: DataSource }> {
  const dbName = `bench_${name.replace(/\W+/g, '_')}_${Date.now()}`;
  await ensureDatabase(adminUrl, dbName);
  const ownerUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const owner = createDataSource(ownerUrl, { extra: { max: 4 } });
  await owner.initialize();
  await installJobQueue(ownerUrl);
  await owner.runMigrations();
  await enableAppRoleLogin(ownerUrl, 'bench-app');
  const ds = createDataSource(appUrlFrom(ownerUrl, 'bench-app'), { extra: { max: 20 } });
  await ds.initialize();
  return { ownerUrl, owner, ds };
}

/** Runs each scenario against a fresh migrated database on an embedded PostgreSQL and prints ratios. */
export async function runScenarios(scenarios: Scenario[], seconds: number): Promise<void> {
  await withBenchCluster(async (adminUrl) => {
    for (const scenario of scenarios) await runOne(scenario, adminUrl, seconds);
  });
}

async function runOne(scenario: Scenario, adminUrl: string, seconds: number): Promise<void> {
  const { owner, ds } = await benchDatabase(adminUrl, scenario.name);
  const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'bench-secret-0123456789abcdef', LOG_LEVEL: 'silent', SERVER_SECRET: 'x', APP_DB_PASSWORD: 'x', RATE_LIMIT_PER_MINUTE: '0' });
  const app = await buildServer({ dataSource: ds, config, serverSecret: 'bench-server-secret' });
  const env: BenchEnv = { app, ds, owner, config, token: (org, sub) => mintDevToken(config.jwt, { subject: org ? sub : sub, organization: org }) };
  const { project, baseline } = await scenario.prepare(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    await fire(url, project, scenario.connections, 1);
    await fire(url, baseline, scenario.connections, 1);
    // Baseline and project take turns, so a slow moment of the machine weighs on both alike.
    const base: BenchResult[] = [];
    const proj: BenchResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      base.push(await fire(url, baseline, scenario.connections, seconds / ROUNDS));
      proj.push(await fire(url, project, scenario.connections, seconds / ROUNDS));
    }
    const [b, p] = [combined(base), combined(proj)];
    const ratio = b.requestsPerSec ? p.requestsPerSec / b.requestsPerSec : 0;
    const row = (label: string, r: BenchResult): string =>
      `  ${label.padEnd(9)} ${r.requestsPerSec.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}`;
    process.stdout.write(`\n${scenario.name} (${scenario.connections} connections, ${seconds}s each in ${ROUNDS} turns)\n${row('baseline', b)}\n${row('project', p)}\n  ratio     ${ratio.toFixed(2)} of the baseline's throughput\n`);
  } finally {
    await app.close();
    // autocannon drops its sockets mid-request; their handlers still finish before the pool goes.
    await drainPool(ds);
    await ds.destroy();
    await owner.destroy();
  }
}

/** A benchmark of code run in this process (no server, no database); `run` returns its report lines. */
export interface TimedScenario {
  name: string;
  run(): Promise<string>;
}

/** Runs each timed scenario and prints its report. */
export async function runTimedScenarios(scenarios: TimedScenario[]): Promise<void> {
  for (const scenario of scenarios) process.stdout.write(`\n${scenario.name}\n${await scenario.run()}\n`);
}
