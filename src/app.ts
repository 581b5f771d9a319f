import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from './config';
import { ConfigError } from './config-check';
import { connectApp, loadSecrets, migrate, openDatabase, type Database, type Secrets } from './bootstrap';
import type { ContextDeps } from './shared/context';
import { resolveCaller } from './modules/user/caller';
import { drainPool } from './db/pool';
import { ShutdownSequence } from './shutdown';

/** A configured, migrated database and the application's connection to it (main and the CLI share it). */
export interface Runtime {
  config: Config;
  secrets: Secrets;
  db: Database;
  dataSource: DataSource;
  deps: ContextDeps;
  log: pino.Logger;
  /** The process's shutdown; the runtime registers closing the pool and stopping the database, callers add theirs. */
  shutdown: ShutdownSequence;
  /** Runs the shutdown. */
  close(): Promise<void>;
}

/** Why a process could not start, for its one line on stderr: every configuration problem on a line of its own, anything else on one line. */
export function startFailure(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
}

/** Loads configuration and secrets, opens (or starts) the database, migrates it and connects as the app role. */
export async function openRuntime(options: { logLevel?: string; toStderr?: boolean } = {}): Promise<Runtime> {
  const config = loadConfig();
  const log = pino({ level: options.logLevel ?? config.logLevel }, options.toStderr ? pino.destination(2) : undefined);
  const secrets = loadSecrets(config);
  if (!config.jwt.jwksUrl) config.jwt.secret = secrets.jwtSecret;
  const db = await openDatabase(config, secrets, (msg) => log.info(msg));
  try {
    await migrate(config, db, secrets, (msg) => log.info(msg));
    const dataSource = await connectApp(db);
    const deps: ContextDeps = { dataSource, config, serverSecret: secrets.serverSecret, resolveCaller };
    const shutdown = new ShutdownSequence(log);
    shutdown.add('connections', 'database pool', async () => {
      if (!(await drainPool(dataSource))) log.warn('closing the database pool with statements still running');
      await dataSource.destroy();
    });
    shutdown.add('database', 'database', () => db.stop());
    return { config, secrets, db, dataSource, deps, log, shutdown, close: async () => void (await shutdown.run()) };
  } catch (err) {
    await db.stop();
    throw err;
  }
}
