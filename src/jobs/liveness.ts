import type { Pool, PoolClient } from 'pg';
import { QUEUE_SCHEMA } from './queue-names';

/** Advisory lock class of worker liveness locks ("cgwk"). */
export const LIVENESS_CLASS = 0x6367776b;

/**
 * Jobs locked by workers that no longer hold their liveness lock, after a grace for a worker that
 * has just started, are unlocked so another worker takes them at once. graphile-worker (without
 * its Pro add-on) would otherwise leave a killed process's jobs locked for four hours.
 */
const RESCUE_SQL = `
  WITH dead AS (
    SELECT DISTINCT j.locked_by FROM ${QUEUE_SCHEMA}._private_jobs j
     WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - make_interval(secs => $2)
       AND NOT EXISTS (
         SELECT 1 FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND l.classid = $1::int::oid AND l.objid = hashtext(j.locked_by)::oid AND l.objsubid = 2))
  SELECT ARRAY(SELECT locked_by FROM dead) AS ids, ${QUEUE_SCHEMA}.force_unlock_workers(ARRAY(SELECT locked_by FROM dead))`;

/**
 * Tells live workers from dead ones without heartbeats: each worker of this process holds a
 * session advisory lock on one connection, which PostgreSQL releases the moment the process dies
 * and its connection closes. Any process may then free the dead workers' jobs.
 */
export class WorkerLiveness {
  private tail: Promise<unknown> = Promise.resolve();
  private client: PoolClient | null = null;
  /** The workers whose locks this process holds: taken again on a new connection. */
  private readonly held = new Set<string>();

  private constructor(private readonly pool: Pool) {}

  static async open(pool: Pool): Promise<WorkerLiveness> {
    const liveness = new WorkerLiveness(pool);
    await liveness.connection();
    return liveness;
  }

  /** Marks a worker of this process as alive for as long as this connection lives. */
  async hold(workerId: string): Promise<void> {
    this.held.add(workerId);
    await this.serial(async () => (await this.connection()).query('SELECT pg_advisory_lock($1, hashtext($2))', [LIVENESS_CLASS, workerId]));
  }

  /** Unlocks the jobs of dead workers locked more than `graceSeconds` ago; returns those workers. */
  async rescue(graceSeconds: number): Promise<string[]> {
    const { rows } = await this.serial(async () => (await this.connection()).query<{ ids: string[] }>(RESCUE_SQL, [LIVENESS_CLASS, graceSeconds]));
    return rows[0]?.ids ?? [];
  }

  /** Releases the locks (the workers have stopped) and the connection. */
  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    const client = this.client;
    this.client = null;
    client?.release(true);
  }

  /**
   * The lock connection. When the database goes away (a restart, a failover) the connection and
   * its locks are gone: the error is taken here rather than crashing the process, and the next
   * use connects again and takes every lock of this process's workers again.
   */
  private async connection(): Promise<PoolClient> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    client.on('error', () => {
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
    });
    try {
      for (const workerId of this.held) await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LIVENESS_CLASS, workerId]);
    } catch (err) {
      client.release(true);
      throw err;
    }
    this.client = client;
    return client;
  }

  /** One statement at a time on the connection. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
