/*
 * The initial SCORM data a launch returns (`ScormLaunch.cmi`, the `ScormCmi` scalar), typed for
 * front ends: map the scalar to `ScormCmi` in graphql-codegen (see the README, "Front ends") and
 * pass the value unchanged to scorm-again's `loadFromJSON` before `Initialize`. It is the shape
 * scorm-again loads: element names as in the SCORM data model, every value a string, collections
 * keyed "0", "1", …; elements without a value are left out.
 */

/** SCORM 2004 `cmi.completion_status`. */
export type ScormCompletionStatus = 'completed' | 'incomplete' | 'not attempted' | 'unknown';
/** SCORM 2004 `cmi.success_status`. */
export type ScormSuccessStatus = 'passed' | 'failed' | 'unknown';
/** `cmi.entry`: a new attempt, or one resumed (suspended, or left without terminating). */
export type ScormEntry = 'ab-initio' | 'resume';
/** Decimals, durations and times as the data model writes them, e.g. "0.8", "PT1H2M", "0001:02:03". */
export type ScormString = string;

/** `cmi.score` (2004; 1.2 has no `scaled`). */
export interface ScormScore {
  scaled?: ScormString;
  raw?: ScormString;
  min?: ScormString;
  max?: ScormString;
}

/** One `cmi.objectives.n` (2004). */
export interface ScormObjective2004 {
  id: string;
  success_status?: ScormSuccessStatus;
  completion_status?: ScormCompletionStatus;
  progress_measure?: ScormString;
  description?: string;
  score: ScormScore;
}

/** One `cmi.interactions.n` (2004), restored when resuming. */
export interface ScormInteraction2004 {
  id: string;
  type?: 'true-false' | 'choice' | 'fill-in' | 'long-fill-in' | 'likert' | 'matching' | 'performance' | 'sequencing' | 'numeric' | 'other';
  learner_response?: string;
  result?: string;
  latency?: ScormString;
  timestamp?: ScormString;
  weighting?: ScormString;
  description?: string;
  objectives: Record<string, { id: string }>;
  correct_responses: Record<string, { pattern: string }>;
}

/** One `cmi.comments_from_learner.n` (2004). */
export interface ScormLearnerComment {
  comment?: string;
  location?: string;
  timestamp?: ScormString;
}

/** The SCORM 2004 `cmi` at launch: identity, entry and the manifest's rules always; the learner's state when resuming. */
export interface ScormCmi2004 {
  learner_id: string;
  learner_name: string;
  entry?: ScormEntry;
  mode: 'normal';
  credit: 'credit';
  completion_threshold?: ScormString;
  scaled_passing_score?: ScormString;
  launch_data?: string;
  max_time_allowed?: ScormString;
  time_limit_action?: 'exit,message' | 'exit,no message' | 'continue,message' | 'continue,no message';
  total_time?: ScormString;
  learner_preference?: { audio_level?: ScormString; language?: string; delivery_speed?: ScormString; audio_captioning?: ScormString };
  location?: string;
  suspend_data?: string;
  completion_status?: ScormCompletionStatus;
  success_status?: ScormSuccessStatus;
  progress_measure?: ScormString;
  score?: ScormScore;
  interactions?: Record<string, ScormInteraction2004>;
  objectives: Record<string, ScormObjective2004>;
  comments_from_learner?: Record<string, ScormLearnerComment>;
}

/** The SCORM 1.2 `cmi` at launch (1.2 interactions are write-only, so none are restored). */
export interface ScormCmi12 {
  core: {
    student_id: string;
    student_name: string;
    entry?: ScormEntry;
    credit: 'credit';
    lesson_mode: 'normal';
    total_time?: ScormString;
    lesson_status: 'passed' | 'failed' | 'completed' | 'incomplete' | 'not attempted';
    lesson_location?: string;
    score: Omit<ScormScore, 'scaled'>;
  };
  suspend_data?: string;
  comments?: string;
  student_preference?: { audio?: ScormString; language?: string; speed?: ScormString; text?: ScormString };
  launch_data?: string;
  student_data: { mastery_score?: ScormString; max_time_allowed?: ScormString; time_limit_action?: string };
}

/** What `ScormLaunch.cmi` holds: the 2004 shape, or the 1.2 one (`"core" in cmi`) when `version` is `SCORM_12`. */
export type ScormCmi = ScormCmi2004 | ScormCmi12;
