import { applyEndOfAttempt, applyThresholds, readCommitEnvelope, type AttemptState, type Thresholds } from '../../../src/modules/scorm/engine/cmi';

function state(overrides: Partial<AttemptState> = {}): AttemptState {
  return {
    completionStatus: 'incomplete',
    successStatus: 'unknown',
    location: '',
    suspendData: '',
    sessionTimeSeconds: 0,
    exit: '',
    interactions: [],
    objectives: [],
    comments: [],
    learnerPreference: {},
    ...overrides,
  };
}

describe('applyThresholds: completion (RTE 4.2.4.1)', () => {
  it.each<[string, Partial<AttemptState>, number | undefined, string]>([
    ['no threshold keeps what the SCO said', { completionStatus: 'completed', progressMeasure: 0.1 }, undefined, 'completed'],
    ['no threshold keeps unknown', { completionStatus: 'unknown' }, undefined, 'unknown'],
    ['progress at the threshold completes', { completionStatus: 'incomplete', progressMeasure: 0.8 }, 0.8, 'completed'],
    ['progress above the threshold overrides "incomplete"', { completionStatus: 'incomplete', progressMeasure: 0.9 }, 0.8, 'completed'],
    ['progress below the threshold overrides "completed"', { completionStatus: 'completed', progressMeasure: 0.79 }, 0.8, 'incomplete'],
    ['progress 0 with threshold 0 completes', { completionStatus: 'not attempted', progressMeasure: 0 }, 0, 'completed'],
    ['a threshold without progress is unknown, even if the SCO said completed', { completionStatus: 'completed' }, 0.8, 'unknown'],
  ])('%s', (_what, overrides, completionThreshold, expected) => {
    expect(applyThresholds(state(overrides), { completionThreshold }).completionStatus).toBe(expected);
  });
});

describe('applyThresholds: success', () => {
  it.each<[string, Partial<AttemptState>, Thresholds, string]>([
    ['no passing score keeps what the SCO said', { successStatus: 'failed', scoreScaled: 0.99 }, {}, 'failed'],
    ['a scaled score at the passing score passes', { scoreScaled: 0.7 }, { scaledPassingScore: 0.7 }, 'passed'],
    ['a scaled score below the passing score fails, overriding "passed"', { successStatus: 'passed', scoreScaled: 0.69 }, { scaledPassingScore: 0.7 }, 'failed'],
    ['a negative passing score is honoured', { scoreScaled: -0.4 }, { scaledPassingScore: -0.5 }, 'passed'],
    ['a passing score without a scaled score is unknown, even if the SCO said passed', { successStatus: 'passed', scoreRaw: 99 }, { scaledPassingScore: 0.5 }, 'unknown'],
    ['a 1.2 mastery score passes a raw score at it', { successStatus: 'failed', scoreRaw: 80 }, { masteryScore: 80 }, 'passed'],
    ['a 1.2 mastery score fails a raw score below it', { successStatus: 'passed', scoreRaw: 79.5 }, { masteryScore: 80 }, 'failed'],
    ['a 1.2 mastery score without a raw score keeps the SCO status', { successStatus: 'passed' }, { masteryScore: 80 }, 'passed'],
  ])('%s', (_what, overrides, thresholds, expected) => {
    expect(applyThresholds(state(overrides), thresholds).successStatus).toBe(expected);
  });

  it('applies both rules at once and leaves the rest of the state alone', () => {
    const before = state({ progressMeasure: 0.5, scoreScaled: 0.9, location: 'p2', suspendData: 's' });
    const after = applyThresholds(before, { completionThreshold: 0.6, scaledPassingScore: 0.8 });
    expect(after).toEqual({ ...before, completionStatus: 'incomplete', successStatus: 'passed' });
    expect(before.successStatus).toBe('unknown');
  });
});

