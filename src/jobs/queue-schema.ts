import { Logger, runMigrations } from 'graphile-worker';

/** graphile-worker logs nothing of its migrations: the migrate step reports its own. */
const silent = new Logger(() => () => undefined);

/**
 * Installs or upgrades graphile-worker's schema, as the owner and before our migrations (the outbox
 * trigger calls its add_jobs). Safe to run from several processes at once: graphile-worker's
 * migrations detect each other. The application role gets no rights on it: its tables keep
 * row-level security on with no policy, requests reach the queue only through the outbox
 * trigger and the stats function (SECURITY DEFINER), and the worker connects as the owner.
 */
export async function installJobQueue(ownerUrl: string): Promise<void> {
  await runMigrations({ connectionString: ownerUrl, maxPoolSize: 1, logger: silent });
}
