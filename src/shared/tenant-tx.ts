import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isUuid } from './ids';

/**
 * A transaction bound to one tenant: `app.organization_id` is set (transaction-local) before any
 * other statement, so row-level security scopes every query in it.
 */
export class TenantTransaction {
  private done = false;
  /** Runs `fn` after every statement sent before it on this transaction (TypeORM's and prepared ones alike). */
  private readonly queue: Queue;

  private constructor(
    private readonly runner: QueryRunner,
    /** Rows of the `lead` statement sent with BEGIN, if one was. */
    readonly leadRows?: object[],
  ) {
    this.queue = oneQueryAtATime(runner);
  }

  /**
   * Opens the transaction; `organizationId` null means platform scope (tenant tables read empty).
   * `lead`, a statement without parameters (its values already checked or quoted), goes in the
   * same round trip once the tenant is set: the request's caller lookup, so that every request
   * spends one round trip fewer before its first query.
   */
  static async begin(ds: DataSource, organizationId: string | null, readOnly = false, lead?: string): Promise<TenantTransaction> {
    if (organizationId !== null && !isUuid(organizationId)) throw new Error('organization id must be a uuid');
    const runner = ds.createQueryRunner();
    const client = (await runner.connect()) as { query(text: string): Promise<{ rows: object[] } | { rows: object[] }[]> };
    try {
      // One round trip opens the transaction and sets the tenant (the id was checked to be a uuid).
      // TypeORM's startTransaction would spend a round trip of its own, so its bookkeeping is set here.
      const mode = readOnly ? ' READ ONLY' : '';
      const results = await client.query(`START TRANSACTION${mode}; SELECT set_config('app.organization_id', '${organizationId ?? ''}', true)${lead ? `; ${lead}` : ''}`);
      // Counted as statements, not round trips: the lead is a statement of its own.
      runner.data.sqlCount = ((runner.data.sqlCount as number | undefined) ?? 0) + (lead ? 2 : 1);
      Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: true, transactionDepth: 1 });
      return new TenantTransaction(runner, lead && Array.isArray(results) ? results[results.length - 1].rows : undefined);
    } catch (err) {
      await runner.release();
      throw err;
    }
  }

  get manager(): EntityManager {
    return this.runner.manager;
  }

  /**
   * Runs a hot read as a named prepared statement: PostgreSQL parses, rewrites (row-level security
   * included) and plans it once per pooled connection instead of on every request. For the fixed
   * statements of loaders that run on every request; in the same queue as every other statement
   * of this transaction, and counted like them.
   */
  prepared<T>(text: string, values: unknown[]): Promise<T[]> {
    return this.runPrepared<T>({ name: statementName(text), text, values });
  }

  /** `prepared`, each row an array of its columns in select order (pg builds no object per row): for `LeanReader.fromArrays`. */
  preparedArrays(text: string, values: unknown[]): Promise<unknown[][]> {
    return this.runPrepared<unknown[]>({ name: statementName(text), text, values, rowMode: 'array' });
  }

  private runPrepared<T>(config: PreparedQuery): Promise<T[]> {
    const client = (this.runner as unknown as { databaseConnection: PreparingClient }).databaseConnection;
    return this.queue(async () => {
      this.runner.data.sqlCount = ((this.runner.data.sqlCount as number | undefined) ?? 0) + 1;
      return (await client.query<T>(config)).rows;
    });
  }

  /** SQL statements sent on this transaction so far (BEGIN and the tenant setting included). */
  get statementCount(): number {
    return (this.runner.data.sqlCount as number | undefined) ?? 0;
  }

  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.runner.commitTransaction();
    } finally {
      await this.runner.release();
    }
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    } finally {
      await this.runner.release();
    }
  }

  /** Runs `fn` with the tenant switched to `organizationId`, then switches back (platform work). */
  async asTenant<T>(organizationId: string, fn: () => Promise<T>): Promise<T> {
    if (!isUuid(organizationId)) throw new Error('organization id must be a uuid');
    const previous = (await this.runner.query(`SELECT current_setting('app.organization_id', true) AS v`)) as { v: string | null }[];
    await this.runner.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
    try {
      return await fn();
    } finally {
      await this.runner.query(`SELECT set_config('app.organization_id', $1, true)`, [previous[0]?.v ?? '']);
    }
  }

  /** Runs `fn` in a savepoint; rolls back to it when `fn` throws or `keep` says no. */
  async savepoint<T>(fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    await this.runner.query(`SAVEPOINT ${name}`);
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      await this.runner.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
    await this.runner.query(keep(result) ? `RELEASE SAVEPOINT ${name}` : `ROLLBACK TO SAVEPOINT ${name}`);
    return result;
  }
}

/**
 * A request's resolvers and loaders run concurrently on its one connection. pg 8 queues such
 * overlapping queries but deprecates doing so (pg 9 drops the queue), so the runner sends the
 * next query only when the previous one has answered: the same order and timing, on purpose.
 */
type Queue = <R>(fn: () => Promise<R>) => Promise<R>;

function oneQueryAtATime(runner: QueryRunner): Queue {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  const queue: Queue = (fn) => {
    const next = tail.then(fn);
    tail = next.catch(() => undefined);
    return next;
  };
  runner.query = ((...args: Parameters<QueryRunner['query']>) => queue(() => query(...args))) as QueryRunner['query'];
  return queue;
}

interface PreparedQuery {
  name: string;
  text: string;
  values: unknown[];
  rowMode?: 'array';
}

interface PreparingClient {
  query<T>(config: PreparedQuery): Promise<{ rows: T[] }>;
}

const names = new Map<string, string>();

/** A prepared statement's name: the same text always gets the same name, on every connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `cg_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
}

/** Runs `fn` in a tenant transaction, committing on success and rolling back on error. */
export async function withTenant<T>(
  ds: DataSource,
  organizationId: string | null,
  fn: (tx: TenantTransaction) => Promise<T>,
  readOnly = false,
): Promise<T> {
  const tx = await TenantTransaction.begin(ds, organizationId, readOnly);
  try {
    const result = await fn(tx);
    await tx.commit();
    return result;
  } catch (err) {
    await tx.rollback();
    throw err;
  }
}
