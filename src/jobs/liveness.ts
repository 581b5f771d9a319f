import type { Pool, PoolClient } from 'pg';
import { QUEUE_SCHEMA } from './queue-names';

/** Advisory lock class of worker liveness locks ("cgwk"). */
const LIVENESS_CLASS = 0x6367776b;

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

  private constructor(private readonly client: PoolClient) {}

  static async open(pool: Pool): Promise<WorkerLiveness> {
    const client = await pool.connect();
    return new WorkerLiveness(client);
  }

  /** Marks a worker of this process as alive for as long as this connection lives. */
  async hold(workerId: string): Promise<void> {
    await this.serial(() => this.client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LIVENESS_CLASS, workerId]));
  }

  /** Unlocks the jobs of dead workers locked more than `graceSeconds` ago; returns those workers. */
  async rescue(graceSeconds: number): Promise<string[]> {
    const { rows } = await this.serial(() => this.client.query<{ ids: string[] }>(RESCUE_SQL, [LIVENESS_CLASS, graceSeconds]));
    return rows[0]?.ids ?? [];
  }

  /** Releases the locks (the workers have stopped) and the connection. */
  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    this.client.release(true);
  }

  /** One statement at a time on the connection. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
