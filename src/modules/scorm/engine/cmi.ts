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
  /** SCORM 2004 `deliveryControls completionSetByContent`: only the SCO decides completion. */
  completionSetByContent?: boolean;
  /** SCORM 2004 `deliveryControls objectiveSetByContent`: only the SCO decides success. */
  objectiveSetByContent?: boolean;
  /** SCORM 2004 primary objective's id: its entry in `cmi.objectives` stands for the SCO's own status and score. */
  primaryObjectiveId?: string;
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
export function applyThresholds(reported: AttemptState, thresholds: Thresholds): AttemptState {
  const state = withPrimaryObjective(reported, thresholds.primaryObjectiveId);
  return {
    ...state,
    completionStatus: evaluateCompletion(state, thresholds.completionThreshold),
    successStatus: evaluateSuccess(state, thresholds),
  };
}

/**
 * SN 4.2.17 / RTE 4.2.17: the primary objective is the activity's own, so a SCO that reports its
 * verdict or score only on the primary objective's `cmi.objectives` entry has reported them for
 * the SCO (with `satisfiedByMeasure`, the score is then judged against `minNormalizedMeasure`).
 */
function withPrimaryObjective(state: AttemptState, primaryId: string | undefined): AttemptState {
  const primary = primaryId === undefined ? undefined : state.objectives.find((o) => o.id === primaryId);
  if (!primary) return state;
  return {
    ...state,
    successStatus: state.successStatus === 'unknown' ? primary.successStatus : state.successStatus,
    completionStatus: state.completionStatus === 'unknown' ? primary.completionStatus : state.completionStatus,
    scoreScaled: state.scoreScaled ?? primary.scoreScaled,
  };
}

/**
 * What the LMS decides when a SCO ends its attempt (the final commit, not suspended) without
 * having reported a status, as minimum-call content (Initialize, Terminate) does:
 * - SCORM 1.2 RTE 3.4.4: a SCO that finishes without setting `lesson_status` is `completed`
 *   (and passed or failed when it reported a raw score against a mastery score: applyThresholds).
 * - SCORM 2004 SN 4.2.1 (End Attempt) with the default delivery controls
 *   (`completionSetByContent` / `objectiveSetByContent` false): no completion status reported
 *   means completed, no success status reported means satisfied (passed). A completion threshold
 *   or a scaled passing score in the manifest decides instead.
 */
export function applyEndOfAttempt(state: AttemptState, version: ScormVersion, thresholds: Thresholds): AttemptState {
  if (version === 'SCORM_1.2') {
    return state.completionStatus === 'not attempted' ? { ...state, completionStatus: 'completed' } : state;
  }
  const completionByLms = thresholds.completionThreshold === undefined && !thresholds.completionSetByContent;
  const successByLms = thresholds.scaledPassingScore === undefined && !thresholds.objectiveSetByContent;
  return {
    ...state,
    completionStatus: completionByLms && state.completionStatus === 'unknown' ? 'completed' : state.completionStatus,
    successStatus: successByLms && state.successStatus === 'unknown' ? 'passed' : state.successStatus,
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
  | { ok: true; cmi: unknown; commitSequence?: number; navRequest?: string }
  | { ok: false; errorCode: number; message: string };

/** The session row's `commit_sequence` is a PostgreSQL integer: larger sequences are refused, never wrapped or dropped. */
export const MAX_COMMIT_SEQUENCE = 2 ** 31 - 1;

/** An escaped NUL (`\\u0000` not itself escaped) anywhere in JSON text: PostgreSQL text and jsonb cannot hold it. */
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/**
 * Reads the body scorm-again posts with `dataCommitFormat: 'json'`: `{"cmi": {...},
 * "commitSequence": n}` (the sequence only with `includeCommitSequence: true`; `adl` and
 * `sharedData` may ride along; only `adl.nav.request` is read). Takes the raw text, as the final
 * `sendBeacon` arrives as `text/plain`, or an already parsed JSON body. Refuses here, once for
 * every element, what no element may carry: a NUL character, and a sequence beyond the stored range.
 */
export function readCommitEnvelope(body: unknown, version: ScormVersion): CommitEnvelope {
  const general = (version === 'SCORM_1.2' ? SCORM_12_ERRORS : SCORM_2004_ERRORS).general;
  const refuse = (message: string): CommitEnvelope => ({ ok: false, errorCode: general, message });
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  if (ESCAPED_NUL.test(text)) return refuse('the commit carries a NUL character (\\u0000), which no SCORM value may hold');
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return refuse('the commit body is not JSON');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || !('cmi' in parsed)) return refuse('the commit body has no "cmi" object');
  const { cmi, commitSequence, adl } = parsed as { cmi: unknown; commitSequence?: unknown; adl?: { nav?: { request?: unknown } } };
  const navRequest = typeof adl?.nav?.request === 'string' ? adl.nav.request : undefined;
  if (commitSequence === undefined) return { ok: true, cmi, navRequest };
  if (!Number.isSafeInteger(commitSequence) || (commitSequence as number) < 1 || (commitSequence as number) > MAX_COMMIT_SEQUENCE) {
    return refuse(`commitSequence must be an integer from 1 to ${MAX_COMMIT_SEQUENCE}`);
  }
  return { ok: true, cmi, commitSequence: commitSequence as number, navRequest };
}
