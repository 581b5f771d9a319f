import type { FastifyBaseLogger } from 'fastify';
import { RequestContext, type ContextDeps } from '../../shared/context';
import { UserErrors } from '../../shared/payload';
import { verifyToken } from '../../shared/signed-token';
import { Activity } from '../course/content.entity';
import { Enrollment } from '../enrollment/enrollment.entity';
import { ActivityAttempt, AttemptStatus, CompletionStatus, SuccessStatus } from '../progress/progress.entity';
import { progressService, type ProgressPrelude } from '../progress/progress.service';
import { isUuid } from '../../shared/ids';
import {
  SCORM_12_ERRORS, SCORM_2004_ERRORS, applyThresholds, mergeTotalTime, readCommitEnvelope, validateCommit12, validateCommit2004,
  type AttemptState,
} from './engine/cmi';
import { COMMIT_TOKEN } from './launch.service';
import { thresholdsOf, type ScormActivityContent } from './scorm-activity';

/** The body scorm-again reads back: `result` and a SCORM error code, plus why, for people. */
export interface CommitAnswer {
  status: number;
  body: { result: boolean; errorCode: number; reason?: string };
}

const OK: CommitAnswer = { status: 200, body: { result: true, errorCode: 0 } };
// SCORM error codes reach the SCO only in a 2xx answer (scorm-again maps any other status to 101).
const refuse = (errorCode: number, reason: string, status = 200): CommitAnswer => ({ status, body: { result: false, errorCode, reason } });

/** Everything a commit needs, loaded and locked in one statement. */
interface Locked {
  sessionId: string;
  commitSequence: number;
  superseded: boolean;
  finishedAt: Date | null;
  attempt: Pick<ActivityAttempt, 'id' | 'number' | 'totalTimeSeconds' | 'enrollmentId'>;
  activity: Activity;
  enrollment: Enrollment;
  content: ScormActivityContent;
}

// The commit route is the hottest write path: one statement loads and locks the session and the
// attempt (concurrent commits of one attempt queue up) with the activity and enrollment beside them.
const LOCK_SESSION = `
  SELECT s.commit_sequence, s.superseded, s.finished_at, t.id AS attempt_id, t.number, t.total_time_seconds, t.enrollment_id,
         a.id AS activity_id, a.course_id, a.revision_id, a.key, a.completion_kind, a.completion_threshold, a.content,
         e.user_id, e.status AS enrollment_status, e.revision_id AS enrollment_revision_id
    FROM scorm_session s
    JOIN activity_attempt t ON t.organization_id = s.organization_id AND t.id = s.attempt_id
    JOIN activity a ON a.organization_id = t.organization_id AND a.id = t.activity_id
    JOIN enrollment e ON e.organization_id = t.organization_id AND e.id = t.enrollment_id
   WHERE s.organization_id = current_setting('app.organization_id')::uuid AND s.id = '{SESSION}'
     FOR UPDATE OF s, t`;

interface LockedRow {
  commit_sequence: number;
  superseded: boolean;
  finished_at: Date | null;
  attempt_id: string;
  number: number;
  total_time_seconds: number;
  enrollment_id: string;
  activity_id: string;
  course_id: string;
  revision_id: string;
  key: string;
  completion_kind: string;
  completion_threshold: number | null;
  content: unknown;
  user_id: string;
  enrollment_status: string;
  enrollment_revision_id: string | null;
}

/** The locked row, read in the round trip that opened the transaction. */
function lockedOf(ctx: RequestContext, sessionId: string): Locked | null {
  const [row] = ctx.transaction.firstRows as unknown as LockedRow[];
  if (!row) return null;
  const activity = Object.assign(new Activity(), {
    organizationId: ctx.orgId, id: row.activity_id, courseId: row.course_id, revisionId: row.revision_id, key: row.key,
    completionKind: row.completion_kind, completionThreshold: row.completion_threshold, content: row.content,
  });
  const enrollment = Object.assign(new Enrollment(), {
    organizationId: ctx.orgId, id: row.enrollment_id, userId: row.user_id, courseId: row.course_id, status: row.enrollment_status, revisionId: row.enrollment_revision_id,
  });
  return {
    sessionId, commitSequence: row.commit_sequence, superseded: row.superseded, finishedAt: row.finished_at,
    attempt: { id: row.attempt_id, number: row.number, totalTimeSeconds: row.total_time_seconds, enrollmentId: row.enrollment_id },
    activity, enrollment, content: row.content as ScormActivityContent,
  };
}

