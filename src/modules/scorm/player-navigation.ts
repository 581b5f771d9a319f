import type { RequestContext } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { getEntityOrThrow } from '../../shared/scoped';
import { Activity } from '../course/content.entity';
import { ActivityAttempt } from '../progress/progress.entity';
import { launchService } from './launch.service';
import { ScormSession } from './scorm-session.entity';
import type { PackagePlace } from './sequencing.loader';
import { availability, flowStep, type LearnerSequencingState } from './sequencing.rules';
import { refusal, sequencingService } from './sequencing.service';
import { msg } from '../../shared/i18n/message';

/**
 * What the player offers the SCO in `adl.nav.request_valid`: continue and previous when the
 * package's sequencing leads somewhere from this SCO, choice of the SCOs it lets the learner
 * choose now, and the exits.
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

/** The SCO's package and the learner's state on it, for the attempt's enrollment. */
export async function packageState(ctx: RequestContext, activity: Activity, enrollmentId: string): Promise<{ place: PackagePlace; learner: LearnerSequencingState }> {
  const place = await sequencingService.placeOf(ctx, activity);
  if (!place) throw new AppError('NOT_FOUND', 'This activity is not a SCO of a package');
  return { place, learner: await sequencingService.learnerState(ctx, place, { id: enrollmentId }) };
}

/** The navigation the player offers on this SCO. */
export function navigationOf(place: PackagePlace, learner: LearnerSequencingState): PlayerNavigation {
  const { scos, index } = place;
  const leads = (direction: 1 | -1) => {
    const step = flowStep(scos, index, direction, learner);
    return 'index' in step && availability(scos, step.index, learner, direction > 0 ? 'continue' : 'previous').available;
  };
  return {
    identifier: scos[index].identifier,
    continue: leads(1),
    previous: leads(-1),
    choices: scos.filter((s, i) => i !== index && availability(scos, i, learner, 'choice').available).map((s) => s.identifier),
  };
}

/**
 * The SCO a navigation request moves to. NOT_FOUND when there is none (the player then hands
 * back to the LMS); a SEQUENCING payload error when the package's rules forbid the move.
 */
export function moveTarget(place: PackagePlace, learner: LearnerSequencingState, request: MoveRequest, target: string | undefined): number {
  const { scos, index } = place;
  let to: number;
  if (request === 'continue' || request === 'previous') {
    const step = flowStep(scos, index, request === 'continue' ? 1 : -1, learner);
    if (!('index' in step)) throw new AppError('NOT_FOUND', msg('No SCO of the package to {request} to ({reason}: {message})', { request, reason: step.reason, message: step.message }));
    to = step.index;
  } else {
    to = scos.findIndex((s, i) => s.identifier === target && i !== index);
    if (to < 0) throw new AppError('NOT_FOUND', msg('No SCO of the package to {request} to', { request }));
  }
  const verdict = availability(scos, to, learner, request);
  if (!verdict.available) throw refusal(verdict);
  return to;
}

/**
 * Carries out a SCO's navigation request at its Terminate: launches the SCO of the package it
 * names, as the learner whose session the player token is for (the launch's own checks apply:
 * enrollment, visibility, sequencing for this request), and answers the new session's player URL.
 */
export async function navigateFrom(ctx: RequestContext, sessionId: string, request: MoveRequest, target: string | undefined): Promise<string> {
  const session = await ctx.manager.findOneBy(ScormSession, { organizationId: ctx.orgId, id: sessionId });
  const attempt = session && (await ctx.manager.findOneBy(ActivityAttempt, { organizationId: ctx.orgId, id: session.attemptId }));
  if (!session || session.superseded || !attempt || attempt.userId !== ctx.user?.id) throw new AppError('NOT_FOUND', 'This launch is no longer valid; launch the activity again');
  const activity = await getEntityOrThrow(ctx, Activity, attempt.activityId, 'Activity');
  const { place, learner } = await packageState(ctx, activity, attempt.enrollmentId);
  const next = place.scos[moveTarget(place, learner, request, target)];
  return (await launchService.launch(ctx, next.activityId, request)).playerUrl;
}
