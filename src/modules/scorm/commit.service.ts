import type { FastifyBaseLogger } from 'fastify';
import { RequestContext, type ContextDeps } from '../../shared/context';
import { UserErrors } from '../../shared/payload';
import { verifyToken } from '../../shared/signed-token';
import { Activity } from '../course/content.entity';
import { Enrollment } from '../enrollment/enrollment.entity';
import { ActivityAttempt, AttemptStatus, CompletionStatus, SuccessStatus } from '../progress/progress.entity';
import { progressService } from '../progress/progress.service';
import {
  SCORM_12_ERRORS, SCORM_2004_ERRORS, applyThresholds, mergeTotalTime, readCommitEnvelope, validateCommit12, validateCommit2004,
  type AttemptState,
} from './engine/cmi';
import { COMMIT_TOKEN } from './launch.service';
import { thresholdsOf, type ScormActivityContent } from './scorm-activity';
import { ScormSession } from './scorm-session.entity';

/** The body scorm-again reads back: `result` and a SCORM error code, plus why, for people. */
export interface CommitAnswer {
  status: number;
  body: { result: boolean; errorCode: number; reason?: string };
}

const OK: CommitAnswer = { status: 200, body: { result: true, errorCode: 0 } };
// SCORM error codes reach the SCO only in a 2xx answer (scorm-again maps any other status to 101).
const refuse = (errorCode: number, reason: string, status = 200): CommitAnswer => ({ status, body: { result: false, errorCode, reason } });

interface Locked {
  session: ScormSession;
  attempt: ActivityAttempt;
  activity: Activity;
  content: ScormActivityContent;
}

/** The session and its attempt, locked for this commit (concurrent commits of one attempt queue up). */
async function lockSession(ctx: RequestContext, sessionId: string): Promise<Locked | null> {
  const session = await ctx.manager.findOne(ScormSession, { where: { organizationId: ctx.orgId, id: sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!session) return null;
  const attempt = await ctx.manager.findOne(ActivityAttempt, { where: { organizationId: ctx.orgId, id: session.attemptId }, lock: { mode: 'pessimistic_write' } });
  const activity = attempt && (await ctx.manager.findOneBy(Activity, { organizationId: ctx.orgId, id: attempt.activityId }));
  if (!attempt || !activity) return null;
  return { session, attempt, activity, content: activity.content as ScormActivityContent };
}

/** Writes the validated snapshot into the attempt; the final commit closes or suspends it. */
async function storeAttempt(ctx: RequestContext, locked: Locked, state: AttemptState, final: boolean): Promise<void> {
  const { attempt } = locked;
  const status = !final ? AttemptStatus.OPEN : state.exit === 'suspend' ? AttemptStatus.SUSPENDED : AttemptStatus.FINISHED;
  await ctx.manager.update(ActivityAttempt, { organizationId: ctx.orgId, id: attempt.id }, {
    completionStatus: state.completionStatus as CompletionStatus, successStatus: state.successStatus as SuccessStatus,
    scoreScaled: state.scoreScaled ?? null, scoreRaw: state.scoreRaw ?? null, scoreMin: state.scoreMin ?? null, scoreMax: state.scoreMax ?? null,
    progressMeasure: state.progressMeasure ?? null, location: state.location, suspendData: state.suspendData, exit: state.exit,
    totalTimeSeconds: mergeTotalTime(attempt.totalTimeSeconds, state, final),
    interactions: state.interactions as never, objectives: state.objectives as never,
    status, finishedAt: status === AttemptStatus.FINISHED ? new Date() : null,
  });
}

/** Validates one commit against the data model and the manifest's rules, and stores it. */
async function applyCommit(ctx: RequestContext, sessionId: string, body: unknown, final: boolean): Promise<CommitAnswer> {
  const locked = await lockSession(ctx, sessionId);
  if (!locked) return refuse(SCORM_2004_ERRORS.general, 'UNKNOWN_SESSION', 404);
  const { session, attempt, activity, content } = locked;
  const codes = content.version === 'SCORM_1.2' ? SCORM_12_ERRORS : SCORM_2004_ERRORS;
  if (session.superseded) return refuse(codes.general, 'SUPERSEDED: the activity was launched again in another session');
  const envelope = readCommitEnvelope(body, content.version);
  if (!envelope.ok) return refuse(envelope.errorCode, envelope.message);
  // Full snapshots: a repeated or older sequence, or anything after this session's final commit, changes nothing.
  if (session.finishedAt || (envelope.commitSequence !== undefined && envelope.commitSequence <= session.commitSequence)) return OK;
  const checked = content.version === 'SCORM_1.2' ? validateCommit12(envelope.cmi) : validateCommit2004(envelope.cmi);
  if (!checked.ok) return refuse(checked.errorCode, `${checked.element}: ${checked.message}`);
  const state = applyThresholds(checked.state, thresholdsOf(content));
  await storeAttempt(ctx, locked, state, final);
  await ctx.manager.update(ScormSession, { organizationId: ctx.orgId, id: session.id }, {
    commitSequence: envelope.commitSequence ?? session.commitSequence, finishedAt: final ? new Date() : null,
  });
  const enrollment = await ctx.manager.findOneByOrFail(Enrollment, { organizationId: ctx.orgId, id: attempt.enrollmentId });
  await progressService.recordActivityProgress(ctx, enrollment, activity, {
    completionStatus: state.completionStatus as CompletionStatus, successStatus: state.successStatus as SuccessStatus,
    scoreScaled: state.scoreScaled, scoreRaw: state.scoreRaw, scoreMin: state.scoreMin, scoreMax: state.scoreMax,
    progressMeasure: state.progressMeasure, timeSpentSeconds: final ? state.sessionTimeSeconds : 0, attemptNumber: attempt.number,
  });
  return OK;
}

export const commitService = {
  /**
   * `POST /scorm/commit/:token`: the token names the organization and session; the answer is
   * sent only after the transaction holding the data has committed.
   */
  async commit(deps: ContextDeps, log: FastifyBaseLogger, token: string, body: unknown, final: boolean): Promise<CommitAnswer> {
    const claims = await verifyToken(deps.serverSecret, COMMIT_TOKEN, token);
    if (!claims || typeof claims.o !== 'string' || typeof claims.s !== 'string') return refuse(SCORM_2004_ERRORS.general, 'INVALID_TOKEN', 403);
    const principal = { kind: 'system' as const, organizationId: claims.o, label: 'scorm-runtime' };
    try {
      // Refusals happen before anything is written; an error after a write rolls the whole commit back.
      return await RequestContext.run(deps, principal, log, (ctx) => applyCommit(ctx, claims.s as string, body, final));
    } catch (err) {
      if (err instanceof UserErrors) return refuse(SCORM_2004_ERRORS.general, err.message);
      throw err;
    }
  },
};
