import { IssueList, type Issue, type IssuePath } from './issues';
import { charLength } from './text';
import {
  FILL_IN_MAX_LENGTH,
  type Answer,
  type AnswerFor,
  type FillInAnswer,
  type MatchingAnswer,
  type MatchingQuestion,
  type MultipleChoiceAnswer,
  type MultipleChoiceQuestion,
  type OrderingAnswer,
  type OrderingQuestion,
  type Question,
  type ScaleAnswer,
  type ScaleQuestion,
  type SingleChoiceAnswer,
  type SingleChoiceQuestion,
  type TrueFalseAnswer,
} from './types';

/** A learner's answer checked against its question: the typed answer, or why it was refused. */
export type AnswerCheck<A> = { ok: true; answer: A } | { ok: false; issues: Issue[] };

/**
 * Checks a learner's raw (JSON) answer against the question's shape: the right keys and types,
 * option ids that exist, no repeats, a full permutation for ORDERING, an integer within the range
 * for SCALE, at most 1000 characters for FILL_IN. Paths are relative to `path`.
 */
export function validateAnswer<Q extends Question>(question: Q, raw: unknown, path: IssuePath = []): AnswerCheck<AnswerFor<Q['kind']>> {
  const issues = new IssueList();
  const answer = parseAnswer(question, raw, path, issues);
  return answer && issues.ok ? { ok: true, answer: answer as AnswerFor<Q['kind']> } : { ok: false, issues: issues.items };
}

/**
 * Checks a whole answer map (`{ [questionId]: answer }`) for an attempt holding `questions`. A
 * null answer means "not answered" and is left out; an answer to a question outside the attempt
 * is NOT_FOUND.
 */
export function validateAnswers(
  questions: readonly Question[],
  raw: unknown,
  path: IssuePath = ['answers'],
): { ok: true; answers: Record<string, Answer> } | { ok: false; issues: Issue[] } {
  const issues = new IssueList();
  if (!isPlainObject(raw)) {
    return { ok: false, issues: [{ code: 'INVALID', message: 'answers must be an object keyed by question id', path }] };
  }
  const byId = new Map(questions.map((q) => [q.id, q]));
  const entries: [string, Answer][] = [];
  for (const [questionId, value] of Object.entries(raw)) {
    const question = byId.get(questionId);
    if (!question) {
      issues.add('NOT_FOUND', `question "${questionId}" is not part of this attempt`, [...path, questionId]);
      continue;
    }
    if (value === null) continue;
    const answer = parseAnswer(question, value, [...path, questionId], issues);
    if (answer) entries.push([questionId, answer]);
  }
  // fromEntries defines own properties, so even odd keys cannot reach the prototype.
  return issues.ok ? { ok: true, answers: Object.fromEntries(entries) } : { ok: false, issues: issues.items };
}

