import type { DataSource } from 'typeorm';
import { poolQuery } from '../../db/pool';
import { isUuid } from '../../shared/ids';
import { VerifiedTokens, signToken } from '../../shared/signed-token';
import { CompletionKind } from '../course/content.entity';
import type { Activity } from '../course/content.entity';
import { AttemptStatus, CompletionStatus, SuccessStatus, type ActivityAttempt } from '../progress/progress.entity';
import { ruleMet, type CompletionRuleOf } from '../progress/progress.rules';
import {
  SCORM_12_ERRORS, SCORM_2004_ERRORS, applyEndOfAttempt, applyThresholds, readCommitEnvelope, validateCommit12, validateCommit2004,
  type AttemptState, type Thresholds,
} from './engine/cmi';
import type { ScormVersion } from './engine/manifest-item';
import { thresholdsOf, type ScormActivityContent } from './scorm-activity';

/** Purpose of the signed token in a commit URL. */
export const COMMIT_TOKEN = 'scorm-commit';

/**
 * The body scorm-again reads back (`result` and a SCORM error code, plus why, for people), and
 * the outcome for metrics and logs: STORED, STALE, or the refusal's code.
 */
export interface CommitAnswer {
  status: number;
  body: { result: boolean; errorCode: number; reason?: string };
  outcome: string;
}

const OK = { status: 200, body: { result: true, errorCode: 0 } } as const;
// SCORM error codes reach the SCO only in a 2xx answer (scorm-again maps any other status to 101).
const refuse = (outcome: string, errorCode: number, reason: string, status = 200): CommitAnswer => ({ status, body: { result: false, errorCode, reason }, outcome });

/**
 * What a commit URL's token carries besides the tenant and session: the attempt, enrollment and
 * activity the session belongs to, the SCO's data-model version, the manifest's thresholds and the
 * activity's completion rule. None of these change under a session (published activities are
 * frozen), so a commit is validated and judged before it touches the database, and stored in one
 * statement.
 */
interface CommitRules {
  organizationId: string;
  sessionId: string;
  attemptId: string;
  attemptNumber: number;
  enrollmentId: string;
  activityId: string;
  activityKey: string;
  revisionId: string;
  version: ScormVersion;
  thresholds: Thresholds;
  rule: CompletionRuleOf;
  /** The SCO's package uses sequencing: the commit also rolls the package's organization up. */
  sequenced: boolean;
}

/** The session a commit token is for, with the rows it belongs to. */
export interface CommitSubject {
  organizationId: string;
  sessionId: string;
  attempt: Pick<ActivityAttempt, 'id' | 'number' | 'enrollmentId'>;
  activity: Pick<Activity, 'id' | 'key' | 'revisionId' | 'completionKind' | 'completionThreshold' | 'content'>;
}

/** Signs the commit token of a session on a SCORM activity. */
export function signCommitToken(secret: string, subject: CommitSubject, ttlSeconds: number): Promise<string> {
  const { attempt, activity } = subject;
  const content = activity.content as ScormActivityContent;
  const t = thresholdsOf(content);
  const claims: Record<string, string | number> = {
    o: subject.organizationId, s: subject.sessionId, a: attempt.id, n: attempt.number, e: attempt.enrollmentId,
    ac: activity.id, k: activity.key, r: activity.revisionId, v: content.version, ck: activity.completionKind,
  };
  if (activity.completionThreshold !== null) claims.kt = activity.completionThreshold;
  if (t.completionThreshold !== undefined) claims.ct = t.completionThreshold;
  if (t.scaledPassingScore !== undefined) claims.ps = t.scaledPassingScore;
  if (t.masteryScore !== undefined) claims.ms = t.masteryScore;
  if (t.primaryObjectiveId !== undefined) claims.po = t.primaryObjectiveId;
  if (t.completionSetByContent) claims.cc = 1;
  if (t.objectiveSetByContent) claims.oc = 1;
  if (content.sequencing) claims.sq = 1;
  return signToken(secret, COMMIT_TOKEN, claims, ttlSeconds);
}

const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The rules of a verified token's claims, or null when they are not a commit token's. */
function rulesOf(claims: Record<string, unknown>): CommitRules | null {
  const { o, s, a, n, e, ac, k, r, v, ck } = claims;
  if (!isUuid(o) || !isUuid(s) || !isUuid(a) || !isUuid(e) || !isUuid(ac) || !isUuid(k) || !isUuid(r) || !Number.isInteger(n)) return null;
  if ((v !== 'SCORM_1.2' && v !== 'SCORM_2004') || !Object.values(CompletionKind).includes(ck as CompletionKind)) return null;
  return {
    organizationId: o, sessionId: s, attemptId: a, attemptNumber: n as number, enrollmentId: e, activityId: ac, activityKey: k, revisionId: r, version: v,
    thresholds: {
      completionThreshold: number(claims.ct), scaledPassingScore: number(claims.ps), masteryScore: number(claims.ms),
      primaryObjectiveId: typeof claims.po === 'string' ? claims.po : undefined, completionSetByContent: claims.cc === 1, objectiveSetByContent: claims.oc === 1,
    },
    rule: { completionKind: ck as CompletionKind, completionThreshold: number(claims.kt) ?? null },
    sequenced: claims.sq === 1,
  };
}

