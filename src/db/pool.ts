import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** The pg pool behind a TypeORM data source (absent before it is initialized or after destroy). */
export function pgPool(ds: DataSource): Pool | undefined {
  return (ds.driver as unknown as { master?: Pool }).master;
}

/**
 * Runs one statement on a pooled connection of `ds`, without TypeORM's query runner around it
 * (which costs more than the statement on the hottest route). For statements that are their own
 * transaction, such as a call of a function that sets its tenant itself; everything else goes
 * through the request's tenant transaction. With a `name`, each connection parses and plans the
 * statement once and afterwards only binds and runs it.
 */
export async function poolQuery<T>(ds: DataSource, sql: string, params: unknown[], name?: string): Promise<T[]> {
  const pool = pgPool(ds);
  if (!pool) throw new Error('the data source is not connected');
  return (await pool.query({ text: sql, values: params, ...(name ? { name } : {}) })).rows as T[];
}

/**
 * Waits (at most `timeoutMs`) until no connection of `ds` is checked out, so work already under
 * way, such as a commit whose client has gone, finishes before the pool is destroyed: TypeORM's
 * destroy would release connections in the middle of their statements.
 */
export async function drainPool(ds: DataSource, timeoutMs = 10_000): Promise<boolean> {
  const pool = pgPool(ds);
  const deadline = Date.now() + timeoutMs;
  while (pool && pool.totalCount > pool.idleCount) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
