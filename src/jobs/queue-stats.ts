import type { DataSource } from 'typeorm';
import { poolQuery } from '../db/pool';

/** The job queue at a glance (all workers, all tenants). */
export interface QueueStats {
  /** Waiting to run, including retries waiting for their back-off. */
  pending: number;
  /** Locked by a worker right now. */
  running: number;
  /** Pending after failing at least once. */
  retrying: number;
  /** Gave up after their last attempt; kept for inspection. */
  failed: number;
}

/** Reads the queue's counts through `job_queue_stats()` (the application role cannot read the queue itself). */
export async function queueStats(ds: DataSource): Promise<QueueStats> {
  const [row] = await poolQuery<Record<keyof QueueStats, string>>(ds, 'SELECT pending, running, retrying, failed FROM job_queue_stats()', []);
  return { pending: Number(row.pending), running: Number(row.running), retrying: Number(row.retrying), failed: Number(row.failed) };
}
