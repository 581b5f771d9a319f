import {
  combineAttempts,
  fillInMatches,
  gradeAttempt,
  gradeQuestion,
  normalizeAnswerText,
  type AttemptGrade,
  type GradingMethod,
} from '../../../src/modules/assessment/engine';
import { EVERY_KIND, PERFECT, fillIn, gradedAssessment, matching, multiple, ordering, scale, selfAssessment, single, trueFalse } from './fixtures';

describe('FILL_IN matching', () => {
  it.each([
    ['ＡＢＣ１２３', 'abc123'],
    ['３', '3'],
    ['  abc   123 ', 'abc 123'],
    ['ABC\u3000123', 'abc 123'],
    ['Ｈｅｌｌｏ，\tＷｏｒｌｄ', 'hello, world'],
  ])('normalizes %p to %p', (input, expected) => {
    expect(normalizeAnswerText(input)).toBe(expected);
  });

  it.each([
    ['abc123', true],
    ['ＡＢＣ１２３', true],
    [' aBc123 ', true],
    ['三', true],
    ['abc 123', false],
    ['abc12', false],
    ['', false],
    ['   ', false],
  ])('%p matches ABC123/三: %p', (text, expected) => {
    expect(fillInMatches(fillIn, text)).toBe(expected);
  });

  it('accepts "３" where "3" is accepted', () => {
    expect(fillInMatches({ ...fillIn, accepted: ['3'] }, '３')).toBe(true);
  });
});

describe('gradeQuestion', () => {
  it.each(EVERY_KIND.filter((q) => q.kind !== 'SCALE').map((q) => [q.kind, q] as const))('gives full points for a perfect %s answer', (_k, q) => {
    expect(gradeQuestion(q, PERFECT[q.id])).toMatchObject({ answered: true, earned: q.points, max: q.points, correctness: 'correct' });
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['an answer of the wrong shape', { optionIds: ['b'] }],
  ])('treats %s as unanswered and incorrect', (_name, raw) => {
    expect(gradeQuestion(single, raw)).toMatchObject({ answered: false, earned: 0, max: 2, correctness: 'incorrect' });
  });

  it('grades single choice and true/false all or nothing', () => {
    expect(gradeQuestion(single, { optionId: 'a' })).toMatchObject({ earned: 0, correctness: 'incorrect' });
    expect(gradeQuestion(trueFalse, { value: true })).toMatchObject({ earned: 0, correctness: 'incorrect' });
  });

  // 3 correct (a, b, c), 2 wrong (d, e), 3 points: points × max(0, (right − wrong) / 3).
  it.each([
    [['a', 'b', 'c'], 3, 'correct'],
    [['a', 'b'], 2, 'partial'],
    [['a'], 1, 'partial'],
    [['a', 'b', 'c', 'd'], 2, 'partial'],
    [['a', 'b', 'c', 'd', 'e'], 1, 'partial'],
    [['a', 'd'], 0, 'incorrect'],
    [['a', 'd', 'e'], 0, 'incorrect'],
    [['d'], 0, 'incorrect'],
    [[], 0, 'incorrect'],
  ])('gives multiple choice %p with partial credit %p points', (optionIds, earned, correctness) => {
    expect(gradeQuestion(multiple, { optionIds })).toMatchObject({ answered: true, earned, correctness });
  });

  it.each([
    [['a', 'b', 'c'], 3],
    [['c', 'b', 'a'], 3],
    [['a', 'b'], 0],
    [['a', 'b', 'c', 'd'], 0],
  ])('gives multiple choice %p without partial credit %p points', (optionIds, earned) => {
    expect(gradeQuestion({ ...multiple, partialCredit: false }, { optionIds }).earned).toBe(earned);
  });

  it('rounds partial credit to four decimals', () => {
    expect(gradeQuestion({ ...multiple, points: 1 }, { optionIds: ['a'] }).earned).toBe(0.3333);
  });

  it.each([
    [['s1', 's2', 's3', 's4'], 1],
    [['s2', 's1', 's3', 's4'], 1 / 3],
    [['s1', 's3', 's2', 's4'], 0],
    [['s4', 's1', 's2', 's3'], 2 / 3],
    [['s4', 's3', 's2', 's1'], 0],
  ])('gives ordering %p with partial credit the share %p of neighbour links', (optionIds, share) => {
    const grade = gradeQuestion({ ...ordering, partialCredit: true, points: 3 }, { optionIds });
    expect(grade.earned).toBeCloseTo(3 * share, 4);
  });

  it('grades ordering all or nothing by default', () => {
    expect(gradeQuestion(ordering, { optionIds: ['s4', 's1', 's2', 's3'] })).toMatchObject({ earned: 0, correctness: 'incorrect' });
  });

  const twoOfThree = { pairs: [{ left: 'l1', right: 'r1' }, { left: 'l2', right: 'r2' }, { left: 'l3', right: 'rx' }] };
  it('grades matching all or nothing by default, per pair with partial credit', () => {
    expect(gradeQuestion(matching, twoOfThree)).toMatchObject({ earned: 0, correctness: 'incorrect' });
    expect(gradeQuestion({ ...matching, partialCredit: true, points: 3 }, twoOfThree)).toMatchObject({ earned: 2, correctness: 'partial' });
    expect(gradeQuestion({ ...matching, partialCredit: true, points: 3 }, { pairs: [] })).toMatchObject({ earned: 0, correctness: 'incorrect' });
  });

  it.each([
    [false, 7, 7],
    [true, 7, 4],
    [true, 10, 1],
    [true, 1, 10],
  ])('scores a scale item (reverse %p) picked at %p as %p, neutral and pointless', (reverse, value, scaleScore) => {
    expect(gradeQuestion({ ...scale, reverse }, { value })).toEqual({
      questionId: 'scale', kind: 'SCALE', answered: true, earned: 0, max: 0, correctness: 'neutral', scaleScore,
    });
  });
});

