import type { RequestContext } from '../../shared/context';
import { forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { signToken } from '../../shared/signed-token';
import { viewerEnrollmentByCourse } from '../catalog/catalog.loader';
import { contentReadable } from '../course/content.access';
import { Activity, ActivityKind } from '../course/content.entity';
import { EnrollmentStatus, type Enrollment } from '../enrollment/enrollment.entity';
import { ActivityAttempt, AttemptStatus, CompletionStatus } from '../progress/progress.entity';
import { progressService } from '../progress/progress.service';
import { signCommitToken } from './commit.service';
import { initialCmi, type ScormCmi } from './initial-cmi';
import { isScormContent, type ScormActivityContent } from './scorm-activity';
import { CONTENT_TOKEN } from './scorm-package.routes';
import { ScormSession } from './scorm-session.entity';
import { endSessions } from './scorm-session.service';
import type { SequencingRequest } from './sequencing.rules';
import { sequencingService } from './sequencing.service';
import { msg } from '../../shared/i18n/message';

/** Purpose of the player page's signed token (commit URLs carry a COMMIT_TOKEN). */
export const PLAYER_TOKEN = 'scorm-player';
/** A launch's URLs stay valid this long (a working day). */
const SESSION_TTL_SECONDS = 10 * 3600;

/** What a player needs to start a SCORM API object for one session. */
export interface Launch {
  attempt: ActivityAttempt;
  sessionId: string;
  content: ScormActivityContent;
  entry: 'ab-initio' | 'resume' | '';
  contentUrl: string;
  commitUrl: string;
  playerUrl: string;
  cmi: ScormCmi;
}

/** The activity, checked launchable by the caller, and the caller's enrollment. */
async function launchable(ctx: RequestContext, activityId: string, request: SequencingRequest): Promise<{ activity: Activity; content: ScormActivityContent; enrollment: Enrollment }> {
  ctx.assert(Permission.LEARN);
  if (!ctx.user) throw forbidden('Only users launch activities');
  const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
  if (!(await contentReadable(ctx, activity.courseId, activity.revisionId))) throw notFound('Activity');
  if (activity.kind !== ActivityKind.SCORM || !isScormContent(activity.content)) {
    throw userError(UserErrorCode.INVALID, 'only SCORM activities with a package are launched', ['input', 'activityId']);
  }
  const enrollment = await viewerEnrollmentByCourse(ctx).load(activity.courseId);
  if (!enrollment || enrollment.status === EnrollmentStatus.WITHDRAWN) throw userError(UserErrorCode.FORBIDDEN, 'enroll in the course first', ['input', 'activityId']);
  await progressService.fixRevision(ctx, enrollment, activity);
  await sequencingService.assertLaunchable(ctx, enrollment, activity, request);
  return { activity, content: activity.content as ScormActivityContent, enrollment };
}

/** The attempt this launch runs: the unfinished latest one (resumed), or a new one. */
async function attemptFor(ctx: RequestContext, enrollment: Enrollment, activity: Activity): Promise<ActivityAttempt> {
  // Serializes launches of one enrollment, so two tabs cannot both open attempt n+1. It also holds
  // the enrollment against a withdrawal until this launch commits: a commit trusts its session row
  // alone (a withdrawal ends the enrollment's sessions), so a withdrawal either waits and then ends
  // this launch's session too, or committed first and is seen here (the lock re-reads the row).
  const held = (await ctx.manager.query(
    `SELECT 1 FROM enrollment WHERE organization_id = $1 AND id = $2 AND status <> 'WITHDRAWN' FOR UPDATE`,
    [ctx.orgId, enrollment.id],
  )) as unknown[];
  if (!held.length) throw userError(UserErrorCode.FORBIDDEN, 'enroll in the course first', ['input', 'activityId']);
  const latest = await ctx.manager.findOne(ActivityAttempt, {
    where: { organizationId: ctx.orgId, enrollmentId: enrollment.id, activityId: activity.id },
    order: { number: 'DESC' },
  });
  if (latest && latest.status !== AttemptStatus.FINISHED) return latest;
  const limit = (activity.content as ScormActivityContent).attemptLimit;
  if (limit !== undefined && (latest?.number ?? 0) >= limit) {
    throw userError(UserErrorCode.LIMIT_REACHED, msg('the package allows {limit} attempt(s) of this SCO (limitConditions attemptLimit)', { limit }), ['input', 'activityId']);
  }
  const id = newId();
  await ctx.manager.insert(ActivityAttempt, {
    organizationId: ctx.orgId, id, enrollmentId: enrollment.id, activityId: activity.id, userId: enrollment.userId,
    number: (latest?.number ?? 0) + 1, status: AttemptStatus.OPEN,
    // The learner's preferences (audio, language, speed, captions) carry over to the next attempt.
    learnerPreference: latest?.learnerPreference ?? {},
  });
  return getEntityOrThrow(ctx, ActivityAttempt, id, 'Attempt');
}

/**
 * Ends the attempt's earlier sessions (an abandoned one's time is counted now, and the attempt,
 * which its content never ended, is resumed where it was) and opens a new one.
 */
async function openSession(ctx: RequestContext, attempt: ActivityAttempt): Promise<Pick<ScormSession, 'id' | 'entry'>> {
  const ended = (await endSessions(ctx, { attemptId: attempt.id })).get(attempt.id);
  if (ended?.abandonedSeconds) attempt.totalTimeSeconds = Math.round((attempt.totalTimeSeconds + ended.abandonedSeconds) * 100) / 100;
  const hadSession = ended !== undefined || (await ctx.manager.existsBy(ScormSession, { organizationId: ctx.orgId, attemptId: attempt.id }));
  const entry = attempt.status === AttemptStatus.SUSPENDED || hadSession ? 'resume' : 'ab-initio';
  const session = { organizationId: ctx.orgId, id: newId(), attemptId: attempt.id, entry };
  await ctx.manager.insert(ScormSession, session);
  await ctx.manager.update(ActivityAttempt, { organizationId: ctx.orgId, id: attempt.id }, { entry });
  return session;
}

/** An asset never talks to the run-time: launching it is completing it. */
async function completeAsset(ctx: RequestContext, enrollment: Enrollment, activity: Activity, attempt: ActivityAttempt): Promise<void> {
  await ctx.manager.update(ActivityAttempt, { organizationId: ctx.orgId, id: attempt.id }, {
    status: AttemptStatus.FINISHED, completionStatus: CompletionStatus.COMPLETED, finishedAt: new Date(),
  });
  await progressService.recordActivityProgress(ctx, enrollment, activity, { completionStatus: CompletionStatus.COMPLETED, attemptNumber: attempt.number });
  // As a commit on a SCO of a sequenced package does (migration ScormSequencing): the organization may now be completed.
  if ((activity.content as ScormActivityContent).sequencing) {
    await ctx.manager.query('SELECT scorm_cover_package($1, $2, $3, $4, $5)', [ctx.orgId, enrollment.id, activity.key, activity.id, enrollment.revisionId]);
  }
}

/** URLs of a session: content and player on the content origin, commits on the API origin. */
export async function sessionUrls(ctx: RequestContext, activity: Activity, attempt: ActivityAttempt, sessionId: string, learnerId: string) {
  const { config } = ctx.deps;
  const secret = ctx.deps.serverSecret;
  // The learner's external id lets the player act for them when the SCO navigates to another SCO.
  const claims = { o: ctx.orgId, s: sessionId, u: learnerId };
  const content = activity.content as ScormActivityContent;
  const contentToken = await signToken(secret, CONTENT_TOKEN, { o: ctx.orgId, p: content.packageId }, SESSION_TTL_SECONDS);
  // Import refuses any launch href that is not a file of the package, so it is always a path below the content URL.
  return {
    contentUrl: `${config.contentBaseUrl}/content/${contentToken}/${content.launchHref}`,
    commitUrl: `${config.publicUrl}/scorm/commit/${await signCommitToken(secret, { organizationId: ctx.orgId, sessionId, attempt, activity }, SESSION_TTL_SECONDS)}`,
    playerUrl: `${config.contentBaseUrl}/player/${await signToken(secret, PLAYER_TOKEN, claims, SESSION_TTL_SECONDS)}`,
  };
}

export const launchService = {
  /**
   * Starts (or resumes) the caller's attempt on a SCORM activity and returns what a player needs.
   * `request` is how it was asked for: a front end's launch, or a SCO's navigation request.
   */
  async launch(ctx: RequestContext, activityId: string, request: SequencingRequest = 'launch'): Promise<Launch> {
    const { activity, content, enrollment } = await launchable(ctx, activityId, request);
    const attempt = await attemptFor(ctx, enrollment, activity);
    const session = await openSession(ctx, attempt);
    if (content.scormType === 'asset') await completeAsset(ctx, enrollment, activity, attempt);
    const entry = session.entry as Launch['entry'];
    const cmi = initialCmi({ learnerId: ctx.user!.externalId, learnerName: ctx.user!.name, entry, attempt, content });
    return { attempt, sessionId: session.id, content, entry, cmi, ...(await sessionUrls(ctx, activity, attempt, session.id, ctx.user!.externalId)) };
  },
};
