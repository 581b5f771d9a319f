import { AssessmentAttemptStatus, type AssessmentAttempt } from './assessment-attempt.entity';

/** How long after its deadline an attempt still takes answers in flight (slow networks, clock skew). */
export const DEADLINE_GRACE_SECONDS = 15;

/** The grace as a SQL interval, for statements that compare with the database clock. */
export const DEADLINE_GRACE_SQL = `interval '${DEADLINE_GRACE_SECONDS} seconds'`;

/** Open, timed, and past its deadline plus the grace. */
export function isOverdue(attempt: Pick<AssessmentAttempt, 'status' | 'deadlineAt'>, now = Date.now()): boolean {
  return attempt.status === AssessmentAttemptStatus.IN_PROGRESS
    && attempt.deadlineAt !== null
    && now > attempt.deadlineAt.getTime() + DEADLINE_GRACE_SECONDS * 1000;
}

/** The status to show: an overdue attempt reads as EXPIRED even before it has been closed. */
export function effectiveStatus(attempt: Pick<AssessmentAttempt, 'status' | 'deadlineAt'>): AssessmentAttemptStatus {
  return isOverdue(attempt) ? AssessmentAttemptStatus.EXPIRED : attempt.status;
}

/** Whole seconds left before the deadline (0 once passed); null when untimed or closed. */
export function secondsRemaining(attempt: Pick<AssessmentAttempt, 'status' | 'deadlineAt'>, now = Date.now()): number | null {
  if (attempt.status !== AssessmentAttemptStatus.IN_PROGRESS || !attempt.deadlineAt) return null;
  return Math.max(0, Math.floor((attempt.deadlineAt.getTime() - now) / 1000));
}
