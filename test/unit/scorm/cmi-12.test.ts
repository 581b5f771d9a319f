import { mapLessonStatus, validateCommit12, type AttemptState, type LessonStatus } from '../../../src/modules/scorm/engine/cmi';
import { blankCmi12, withValue, withValues, type Json } from '../../support/cmi-fixtures';

function accepted(cmi: unknown): AttemptState {
  const result = validateCommit12(cmi);
  if (!result.ok) throw new Error(`refused: ${result.errorCode} ${result.element} ${result.message}`);
  return result.state;
}

describe('SCORM 1.2 lesson_status mapping', () => {
  it.each<[LessonStatus, string, string]>([
    ['passed', 'completed', 'passed'],
    ['failed', 'completed', 'failed'],
    ['completed', 'completed', 'unknown'],
    ['incomplete', 'incomplete', 'unknown'],
    ['browsed', 'incomplete', 'unknown'],
    ['not attempted', 'not attempted', 'unknown'],
  ])('%s becomes completion %s, success %s', (status, completionStatus, successStatus) => {
    expect(mapLessonStatus(status)).toEqual({ completionStatus, successStatus });
    expect(accepted(withValue(blankCmi12(), 'core.lesson_status', status))).toMatchObject({ completionStatus, successStatus });
  });

  it('reads an empty lesson_status as not attempted', () => {
    expect(accepted(withValue(blankCmi12(), 'core.lesson_status', ''))).toMatchObject({ completionStatus: 'not attempted' });
  });
});

