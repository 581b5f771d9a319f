import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
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
import { combined, fire, type BenchRequest, type BenchResult } from './measure';
import { printScenario, type ScenarioReport } from './report';

export type { BenchRequest, BenchResult } from './measure';

/** What a scenario gets: the app (before it listens), both connections, a token minter. */
export interface BenchEnv {
  app: FastifyInstance;
  /** Application role connection (RLS applies), also what baseline routes should use. */
  ds: DataSource;
  /** The application role's URL, for a contender with a pool of its own (the peer). */
  appUrl: string;
  /** Owner connection, for seeding. */
  owner: DataSource;
  config: Config;
  token(organizationId: string, subject: string): Promise<string>;
  /** Runs `fn` when the scenario ends (a contender's own server, its pool). */
  onClose(fn: () => Promise<void>): void;
  /** `fn` resolves once a contender with a pool of its own has no work under way (waited for after every turn). */
  onSettle(fn: () => Promise<void>): void;
}

/** The contenders of a scenario: the project, the bare baseline (the limit) and, where there is one, the peer stack. */
export interface Contenders {
  project: BenchRequest;
  baseline: BenchRequest;
  peer?: BenchRequest;
}

/**
 * A benchmark: `prepare` seeds data and registers any baseline route on the app (it has not
 * started listening yet), then returns each contender's request.
 */
export interface Scenario {
  name: string;
  connections: number;
  /** What the baseline is called in the report (the `json_agg` limit, the bare route…). */
  baselineLabel?: string;
  prepare(env: BenchEnv): Promise<Contenders>;
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

/** Turns each contender takes within a scenario's time. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

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

/** Connections of the app's pool, and of any contender's own. */
export const POOL_SIZE = 20;

/** A fresh database built by the migrations: the owner's connection, and the application role's (RLS applies). */
export async function benchDatabase(adminUrl: string, name: string): Promise<{ ownerUrl: string; appUrl: string; owner: DataSource; ds: DataSource }> {
  const dbName = `bench_${name.replace(/\W+/g, '_')}_${Date.now()}`;
  await ensureDatabase(adminUrl, dbName);
  const ownerUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const owner = createDataSource(ownerUrl, { extra: { max: 4 } });
  await owner.initialize();
  await installJobQueue(ownerUrl);
  await owner.runMigrations();
  await enableAppRoleLogin(ownerUrl, 'bench-app');
  const appUrl = appUrlFrom(ownerUrl, 'bench-app');
  const ds = createDataSource(appUrl, { extra: { max: POOL_SIZE } });
  await ds.initialize();
  return { ownerUrl, appUrl, owner, ds };
}

/** Runs each scenario against a fresh migrated database on an embedded PostgreSQL, prints and returns the figures. */
export async function runScenarios(scenarios: Scenario[], seconds: number): Promise<ScenarioReport[]> {
  return withBenchCluster(async (adminUrl) => {
    const reports: ScenarioReport[] = [];
    for (const scenario of scenarios) reports.push(await runOne(scenario, adminUrl, seconds));
    return reports;
  });
}

export const BENCH_CONFIG = {
  NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', APP_DB_PASSWORD: 'x',
  // What production requires (src/config-check.ts); no scenario here sends mail.
  JWT_SECRET: 'bench-secret-0123456789abcdef-0123456789', SERVER_SECRET: 'bench-server-secret-0123456789abcdef',
  PUBLIC_URL: 'http://127.0.0.1', SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'bench@example.invalid',
};

/** The app on a fresh database, not yet listening; `close` ends it and whatever the scenario registered. */
export async function benchApp(adminUrl: string, name: string, env: Record<string, string> = {}): Promise<{ env: BenchEnv; settle(): Promise<void>; close(): Promise<void> }> {
  const { owner, ds, appUrl } = await benchDatabase(adminUrl, name);
  const config = loadConfig({ ...BENCH_CONFIG, ...env });
  const app = await buildServer({ dataSource: ds, config, serverSecret: 'bench-server-secret' });
  const closers: (() => Promise<void>)[] = [];
  const settlers: (() => Promise<void>)[] = [() => drainPool(ds).then(() => undefined)];
  const benchEnv: BenchEnv = {
    app, ds, appUrl, owner, config, token: (org, sub) => mintDevToken(config.jwt, { subject: sub, organization: org }),
    onClose: (fn) => closers.push(fn), onSettle: (fn) => settlers.push(fn),
  };
  return {
    env: benchEnv,
    async settle() {
      for (const fn of settlers) await fn();
      // What follows the last statement (serializing, writing to a socket already gone).
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    },
    async close() {
      await app.close();
      for (const fn of closers) await fn();
      // autocannon drops its sockets mid-request; their handlers still finish before the pool goes.
      await drainPool(ds);
      await ds.destroy();
      await owner.destroy();
    },
  };
}

/** The app's address once it listens. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Quiet time after a turn's work has drained, before the next turn starts. */
const SETTLE_MS = 100;

/**
 * Each contender warmed up, then all take turns (ROUNDS of them), so a slow moment of the shared
 * machine weighs on all alike. autocannon stops with its requests in flight and their handlers
 * run on, so each turn waits for that work to drain (`settle`): otherwise the next contender's
 * turn pays for it (the catalog's 50 leftover requests are some 0.7 s of this process's CPU) and
 * its first requests wait behind it.
 */
export async function race(url: string, contenders: Partial<Contenders>, connections: number, seconds: number, owner: DataSource, settle: () => Promise<void>): Promise<Record<string, BenchResult>> {
  const entries = Object.entries(contenders).filter((e): e is [string, BenchRequest] => e[1] !== undefined);
  const turn = async (req: BenchRequest, turnSeconds: number): Promise<BenchResult> => {
    const result = await fire(url, req, connections, turnSeconds, owner);
    await settle();
    return result;
  };
  for (const [, req] of entries) await turn(req, 1);
  const turns = new Map<string, BenchResult[]>(entries.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, req] of entries) turns.get(name)!.push(await turn(req, seconds / ROUNDS));
  }
  return Object.fromEntries([...turns].map(([name, results]) => [name, combined(results)]));
}

