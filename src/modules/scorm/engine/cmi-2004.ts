import { definedOnly, setValues } from './defined-only';
import { CmiViolation, DECIMAL, SCORM_2004_ERRORS, uniqueIds, validateWith, type CmiReader } from './cmi-reader';
import { correctPatternProblem, learnerResponseProblem, localizedLength, maxCorrectResponses } from './cmi-responses';
import { parseDuration2004 } from './duration';
import type {
  AttemptState,
  CommitValidation,
  CompletionStatus,
  ExitMode,
  Interaction,
  InteractionType,
  LearnerComment,
  LearnerPreference,
  Objective,
  SuccessStatus,
} from './cmi-types';

const COMPLETION: readonly CompletionStatus[] = ['completed', 'incomplete', 'not attempted', 'unknown'];
const SUCCESS: readonly SuccessStatus[] = ['passed', 'failed', 'unknown'];
const EXIT: readonly ExitMode[] = ['', 'time-out', 'suspend', 'logout', 'normal'];
const INTERACTION_TYPES: readonly InteractionType[] = [
  '', 'true-false', 'choice', 'fill-in', 'long-fill-in', 'likert', 'matching', 'performance', 'sequencing', 'numeric', 'other',
];
const RESULTS = ['correct', 'incorrect', 'unanticipated', 'neutral'];
const isResult = (value: string): boolean => RESULTS.includes(value) || DECIMAL.test(value);
const isDuration = (value: string): boolean => parseDuration2004(value) !== null;

// RTE 4.1.1.4 time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s][TZD]]]]]]. Years run to 9999 as
// in scorm-again (the spec's 2038 is a 32-bit artefact), and a zone is accepted after whole
// seconds too, which SCOs send and the spec's intent allows.
const TIMESTAMP =
  /^(19[7-9]\d|[2-9]\d{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3])(:[0-5]\d)?)?)?)?)?)?)?$/;
const isTimestamp = (value: string): boolean => TIMESTAMP.test(value);
// RTE 4.1.1.6 language_type, with the character class scorm-again checks.
const LANGUAGE = /^([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9-]{2,8})?$/;
const CAPTIONING = ['', '-1', '0', '1'] as const;

// SPM (smallest permitted maximum) lengths of RTE 4th edition, enforced as maximums: the server
// stores what it promises to restore, and it never truncates.
const SPM = { location: 1000, suspendData: 64000, longIdentifier: 4000, description: 250, comment: 4000, commentLocation: 250, language: 250 } as const;

/**
 * Validates the `cmi` object of a SCORM 2004 commit as scorm-again sends it and returns the
 * writable state. Read-only elements it echoes (learner_id, credit, mode, total_time,
 * comments_from_lms, ...) are ignored, not errors.
 */
export function validateCommit2004(cmi: unknown): CommitValidation {
  return validateWith(cmi, SCORM_2004_ERRORS, readState);
}

function readState(cmi: CmiReader): AttemptState {
  const score = cmi.child('score');
  return {
    completionStatus: cmi.vocabulary('completion_status', COMPLETION, 'unknown'),
    successStatus: cmi.vocabulary('success_status', SUCCESS, 'unknown'),
    ...definedOnly({
      scoreScaled: score.real('scaled', [-1, 1]),
      scoreRaw: score.real('raw'),
      scoreMin: score.real('min'),
      scoreMax: score.real('max'),
      progressMeasure: cmi.real('progress_measure', [0, 1]),
    }),
    location: cmi.string('location', SPM.location),
    suspendData: cmi.string('suspend_data', SPM.suspendData),
    sessionTimeSeconds: cmi.duration2004('session_time'),
    exit: cmi.vocabulary('exit', EXIT, ''),
    interactions: cmi.list('interactions').map(readInteraction),
    objectives: uniqueIds(cmi, 'objectives', cmi.list('objectives').map(readObjective), (o) => o.id),
    comments: cmi.list('comments_from_learner').map(readComment),
    learnerPreference: readPreference(cmi.child('learner_preference')),
  };
}

