import { holds, type LeafStates } from './engine/sequencing-formula';
import type { ClusterControls, ScoSequencing } from './engine/sequencing-compile';
import { msg, type MessageText } from '../../shared/i18n/message';

/**
 * SCORM 2004 sequencing, the part the server enforces: which SCO of a package a learner may
 * launch now. Pure functions over the package's SCOs (in flow order) and the learner's state;
 * `launchActivity`, the player's navigation and `Activity.availability` all ask here.
 */

/** Why a SCO cannot be launched now. */
export enum SequencingBlock {
  DISABLED = 'DISABLED',
  HIDDEN = 'HIDDEN',
  SKIPPED = 'SKIPPED',
  FLOW_ORDER = 'FLOW_ORDER',
  FORWARD_ONLY = 'FORWARD_ONLY',
  CHOICE_NOT_ALLOWED = 'CHOICE_NOT_ALLOWED',
  FLOW_NOT_ALLOWED = 'FLOW_NOT_ALLOWED',
  ATTEMPT_LIMIT = 'ATTEMPT_LIMIT',
  NO_TARGET = 'NO_TARGET',
}

/** A SCO of the package as the rules see it. */
export interface SequencedSco {
  activityId: string;
  identifier: string;
  title: string;
  sequencing: ScoSequencing;
  attemptLimit?: number;
}

/** The learner's state on the package: best state per SCO and the SCOs with an attempt still open. */
export interface LearnerSequencingState {
  states: LeafStates;
  resumable: ReadonlySet<string>;
}

/**
 * How the launch is asked for: `launch` by a front end (a choice where choice is allowed, else a
 * start of the flow), or the SCO's own navigation request at its Terminate.
 */
export type SequencingRequest = 'launch' | 'choice' | 'jump' | 'continue' | 'previous';

export type Availability = { available: true; skipped: boolean } | { available: false; reason: SequencingBlock; message: MessageText };

const blocked = (reason: SequencingBlock, message: MessageText): Availability => ({ available: false, reason, message });
const open = (skipped = false): Availability => ({ available: true, skipped });

const isSkipped = (s: SequencedSco, l: LearnerSequencingState) => !!s.sequencing.skippedWhen && holds(s.sequencing.skippedWhen, l.states);
const isDisabled = (s: SequencedSco, l: LearnerSequencingState) => !!s.sequencing.disabledWhen && holds(s.sequencing.disabledWhen, l.states);
const isHidden = (s: SequencedSco, l: LearnerSequencingState) => !!s.sequencing.hidden || (!!s.sequencing.hiddenWhen && holds(s.sequencing.hiddenWhen, l.states));
const isCompleted = (s: SequencedSco, l: LearnerSequencingState) => l.states.get(s.identifier)?.completion === 'completed';
const within = (s: SequencedSco, clusterId: string) => s.sequencing.path.some((c) => c.id === clusterId);

/** The package's completion after roll-up: every SCO of the package then counts as done. */
export function packageCompleted(scos: SequencedSco[], learner: LearnerSequencingState): boolean {
  const when = scos[0]?.sequencing.packageCompletedWhen;
  return when !== undefined && holds(when, learner.states);
}

/**
 * Where the flow of a cluster stands: its first SCO (in flow order) that is neither completed nor
 * passed over (skipped, or hidden and so not required). Undefined when every SCO is behind it.
 */
export function flowFrontier(scos: SequencedSco[], clusterId: string, learner: LearnerSequencingState): number | undefined {
  const at = scos.findIndex((s) => within(s, clusterId) && !isCompleted(s, learner) && !isSkipped(s, learner) && !isHidden(s, learner));
  return at < 0 ? undefined : at;
}

