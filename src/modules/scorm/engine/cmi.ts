import { SCORM_12_ERRORS, SCORM_2004_ERRORS } from './cmi-reader';
import type { AttemptState, CompletionStatus, SuccessStatus } from './cmi-types';
import type { ScormVersion } from './manifest-item';

export type * from './cmi-types';
export { validateCommit2004 } from './cmi-2004';
export { validateCommit12, mapLessonStatus, type LessonStatus } from './cmi-12';
export { SCORM_12_ERRORS, SCORM_2004_ERRORS, type ErrorCodes } from './cmi-reader';

/** What the manifest says about judging this activity; absent values mean "the SCO decides". */
export interface Thresholds {
  /** SCORM 2004 `cmi.completion_threshold` (0..1). */
  completionThreshold?: number;
  /** SCORM 2004 `cmi.scaled_passing_score` (-1..1). */
  scaledPassingScore?: number;
  /** SCORM 1.2 `cmi.student_data.mastery_score` (0..100). */
  masteryScore?: number;
}

/**
 * Applies the LMS-side evaluation rules to a validated state and returns the result:
 * - RTE 4.2.4.1: with a completion threshold, completion is decided by `progress_measure`
 *   (>= threshold: completed, below: incomplete) whatever the SCO said, and is `unknown`
 *   when the SCO reported no progress.
 * - RTE 4.2.22.1: with a scaled passing score, success is decided by `score.scaled`
 *   (>= passing: passed, below: failed), and is `unknown` when the SCO reported no score.
 * - SCORM 1.2 RTE 3.4.4: with a mastery score and a reported `score.raw`, success is decided by
 *   raw >= mastery; without a raw score the SCO's own status stands (1.2 has no "unknown").
 * Call it only for attempts in `credit` mode: no-credit attempts are not judged.
 */
export function applyThresholds(state: AttemptState, thresholds: Thresholds): AttemptState {
  return {
    ...state,
    completionStatus: evaluateCompletion(state, thresholds.completionThreshold),
    successStatus: evaluateSuccess(state, thresholds),
  };
}

function evaluateCompletion(state: AttemptState, threshold: number | undefined): CompletionStatus {
  if (threshold === undefined) return state.completionStatus;
  if (state.progressMeasure === undefined) return 'unknown';
  return state.progressMeasure >= threshold ? 'completed' : 'incomplete';
}

function evaluateSuccess(state: AttemptState, thresholds: Thresholds): SuccessStatus {
  const { scaledPassingScore, masteryScore } = thresholds;
  if (scaledPassingScore !== undefined) {
    if (state.scoreScaled === undefined) return 'unknown';
    return state.scoreScaled >= scaledPassingScore ? 'passed' : 'failed';
  }
  if (masteryScore !== undefined && state.scoreRaw !== undefined) {
    return state.scoreRaw >= masteryScore ? 'passed' : 'failed';
  }
  return state.successStatus;
}

/** The parts of a commit request body, or the SCORM code to answer with when it is unreadable. */
export type CommitEnvelope =
  | { ok: true; cmi: unknown; commitSequence?: number }
  | { ok: false; errorCode: number; message: string };

/**
 * Reads the body scorm-again posts with `dataCommitFormat: 'json'`: `{"cmi": {...},
 * "commitSequence": n}` (the sequence only with `includeCommitSequence: true`; `adl` and
 * `sharedData` may ride along and are not read). Takes the raw text, as the final
 * `sendBeacon` arrives as `text/plain`, or an already parsed JSON body.
 */
export function readCommitEnvelope(body: unknown, version: ScormVersion): CommitEnvelope {
  const general = (version === 'SCORM_1.2' ? SCORM_12_ERRORS : SCORM_2004_ERRORS).general;
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, errorCode: general, message: 'the commit body is not JSON' };
    }
  }
  if (typeof parsed !== 'object' || parsed === null || !('cmi' in parsed)) {
    return { ok: false, errorCode: general, message: 'the commit body has no "cmi" object' };
  }
  const { cmi, commitSequence } = parsed as { cmi: unknown; commitSequence?: unknown };
  if (commitSequence === undefined) return { ok: true, cmi };
  if (!Number.isSafeInteger(commitSequence) || (commitSequence as number) < 1) {
    return { ok: false, errorCode: general, message: 'commitSequence must be a positive integer' };
  }
  return { ok: true, cmi, commitSequence: commitSequence as number };
}