describe('validateCommit12', () => {
  it('maps a full commit into the 2004-shaped state', () => {
    const cmi = withValues(blankCmi12(), {
      'core.lesson_status': 'passed',
      'core.score.raw': '85.5',
      'core.score.min': '0',
      'core.lesson_location': 'slide-4',
      'core.session_time': '0001:02:03.5',
      'core.exit': 'suspend',
      suspend_data: 'A1B2',
      interactions: {
        '0': { id: 'q1', time: '10:11:12', type: 'choice', weighting: '1', student_response: 'a,b', result: 'wrong', latency: '00:00:12.5', objectives: { '0': { id: 'obj1' } }, correct_responses: { '0': { pattern: 'a,c' } } },
        '1': { id: 'q2', time: '', type: 'numeric', weighting: '', student_response: '4', result: '0.5', latency: '', objectives: {}, correct_responses: {} },
      },
      objectives: { '0': { id: 'obj1', status: 'failed', score: { raw: '40', min: '', max: '100' } } },
      comments: '<1>第四页有错字<2>',
      student_preference: { audio: '-1', language: 'zh', speed: '-50', text: '1' },
    });
    expect(accepted(cmi)).toEqual({
      completionStatus: 'completed',
      successStatus: 'passed',
      scoreRaw: 85.5,
      scoreMin: 0,
      scoreScaled: 0.855,
      location: 'slide-4',
      suspendData: 'A1B2',
      sessionTimeSeconds: 3723.5,
      exit: 'suspend',
      interactions: [
        { id: 'q1', type: 'choice', learnerResponse: 'a,b', result: 'incorrect', latency: 'PT12.5S', timestamp: '10:11:12', weighting: 1, objectiveIds: ['obj1'], correctResponses: ['a,c'] },
        { id: 'q2', type: 'numeric', learnerResponse: '4', result: '0.5', latency: '', timestamp: '', objectiveIds: [], correctResponses: [] },
      ],
      objectives: [{ id: 'obj1', completionStatus: 'completed', successStatus: 'failed', scoreRaw: 40, scoreMax: 100 }],
      comments: [{ comment: '<1>第四页有错字<2>' }],
      learnerPreference: { audio: '-1', language: 'zh', speed: '-50', text: '1' },
    });
  });

  it('derives the scaled score from raw, min and max, on 0..100 when the SCO set no range, and keeps only a max the SCO set', () => {
    const score = (values: Record<string, string>) => {
      const { scoreRaw, scoreMin, scoreMax, scoreScaled } = accepted(withValues(blankCmi12(), values));
      return { scoreRaw, scoreMin, scoreMax, scoreScaled };
    };
    expect(score({ 'core.score.raw': '70' })).toEqual({ scoreRaw: 70, scoreScaled: 0.7 });
    // scorm-again sends the data model's default max of 100 whatever the SCO did: not shown.
    expect(score({ 'core.score.raw': '70', 'core.score.max': '100' })).toEqual({ scoreRaw: 70, scoreScaled: 0.7 });
    expect(score({ 'core.score.raw': '30', 'core.score.min': '20', 'core.score.max': '40' })).toEqual({ scoreRaw: 30, scoreMin: 20, scoreMax: 40, scoreScaled: 0.5 });
    expect(score({ 'core.score.raw': '30', 'core.score.min': '40', 'core.score.max': '40' })).toEqual({ scoreRaw: 30, scoreMin: 40, scoreMax: 40 });
    expect(score({ 'core.score.max': '50' })).toEqual({ scoreMax: 50 });
  });

  it('ignores read-only elements the client echoes', () => {
    const cmi = withValues(blankCmi12(), {
      'core.student_id': 'other',
      'core.credit': 'bogus',
      'core.total_time': 'nonsense',
      'core.lesson_mode': 'odd',
      'student_data.mastery_score': 'x',
      launch_data: 'y'.repeat(10000),
      comments_from_lms: 'z'.repeat(10000),
    });
    expect(validateCommit12(cmi)).toMatchObject({ ok: true });
  });

  it('allows suspend_data the 2004 size, 64000 characters, untouched', () => {
    const data = `😀\u0007${'z'.repeat(63997)}`;
    expect(data).toHaveLength(64000);
    expect(accepted(withValue(blankCmi12(), 'suspend_data', data)).suspendData).toBe(data);
  });

  it.each<[string, string, Json, number]>([
    ['a status outside the vocabulary', 'core.lesson_status', 'done', 405],
    ['a 2004 completion word', 'core.lesson_status', 'unknown', 405],
    ['a raw score above 100', 'core.score.raw', '101', 407],
    ['a negative max score', 'core.score.max', '-1', 407],
    ['a raw score that is not a number', 'core.score.raw', 'A+', 405],
    ['a location over 255 characters', 'core.lesson_location', 'x'.repeat(256), 405],
    ['suspend_data of 64001 characters', 'suspend_data', 'x'.repeat(64001), 405],
    ['a session time in 2004 format', 'core.session_time', 'PT1M', 405],
    ['a session time with 60 minutes', 'core.session_time', '00:60:00', 405],
    ['the 2004 exit value normal', 'core.exit', 'normal', 405],
    ['a 2004-only interaction type', 'interactions.0.type', 'long-fill-in', 405],
    ['the 2004 result incorrect', 'interactions.0.result', 'incorrect', 405],
    ['an interaction time with a date', 'interactions.0.time', '2024-01-01T10:00:00', 405],
    ['an interaction latency in ISO format', 'interactions.0.latency', 'PT5S', 405],
    ['an objective score of 150', 'objectives.0.score.raw', '150', 407],
    ['an objective status outside the vocabulary', 'objectives.0.status', 'done', 405],
    ["an interaction's objective id over 255 characters", 'interactions.0.objectives.0.id', 'o'.repeat(256), 405],
    ["an interaction's objective without id", 'interactions.0.objectives.0.id', '', 101],
    ['a correct response over 4000 characters', 'interactions.0.correct_responses.0.pattern', 'p'.repeat(4001), 405],
    ['comments over 4096 characters', 'comments', 'c'.repeat(4097), 405],
    ['an audio preference above 100', 'student_preference.audio', '101', 407],
    ['an audio preference that is not a number', 'student_preference.audio', 'loud', 405],
    ['a fractional speed', 'student_preference.speed', '1.5', 405],
    ['a speed below -100', 'student_preference.speed', '-101', 407],
    ['a text preference of 2', 'student_preference.text', '2', 407],
    ['a language over 255 characters', 'student_preference.language', 'l'.repeat(256), 405],
  ])('refuses %s', (_what, element, value, errorCode) => {
    const base = withValues(blankCmi12(), { 'interactions.0.id': 'q1', 'objectives.0.id': 'o1' });
    expect(validateCommit12(withValue(base, element, value))).toMatchObject({ ok: false, errorCode, element: `cmi.${element}` });
  });

  it('refuses an objective id given twice, in the objectives or in one interaction', () => {
    expect(validateCommit12(withValues(blankCmi12(), { 'objectives.0.id': 'o', 'objectives.1.id': 'o' }))).toMatchObject({ ok: false, errorCode: 101, element: 'cmi.objectives.1.id' });
    const twice = withValues(blankCmi12(), { 'interactions.0.id': 'q', 'interactions.0.objectives.0.id': 'o', 'interactions.0.objectives.1.id': 'o' });
    expect(validateCommit12(twice)).toMatchObject({ ok: false, errorCode: 101, element: 'cmi.interactions.0.objectives.1.id' });
  });

  it('refuses an interaction without id', () => {
    const cmi = withValue(blankCmi12(), 'interactions.0', { id: '', type: 'choice' });
    expect(validateCommit12(cmi)).toMatchObject({ ok: false, errorCode: 101, element: 'cmi.interactions.0.id' });
  });

  it('refuses a commit without a cmi object with the general exception', () => {
    expect(validateCommit12(null)).toMatchObject({ ok: false, errorCode: 101, element: 'cmi' });
  });
});