// Attempt and session, written in the same statement as the progress merge: the snapshot, the
// new total time and status, the sequence. Parameters from $16 on (see ProgressPrelude).
const STORE = `
  session_written AS (
    UPDATE scorm_session SET commit_sequence = COALESCE($19::int, commit_sequence), finished_at = CASE WHEN $20::boolean THEN now() END
     WHERE organization_id = $1 AND id = $17
  ), attempt_written AS (
    UPDATE activity_attempt SET completion_status = $21, success_status = $22, score_scaled = $23, score_raw = $24, score_min = $25, score_max = $26,
           progress_measure = $27, location = $28, suspend_data = $29, exit = $30, total_time_seconds = $31, interactions = $32, objectives = $33,
           status = $18, finished_at = CASE WHEN $18 = '${AttemptStatus.FINISHED}' THEN now() END, updated_at = now()
     WHERE organization_id = $1 AND id = $16
  )`;

/** The snapshot and session writes, for the progress statement to run first. */
function storePrelude(locked: Locked, state: AttemptState, sequence: number | undefined, final: boolean): ProgressPrelude {
  const status = !final ? AttemptStatus.OPEN : state.exit === 'suspend' ? AttemptStatus.SUSPENDED : AttemptStatus.FINISHED;
  return {
    sql: STORE,
    params: [
      locked.attempt.id, locked.sessionId, status, sequence ?? null, final,
      state.completionStatus, state.successStatus, state.scoreScaled ?? null, state.scoreRaw ?? null, state.scoreMin ?? null, state.scoreMax ?? null,
      state.progressMeasure ?? null, state.location, state.suspendData, state.exit, mergeTotalTime(locked.attempt.totalTimeSeconds, state, final),
      JSON.stringify(state.interactions), JSON.stringify(state.objectives),
    ],
  };
}

/** Validates one commit against the data model and the manifest's rules, and stores it. */
async function applyCommit(ctx: RequestContext, sessionId: string, body: unknown, final: boolean): Promise<CommitAnswer> {
  const locked = lockedOf(ctx, sessionId);
  if (!locked) return refuse(SCORM_2004_ERRORS.general, 'UNKNOWN_SESSION', 404);
  const { content } = locked;
  const codes = content.version === 'SCORM_1.2' ? SCORM_12_ERRORS : SCORM_2004_ERRORS;
  if (locked.superseded) return refuse(codes.general, 'SUPERSEDED: the activity was launched again in another session');
  const envelope = readCommitEnvelope(body, content.version);
  if (!envelope.ok) return refuse(envelope.errorCode, envelope.message);
  // Full snapshots: a repeated or older sequence, or anything after this session's final commit, changes nothing.
  if (locked.finishedAt || (envelope.commitSequence !== undefined && envelope.commitSequence <= locked.commitSequence)) return OK;
  const checked = content.version === 'SCORM_1.2' ? validateCommit12(envelope.cmi) : validateCommit2004(envelope.cmi);
  if (!checked.ok) return refuse(checked.errorCode, `${checked.element}: ${checked.message}`);
  const state = applyThresholds(checked.state, thresholdsOf(content));
  await progressService.recordActivityProgress(ctx, locked.enrollment, locked.activity, {
    completionStatus: state.completionStatus as CompletionStatus, successStatus: state.successStatus as SuccessStatus,
    scoreScaled: state.scoreScaled, scoreRaw: state.scoreRaw, scoreMin: state.scoreMin, scoreMax: state.scoreMax,
    progressMeasure: state.progressMeasure, timeSpentSeconds: final ? state.sessionTimeSeconds : 0, attemptNumber: locked.attempt.number,
  }, storePrelude(locked, state, envelope.commitSequence, final));
  return OK;
}

export const commitService = {
  /**
   * `POST /scorm/commit/:token`: the token names the organization and session; the answer is
   * sent only after the transaction holding the data has committed.
   */
  async commit(deps: ContextDeps, log: FastifyBaseLogger, token: string, body: unknown, final: boolean): Promise<CommitAnswer> {
    const claims = await verifyToken(deps.serverSecret, COMMIT_TOKEN, token);
    if (!claims || typeof claims.o !== 'string' || typeof claims.s !== 'string' || !isUuid(claims.s)) return refuse(SCORM_2004_ERRORS.general, 'INVALID_TOKEN', 403);
    const sessionId = claims.s;
    const principal = { kind: 'system' as const, organizationId: claims.o, label: 'scorm-runtime' };
    try {
      // The session is locked in the round trip that opens the transaction (its id is a checked uuid).
      // Refusals happen before anything is written; an error after a write rolls the whole commit back.
      const ctx = new RequestContext(deps, principal, `commit-${sessionId}`, log);
      return await ctx.runInTransaction((c) => applyCommit(c, sessionId, body, final), false, LOCK_SESSION.replace('{SESSION}', sessionId));
    } catch (err) {
      if (err instanceof UserErrors) return refuse(SCORM_2004_ERRORS.general, err.message);
      throw err;
    }
  },
};
