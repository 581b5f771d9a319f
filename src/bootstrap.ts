import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../ormconfig';
import type { Config } from './config';
import { embeddedFailure, ensureDatabase, startEmbeddedCluster, type EmbeddedCluster } from './db/embedded';
import { appUrlFrom, enableAppRoleLogin } from './db/app-role';
import { installJobQueue } from './jobs/queue-schema';

/** Secrets the service needs; from the environment, or generated once into the data folder for development. */
export interface Secrets {
  jwtSecret?: string;
  serverSecret: string;
  appDbPassword: string;
}

export interface Database {
  ownerUrl: string;
  appUrl: string;
  /** The embedded cluster, when there is no DATABASE_URL. */
  embedded?: EmbeddedCluster;
  stop(): Promise<void>;
}

type Log = (msg: string) => void;

/** Reads secrets from the environment, falling back to `<dataDir>/secrets.json` outside production. */
export function loadSecrets(config: Config, env: NodeJS.ProcessEnv = process.env): Secrets {
  const fromEnv = { jwtSecret: config.jwt.secret, serverSecret: env.SERVER_SECRET, appDbPassword: env.APP_DB_PASSWORD };
  // loadConfig has refused a production configuration without them.
  if (config.env === 'production') return { jwtSecret: fromEnv.jwtSecret, serverSecret: fromEnv.serverSecret ?? '', appDbPassword: fromEnv.appDbPassword ?? '' };
  const file = path.resolve(config.dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  const generated: Secrets = {
    jwtSecret: stored.jwtSecret ?? randomBytes(32).toString('base64url'),
    serverSecret: stored.serverSecret ?? randomBytes(32).toString('base64url'),
    appDbPassword: stored.appDbPassword ?? randomBytes(18).toString('base64url'),
  };
  if (JSON.stringify(generated) !== JSON.stringify(stored)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  return {
    jwtSecret: fromEnv.jwtSecret ?? generated.jwtSecret,
    serverSecret: fromEnv.serverSecret ?? generated.serverSecret,
    appDbPassword: fromEnv.appDbPassword ?? generated.appDbPassword,
  };
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL of the data folder (failures in one line). */
export async function openDatabase(config: Config, secrets: Secrets, log: Log): Promise<Database> {
  if (config.databaseUrl) {
    const ownerUrl = config.databaseUrl;
    return { ownerUrl, appUrl: config.appDatabaseUrl ?? appUrlFrom(ownerUrl, secrets.appDbPassword), stop: async () => undefined };
  }
  let cluster: EmbeddedCluster | undefined;
  try {
    cluster = await startEmbeddedCluster(path.resolve(config.dataDir, 'postgres'), { log, home: config.embeddedHome });
    await ensureDatabase(cluster.adminUrl, 'coursegraph');
  } catch (err) {
    await cluster?.stop();
    throw new Error(embeddedFailure(err));
  }
  const ownerUrl = cluster.urlFor('coursegraph');
  return { ownerUrl, appUrl: config.appDatabaseUrl ?? appUrlFrom(ownerUrl, secrets.appDbPassword), embedded: cluster, stop: cluster.stop };
}

/**
 * The advisory lock (in the service's database) that one migration holds at a time: API copies,
 * workers and CLI calls that start together would otherwise run the same migration twice, or alter
 * the application role at once (PostgreSQL: "tuple concurrently updated").
 */
export const MIGRATION_LOCK = 7_402_115_001;

/**
 * Runs pending migrations as the owner (the job queue's schema first: the outbox trigger uses it)
 * and lets the application role log in, holding MIGRATION_LOCK (a process that starts meanwhile waits,
 * then finds nothing to do).
 */
export async function migrate(config: Config, db: Database, secrets: Secrets, log: Log): Promise<string[]> {
  const lock = new Client({ connectionString: db.ownerUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await installJobQueue(db.ownerUrl);
    const owner = createDataSource(db.ownerUrl, { extra: { max: 2 } });
    await owner.initialize();
    try {
      const ran = await owner.runMigrations({ transaction: 'each' });
      for (const m of ran) log(`migrated: ${m.name}`);
      if (!config.appDatabaseUrl) await enableAppRoleLogin(db.ownerUrl, secrets.appDbPassword);
      return ran.map((m) => m.name);
    } finally {
      await owner.destroy();
    }
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}

/** The application's DataSource, connected as the application role. */
export async function connectApp(db: Database): Promise<DataSource> {
  const ds = createDataSource(db.appUrl);
  await ds.initialize();
  return ds;
}
