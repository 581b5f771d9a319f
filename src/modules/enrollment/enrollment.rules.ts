import { EnrollmentStatus } from './enrollment.entity';

/**
 * Enrollment status rules, in one place (DESIGN §7). SQL repeats some of them for speed: the
 * roll-up in `record_activity_progress`, the reactivating upsert in enrollment.write, the OVERDUE
 * filter and the completion trigger; `test/e2e/enrollment-rules.test.ts` runs that SQL against
 * these functions.
 */

/** What is stored; OVERDUE is derived. */
export const STORED_STATUSES = [EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS, EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN] as const;

/** Statuses that can still become overdue or completed. */
export const UNFINISHED_STATUSES = [EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS] as const;

/** The parts of an enrollment the rules read. */
export interface StatusFacts {
  status: EnrollmentStatus;
  dueAt?: Date | null;
  startedAt?: Date | null;
  completedAt?: Date | null;
}

export const isUnfinished = (status: EnrollmentStatus): boolean => (UNFINISHED_STATUSES as readonly EnrollmentStatus[]).includes(status);

/** OVERDUE: unfinished and past the due date. */
export function effectiveStatus(e: StatusFacts, now = Date.now()): EnrollmentStatus {
  return isUnfinished(e.status) && e.dueAt && e.dueAt.getTime() < now ? EnrollmentStatus.OVERDUE : e.status;
}

/** The same test in SQL, on the enrollment alias given (`now()` stands for `now`). */
export const overdueSql = (alias: string): string =>
  `(${alias}.status IN (${UNFINISHED_STATUSES.map((s) => `'${s}'`).join(', ')}) AND ${alias}.due_at IS NOT NULL AND ${alias}.due_at < now())`;

/**
 * Roll-up after an activity is completed: all required activities done → COMPLETED; otherwise
 * IN_PROGRESS; a completed enrollment never regresses.
 */
export function rolledUpStatus(current: EnrollmentStatus, done: number, total: number): EnrollmentStatus {
  return current === EnrollmentStatus.COMPLETED || (total > 0 && done === total) ? EnrollmentStatus.COMPLETED : EnrollmentStatus.IN_PROGRESS;
}

/** The first recorded activity starts an enrollment. */
export const startedStatus = (current: EnrollmentStatus): EnrollmentStatus =>
  current === EnrollmentStatus.NOT_STARTED ? EnrollmentStatus.IN_PROGRESS : current;

/** The same in SQL, for an UPDATE of `enrollment`. */
export const STARTED_STATUS_SQL = `CASE WHEN status = '${EnrollmentStatus.NOT_STARTED}' THEN '${EnrollmentStatus.IN_PROGRESS}' ELSE status END`;

/** Assigning again: a withdrawn enrollment comes back where it left off; any other keeps its status. */
export function reassignedStatus(e: StatusFacts): EnrollmentStatus {
  if (e.status !== EnrollmentStatus.WITHDRAWN) return e.status;
  if (e.completedAt) return EnrollmentStatus.COMPLETED;
  return e.startedAt ? EnrollmentStatus.IN_PROGRESS : EnrollmentStatus.NOT_STARTED;
}

/** The reactivation in SQL, for an upsert whose existing row is `enrollment`. */
export const REASSIGNED_STATUS_SQL = `CASE WHEN enrollment.status <> '${EnrollmentStatus.WITHDRAWN}' THEN enrollment.status
                WHEN enrollment.completed_at IS NOT NULL THEN '${EnrollmentStatus.COMPLETED}'
                WHEN enrollment.started_at IS NOT NULL THEN '${EnrollmentStatus.IN_PROGRESS}' ELSE '${EnrollmentStatus.NOT_STARTED}' END`;

/** Re-assigning moves a due date only when the caller asks, and never a completed enrollment's. */
export const dueDateMovable = (e: StatusFacts): boolean => !e.completedAt && e.status !== EnrollmentStatus.COMPLETED;

/** The same in SQL, for an upsert whose existing row is `enrollment`. */
export const DUE_MOVABLE_SQL = `(enrollment.completed_at IS NULL AND enrollment.status <> '${EnrollmentStatus.COMPLETED}')`;

/** Why an administrator cannot complete it by hand, or null when they can (unfinished only). */
export function overrideRefusal(status: EnrollmentStatus): string | null {
  if (status === EnrollmentStatus.COMPLETED) return 'the enrollment is already completed';
  if (status === EnrollmentStatus.WITHDRAWN) return 'the enrollment is withdrawn';
  return null;
}

/**
 * An enrollment is completed, and `enrollment.completed` is written, when its completion time is
 * first set: once per enrollment, whichever writer did it; reactivation keeps the time.
 */
export const completionRecorded = (before: StatusFacts | null, after: StatusFacts): boolean => !before?.completedAt && !!after.completedAt;
