import { definedOnly, setValues } from './defined-only';
import { CmiViolation, DECIMAL, SCORM_12_ERRORS, uniqueIds, validateWith, type CmiReader } from './cmi-reader';
import { formatDuration2004 } from './duration';
import type {
  AttemptState,
  CommitValidation,
  CompletionStatus,
  ExitMode,
  Interaction,
  InteractionType,
  LearnerPreference,
  Objective,
  SuccessStatus,
} from './cmi-types';

/** SCORM 1.2 `cmi.core.lesson_status` / `cmi.objectives.n.status` vocabulary. */
export type LessonStatus = 'passed' | 'completed' | 'failed' | 'incomplete' | 'browsed' | 'not attempted';
const LESSON_STATUS: readonly LessonStatus[] = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'];
const EXIT: readonly ExitMode[] = ['', 'time-out', 'suspend', 'logout'];
const INTERACTION_TYPES: readonly InteractionType[] = [
  '', 'true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric',
];
const RESULTS = ['correct', 'wrong', 'unanticipated', 'neutral'];
const isResult = (value: string): boolean => RESULTS.includes(value) || DECIMAL.test(value);
// RTE 3.4.2 CMITime: a time of day, HH:MM:SS with optional hundredths.
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
const SCORE_RANGE = [0, 100] as const;
// RTE 3.4.2 CMIFeedback: 1.2 caps it at 255, but scorm-again does not, so the 2004 4000 applies.
const FEEDBACK_MAX = 4000;

/**
 * The standard mapping of a 1.2 status onto the two 2004 statuses: passed and failed are
 * completed with a verdict, completed has none, incomplete and not attempted carry over.
 * `browsed` (the learner looked at the SCO in browse mode) maps to incomplete: a preview
 * earns no completion, yet the learner did open it.
 */
export function mapLessonStatus(status: LessonStatus): { completionStatus: CompletionStatus; successStatus: SuccessStatus } {
  switch (status) {
    case 'passed':
    case 'failed':
      return { completionStatus: 'completed', successStatus: status };
    case 'completed':
      return { completionStatus: 'completed', successStatus: 'unknown' };
    case 'incomplete':
    case 'browsed':
      return { completionStatus: 'incomplete', successStatus: 'unknown' };
    case 'not attempted':
      return { completionStatus: 'not attempted', successStatus: 'unknown' };
  }
}

/**
 * Validates the `cmi` object of a SCORM 1.2 commit as scorm-again sends it and maps it into the
 * 2004-shaped state. Limits follow the 1.2 data model except `suspend_data`, which is allowed
 * 64000 characters like 2004 (and like scorm-again), because authoring tools exceed 4096.
 * Read-only elements (student_id, credit, total_time, comments_from_lms, ...) are ignored.
 */
export function validateCommit12(cmi: unknown): CommitValidation {
  return validateWith(cmi, SCORM_12_ERRORS, readState);
}

function readState(cmi: CmiReader): AttemptState {
  const core = cmi.child('core');
  return {
    ...mapLessonStatus(core.vocabulary('lesson_status', LESSON_STATUS, 'not attempted')),
    ...readScore(core.child('score')),
    location: core.string('lesson_location', 255),
    suspendData: cmi.string('suspend_data', 64000),
    sessionTimeSeconds: core.timespan12('session_time') ?? 0,
    exit: core.vocabulary('exit', EXIT, ''),
    interactions: cmi.list('interactions').map(readInteraction),
    objectives: uniqueIds(cmi, 'objectives', cmi.list('objectives').map(readObjective), (o) => o.id),
    comments: readComments(cmi),
    learnerPreference: readPreference(cmi.child('student_preference')),
  };
}

/**
 * 1.2 reports only raw/min/max, so the scaled score (which the SCORE rule reads) is derived:
 * (raw - min) / (max - min), on 0..100 where the SCO set no range, as 1.2 content assumes. A max
 * of 100 is the data model's own default (scorm-again sends it whatever the SCO did), so only
 * another max counts as set by the content.
 */
function readScore(score: CmiReader): Pick<AttemptState, 'scoreRaw' | 'scoreMin' | 'scoreMax' | 'scoreScaled'> {
  const raw = score.real('raw', SCORE_RANGE);
  const min = score.real('min', SCORE_RANGE);
  const max = score.real('max', SCORE_RANGE);
  const [low, high] = [min ?? 0, max ?? 100];
  const scaled = raw === undefined || high <= low ? undefined : Math.min(1, Math.max(-1, (raw - low) / (high - low)));
  return definedOnly({ scoreRaw: raw, scoreMin: min, scoreMax: max === 100 ? undefined : max, scoreScaled: scaled });
}

/** `cmi.comments`: one CMIString4096 the SCO appends to. */
function readComments(cmi: CmiReader): { comment: string }[] {
  const comment = cmi.string('comments', 4096);
  return comment === '' ? [] : [{ comment }];
}

/** `cmi.student_preference`: CMISInteger settings and a language string. */
function readPreference(p: CmiReader): LearnerPreference {
  return setValues({
    audio: integer(p, 'audio', [-1, 100]),
    language: p.string('language', 255),
    speed: integer(p, 'speed', [-100, 100]),
    text: integer(p, 'text', [-1, 1]),
  });
}

function integer(n: CmiReader, name: string, range: readonly [number, number]): number | undefined {
  const value = n.real(name, range);
  if (value !== undefined && !Number.isInteger(value)) throw n.typeMismatch(name, `is ${value}, not an integer`);
  return value;
}

function readInteraction(n: CmiReader): Interaction {
  const id = requiredId(n);
  const latency = n.timespan12('latency');
  const result = n.matching('result', isResult, 'correct, wrong, unanticipated, neutral or a number');
  return {
    id,
    type: n.vocabulary('type', INTERACTION_TYPES, ''),
    learnerResponse: n.string('student_response', FEEDBACK_MAX),
    // 1.2's "wrong" is 2004's "incorrect".
    result: result === 'wrong' ? 'incorrect' : result,
    latency: latency === undefined ? '' : formatDuration2004(latency),
    timestamp: n.matching('time', (value) => CLOCK_TIME.test(value), 'a HH:MM:SS time of day'),
    ...definedOnly({ weighting: n.real('weighting') }),
    objectiveIds: uniqueIds(n, 'objectives', n.list('objectives').map(requiredId), (id) => id),
    correctResponses: n.list('correct_responses').map((p) => p.string('pattern', FEEDBACK_MAX)),
  };
}

function readObjective(n: CmiReader): Objective {
  const score = n.child('score');
  return {
    id: requiredId(n),
    ...mapLessonStatus(n.vocabulary('status', LESSON_STATUS, 'not attempted')),
    ...definedOnly({
      scoreRaw: score.real('raw', SCORE_RANGE),
      scoreMin: score.real('min', SCORE_RANGE),
      scoreMax: score.real('max', SCORE_RANGE),
    }),
  };
}

/** CMIIdentifier: up to 255 characters, and the record cannot exist without it. */
function requiredId(n: CmiReader): string {
  const id = n.string('id', 255);
  if (id.trim() === '') throw new CmiViolation(n.codes.dependency, n.at('id'), `${n.at('id')} must be set`);
  return id;
}