describe('gradeAttempt', () => {
  const assessment = gradedAssessment({ passingScore: 60 });
  const ids = assessment.questions.map((q) => q.id);

  it('gives a perfect attempt 100% and a pass', () => {
    expect(gradeAttempt(assessment, ids, PERFECT)).toMatchObject({
      kind: 'GRADED', raw: 12, min: 0, max: 12, scaled: 1, percent: 100, passed: true, success: 'passed', band: null, unanswered: [],
    });
  });

  it('fails an empty attempt and lists what was not answered', () => {
    const grade = gradeAttempt(assessment, ids, {});
    expect(grade).toMatchObject({ raw: 0, percent: 0, passed: false, success: 'failed' });
    expect(grade.unanswered).toEqual(ids);
  });

  it('passes exactly at the passing score and fails just below it', () => {
    // single (2) + multiple (3) + tf (1) + fill (2) = 8 of 12 points = 66.666…%.
    const atTwoThirds = gradedAssessment({ passingScore: 200 / 3 });
    const { order: _order, match: _match, ...eightPoints } = PERFECT;
    expect(gradeAttempt(atTwoThirds, ids, eightPoints)).toMatchObject({ raw: 8, percent: 66.67, passed: true });
    const { tf: _tf, ...sevenPoints } = eightPoints;
    expect(gradeAttempt(atTwoThirds, ids, sevenPoints)).toMatchObject({ raw: 7, passed: false, success: 'failed' });
  });

  it('decides passing on the shown percentage, so rounded partial credit cannot tip it', () => {
    const thirds = [1, 2, 3].map((n) => ({ ...multiple, id: `m${n}`, points: 1 }));
    const answers = { m1: { optionIds: ['a'] }, m2: { optionIds: ['a'] }, m3: { optionIds: ['a'] } };
    const grade = gradeAttempt(gradedAssessment({ passingScore: 33.33 }, thirds), ['m1', 'm2', 'm3'], answers);
    expect(grade).toMatchObject({ raw: 0.9999, percent: 33.33, passed: true });
  });

  it('counts only the questions of the attempt', () => {
    expect(gradeAttempt(assessment, ['single', 'tf'], PERFECT)).toMatchObject({ raw: 3, max: 3, percent: 100 });
  });

  it('refuses a question id that is not in the assessment', () => {
    expect(() => gradeAttempt(assessment, ['nope'], {})).toThrow(/nope/);
  });

  describe('self-assessment', () => {
    const self = selfAssessment();
    const sIds = self.questions.map((q) => q.id);
    // s3 is reverse-scored: picking v scores 6 − v.
    const answersFor = (s1: number, s2: number, s3picked: number) => ({ s1: { value: s1 }, s2: { value: s2 }, s3: { value: s3picked } });

    it.each([
      ['the minimum', answersFor(1, 1, 5), 3, '3-6'],
      ['the top of the lowest band', answersFor(1, 1, 2), 6, '3-6'],
      ['the bottom of the middle band', answersFor(1, 1, 1), 7, '7-11'],
      ['the top of the middle band', answersFor(5, 1, 1), 11, '7-11'],
      ['the bottom of the highest band', answersFor(5, 2, 1), 12, '12-15'],
      ['the maximum', answersFor(5, 5, 1), 15, '12-15'],
    ])('puts %s in its band', (_name, answers, raw, interpretation) => {
      const grade = gradeAttempt(self, sIds, answers);
      expect(grade).toMatchObject({ kind: 'SELF_ASSESSMENT', raw, min: 3, max: 15, passed: null, success: 'unknown' });
      expect(grade.band?.interpretation['zh-CN']).toBe(interpretation);
      expect(grade.scaled).toBeCloseTo((raw - 3) / 12, 6);
    });

    it('has no band while items are unanswered', () => {
      const grade = gradeAttempt(self, sIds, { s1: { value: 5 }, s2: { value: 5 } });
      expect(grade).toMatchObject({ band: null, unanswered: ['s3'], success: 'unknown' });
    });
  });
});

describe('combineAttempts', () => {
  const attempt = (percent: number, passingScore: number | null = 60): AttemptGrade => ({
    kind: 'GRADED', passingScore, questions: [], unanswered: [], raw: percent / 10, min: 0, max: 10,
    scaled: percent / 100, percent, passed: passingScore === null ? null : percent >= passingScore,
    success: passingScore === null ? 'unknown' : percent >= passingScore ? 'passed' : 'failed', band: null,
  });
  const history = [attempt(50), attempt(80), attempt(80), attempt(40)];

  it.each<[GradingMethod, number, number | null, boolean]>([
    ['FIRST', 50, 0, false],
    ['LAST', 40, 3, false],
    ['HIGHEST', 80, 1, true],
    ['AVERAGE', 62.5, null, true],
  ])('%s of 50, 80, 80, 40 is %p%%', (method, percent, attemptIndex, passed) => {
    expect(combineAttempts(history, method)).toMatchObject({ method, attemptCount: 4, percent, attemptIndex, passed });
  });

  it('fails an average below the passing score even when one attempt passed', () => {
    expect(combineAttempts([attempt(30), attempt(70)], 'AVERAGE')).toMatchObject({ percent: 50, passed: false, success: 'failed' });
  });

  it('keeps self-assessments unknown', () => {
    expect(combineAttempts([attempt(30, null)], 'AVERAGE')).toMatchObject({ passed: null, success: 'unknown' });
  });

  it('is null without attempts', () => {
    expect(combineAttempts([], 'HIGHEST')).toBeNull();
  });
});
