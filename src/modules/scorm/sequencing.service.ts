import type { RequestContext } from '../../shared/context';
import { UserErrorCode, userError, type UserErrors } from '../../shared/payload';
import type { Activity } from '../course/content.entity';
import type { Enrollment } from '../enrollment/enrollment.entity';
import type { ActivityProgress } from '../progress/progress.entity';
import { progressByEnrollment } from '../progress/progress.loader';
import type { LeafState } from './engine/sequencing-formula';
import { scormPlacesByRevision, unfinishedAttemptsByEnrollment, type PackagePlace } from './sequencing.loader';
import { SequencingBlock, availability, type Availability, type LearnerSequencingState, type SequencingRequest } from './sequencing.rules';
import { msg } from '../../shared/i18n/message';

/** A refused launch as a payload error: LIMIT_REACHED for the attempt limit, SEQUENCING for the rest, the reason first in the message. */
export function refusal(verdict: Extract<Availability, { available: false }>): UserErrors {
  const code = verdict.reason === SequencingBlock.ATTEMPT_LIMIT ? UserErrorCode.LIMIT_REACHED : UserErrorCode.SEQUENCING;
  return userError(code, msg('{reason}: {message}', { reason: verdict.reason, message: verdict.message }), ['input', 'activityId']);
}

/** The learner's state on a package, from their progress by activity key and their unfinished attempts. */
function learnerState(place: PackagePlace, progress: ReadonlyMap<string, ActivityProgress>, unfinished: ReadonlySet<string>): LearnerSequencingState {
  const states = new Map<string, LeafState>();
  const resumable = new Set<string>();
  place.scos.forEach((sco, i) => {
    const p = progress.get(place.keys[i]);
    if (p) states.set(sco.identifier, { completion: p.completionStatus, success: p.successStatus, attempts: p.attemptCount });
    if (unfinished.has(sco.activityId)) resumable.add(sco.identifier);
  });
  return { states, resumable };
}

export const sequencingService = {
  /** The SCO's package in the activity's revision, or undefined for an activity that is not a SCO. */
  async placeOf(ctx: RequestContext, activity: Pick<Activity, 'id' | 'revisionId'>): Promise<PackagePlace | undefined> {
    return (await scormPlacesByRevision(ctx).load(activity.revisionId)).get(activity.id);
  },

  /**
   * The enrollment's learner's state on the package. `progress` is the enrollment's progress by
   * activity key when the caller already loaded it (the catalog's loaders); else it is loaded.
   */
  async learnerState(ctx: RequestContext, place: PackagePlace, enrollment: Pick<Enrollment, 'id'>, progress?: ReadonlyMap<string, ActivityProgress>): Promise<LearnerSequencingState> {
    const [unfinished, loaded] = await Promise.all([
      unfinishedAttemptsByEnrollment(ctx).load(enrollment.id),
      progress ?? progressByEnrollment(ctx).load(enrollment.id),
    ]);
    return learnerState(place, loaded, unfinished);
  },

  /** Refuses a launch the package's sequencing forbids now, with the reason as the message's first word. */
  async assertLaunchable(ctx: RequestContext, enrollment: Enrollment, activity: Activity, request: SequencingRequest): Promise<void> {
    const place = await this.placeOf(ctx, activity);
    if (!place) return;
    const verdict = availability(place.scos, place.index, await this.learnerState(ctx, place, enrollment), request);
    if (!verdict.available) throw refusal(verdict);
  },
};
