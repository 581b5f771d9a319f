import { validateAnswer, validateAnswers, type IssueCode, type Question } from '../../../src/modules/assessment/engine';
import { EVERY_KIND, PERFECT, fillIn, matching, multiple, ordering, scale, single, trueFalse } from './fixtures';

describe('validateAnswer', () => {
  it.each(EVERY_KIND.map((q) => [q.kind, q] as const))('accepts a well-formed %s answer and returns it', (_kind, question) => {
    expect(validateAnswer(question, PERFECT[question.id])).toEqual({ ok: true, answer: PERFECT[question.id] });
  });

  type Case = [name: string, question: Question, answer: unknown, code: IssueCode, path: (string | number)[]];
  const cases: Case[] = [
    ['null', single, null, 'INVALID', []],
    ['an array for a single choice', single, ['b'], 'INVALID', []],
    ['a list under optionId', single, { optionId: ['b'] }, 'INVALID', ['optionId']],
    ['an unknown option', single, { optionId: 'z' }, 'NOT_FOUND', ['optionId']],
    ['a missing field', single, {}, 'INVALID', ['optionId']],
    ['an extra field', single, { optionId: 'b', correct: true }, 'INVALID', ['correct']],
    ['the multiple-choice shape for a single choice', single, { optionIds: ['b'] }, 'INVALID', ['optionIds']],
    ['a string for a multiple choice', multiple, { optionIds: 'a' }, 'INVALID', ['optionIds']],
    ['an unknown option among several', multiple, { optionIds: ['a', 'zz'] }, 'NOT_FOUND', ['optionIds', 1]],
    ['a number among option ids', multiple, { optionIds: ['a', 3] }, 'INVALID', ['optionIds', 1]],
    ['a repeated option', multiple, { optionIds: ['a', 'a'] }, 'DUPLICATE', ['optionIds', 1]],
    ['more ids than options', multiple, { optionIds: ['a', 'b', 'c', 'd', 'e', 'a'] }, 'TOO_LARGE', ['optionIds']],
    ['a string for true/false', trueFalse, { value: 'false' }, 'INVALID', ['value']],
    ['a number for fill-in', fillIn, { text: 42 }, 'INVALID', ['text']],
    ['1001 characters of fill-in', fillIn, { text: 'x'.repeat(1001) }, 'TOO_LARGE', ['text']],
    ['a partial ordering', ordering, { optionIds: ['s1', 's2', 's3'] }, 'INVALID', ['optionIds']],
    ['an ordering with a repeat', ordering, { optionIds: ['s1', 's1', 's2', 's3'] }, 'DUPLICATE', ['optionIds', 1]],
    ['an ordering with an unknown item', ordering, { optionIds: ['s1', 's2', 's3', 'x'] }, 'NOT_FOUND', ['optionIds', 3]],
    ['matching pairs as an object', matching, { pairs: { l1: 'r1' } }, 'INVALID', ['pairs']],
    ['a matching pair from an unknown left', matching, { pairs: [{ left: 'x', right: 'r1' }] }, 'NOT_FOUND', ['pairs', 0, 'left']],
    ['a matching pair to an unknown right', matching, { pairs: [{ left: 'l1', right: 'x' }] }, 'NOT_FOUND', ['pairs', 0, 'right']],
    ['a left item matched twice', matching, { pairs: [{ left: 'l1', right: 'r1' }, { left: 'l1', right: 'r2' }] }, 'DUPLICATE', ['pairs', 1, 'left']],
    ['a right item used twice', matching, { pairs: [{ left: 'l1', right: 'r1' }, { left: 'l2', right: 'r1' }] }, 'DUPLICATE', ['pairs', 1, 'right']],
    ['a pair with extra fields', matching, { pairs: [{ left: 'l1', right: 'r1', ok: 1 }] }, 'INVALID', ['pairs', 0, 'ok']],
    ['more pairs than prompts', matching, { pairs: Array.from({ length: 4 }, () => ({ left: 'l1', right: 'r1' })) }, 'TOO_LARGE', ['pairs']],
    ['a fractional scale value', scale, { value: 7.5 }, 'INVALID', ['value']],
    ['a scale value above the range', scale, { value: 11 }, 'INVALID', ['value']],
    ['a scale value below the range', scale, { value: 0 }, 'INVALID', ['value']],
    ['a scale value as text', scale, { value: '7' }, 'INVALID', ['value']],
  ];

  it.each(cases)('refuses %s', (_name, question, answer, code, path) => {
    const check = validateAnswer(question, answer, ['answers', question.id]);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.issues).toContainEqual(expect.objectContaining({ code, path: ['answers', question.id, ...path] }));
  });

  it.each([
    ['exactly 1000 characters', 'x'.repeat(1000)],
    ['1000 characters outside the BMP (2000 UTF-16 units)', '😀'.repeat(1000)],
    ['an empty text', ''],
  ])('accepts fill-in text of %s', (_name, text) => {
    expect(validateAnswer(fillIn, { text }).ok).toBe(true);
  });

  it.each([1, 5, 10])('accepts the scale value %i at and inside both ends', (value) => {
    expect(validateAnswer(scale, { value }).ok).toBe(true);
  });

  it('accepts an empty selection and an incomplete matching (they are graded, not refused)', () => {
    expect(validateAnswer(multiple, { optionIds: [] }).ok).toBe(true);
    expect(validateAnswer(matching, { pairs: [{ left: 'l2', right: 'rx' }] }).ok).toBe(true);
  });
});

describe('validateAnswers', () => {
  it('returns the typed answers of the attempt, skipping null ones', () => {
    const check = validateAnswers([single, trueFalse], { single: { optionId: 'a' }, tf: null });
    expect(check).toEqual({ ok: true, answers: { single: { optionId: 'a' } } });
  });

  it('refuses an answer to a question outside the attempt', () => {
    const check = validateAnswers([single], { single: { optionId: 'a' }, tf: { value: true } });
    expect(check).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'NOT_FOUND', path: ['answers', 'tf'] })],
    });
  });

  it('reports every bad answer with its own path', () => {
    const check = validateAnswers([single, scale], { single: { optionId: 'z' }, scale: { value: 99 } });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.issues.map((i) => [i.code, i.path])).toEqual([
        ['NOT_FOUND', ['answers', 'single', 'optionId']],
        ['INVALID', ['answers', 'scale', 'value']],
      ]);
    }
  });

  it.each([[null], [[]], ['answers'], [42]])('refuses %p as the answer map', (raw) => {
    expect(validateAnswers([single], raw)).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'INVALID', path: ['answers'] })] });
  });

  it('does not let a __proto__ key through', () => {
    const raw = JSON.parse('{"__proto__": {"optionId": "a"}}') as unknown;
    expect(validateAnswers([single], raw)).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'NOT_FOUND' })] });
  });
});
