/** SCORM 2004 `cmi.completion_status` vocabulary. */
export type CompletionStatus = 'completed' | 'incomplete' | 'not attempted' | 'unknown';
/** SCORM 2004 `cmi.success_status` vocabulary. */
export type SuccessStatus = 'passed' | 'failed' | 'unknown';
/** SCORM 2004 `cmi.exit` vocabulary ('' = not set); SCORM 1.2 uses the same words minus 'normal'. */
export type ExitMode = '' | 'time-out' | 'suspend' | 'logout' | 'normal';
/** SCORM 2004 `cmi.interactions.n.type` vocabulary ('' = not set). */
export type InteractionType =
  | ''
  | 'true-false'
  | 'choice'
  | 'fill-in'
  | 'long-fill-in'
  | 'likert'
  | 'matching'
  | 'performance'
  | 'sequencing'
  | 'numeric'
  | 'other';

/** One `cmi.interactions.n` record; strings are '' when the SCO did not set them. */
export interface Interaction {
  id: string;
  type: InteractionType;
  /** In the SCO's own format: 2004 `[,]`-delimited for 2004 content, 1.2 format for 1.2 content. */
  learnerResponse: string;
  /** 'correct' | 'incorrect' | 'unanticipated' | 'neutral' or a decimal, as a string. */
  result: string;
  /** ISO 8601 duration (1.2 latencies are converted). */
  latency: string;
  /** 2004: ISO 8601 timestamp. 1.2: the time of day as sent (`HH:MM:SS`), since 1.2 has no date. */
  timestamp: string;
  weighting?: number;
  description?: string;
  /** `objectives.m.id`: the objectives this interaction counts towards. */
  objectiveIds: string[];
  /** `correct_responses.m.pattern`, in the same format as the learner response (plus its delimiters). */
  correctResponses: string[];
}

/**
 * 2004 `cmi.comments_from_learner.n` (1.2's single `cmi.comments` string is one comment without
 * location or timestamp).
 */
export interface LearnerComment {
  comment: string;
  location?: string;
  timestamp?: string;
}

/**
 * The learner's preferences as the SCO set them, keyed by the version's own element names
 * (2004 `learner_preference.audio_level|language|delivery_speed|audio_captioning`, 1.2
 * `student_preference.audio|language|speed|text`); only elements that were set.
 */
export type LearnerPreference = Record<string, string>;

/** One `cmi.objectives.n` record. */
export interface Objective {
  id: string;
  scoreScaled?: number;
  scoreRaw?: number;
  scoreMin?: number;
  scoreMax?: number;
  successStatus: SuccessStatus;
  completionStatus: CompletionStatus;
  progressMeasure?: number;
  description?: string;
}

/**
 * A validated commit, always in SCORM 2004 terms (1.2 commits are mapped). It is a full
 * snapshot of what the SCO can write; read-only elements the client echoes are not part of it.
 */
export interface AttemptState {
  completionStatus: CompletionStatus;
  successStatus: SuccessStatus;
  scoreScaled?: number;
  scoreRaw?: number;
  scoreMin?: number;
  scoreMax?: number;
  progressMeasure?: number;
  location: string;
  suspendData: string;
  /** This session's time in seconds (centisecond precision); 0 when the SCO reported none. */
  sessionTimeSeconds: number;
  exit: ExitMode;
  interactions: Interaction[];
  objectives: Objective[];
  comments: LearnerComment[];
  learnerPreference: LearnerPreference;
}

/**
 * The outcome of validating a commit: the state, or the SCORM error code to answer with, the
 * dot-notation element at fault (`cmi.interactions.0.result`) and a message for logs.
 */
export type CommitValidation =
  | { ok: true; state: AttemptState }
  | { ok: false; errorCode: number; element: string; message: string };