/** The peer must answer exactly what the project answers, or the comparison means nothing. */
async function sameAnswers(url: string, { project, peer }: Partial<Contenders>): Promise<void> {
  if (!project || !peer) return;
  const answer = async (req: BenchRequest): Promise<string> =>
    JSON.stringify(await (await fetch((req.origin ?? url) + req.path, { method: req.method, headers: req.headers, body: req.body })).json());
  const [ours, theirs] = [await answer(project), await answer(peer)];
  if (ours !== theirs) throw new Error(`the peer answers differently:\n${ours.slice(0, 400)}\n${theirs.slice(0, 400)}`);
}

async function runOne(scenario: Scenario, adminUrl: string, seconds: number): Promise<ScenarioReport> {
  const bench = await benchApp(adminUrl, scenario.name);
  try {
    const contenders = await scenario.prepare(bench.env);
    // Statistics and a visibility map, as a production database has them (autovacuum): without
    // them the planner guessed (a commit's enrollment join once used the wrong index, 40 buffers
    // instead of 3), and a scenario would measure plans no deployment runs.
    await bench.env.owner.query('VACUUM ANALYZE');
    const url = await listen(bench.env.app);
    await sameAnswers(url, contenders);
    const connections = Number(process.env.BENCH_CONNECTIONS ?? scenario.connections);
    const results = await race(url, contenders, connections, seconds, bench.env.owner, bench.settle);
    const report: ScenarioReport = { name: scenario.name, connections, seconds, rounds: ROUNDS, baselineLabel: scenario.baselineLabel ?? 'baseline', results };
    printScenario(report);
    return report;
  } finally {
    await bench.close();
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
