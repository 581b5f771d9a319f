import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { QUEUE_SCHEMA } from './queue-names';

/** The newest schema revision this graphile-worker ships (its `sql/NNNNNN.sql` files). */
function shippedRevision(): number {
  const dir = path.join(path.dirname(require.resolve('graphile-worker/package.json')), 'sql');
  return Math.max(...readdirSync(dir).filter((f) => /^\d{6}\.sql$/.test(f)).map((f) => Number.parseInt(f, 10)));
}

/** The queue schema's revision in the database, or 0 before it is installed. */
async function installedRevision(ownerUrl: string): Promise<number> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number | null }>(
      `SELECT CASE WHEN to_regclass('${QUEUE_SCHEMA}.migrations') IS NULL THEN 0 END AS id`,
    );
    if (rows[0].id === 0) return 0;
    const latest = await client.query<{ id: number | null }>(`SELECT max(id) AS id FROM ${QUEUE_SCHEMA}.migrations`);
    return latest.rows[0].id ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * Installs or upgrades graphile-worker's schema, as the owner and before our migrations (the outbox
 * trigger calls its add_jobs). Safe to run from several processes at once: graphile-worker's
 * migrations detect each other. When the schema is current (every start after the first), the
 * library is not even loaded: each CLI command migrates, and loading it costs about a second.
 *
 * The application role gets no rights on it: its tables keep row-level security on with no
 * policy, requests reach the queue only through the outbox trigger and the stats function
 * (SECURITY DEFINER), and the worker connects as the owner.
 */
export async function installJobQueue(ownerUrl: string): Promise<void> {
  if ((await installedRevision(ownerUrl)) >= shippedRevision()) return;
  const { Logger, runMigrations } = await import('graphile-worker');
  await runMigrations({ connectionString: ownerUrl, maxPoolSize: 1, logger: new Logger(() => () => undefined) });
}