describe('readCommitEnvelope', () => {
  const body = { cmi: { completion_status: 'completed' }, commitSequence: 3 };

  it('reads the JSON body and the text/plain beacon body alike', () => {
    expect(readCommitEnvelope(body, 'SCORM_2004')).toEqual({ ok: true, cmi: body.cmi, commitSequence: 3 });
    expect(readCommitEnvelope(JSON.stringify(body), 'SCORM_2004')).toEqual({ ok: true, cmi: body.cmi, commitSequence: 3 });
  });

  it('takes a body without commitSequence', () => {
    expect(readCommitEnvelope('{"cmi":{}}', 'SCORM_1.2')).toEqual({ ok: true, cmi: {} });
  });

  it.each<[string, unknown]>([
    ['text that is not JSON', 'cmi=1'],
    ['JSON without cmi', '{"core":{}}'],
    ['a JSON array', '[]'],
    ['a zero sequence', { cmi: {}, commitSequence: 0 }],
    ['a fractional sequence', { cmi: {}, commitSequence: 1.5 }],
    ['a sequence as text', { cmi: {}, commitSequence: '2' }],
    ['a sequence beyond the stored integer range (2^31)', { cmi: {}, commitSequence: 2 ** 31 }],
    ['the largest safe integer as a sequence', { cmi: {}, commitSequence: Number.MAX_SAFE_INTEGER }],
    ['a NUL in a value', { cmi: { suspend_data: 'a\u0000b' } }],
    ['a NUL in a value, as beacon text', '{"cmi":{"location":"p\\u0000"}}'],
    ['a NUL in a nested value', { cmi: { interactions: { 0: { id: 'q\u0000' } } } }],
  ])('refuses %s with the version general failure code', (_what, input) => {
    expect(readCommitEnvelope(input, 'SCORM_2004')).toMatchObject({ ok: false, errorCode: 391 });
    expect(readCommitEnvelope(input, 'SCORM_1.2')).toMatchObject({ ok: false, errorCode: 101 });
  });
});

describe('readCommitEnvelope: what is not a NUL', () => {
  it('takes an escaped backslash followed by "u0000", and the largest stored sequence', () => {
    expect(readCommitEnvelope('{"cmi":{"location":"\\\\u0000"},"commitSequence":2147483647}', 'SCORM_2004')).toEqual({
      ok: true, cmi: { location: '\\u0000' }, commitSequence: 2 ** 31 - 1,
    });
  });

  it('reads the navigation request scorm-again sends along', () => {
    expect(readCommitEnvelope({ cmi: {}, adl: { nav: { request: 'suspendAll' } } }, 'SCORM_2004')).toMatchObject({ ok: true, navRequest: 'suspendAll' });
  });
});

describe('applyEndOfAttempt: what the LMS decides for content that did not report', () => {
  it('SCORM 1.2: a SCO that finishes without a lesson_status is completed, and judged by its mastery score', () => {
    const ended = applyEndOfAttempt(applyThresholds(state({ completionStatus: 'not attempted', scoreRaw: 60 }), { masteryScore: 80 }), 'SCORM_1.2', { masteryScore: 80 });
    expect(ended).toMatchObject({ completionStatus: 'completed', successStatus: 'failed' });
    expect(applyEndOfAttempt(state({ completionStatus: 'not attempted' }), 'SCORM_1.2', {})).toMatchObject({ completionStatus: 'completed', successStatus: 'unknown' });
    expect(applyEndOfAttempt(state({ completionStatus: 'incomplete' }), 'SCORM_1.2', {})).toMatchObject({ completionStatus: 'incomplete' });
  });

  it('SCORM 2004: nothing reported is completed and passed, unless the content sets them or a threshold decides', () => {
    const silent = state({ completionStatus: 'unknown', successStatus: 'unknown' });
    expect(applyEndOfAttempt(silent, 'SCORM_2004', {})).toMatchObject({ completionStatus: 'completed', successStatus: 'passed' });
    expect(applyEndOfAttempt(silent, 'SCORM_2004', { completionSetByContent: true, objectiveSetByContent: true })).toMatchObject({ completionStatus: 'unknown', successStatus: 'unknown' });
    expect(applyEndOfAttempt(silent, 'SCORM_2004', { completionThreshold: 0.5, scaledPassingScore: 0.5 })).toMatchObject({ completionStatus: 'unknown', successStatus: 'unknown' });
    expect(applyEndOfAttempt(state({ completionStatus: 'incomplete', successStatus: 'failed' }), 'SCORM_2004', {})).toMatchObject({ completionStatus: 'incomplete', successStatus: 'failed' });
  });
});

describe('applyThresholds: the primary objective stands for the SCO', () => {
  const primary = { id: 'PRIMARYOBJ', successStatus: 'unknown' as const, completionStatus: 'unknown' as const };
  it('takes its verdict when the SCO reported none', () => {
    const reported = state({ objectives: [{ ...primary, successStatus: 'passed', completionStatus: 'completed' }], completionStatus: 'unknown' });
    expect(applyThresholds(reported, { primaryObjectiveId: 'PRIMARYOBJ' })).toMatchObject({ successStatus: 'passed', completionStatus: 'completed' });
    expect(applyThresholds(reported, { primaryObjectiveId: 'other' })).toMatchObject({ successStatus: 'unknown', completionStatus: 'unknown' });
  });

  it('judges its score against minNormalizedMeasure when satisfied by measure', () => {
    const reported = state({ objectives: [{ ...primary, scoreScaled: 0.4 }] });
    expect(applyThresholds(reported, { primaryObjectiveId: 'PRIMARYOBJ', scaledPassingScore: 0.6 })).toMatchObject({ successStatus: 'failed', scoreScaled: 0.4 });
  });
});
