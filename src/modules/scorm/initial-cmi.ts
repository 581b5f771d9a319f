import type { ActivityAttempt } from '../progress/progress.entity';
import type {
  ScormCmi, ScormCmi12, ScormCmi2004, ScormInteraction2004, ScormLearnerComment, ScormObjective2004,
} from '../../../schema/scorm-cmi';

export type { ScormCmi };
import type { Interaction, LearnerComment, Objective } from './engine/cmi';
import { formatDuration2004, formatTimespan12 } from './engine/duration';
import type { ScormActivityContent } from './scorm-activity';

/** Who is launching what, and how the session starts. */
export interface LaunchState {
  learnerId: string;
  learnerName: string;
  entry: 'ab-initio' | 'resume' | '';
  attempt: ActivityAttempt;
  content: ScormActivityContent;
}

/** An object whose empty values `compact` drops: the published type marks them optional. */
type Loose<T> = { [K in keyof T]: T[K] | '' | null | undefined };
const str = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));
/** Drops empty values: scorm-again validates every value it loads, and "" is not valid everywhere. */
const compact = <T extends object>(o: Loose<T>): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined && v !== null)) as T;
const indexed = <T, R extends object>(items: T[], map: (item: T) => Loose<R>): Record<string, R> =>
  Object.fromEntries(items.map((item, i) => [String(i), compact<R>(map(item))]));

function interaction2004(i: Interaction): Loose<ScormInteraction2004> {
  // The type comes before the responses: scorm-again checks patterns against it while loading.
  return {
    id: i.id, type: i.type || undefined, learner_response: i.learnerResponse, result: i.result, latency: i.latency, timestamp: i.timestamp, weighting: str(i.weighting), description: i.description,
    objectives: Object.fromEntries((i.objectiveIds ?? []).map((id, m) => [String(m), { id }])),
    correct_responses: Object.fromEntries((i.correctResponses ?? []).map((pattern, m) => [String(m), { pattern }])),
  };
}

function comment2004(c: LearnerComment): Loose<ScormLearnerComment> {
  return { comment: c.comment, location: c.location, timestamp: c.timestamp };
}

function objective2004(o: Objective): Loose<ScormObjective2004> {
  return {
    id: o.id, success_status: o.successStatus, completion_status: o.completionStatus, progress_measure: str(o.progressMeasure), description: o.description,
    score: compact<ScormObjective2004['score']>({ scaled: str(o.scoreScaled), raw: str(o.scoreRaw), min: str(o.scoreMin), max: str(o.scoreMax) }),
  };
}

/** RTE 4.2.17: the objectives the manifest declares are in `cmi.objectives` at launch; stored ones come first, with their state. */
function withManifestObjectives(stored: Objective[], content: ScormActivityContent): Objective[] {
  const known = new Set(stored.map((o) => o.id));
  const declared = (content.objectiveIds ?? []).filter((id) => !known.has(id));
  return [...stored, ...declared.map((id): Objective => ({ id, successStatus: 'unknown', completionStatus: 'unknown' }))];
}

/** What the learner carries into a resumed (or relaunched) session. */
function restored(s: LaunchState): boolean {
  return s.entry !== 'ab-initio';
}

/**
 * The SCORM 2004 object a player passes to scorm-again's `loadFromJSON` before Initialize:
 * identity, entry, thresholds and launch data always; the stored state when resuming.
 */
export function initialCmi2004(s: LaunchState): ScormCmi2004 {
  const a = s.attempt;
  const base = compact<Omit<ScormCmi2004, 'objectives'>>({
    learner_id: s.learnerId, learner_name: s.learnerName, entry: s.entry, mode: 'normal', credit: 'credit',
    completion_threshold: str(s.content.completionThreshold), scaled_passing_score: str(s.content.scaledPassingScore),
    launch_data: s.content.dataFromLms, max_time_allowed: s.content.maxTimeAllowed, time_limit_action: s.content.timeLimitAction,
    total_time: formatDuration2004(a.totalTimeSeconds),
  });
  // Preferences are the learner's, kept from attempt to attempt.
  if (Object.keys(a.learnerPreference ?? {}).length) base.learner_preference = { ...a.learnerPreference };
  if (!restored(s)) return { ...base, objectives: indexed(withManifestObjectives([], s.content), objective2004) };
  return {
    ...base,
    ...compact<Partial<ScormCmi2004>>({
      location: a.location, suspend_data: a.suspendData, completion_status: a.completionStatus, success_status: a.successStatus,
      progress_measure: str(a.progressMeasure),
    }),
    score: compact<ScormObjective2004['score']>({ scaled: str(a.scoreScaled), raw: str(a.scoreRaw), min: str(a.scoreMin), max: str(a.scoreMax) }),
    interactions: indexed(a.interactions as Interaction[], interaction2004),
    objectives: indexed(withManifestObjectives(a.objectives as Objective[], s.content), objective2004),
    comments_from_learner: indexed((a.comments ?? []) as LearnerComment[], comment2004),
  };
}

/** SCORM 1.2 `lesson_status` for a stored 2004-shaped state. */
export function lessonStatus(a: Pick<ActivityAttempt, 'completionStatus' | 'successStatus'>): ScormCmi12['core']['lesson_status'] {
  if (a.successStatus === 'passed' || a.successStatus === 'failed') return a.successStatus;
  if (a.completionStatus === 'completed' || a.completionStatus === 'incomplete') return a.completionStatus;
  return 'not attempted';
}

/** The SCORM 1.2 object for `loadFromJSON`; 1.2 interactions are write-only, so they are not restored. */
export function initialCmi12(s: LaunchState): ScormCmi12 {
  const a = s.attempt;
  const core = compact<Omit<ScormCmi12['core'], 'score'>>({
    student_id: s.learnerId, student_name: s.learnerName, entry: s.entry, credit: 'credit', lesson_mode: 'normal',
    total_time: formatTimespan12(a.totalTimeSeconds), lesson_status: restored(s) ? lessonStatus(a) : 'not attempted',
    lesson_location: restored(s) ? a.location : '',
  });
  const score = restored(s) ? compact<ScormCmi12['core']['score']>({ raw: str(a.scoreRaw), min: str(a.scoreMin), max: str(a.scoreMax) }) : {};
  return compact<ScormCmi12>({
    core: { ...core, score },
    suspend_data: restored(s) ? a.suspendData : '',
    comments: restored(s) ? ((a.comments ?? []) as LearnerComment[])[0]?.comment : '',
    student_preference: Object.keys(a.learnerPreference ?? {}).length ? { ...a.learnerPreference } : undefined,
    launch_data: s.content.dataFromLms,
    student_data: compact<ScormCmi12['student_data']>({ mastery_score: str(s.content.masteryScore), max_time_allowed: s.content.maxTimeAllowed, time_limit_action: s.content.timeLimitAction }),
  });
}

/** The initial object for the attempt's SCORM version. */
export function initialCmi(s: LaunchState): ScormCmi {
  return s.content.version === 'SCORM_1.2' ? initialCmi12(s) : initialCmi2004(s);
}
