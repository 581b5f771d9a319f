import { pgPool } from '../../db/pool';
import { RequestContext } from '../../shared/context';
import type { AssessmentAttempt } from './assessment-attempt.entity';
import { closeAttempt } from './attempt.grading';
import { isOverdue } from './attempt.time';

/** How long the closing transaction waits for a row lock before giving up until the next touch. */
const LOCK_TIMEOUT = '3s';

/**
 * Whether a second connection can be had without waiting behind others: a request that holds one
 * connection and waits for another could, under load, starve the pool.
 */
function poolHasRoom(ctx: RequestContext): boolean {
  const pool = pgPool(ctx.deps.dataSource);
  if (!pool) return false;
  return pool.idleCount > pool.waitingCount || pool.totalCount < (pool.options.max ?? 10);
}

/**
 * Closes and grades the overdue attempts among `attempts`, with what was saved, so they count
 * (there is no background job: this runs whenever an attempt or its assessment is touched). It
 * runs in a short transaction of its own, committed at once, because the caller's may be a
 * read-only query or a mutation about to be refused (and rolled back). The closing UPDATE is
 * guarded, so a racing submit or another reader cannot grade twice. When it cannot run now (no
 * spare connection, a lock held elsewhere) the attempt still reads as EXPIRED and is closed at the
 * next touch. True when it ran.
 */
export async function closeOverdue(ctx: RequestContext, attempts: readonly AssessmentAttempt[]): Promise<boolean> {
  const overdue = attempts.filter((a) => isOverdue(a));
  if (overdue.length === 0 || !poolHasRoom(ctx)) return false;
  const principal = { kind: 'system' as const, organizationId: ctx.orgId, label: 'assessment-deadline' };
  try {
    await RequestContext.run(ctx.deps, principal, ctx.log, async (own) => {
      await own.manager.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      for (const attempt of overdue) await closeAttempt(own, attempt.id, true);
    });
    return true;
  } catch (err) {
    ctx.log.warn({ err }, 'closing overdue assessment attempts failed; they close at the next touch');
    return false;
  }
}