/** Whether the SCO at `index` may be launched by this request now, and why not. */
export function availability(scos: SequencedSco[], index: number, learner: LearnerSequencingState, request: SequencingRequest): Availability {
  const target = scos[index];
  if (!target) return blocked(SequencingBlock.NO_TARGET, 'there is no activity there');
  // Resuming an attempt the learner left open is not a new delivery: no rule stands in its way (SN "resume all").
  if (request === 'launch' && learner.resumable.has(target.identifier)) return open();
  if (isDisabled(target, learner)) return blocked(SequencingBlock.DISABLED, msg('"{title}" is disabled by a precondition rule of the package', { title: target.title }));
  const limit = target.attemptLimit;
  if (limit !== undefined && (learner.states.get(target.identifier)?.attempts ?? 0) >= limit) {
    return blocked(SequencingBlock.ATTEMPT_LIMIT, msg('the package allows {limit} attempt(s) of "{title}"', { limit, title: target.title }));
  }
  if (request === 'jump' || request === 'continue' || request === 'previous') return open(isSkipped(target, learner));
  if (isHidden(target, learner)) return blocked(SequencingBlock.HIDDEN, msg('"{title}" is hidden (isvisible="false" or hiddenFromChoice) and is not offered as a choice', { title: target.title }));
  const region = target.sequencing.path.find((c) => !c.choice);
  if (!region) return choiceAvailability(scos, index, learner);
  if (request === 'choice') return blocked(SequencingBlock.CHOICE_NOT_ALLOWED, msg('the package does not let the learner choose "{title}" (controlMode choice="false")', { title: target.title }));
  return flowAvailability(scos, index, learner, region);
}

/** Choice: allowed, except backwards where a cluster moves forward only. */
function choiceAvailability(scos: SequencedSco[], index: number, learner: LearnerSequencingState): Availability {
  const target = scos[index];
  const forwardOnly = target.sequencing.path.find((c) => c.forwardOnly);
  if (forwardOnly) {
    const frontier = flowFrontier(scos, forwardOnly.id, learner) ?? scos.length;
    if (index < frontier) return blocked(SequencingBlock.FORWARD_ONLY, msg('"{title}" is behind the learner and the package moves forward only (controlMode forwardOnly="true")', { title: target.title }));
  }
  return open(isSkipped(target, learner));
}

/** Where choice is not allowed, a launch starts or continues the flow of the cluster that forbids it. */
function flowAvailability(scos: SequencedSco[], index: number, learner: LearnerSequencingState, region: ClusterControls): Availability {
  const target = scos[index];
  const below = target.sequencing.path.slice(target.sequencing.path.indexOf(region));
  if (below.some((c) => !c.flow)) return blocked(SequencingBlock.FLOW_NOT_ALLOWED, msg('"{title}" can only be reached by the content\'s own navigation (controlMode choice="false" flow="false")', { title: target.title }));
  if (isSkipped(target, learner)) return blocked(SequencingBlock.SKIPPED, msg('"{title}" is skipped by a precondition rule of the package', { title: target.title }));
  const frontier = flowFrontier(scos, region.id, learner) ?? scos.length;
  if (index > frontier) return blocked(SequencingBlock.FLOW_ORDER, msg('complete "{title}" first: the package runs in order (controlMode flow="true", choice="false")', { title: scos[frontier].title }));
  if (index < frontier && below.some((c) => c.forwardOnly)) {
    return blocked(SequencingBlock.FORWARD_ONLY, msg('"{title}" is behind the learner and the package moves forward only (controlMode forwardOnly="true")', { title: target.title }));
  }
  return open();
}

/** The SCO a `continue` / `previous` from the SCO at `from` moves to: the next one in flow order that is not skipped. */
export function flowStep(scos: SequencedSco[], from: number, direction: 1 | -1, learner: LearnerSequencingState): { index: number } | { reason: SequencingBlock; message: MessageText } {
  const parent = scos[from]?.sequencing.path.at(-1);
  if (parent && !parent.flow) return { reason: SequencingBlock.FLOW_NOT_ALLOWED, message: 'the package does not allow continue or previous here (controlMode flow="false")' };
  if (direction < 0 && scos[from]?.sequencing.path.some((c) => c.forwardOnly)) {
    return { reason: SequencingBlock.FORWARD_ONLY, message: 'the package moves forward only (controlMode forwardOnly="true")' };
  }
  for (let i = from + direction; i >= 0 && i < scos.length; i += direction) if (!isSkipped(scos[i], learner)) return { index: i };
  return { reason: SequencingBlock.NO_TARGET, message: direction > 0 ? 'there is no activity to continue to' : 'there is no activity to go back to' };
}