function readPreference(p: CmiReader): LearnerPreference {
  return setValues({
    audio_level: p.real('audio_level', [0, Infinity]),
    language: p.matching('language', (v) => v.length <= SPM.language && LANGUAGE.test(v), 'a language code such as zh-CN'),
    delivery_speed: p.real('delivery_speed', [0, Infinity]),
    audio_captioning: p.vocabulary('audio_captioning', CAPTIONING, ''),
  });
}

function readComment(n: CmiReader): LearnerComment {
  const comment = localized(n, 'comment', SPM.comment) ?? '';
  const location = n.string('location', SPM.commentLocation);
  const timestamp = n.matching('timestamp', isTimestamp, 'an ISO 8601 timestamp');
  return { comment, ...definedOnly({ location: location || undefined, timestamp: timestamp || undefined }) };
}

function readInteraction(n: CmiReader): Interaction {
  const id = requiredId(n);
  const type = n.vocabulary('type', INTERACTION_TYPES, '');
  return {
    id,
    type,
    learnerResponse: readLearnerResponse(n, type),
    result: n.matching('result', isResult, 'correct, incorrect, unanticipated, neutral or a number'),
    latency: n.matching('latency', isDuration, 'an ISO 8601 duration'),
    timestamp: n.matching('timestamp', isTimestamp, 'an ISO 8601 timestamp'),
    ...definedOnly({ weighting: n.real('weighting'), description: localized(n, 'description', SPM.description) }),
    objectiveIds: uniqueIds(n, 'objectives', n.list('objectives').map(requiredId), (id) => id),
    correctResponses: readCorrectResponses(n, type),
  };
}

function readCorrectResponses(n: CmiReader, type: InteractionType): string[] {
  const patterns = n.list('correct_responses');
  if (patterns.length === 0) return [];
  if (type === '') {
    throw new CmiViolation(n.codes.dependency, n.at('correct_responses'), `${n.at('correct_responses')} is set but ${n.at('type')} is not`);
  }
  if (patterns.length > maxCorrectResponses(type)) {
    throw new CmiViolation(n.codes.general, n.at('correct_responses'), `a ${type} interaction has one correct response, not ${patterns.length}`);
  }
  return patterns.map((p) => {
    const pattern = p.string('pattern', Infinity);
    const problem = correctPatternProblem(type, pattern);
    if (problem) throw p.typeMismatch('pattern', problem);
    return pattern;
  });
}

function readLearnerResponse(n: CmiReader, type: InteractionType): string {
  // The length limit depends on the type and is part of the format check below.
  const response = n.string('learner_response', Infinity);
  if (response === '') return response;
  if (type === '') {
    throw new CmiViolation(n.codes.dependency, n.at('learner_response'), `${n.at('learner_response')} is set but ${n.at('type')} is not`);
  }
  const problem = learnerResponseProblem(type, response);
  if (problem) throw n.typeMismatch('learner_response', problem);
  return response;
}

function readObjective(n: CmiReader): Objective {
  const score = n.child('score');
  return {
    id: requiredId(n),
    successStatus: n.vocabulary('success_status', SUCCESS, 'unknown'),
    completionStatus: n.vocabulary('completion_status', COMPLETION, 'unknown'),
    ...definedOnly({
      scoreScaled: score.real('scaled', [-1, 1]),
      scoreRaw: score.real('raw'),
      scoreMin: score.real('min'),
      scoreMax: score.real('max'),
      progressMeasure: n.real('progress_measure', [0, 1]),
      description: localized(n, 'description', SPM.description),
    }),
  };
}

/** RTE: an interaction's or objective's `id` must be set before any of its other elements. */
function requiredId(n: CmiReader): string {
  const id = n.string('id', SPM.longIdentifier);
  if (id.trim() === '') {
    throw new CmiViolation(n.codes.dependency, n.at('id'), `${n.at('id')} must be set before the record's other elements`);
  }
  return id;
}

/** A localized_string_type(max): the optional `{lang=..}` prefix does not count towards the length. */
function localized(n: CmiReader, name: string, max: number): string | undefined {
  const value = n.string(name, Infinity);
  if (localizedLength(value) > max) throw n.typeMismatch(name, `is longer than ${max} characters`);
  return value === '' ? undefined : value;
}
