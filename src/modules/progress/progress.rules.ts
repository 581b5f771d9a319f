import { CompletionKind } from '../course/content.entity';
import { CompletionStatus, SuccessStatus } from './progress.entity';

/** A state reported for an activity (an attempt's latest, or a native activity's view). */
export interface ProgressUpdate {
  completionStatus?: CompletionStatus;
  successStatus?: SuccessStatus;
  scoreScaled?: number | null;
  scoreRaw?: number | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  /** 0..1 */
  progressMeasure?: number | null;
  /** Time spent since the last report; added to the total. */
  timeSpentSeconds?: number;
  /** The attempt number the state comes from; the count keeps the highest. */
  attemptNumber?: number;
}

/** Worst to best, for "never regress" merging: the order `record_activity_progress` (SQL) merges in. */
export const COMPLETION_ORDER = [CompletionStatus.UNKNOWN, CompletionStatus.NOT_ATTEMPTED, CompletionStatus.INCOMPLETE, CompletionStatus.COMPLETED];
export const SUCCESS_ORDER = [SuccessStatus.UNKNOWN, SuccessStatus.FAILED, SuccessStatus.PASSED];

/** The parts of an activity its completion rule reads. */
export interface CompletionRuleOf {
  completionKind: CompletionKind;
  completionThreshold: number | null;
}

/**
 * Whether a reported state meets the activity's completion rule; the activity counts as done once
 * any reported state met it. VIEWED is "completed and not failed": content that gives a verdict
 * (a SCO's quiz) must not count as done with a failed one, while content that gives none (pages,
 * videos, SCOs that report only completion) counts when completed.
 */
export function ruleMet(rule: CompletionRuleOf, s: ProgressUpdate): boolean {
  const threshold = rule.completionThreshold ?? 1;
  switch (rule.completionKind) {
    case CompletionKind.VIEWED:
      return s.completionStatus === CompletionStatus.COMPLETED && s.successStatus !== SuccessStatus.FAILED;
    case CompletionKind.PROGRESS:
      return s.completionStatus === CompletionStatus.COMPLETED || (s.progressMeasure ?? 0) >= threshold;
    case CompletionKind.PASSED:
      return s.successStatus === SuccessStatus.PASSED;
    case CompletionKind.SCORE:
      return s.scoreScaled !== null && s.scoreScaled !== undefined && s.scoreScaled >= threshold;
  }
}
