import type { RequestContext } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { getEntityOrThrow } from '../../shared/scoped';
import { Activity } from '../course/content.entity';
import { ActivityAttempt } from '../progress/progress.entity';
import { launchService } from './launch.service';
import type { ScormActivityContent } from './scorm-activity';
import { ScormSession } from './scorm-session.entity';
import { msg } from '../../shared/i18n/message';

/** A SCO of the same package in the learner's course, in course order. */
export interface PackageItem {
  activityId: string;
  identifier: string;
}

/**
 * What the player offers the SCO in `adl.nav.request_valid`: continue and previous when there is
 * a SCO of the package after or before this one, choice of any other, and the exits.
 */
export interface PlayerNavigation {
  identifier: string;
  continue: boolean;
  previous: boolean;
  choices: string[];
}

/** The SCO navigation requests the player carries out by moving to another SCO of the package. */
export type MoveRequest = 'continue' | 'previous' | 'choice' | 'jump';
export const MOVE_REQUESTS: readonly MoveRequest[] = ['continue', 'previous', 'choice', 'jump'];

/** The SCOs of the activity's package in its course revision, in course order (module, then activity position). */
export async function packageItems(ctx: RequestContext, activity: Activity): Promise<PackageItem[]> {
  const content = activity.content as ScormActivityContent;
  return (await ctx.manager.query(
    `SELECT a.id AS "activityId", a.content->>'identifier' AS identifier
       FROM activity a JOIN course_module m ON m.organization_id = a.organization_id AND m.id = a.module_id
      WHERE a.organization_id = $1 AND a.revision_id = $2 AND a.kind = 'SCORM' AND a.content->>'packageId' = $3
      ORDER BY m.position, a.position`,
    [ctx.orgId, activity.revisionId, content.packageId],
  )) as PackageItem[];
}

/** The navigation the player offers on this activity. */
export function navigationOf(items: PackageItem[], activity: Activity): PlayerNavigation {
  const at = items.findIndex((item) => item.activityId === activity.id);
  return {
    identifier: (activity.content as ScormActivityContent).identifier,
    continue: at >= 0 && at < items.length - 1,
    previous: at > 0,
    choices: items.filter((item) => item.activityId !== activity.id).map((item) => item.identifier),
  };
}

/** The activity a navigation request moves to, or NOT_FOUND when there is none (the player then hands back to the LMS). */
export function moveTarget(items: PackageItem[], activity: Activity, request: MoveRequest, target: string | undefined): PackageItem {
  const at = items.findIndex((item) => item.activityId === activity.id);
  const found = request === 'continue' ? items[at + 1]
    : request === 'previous' ? (at > 0 ? items[at - 1] : undefined)
      : items.find((item) => item.identifier === target && item.activityId !== activity.id);
  if (at < 0 || !found) throw new AppError('NOT_FOUND', msg('No SCO of the package to {request} to', { request }));
  return found;
}

/**
 * Carries out a SCO's navigation request at its Terminate: launches the SCO of the package it
 * names, as the learner whose session the player token is for (the launch's own checks apply:
 * enrollment, visibility, sequencing), and answers the new session's player URL.
 */
export async function navigateFrom(ctx: RequestContext, sessionId: string, request: MoveRequest, target: string | undefined): Promise<string> {
  const session = await ctx.manager.findOneBy(ScormSession, { organizationId: ctx.orgId, id: sessionId });
  const attempt = session && (await ctx.manager.findOneBy(ActivityAttempt, { organizationId: ctx.orgId, id: session.attemptId }));
  if (!session || session.superseded || !attempt || attempt.userId !== ctx.user?.id) throw new AppError('NOT_FOUND', 'This launch is no longer valid; launch the activity again');
  const activity = await getEntityOrThrow(ctx, Activity, attempt.activityId, 'Activity');
  const next = moveTarget(await packageItems(ctx, activity), activity, request, target);
  return (await launchService.launch(ctx, next.activityId)).playerUrl;
}
