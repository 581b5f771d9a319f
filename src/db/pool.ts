import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs one statement on a pooled connection of `ds`, without TypeORM's query runner around it
 * (which costs more than the statement on the hottest route). For statements that are their own
 * transaction, such as a call of a function that sets its tenant itself; everything else goes
 * through the request's tenant transaction.
 */
export async function poolQuery<T>(ds: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  return (await pool.query(sql, params)).rows as T[];
}
