import { validateCommit2004, type AttemptState } from '../../../src/modules/scorm/engine/cmi';
import { blankCmi2004, withValue, withValues, type Json } from '../../support/cmi-fixtures';

function accepted(cmi: unknown): AttemptState {
  const result = validateCommit2004(cmi);
  if (!result.ok) throw new Error(`refused: ${result.errorCode} ${result.element} ${result.message}`);
  return result.state;
}

const INTERACTION = { 'interactions.0.id': 'q1', 'interactions.0.type': 'choice' };

describe('validateCommit2004: accepted commits', () => {
  it('reads a fresh commit as "nothing happened yet"', () => {
    expect(accepted(blankCmi2004())).toEqual({
      completionStatus: 'unknown',
      successStatus: 'unknown',
      location: '',
      suspendData: '',
      sessionTimeSeconds: 0,
      exit: '',
      interactions: [],
      objectives: [],
      comments: [],
      // scorm-again's defaults, as the SCO would read them back.
      learnerPreference: { audio_level: '1', delivery_speed: '1', audio_captioning: '0' },
    });
  });

  it('reads every writable element', () => {
    const cmi = withValues(blankCmi2004(), {
      completion_status: 'completed',
      success_status: 'passed',
      'score.scaled': '0.85',
      'score.raw': '85',
      'score.min': '0',
      'score.max': '100',
      progress_measure: '1',
      location: 'page-7',
      suspend_data: '{"p":7}',
      session_time: 'PT1H2M3.5S',
      exit: 'suspend',
      interactions: {
        '0': {
          id: 'urn:quiz:q1', type: 'choice', objectives: { '0': { id: 'obj-1' }, '1': { id: 'urn:obj:2' } }, timestamp: '2024-05-01T10:00:00.5Z', weighting: '2',
          learner_response: 'a[,]c', result: 'correct', latency: 'PT12S', description: '{lang=en}Pick two', correct_responses: { '0': { pattern: 'a[,]c' } },
        },
      },
      objectives: {
        '0': { id: 'obj-1', success_status: 'passed', completion_status: 'completed', progress_measure: '0.5', description: '', score: { scaled: '-0.5', raw: '', min: '', max: '' } },
      },
      comments_from_learner: {
        '0': { comment: '{lang=zh-CN}第三页的图看不清', location: 'page-3', timestamp: '2024-05-01T10:05:00Z' },
        '1': { comment: 'second', location: '', timestamp: '' },
      },
      learner_preference: { audio_level: '0.5', language: 'zh-CN', delivery_speed: '1.25', audio_captioning: '1' },
    });
    expect(accepted(cmi)).toEqual({
      completionStatus: 'completed',
      successStatus: 'passed',
      scoreScaled: 0.85,
      scoreRaw: 85,
      scoreMin: 0,
      scoreMax: 100,
      progressMeasure: 1,
      location: 'page-7',
      suspendData: '{"p":7}',
      sessionTimeSeconds: 3723.5,
      exit: 'suspend',
      interactions: [
        {
          id: 'urn:quiz:q1', type: 'choice', learnerResponse: 'a[,]c', result: 'correct', latency: 'PT12S',
          timestamp: '2024-05-01T10:00:00.5Z', weighting: 2, description: '{lang=en}Pick two', objectiveIds: ['obj-1', 'urn:obj:2'], correctResponses: ['a[,]c'],
        },
      ],
      objectives: [{ id: 'obj-1', successStatus: 'passed', completionStatus: 'completed', progressMeasure: 0.5, scoreScaled: -0.5 }],
      comments: [{ comment: '{lang=zh-CN}第三页的图看不清', location: 'page-3', timestamp: '2024-05-01T10:05:00Z' }, { comment: 'second' }],
      learnerPreference: { audio_level: '0.5', language: 'zh-CN', delivery_speed: '1.25', audio_captioning: '1' },
    });
  });

  it('ignores read-only elements the client echoes, whatever their value', () => {
    const cmi = withValues(blankCmi2004(), {
      learner_id: 'someone-else',
      credit: 'bogus',
      entry: 'whatever',
      mode: 'weird',
      total_time: 'not a duration',
      completion_threshold: '7',
      scaled_passing_score: 'x',
      'comments_from_lms.0.comment': 'x'.repeat(5000),
      'comments_from_lms.0.timestamp': 'yesterday',
    });
    expect(validateCommit2004(cmi)).toMatchObject({ ok: true });
  });

  it('treats null (sendFullCommit: false) as unset and accepts numbers for numeric elements', () => {
    const state = accepted(withValues(blankCmi2004(), { location: null, 'score.scaled': 0.25, progress_measure: 0 }));
    expect(state).toMatchObject({ location: '', scoreScaled: 0.25, progressMeasure: 0 });
  });

  it('reads collections sent as arrays or as out-of-order index keys', () => {
    const asArray = accepted(withValue(blankCmi2004(), 'objectives', [{ id: 'a' }, { id: 'b' }]));
    expect(asArray.objectives.map((o) => o.id)).toEqual(['a', 'b']);
    const unordered = accepted(withValue(blankCmi2004(), 'interactions', { '10': { id: 'ten' }, '2': { id: 'two' }, _count: 2 }));
    expect(unordered.interactions.map((i) => i.id)).toEqual(['two', 'ten']);
  });

  it('keeps 64000 characters of suspend_data byte for byte, emoji and control characters included', () => {
    const chunk = 'é😀\u0000\u0001\t\n\r"\\\u2028<>&';
    const data = chunk.repeat(Math.floor(64000 / chunk.length)).padEnd(64000, 'x');
    expect(data).toHaveLength(64000);
    const state = accepted(withValue(blankCmi2004(), 'suspend_data', data));
    expect(state.suspendData).toBe(data);
    expect(Buffer.from(state.suspendData, 'utf8').equals(Buffer.from(data, 'utf8'))).toBe(true);
    // The commit travels as JSON; the round trip must not change a character either.
    const overTheWire = JSON.parse(JSON.stringify({ cmi: withValue(blankCmi2004(), 'suspend_data', data) })) as { cmi: unknown };
    expect(accepted(overTheWire.cmi).suspendData).toBe(data);
  });

  it.each([
    ['true-false', 'true'],
    ['choice', 'a[,]b[,]some long choice id'],
    ['fill-in', '{lang=en}Paris[,]London'],
    ['long-fill-in', 'x'.repeat(4000)],
    ['likert', 'strongly_agree'],
    ['matching', 'a[.]1[,]b[.]2'],
    ['performance', 'step1[.]answer one[,][.]42'],
    ['sequencing', 'c[,]a[,]b'],
    ['numeric', '-12.5'],
    ['other', 'anything at all'],
  ])('accepts a %s learner_response %j', (type, response) => {
    const cmi = withValues(blankCmi2004(), { 'interactions.0.id': 'q', 'interactions.0.type': type, 'interactions.0.learner_response': response });
    expect(accepted(cmi).interactions[0]).toMatchObject({ type, learnerResponse: response });
  });

  it.each([
    ['true-false', ['false']],
    ['choice', ['a[,]b', 'c', '']],
    ['fill-in', ['{case_matters=true}{order_matters=false}Paris[,]London', '{lang=zh}北京']],
    ['long-fill-in', ['{case_matters=false}a long answer']],
    ['likert', ['agree']],
    ['matching', ['a[.]1[,]b[.]2']],
    ['performance', ['{order_matters=false}step1[.]1[:]5[,]step2[.]done']],
    ['sequencing', ['a[,]b[,]c', 'b[,]a[,]c']],
    ['numeric', ['1[:]5']],
    ['numeric', ['[:]0']],
    ['numeric', ['-2.5']],
    ['other', ['anything']],
  ])('accepts %s correct_responses %j', (type, patterns) => {
    const cmi = withValues(blankCmi2004(), {
      'interactions.0.id': 'q', 'interactions.0.type': type,
      ...Object.fromEntries(patterns.map((p, m) => [`interactions.0.correct_responses.${m}.pattern`, p])),
    });
    expect(accepted(cmi).interactions[0].correctResponses).toEqual(patterns);
  });
});

