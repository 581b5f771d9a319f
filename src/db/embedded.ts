import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { openFolder, pgAccount, pgBinaries, reachableBy, type PgAccount, type PgBinaries } from './pg-binaries';
import { acceptsConnections, Postmaster, type DatabaseHealth } from './postmaster';

/** Where clusters go when the data folder is one the `postgres` user cannot enter (as root). */
export const DEFAULT_EMBEDDED_HOME = '/var/lib/coursegraph';

/** A running PostgreSQL the process can use, and how to stop it if this process started it. */
export interface EmbeddedCluster {
  /** Superuser URL of the maintenance database `postgres`. */
  adminUrl: string;
  urlFor(database: string): string;
  location: ClusterLocation;
  /** Present when this process started the server and supervises it. */
  health?: DatabaseHealth;
  stop(): Promise<void>;
}

interface ClusterState {
  port: number;
  password: string;
  /** The PostgreSQL data directory (absent in files written before it was recorded: `<root>/pg`). */
  dataDir?: string;
}

/** Where an embedded cluster's files are, and who runs it. */
export interface ClusterLocation {
  /** `<DATA_DIR>/postgres`: the cluster's port and password (cluster.json, readable by us only). */
  root: string;
  /** PostgreSQL's data directory: `<root>/pg`, or under the embedded home when the account cannot reach `root`. */
  dataDir: string;
  /** PostgreSQL's log, beside the data directory. */
  logFile: string;
  state: Required<ClusterState>;
  account?: PgAccount;
  home: string;
}

export interface ClusterOptions {
  log?: (msg: string) => void;
  /** Where clusters and program copies go that `postgres` could not reach otherwise (root only). */
  home?: string;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function chooseDataDir(root: string, account: PgAccount | undefined, home: string): string {
  const inside = path.join(root, 'pg');
  if (existsSync(path.join(inside, 'PG_VERSION')) || reachableBy(account, root)) return inside;
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  openFolder(home);
  return path.join(openFolder(path.join(home, key)), 'pg');
}

/**
 * Finds (or decides, on first use) where the cluster of `dir` lives. As root, PostgreSQL runs as
 * `postgres`; when that user cannot enter `dir` (a checkout under /root), the data directory goes
 * to `<home>/<sha256 of dir, 16 hex>/pg` instead, and cluster.json remembers it.
 */
export async function locateCluster(dir: string, options: ClusterOptions = {}): Promise<ClusterLocation> {
  const root = path.resolve(dir);
  const home = path.resolve(options.home ?? DEFAULT_EMBEDDED_HOME);
  mkdirSync(root, { recursive: true });
  const account = pgAccount();
  const stateFile = path.join(root, 'cluster.json');
  const stored = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState) : undefined;
  const dataDir = stored?.dataDir ?? chooseDataDir(root, account, home);
  const state = { port: stored?.port ?? (await freePort()), password: stored?.password ?? randomBytes(18).toString('base64url'), dataDir };
  if (JSON.stringify(state) !== JSON.stringify(stored)) writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  if (path.dirname(dataDir) === root) chmodSync(root, 0o755);
  return { root, dataDir, logFile: path.join(path.dirname(dataDir), 'postgres.log'), state, account, home };
}

/** Superuser URL of `database` on the cluster at `loc`. */
export function clusterUrl(loc: ClusterLocation, database: string): string {
  return `postgres://postgres:${encodeURIComponent(loc.state.password)}@127.0.0.1:${loc.state.port}/${database}`;
}

/** Makes `target` (a folder or file) the account's, as PostgreSQL requires of its data directory. */
export function giveToAccount(target: string, account: PgAccount | undefined): void {
  if (account) chownSync(target, account.uid, account.gid);
}

async function initialise(loc: ClusterLocation, bin: PgBinaries): Promise<void> {
  mkdirSync(loc.dataDir, { recursive: true, mode: 0o700 });
  giveToAccount(loc.dataDir, loc.account);
  const pwfile = path.join(path.dirname(loc.dataDir), `.pwfile-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, `${loc.state.password}\n`, { mode: 0o600 });
  giveToAccount(pwfile, loc.account);
  const args = [`--pgdata=${loc.dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--lc-messages=C'];
  try {
    const out: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(bin.initdb, args, { ...(loc.account ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => out.push(d.toString()));
      child.stderr.on('data', (d: Buffer) => out.push(d.toString()));
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) {
      const reason = out.join('').split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? `exit code ${code}`;
      rmSync(path.join(loc.dataDir, 'PG_VERSION'), { force: true });
      throw new Error(`initdb could not create the embedded PostgreSQL cluster in ${loc.dataDir}: ${reason}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Starts (or reuses, when another process of ours already runs it) the embedded PostgreSQL of the
 * data folder `dir`, supervised by this process when it started it. Every failure is one line
 * saying what went wrong and what to do.
 */
export async function startEmbeddedCluster(dir: string, options: ClusterOptions = {}): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => undefined);
  const loc = await locateCluster(dir, options);
  const urlFor = (database: string): string => clusterUrl(loc, database);
  const adminUrl = urlFor('postgres');
  const initialised = existsSync(path.join(loc.dataDir, 'PG_VERSION'));
  if (initialised && (await acceptsConnections(adminUrl))) {
    log(`using the embedded PostgreSQL already running on port ${loc.state.port} (data: ${loc.dataDir})`);
    return { adminUrl, urlFor, location: loc, stop: async () => undefined };
  }
  const bin = await pgBinaries(loc.account, loc.home);
  if (!initialised) {
    log(`initialising the embedded PostgreSQL cluster in ${loc.dataDir}`);
    await initialise(loc, bin);
  }
  const postmaster = new Postmaster({
    bin, account: loc.account, dataDir: loc.dataDir, port: loc.state.port, adminUrl, logFile: loc.logFile,
    log: { info: log, error: log },
  });
  await postmaster.start();
  log(`embedded PostgreSQL ${bin.version} on port ${loc.state.port}, data in ${loc.dataDir}, log in ${loc.logFile}`);
  return { adminUrl, urlFor, location: loc, health: postmaster, stop: () => postmaster.stop() };
}

/** Why a start of the embedded PostgreSQL failed, and what to do, as one line. */
export function embeddedFailure(err: unknown): string {
  const reason = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  return `${reason}. Fix that, or set DATABASE_URL to use a PostgreSQL server of your own`;
}

/** Creates `database` if it does not exist yet (optionally from a template). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}
