/** Helpers that build commit bodies shaped exactly like scorm-again's `dataCommitFormat: 'json'`. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A SCORM 2004 `cmi` object as scorm-again 3.4.3 renders it after Initialize, nothing set. */
export function blankCmi2004(): JsonObject {
  return {
    comments_from_learner: {},
    comments_from_lms: {},
    completion_status: 'unknown',
    completion_threshold: '',
    credit: 'credit',
    entry: '',
    exit: '',
    interactions: {},
    launch_data: '',
    learner_id: 'learner-1',
    learner_name: 'Doe, Jane',
    learner_preference: { audio_level: '1', language: '', delivery_speed: '1', audio_captioning: '0' },
    location: '',
    max_time_allowed: '',
    mode: 'normal',
    objectives: {},
    progress_measure: '',
    scaled_passing_score: '',
    score: { scaled: '', raw: '', min: '', max: '' },
    session_time: 'PT0H0M0S',
    success_status: 'unknown',
    suspend_data: '',
    time_limit_action: 'continue,no message',
  };
}

/** A SCORM 1.2 `cmi` object as scorm-again 3.4.3 renders it after LMSInitialize, nothing set. */
export function blankCmi12(): JsonObject {
  return {
    suspend_data: '',
    launch_data: '',
    comments: '',
    comments_from_lms: '',
    core: {
      student_id: 'learner-1',
      student_name: 'Doe, Jane',
      lesson_location: '',
      credit: 'credit',
      lesson_status: 'not attempted',
      entry: 'ab-initio',
      lesson_mode: 'normal',
      exit: '',
      session_time: '00:00:00',
      score: { raw: '', min: '', max: '100' },
    },
    objectives: {},
    student_data: { mastery_score: '', max_time_allowed: '', time_limit_action: '' },
    student_preference: { audio: '', language: '', speed: '', text: '' },
    interactions: {},
  };
}

/** A copy of `cmi` with the dot-notation `element` (relative to `cmi.`) set to `value`. */
export function withValue(cmi: JsonObject, element: string, value: Json): JsonObject {
  const copy = JSON.parse(JSON.stringify(cmi)) as JsonObject;
  const keys = element.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** Applies several `withValue` settings in order. */
export function withValues(cmi: JsonObject, values: Record<string, Json>): JsonObject {
  return Object.entries(values).reduce((acc, [element, value]) => withValue(acc, element, value), cmi);
}