describe('validateCommit2004: refused commits', () => {
  it.each<[string, string, Json, number]>([
    ['a completion status outside the vocabulary', 'completion_status', 'done', 406],
    ['a success status in the wrong case', 'success_status', 'Passed', 406],
    ['an exit value from SCORM 1.2', 'exit', 'quit', 406],
    ['a scaled score above 1', 'score.scaled', '1.5', 407],
    ['a scaled score below -1', 'score.scaled', '-1.01', 407],
    ['a scaled score that is not a number', 'score.scaled', 'high', 406],
    ['a raw score in exponent notation', 'score.raw', '1e5', 406],
    ['a progress measure above 1', 'progress_measure', '1.1', 407],
    ['a negative progress measure', 'progress_measure', '-0.1', 407],
    ['a location over 1000 characters', 'location', 'x'.repeat(1001), 406],
    ['a boolean location', 'location', true, 406],
    ['suspend_data of 64001 characters', 'suspend_data', 'x'.repeat(64001), 406],
    ['64000 characters of suspend_data plus one emoji', 'suspend_data', `${'x'.repeat(63999)}😀`, 406],
    ['a session time without designators', 'session_time', 'PT1H30', 406],
    ['a session time in 1.2 format', 'session_time', '01:00:00', 406],
    ['a score object that is a string', 'score', 'high', 406],
    ['interactions that are a string', 'interactions', 'none', 406],
  ])('refuses %s', (_what, element, value, errorCode) => {
    expect(validateCommit2004(withValue(blankCmi2004(), element, value))).toMatchObject({
      ok: false,
      errorCode,
      element: `cmi.${element}`,
    });
  });

  it.each<[string, Record<string, string>, string, number]>([
    ['an unknown interaction type', { ...INTERACTION, 'interactions.0.type': 'essay' }, 'interactions.0.type', 406],
    ['the 1.2 result "wrong"', { ...INTERACTION, 'interactions.0.result': 'wrong' }, 'interactions.0.result', 406],
    ['a latency in weeks', { ...INTERACTION, 'interactions.0.latency': 'P1W' }, 'interactions.0.latency', 406],
    ['a timestamp with month 13', { ...INTERACTION, 'interactions.0.timestamp': '2024-13-01' }, 'interactions.0.timestamp', 406],
    ['a timestamp before 1970', { ...INTERACTION, 'interactions.0.timestamp': '1969-12-31' }, 'interactions.0.timestamp', 406],
    ['a weighting that is not a number', { ...INTERACTION, 'interactions.0.weighting': 'heavy' }, 'interactions.0.weighting', 406],
    ['an interaction without id', { 'interactions.0.id': '', 'interactions.0.type': 'choice' }, 'interactions.0.id', 408],
    ['a response before the type', { 'interactions.0.id': 'q', 'interactions.0.learner_response': 'a' }, 'interactions.0.learner_response', 408],
    ['a description over 250 characters', { ...INTERACTION, 'interactions.0.description': `{lang=en}${'d'.repeat(251)}` }, 'interactions.0.description', 406],
    ['an objective without id', { 'objectives.0.id': '', 'objectives.0.success_status': 'passed' }, 'objectives.0.id', 408],
    ['an objective scaled score of 2', { 'objectives.0.id': 'o', 'objectives.0.score.scaled': '2' }, 'objectives.0.score.scaled', 407],
    ['an objective status outside the vocabulary', { 'objectives.0.id': 'o', 'objectives.0.success_status': 'ok' }, 'objectives.0.success_status', 406],
    ['an objective progress of 1.5', { 'objectives.0.id': 'o', 'objectives.0.progress_measure': '1.5' }, 'objectives.0.progress_measure', 407],
    ["an interaction's objective without id", { ...INTERACTION, 'interactions.0.objectives.0.id': '' }, 'interactions.0.objectives.0.id', 408],
    ["an interaction's objective id given twice", { ...INTERACTION, 'interactions.0.objectives.0.id': 'o', 'interactions.0.objectives.1.id': 'o' }, 'interactions.0.objectives.1.id', 391],
    ['an objective id given twice', { 'objectives.0.id': 'o', 'objectives.1.id': 'p', 'objectives.2.id': 'o' }, 'objectives.2.id', 391],
    ["an interaction's objective id over 4000 characters", { ...INTERACTION, 'interactions.0.objectives.0.id': 'o'.repeat(4001) }, 'interactions.0.objectives.0.id', 406],
    ['a correct response before the type', { 'interactions.0.id': 'q', 'interactions.0.correct_responses.0.pattern': 'a' }, 'interactions.0.correct_responses', 408],
    ['two correct responses of a true-false interaction', { ...INTERACTION, 'interactions.0.type': 'true-false', 'interactions.0.correct_responses.0.pattern': 'true', 'interactions.0.correct_responses.1.pattern': 'false' }, 'interactions.0.correct_responses', 391],
    ['a correct response that does not fit the type', { ...INTERACTION, 'interactions.0.correct_responses.0.pattern': 'a[,]a' }, 'interactions.0.correct_responses.0.pattern', 406],
    ['an empty true-false pattern', { ...INTERACTION, 'interactions.0.type': 'true-false', 'interactions.0.correct_responses.0.pattern': '' }, 'interactions.0.correct_responses.0.pattern', 406],
    ['a numeric pattern that is not a range', { ...INTERACTION, 'interactions.0.type': 'numeric', 'interactions.0.correct_responses.0.pattern': '1:5' }, 'interactions.0.correct_responses.0.pattern', 406],
    ['a delimiter the type does not take', { ...INTERACTION, 'interactions.0.type': 'likert', 'interactions.0.correct_responses.0.pattern': '{case_matters=true}agree' }, 'interactions.0.correct_responses.0.pattern', 406],
    ['an audio level that is not a number', { 'learner_preference.audio_level': 'loud' }, 'learner_preference.audio_level', 406],
    ['a negative audio level', { 'learner_preference.audio_level': '-1' }, 'learner_preference.audio_level', 407],
    ['a negative delivery speed', { 'learner_preference.delivery_speed': '-0.5' }, 'learner_preference.delivery_speed', 407],
    ['a language that is not a language code', { 'learner_preference.language': 'Chinese please' }, 'learner_preference.language', 406],
    ['audio captioning outside -1, 0, 1', { 'learner_preference.audio_captioning': '2' }, 'learner_preference.audio_captioning', 406],
    ['a learner comment over 4000 characters', { 'comments_from_learner.0.comment': `{lang=en}${'c'.repeat(4001)}` }, 'comments_from_learner.0.comment', 406],
    ['a learner comment location over 250 characters', { 'comments_from_learner.0.location': 'l'.repeat(251) }, 'comments_from_learner.0.location', 406],
    ['a learner comment timestamp that is not a time', { 'comments_from_learner.0.timestamp': 'yesterday' }, 'comments_from_learner.0.timestamp', 406],
  ])('refuses %s', (_what, values, element, errorCode) => {
    expect(validateCommit2004(withValues(blankCmi2004(), values))).toMatchObject({ ok: false, errorCode, element: `cmi.${element}` });
  });

  it.each([
    ['true-false', 'yes'],
    ['choice', 'a[,]a'],
    ['choice', Array.from({ length: 37 }, (_, i) => `c${i}`).join('[,]')],
    ['fill-in', Array.from({ length: 11 }, () => 'w').join('[,]')],
    ['fill-in', 'x'.repeat(251)],
    ['long-fill-in', 'x'.repeat(4001)],
    ['likert', 'not an id'],
    ['matching', 'a-1'],
    ['performance', 'a[.]b[.]c'],
    ['sequencing', 'a[,]b c'],
    ['numeric', 'ten'],
    ['other', 'x'.repeat(4001)],
  ])('refuses a %s learner_response %j', (type, response) => {
    const cmi = withValues(blankCmi2004(), { 'interactions.0.id': 'q', 'interactions.0.type': type, 'interactions.0.learner_response': response });
    expect(validateCommit2004(cmi)).toMatchObject({ ok: false, errorCode: 406, element: 'cmi.interactions.0.learner_response' });
  });

  it('refuses a commit without a cmi object with the general commit failure', () => {
    expect(validateCommit2004(undefined)).toMatchObject({ ok: false, errorCode: 391, element: 'cmi' });
    expect(validateCommit2004('cmi')).toMatchObject({ ok: false, errorCode: 391 });
  });

  it('names the element and the problem in the message', () => {
    const result = validateCommit2004(withValue(blankCmi2004(), 'score.scaled', '1.5'));
    expect(result).toMatchObject({ message: 'cmi.score.scaled is 1.5, outside -1..1' });
  });
});