function parseAnswer(question: Question, raw: unknown, path: IssuePath, issues: IssueList): Answer | null {
  switch (question.kind) {
    case 'SINGLE_CHOICE':
      return parseSingleChoice(question, raw, path, issues);
    case 'MULTIPLE_CHOICE':
      return parseMultipleChoice(question, raw, path, issues);
    case 'TRUE_FALSE':
      return parseTrueFalse(raw, path, issues);
    case 'FILL_IN':
      return parseFillIn(raw, path, issues);
    case 'ORDERING':
      return parseOrdering(question, raw, path, issues);
    case 'MATCHING':
      return parseMatching(question, raw, path, issues);
    case 'SCALE':
      return parseScale(question, raw, path, issues);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer object with exactly `keys`; anything else is refused so shapes cannot drift. */
function shape(raw: unknown, keys: readonly string[], path: IssuePath, issues: IssueList): Record<string, unknown> | null {
  if (!isPlainObject(raw)) return issues.refuse('INVALID', `answer must be an object with ${keys.join(', ')}`, path);
  const extra = Object.keys(raw).filter((k) => !keys.includes(k));
  if (extra.length > 0) return issues.refuse('INVALID', `unexpected field(s) ${extra.join(', ')}`, [...path, extra[0]]);
  const missing = keys.find((k) => raw[k] === undefined);
  if (missing) return issues.refuse('INVALID', `${missing} is required`, [...path, missing]);
  return raw;
}

/** A list of known ids without repeats; null (with issues) otherwise. */
function idList(value: unknown, known: ReadonlySet<string>, path: IssuePath, issues: IssueList): string[] | null {
  if (!Array.isArray(value)) return issues.refuse('INVALID', 'must be a list of option ids', path);
  if (value.length > known.size) return issues.refuse('TOO_LARGE', `at most ${known.size} ids are allowed`, path);
  const before = issues.items.length;
  value.forEach((id, i) => {
    if (typeof id !== 'string') issues.add('INVALID', 'an option id must be a string', [...path, i]);
    else if (!known.has(id)) issues.add('NOT_FOUND', `option "${id}" does not exist`, [...path, i]);
  });
  if (issues.items.length > before) return null;
  return issues.unique(value as string[], 'option', (i) => [...path, i]) ? (value as string[]) : null;
}

function idsOf(options: readonly { id: string }[]): Set<string> {
  return new Set(options.map((o) => o.id));
}

function parseSingleChoice(q: SingleChoiceQuestion, raw: unknown, path: IssuePath, issues: IssueList): SingleChoiceAnswer | null {
  const obj = shape(raw, ['optionId'], path, issues);
  if (!obj) return null;
  const optionId = obj.optionId;
  if (typeof optionId !== 'string') return issues.refuse('INVALID', 'optionId must be a string', [...path, 'optionId']);
  if (!idsOf(q.options).has(optionId)) return issues.refuse('NOT_FOUND', `option "${optionId}" does not exist`, [...path, 'optionId']);
  return { optionId };
}

function parseMultipleChoice(q: MultipleChoiceQuestion, raw: unknown, path: IssuePath, issues: IssueList): MultipleChoiceAnswer | null {
  const obj = shape(raw, ['optionIds'], path, issues);
  const optionIds = obj && idList(obj.optionIds, idsOf(q.options), [...path, 'optionIds'], issues);
  return optionIds ? { optionIds: [...optionIds] } : null;
}

function parseTrueFalse(raw: unknown, path: IssuePath, issues: IssueList): TrueFalseAnswer | null {
  const obj = shape(raw, ['value'], path, issues);
  if (!obj) return null;
  if (typeof obj.value !== 'boolean') return issues.refuse('INVALID', 'value must be true or false', [...path, 'value']);
  return { value: obj.value };
}

function parseFillIn(raw: unknown, path: IssuePath, issues: IssueList): FillInAnswer | null {
  const obj = shape(raw, ['text'], path, issues);
  if (!obj) return null;
  const text = obj.text;
  if (typeof text !== 'string') return issues.refuse('INVALID', 'text must be a string', [...path, 'text']);
  if (text.length > FILL_IN_MAX_LENGTH && charLength(text) > FILL_IN_MAX_LENGTH) {
    return issues.refuse('TOO_LARGE', `text must be at most ${FILL_IN_MAX_LENGTH} characters`, [...path, 'text']);
  }
  return { text };
}

function parseOrdering(q: OrderingQuestion, raw: unknown, path: IssuePath, issues: IssueList): OrderingAnswer | null {
  const obj = shape(raw, ['optionIds'], path, issues);
  const optionIds = obj && idList(obj.optionIds, idsOf(q.options), [...path, 'optionIds'], issues);
  if (!optionIds) return null;
  if (optionIds.length !== q.options.length) {
    return issues.refuse('INVALID', `an ordering must list all ${q.options.length} items`, [...path, 'optionIds']);
  }
  return { optionIds: [...optionIds] };
}

function parseMatching(q: MatchingQuestion, raw: unknown, path: IssuePath, issues: IssueList): MatchingAnswer | null {
  const obj = shape(raw, ['pairs'], path, issues);
  if (!obj) return null;
  const pairsPath = [...path, 'pairs'];
  const value = obj.pairs;
  if (!Array.isArray(value)) return issues.refuse('INVALID', 'pairs must be a list of { left, right }', pairsPath);
  if (value.length > q.left.length) return issues.refuse('TOO_LARGE', `at most ${q.left.length} pairs are allowed`, pairsPath);
  const before = issues.items.length;
  const pairs = value.map((p, i) => parsePair(q, p, [...pairsPath, i], issues));
  if (issues.items.length > before) return null;
  const valid = pairs.filter((p): p is { left: string; right: string } => p !== null);
  const leftOk = issues.unique(valid.map((p) => p.left), 'left item', (i) => [...pairsPath, i, 'left']);
  const rightOk = issues.unique(valid.map((p) => p.right), 'right item', (i) => [...pairsPath, i, 'right']);
  return leftOk && rightOk ? { pairs: valid } : null;
}

function parsePair(q: MatchingQuestion, raw: unknown, path: IssuePath, issues: IssueList): { left: string; right: string } | null {
  const obj = shape(raw, ['left', 'right'], path, issues);
  if (!obj) return null;
  const { left, right } = obj;
  if (typeof left !== 'string' || typeof right !== 'string') return issues.refuse('INVALID', 'left and right must be strings', path);
  if (!idsOf(q.left).has(left)) return issues.refuse('NOT_FOUND', `left item "${left}" does not exist`, [...path, 'left']);
  if (!idsOf(q.right).has(right)) return issues.refuse('NOT_FOUND', `right item "${right}" does not exist`, [...path, 'right']);
  return { left, right };
}

function parseScale(q: ScaleQuestion, raw: unknown, path: IssuePath, issues: IssueList): ScaleAnswer | null {
  const obj = shape(raw, ['value'], path, issues);
  if (!obj) return null;
  const low = Math.min(q.scaleFrom, q.scaleTo);
  const high = Math.max(q.scaleFrom, q.scaleTo);
  const value = obj.value;
  if (!Number.isInteger(value) || (value as number) < low || (value as number) > high) {
    return issues.refuse('INVALID', `value must be an integer from ${low} to ${high}`, [...path, 'value']);
  }
  return { value: value as number };
}