/** A server's verified commit tokens, kept while valid: a session commits with the same token many times. */
export const commitTokens = (secret: string): VerifiedTokens<CommitRules> => new VerifiedTokens(secret, COMMIT_TOKEN, rulesOf);

// One statement, one round trip: the function (migrations ProgressFunctions, ScormCommitLean) sets
// the tenant, locks the session (one session's commits queue up; the session row alone says whether
// it still takes commits) and writes session, attempt, progress and roll-up in the statement's own
// transaction, which has committed when the answer arrives.
const COMMIT_SQL = `SELECT scorm_commit(${Array.from({ length: 28 }, (_, i) => `$${i + 1}`).join(', ')}) AS outcome`;

type Outcome = 'OK' | 'STALE' | 'UNKNOWN_SESSION' | 'SUPERSEDED' | 'WITHDRAWN';

/**
 * How a commit arrives: an ordinary one, the SCO's final one (its Terminate), or the player's
 * snapshot when the page goes away while the SCO has not terminated (`?closing=true`).
 */
export type CommitMode = 'commit' | 'final' | 'closing';

/**
 * The attempt after a commit. Only the content ends an attempt (its Terminate without
 * `cmi.exit=suspend` or `adl.nav.request=suspendAll`); a page closed under a running SCO leaves it
 * resumable, as SCORM Cloud and Moodle do.
 */
function attemptStatusOf(mode: CommitMode, state: AttemptState, navRequest: string | undefined): AttemptStatus {
  if (mode === 'commit') return AttemptStatus.OPEN;
  if (mode === 'closing' || state.exit === 'suspend' || navRequest === 'suspendAll') return AttemptStatus.SUSPENDED;
  return AttemptStatus.FINISHED;
}

async function store(ds: DataSource, rules: CommitRules, state: AttemptState, sequence: number | undefined, mode: CommitMode, attemptStatus: AttemptStatus): Promise<Outcome> {
  const final = mode === 'final';
  const completed = ruleMet(rules.rule, {
    completionStatus: state.completionStatus as CompletionStatus, successStatus: state.successStatus as SuccessStatus,
    scoreScaled: state.scoreScaled, progressMeasure: state.progressMeasure,
  });
  const [row] = await poolQuery<{ outcome: Outcome }>(ds, COMMIT_SQL, [
    rules.organizationId, rules.sessionId, rules.attemptId, rules.attemptNumber, rules.enrollmentId, rules.activityId, rules.activityKey, rules.revisionId,
    sequence ?? null, final, attemptStatus,
    state.completionStatus, state.successStatus, state.scoreScaled ?? null, state.scoreRaw ?? null, state.scoreMin ?? null, state.scoreMax ?? null,
    state.progressMeasure ?? null, state.location, state.suspendData, state.exit, state.sessionTimeSeconds,
    JSON.stringify(state.interactions), JSON.stringify(state.objectives), JSON.stringify(state.comments), JSON.stringify(state.learnerPreference), completed, rules.sequenced,
  ], 'scorm_commit');
  return row.outcome;
}

const REASONS: Record<Exclude<Outcome, 'OK' | 'STALE'>, [string, number]> = {
  UNKNOWN_SESSION: ['UNKNOWN_SESSION', 404],
  SUPERSEDED: ['SUPERSEDED: the activity was launched again in another session', 200],
  WITHDRAWN: ['WITHDRAWN: the enrollment is withdrawn', 200],
};

export const commitService = {
  /**
   * `POST /scorm/commit/:token`: the token names the organization, the session and the rules the
   * commit is judged by. The body is read and validated against the data model first; then one
   * statement stores it, and the answer is sent only after that statement's transaction committed.
   * Repeated or older sequences, and anything after the session's final commit, change nothing.
   */
  async commit(ds: DataSource, tokens: VerifiedTokens<CommitRules>, token: string, body: unknown, mode: CommitMode): Promise<CommitAnswer> {
    const rules = await tokens.verify(token);
    if (!rules) return refuse('INVALID_TOKEN', SCORM_2004_ERRORS.general, 'INVALID_TOKEN', 403);
    const codes = rules.version === 'SCORM_1.2' ? SCORM_12_ERRORS : SCORM_2004_ERRORS;
    const envelope = readCommitEnvelope(body, rules.version);
    if (!envelope.ok) return refuse('UNREADABLE', envelope.errorCode, envelope.message);
    const checked = rules.version === 'SCORM_1.2' ? validateCommit12(envelope.cmi) : validateCommit2004(envelope.cmi);
    if (!checked.ok) return refuse('INVALID_VALUE', checked.errorCode, `${checked.element}: ${checked.message}`);
    const attemptStatus = attemptStatusOf(mode, checked.state, envelope.navRequest);
    const judged = applyThresholds(checked.state, rules.thresholds);
    const state = attemptStatus === AttemptStatus.FINISHED ? applyEndOfAttempt(judged, rules.version, rules.thresholds) : judged;
    const outcome = await store(ds, rules, state, envelope.commitSequence, mode, attemptStatus);
    if (outcome === 'OK' || outcome === 'STALE') return { ...OK, outcome: outcome === 'OK' ? 'STORED' : 'STALE' };
    const [reason, status] = REASONS[outcome];
    return refuse(outcome, codes.general, reason, status);
  },
};
