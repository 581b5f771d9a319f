import {
  gradeAttempt,
  learnerResponse,
  scormDuration,
  scormTime,
  toInteractions,
  type InteractionType,
  type Question,
} from '../../../src/modules/assessment/engine';
import { EVERY_KIND, PERFECT, fillIn, gradedAssessment, matching, multiple, ordering, scale, single, trueFalse } from './fixtures';

/** SCORM 2004 `time` and `timeinterval` as scorm-again validates them (RTE C.1.4, C.1.5). */
const SCORM_TIME = /^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,2})(Z|[+-]([01][0-9]|2[0-3])(:[0-5][0-9])?)$/;
const SCORM_TIMESPAN = /^P(?:([.,\d]+)Y)?(?:([.,\d]+)M)?(?:([.,\d]+)W)?(?:([.,\d]+)D)?(?:T?(?:([.,\d]+)H)?(?:([.,\d]+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/;

describe('learnerResponse', () => {
  it.each<[string, Question, unknown, InteractionType, string]>([
    ['single choice', single, { optionId: 'b' }, 'choice', 'b'],
    ['multiple choice', multiple, { optionIds: ['a', 'c'] }, 'choice', 'a[,]c'],
    ['an empty multiple choice', multiple, { optionIds: [] }, 'choice', ''],
    ['true/false', trueFalse, { value: false }, 'true-false', 'false'],
    ['fill-in', fillIn, { text: '  ＡＢＣ  123\n' }, 'fill-in', 'ＡＢＣ 123'],
    ['fill-in starting with a brace', fillIn, { text: '{lang=en}x' }, 'fill-in', ' {lang=en}x'],
    ['fill-in holding the item delimiter', fillIn, { text: 'a[,]b' }, 'long-fill-in', 'a[,]b'],
    ['long fill-in', fillIn, { text: '长'.repeat(251) }, 'long-fill-in', '长'.repeat(251)],
    ['ordering', ordering, { optionIds: ['s2', 's1', 's3', 's4'] }, 'sequencing', 's2[,]s1[,]s3[,]s4'],
    ['matching', matching, { pairs: [{ left: 'l1', right: 'r2' }, { left: 'l2', right: 'r1' }] }, 'matching', 'l1[.]r2[,]l2[.]r1'],
    ['likert', scale, { value: 3 }, 'likert', '3'],
  ])('formats %s', (_name, question, answer, type, response) => {
    expect(learnerResponse(question, answer)).toEqual({ type, response });
  });

  it('is null for an answer that does not fit', () => {
    expect(learnerResponse(single, { optionId: 'zz' })).toBeNull();
  });
});

describe('SCORM time formats', () => {
  it.each([
    [0, 'PT0S'],
    [12_000, 'PT12S'],
    [12_345, 'PT12.35S'],
    [63_500, 'PT1M3.5S'],
    [7_200_000, 'PT2H'],
    [3_725_000, 'PT1H2M5S'],
    [-5_000, 'PT0S'],
  ])('%p ms is %p', (ms, expected) => {
    const from = new Date('2024-05-01T08:00:00.000Z');
    const duration = scormDuration(from, new Date(from.getTime() + ms));
    expect(duration).toBe(expected);
    expect(duration).toMatch(SCORM_TIMESPAN);
  });

  it('writes timestamps with at most two decimals of a second', () => {
    expect(scormTime('2024-05-01T08:30:00.256Z')).toBe('2024-05-01T08:30:00.25Z');
    expect(scormTime(new Date('2024-05-01T08:30:00Z'))).toMatch(SCORM_TIME);
  });
});

describe('toInteractions', () => {
  const assessment = gradedAssessment();
  const ids = assessment.questions.map((q) => q.id);
  const presentedAt = '2024-05-01T08:00:00.000Z';
  const timestamps = Object.fromEntries(ids.map((id, i) => [id, { presentedAt, answeredAt: new Date(Date.parse(presentedAt) + (i + 1) * 1000) }]));

  it('records every answered question with type, response, result, timestamp and latency', () => {
    const grade = gradeAttempt(assessment, ids, PERFECT);
    const interactions = toInteractions(assessment.questions, PERFECT, grade.questions, timestamps);
    expect(interactions.map((i) => [i.id, i.type, i.result, i.latency])).toEqual([
      ['single', 'choice', 'correct', 'PT1S'],
      ['multiple', 'choice', 'correct', 'PT2S'],
      ['tf', 'true-false', 'correct', 'PT3S'],
      ['fill', 'fill-in', 'correct', 'PT4S'],
      ['order', 'sequencing', 'correct', 'PT5S'],
      ['match', 'matching', 'correct', 'PT6S'],
      ['scale', 'likert', 'neutral', 'PT7S'],
    ]);
    for (const interaction of interactions) {
      expect(interaction.timestamp).toMatch(SCORM_TIME);
      expect(interaction.description).toBe(assessment.questions.find((q) => q.id === interaction.id)?.prompt['zh-CN']);
    }
    expect(interactions[1].weighting).toBe(3);
  });

  it('gives partial credit as a real and wrong answers as incorrect', () => {
    const answers = { multiple: { optionIds: ['a'] }, single: { optionId: 'a' } };
    const grade = gradeAttempt(assessment, ids, answers);
    const interactions = toInteractions(assessment.questions, answers, grade.questions, {});
    expect(interactions.map((i) => [i.id, i.result])).toEqual([
      ['single', 'incorrect'],
      ['multiple', 0.3333333],
    ]);
    expect(interactions[0]).not.toHaveProperty('timestamp');
    expect(interactions[0]).not.toHaveProperty('latency');
  });

  it('never carries correct responses', () => {
    const grade = gradeAttempt(assessment, ids, PERFECT);
    const json = JSON.stringify(toInteractions(EVERY_KIND, PERFECT, grade.questions, timestamps));
    expect(json).not.toContain('correct_responses');
  });
});
