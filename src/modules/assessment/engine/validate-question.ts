import { IssueList, type IssuePath } from './issues';
import { charLength, normalizeAnswerText } from './text';
import {
  FILL_IN_MAX_LENGTH,
  QUESTION_KINDS,
  type ChoiceOption,
  type FillInQuestion,
  type MatchingQuestion,
  type MultipleChoiceQuestion,
  type Question,
  type QuestionOption,
  type ScaleQuestion,
  type SingleChoiceQuestion,
} from './types';

/** SCORM interaction ids and option identifiers must survive the `[,]`/`[.]` response syntax. */
const QUESTION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const OPTION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** SCORM 2004 caps choice, sequencing and matching responses at 36 items. */
const MAX_OPTIONS = 36;
const MAX_ACCEPTED = 20;
const MAX_SCALE_STEPS = 100;
const MAX_POINTS = 1000;
const LIMITS = { prompt: 2000, option: 500, note: 2000, tag: 64 };

/** Authoring checks for one question; issues are added to `issues` with paths under `path`. */
export function checkQuestion(question: Question, path: IssuePath, issues: IssueList): void {
  if (!issues.check(QUESTION_KINDS.includes(question.kind), `unknown question kind "${question.kind}"`, [...path, 'kind'])) {
    return;
  }
  checkCommon(question, path, issues);
  switch (question.kind) {
    case 'SINGLE_CHOICE':
      return checkSingleChoice(question, path, issues);
    case 'MULTIPLE_CHOICE':
      return checkMultipleChoice(question, path, issues);
    case 'TRUE_FALSE':
      issues.check(typeof question.answer === 'boolean', 'answer must be true or false', [...path, 'answer']);
      return;
    case 'FILL_IN':
      return checkFillIn(question, path, issues);
    case 'ORDERING':
      checkOptionList(question.options, [...path, 'options'], issues);
      return;
    case 'MATCHING':
      return checkMatching(question, path, issues);
    case 'SCALE':
      return checkScale(question, path, issues);
  }
}

/** A localized text: Chinese required and non-blank, English optional; both at most `max` long. */
export function checkText(text: unknown, path: IssuePath, max: number, issues: IssueList): void {
  const t = text as Record<string, unknown> | null;
  if (typeof t !== 'object' || t === null || typeof t['zh-CN'] !== 'string' || !t['zh-CN'].trim()) {
    issues.add('INVALID', 'a non-empty zh-CN text is required', [...path, 'zh-CN']);
    return;
  }
  for (const locale of ['zh-CN', 'en'] as const) {
    const value = t[locale];
    if (value === undefined) continue;
    if (typeof value !== 'string') issues.add('INVALID', `${locale} text must be a string`, [...path, locale]);
    else if (charLength(value) > max) issues.add('TOO_LARGE', `text must be at most ${max} characters`, [...path, locale]);
  }
}

function checkCommon(q: Question, path: IssuePath, issues: IssueList): void {
  issues.check(typeof q.id === 'string' && QUESTION_ID.test(q.id), 'id must be 1-128 letters, digits, "_", ".", ":" or "-"', [...path, 'id']);
  checkText(q.prompt, [...path, 'prompt'], LIMITS.prompt, issues);
  if (q.kind === 'SCALE') {
    issues.check(q.points === 0, 'scale items carry no points; a self-assessment sums their values', [...path, 'points']);
  } else {
    const ok = typeof q.points === 'number' && Number.isFinite(q.points) && q.points > 0 && q.points <= MAX_POINTS;
    issues.check(ok, `points must be more than 0 and at most ${MAX_POINTS}`, [...path, 'points']);
  }
  if (q.feedback?.correct !== undefined) checkText(q.feedback.correct, [...path, 'feedback', 'correct'], LIMITS.note, issues);
  if (q.feedback?.incorrect !== undefined) checkText(q.feedback.incorrect, [...path, 'feedback', 'incorrect'], LIMITS.note, issues);
  if (q.explanation !== undefined) checkText(q.explanation, [...path, 'explanation'], LIMITS.note, issues);
  checkTags(q.tags, [...path, 'tags'], issues);
}

function checkTags(tags: unknown, path: IssuePath, issues: IssueList): void {
  if (!issues.check(Array.isArray(tags), 'tags must be a list', path)) return;
  const list = tags as unknown[];
  list.forEach((tag, i) => {
    const ok = typeof tag === 'string' && tag.trim() !== '' && charLength(tag) <= LIMITS.tag;
    issues.check(ok, `a tag must be a non-empty text of at most ${LIMITS.tag} characters`, [...path, i]);
  });
  issues.unique(list.filter((t): t is string => typeof t === 'string'), 'tag', (i) => [...path, i]);
}

/** Ids, texts and count of an option list; returns false when it cannot be checked further. */
function checkOptionList(options: readonly QuestionOption[], path: IssuePath, issues: IssueList, min = 2): boolean {
  if (!issues.check(Array.isArray(options), 'options must be a list', path)) return false;
  if (options.length > MAX_OPTIONS) return issues.add('TOO_LARGE', `at most ${MAX_OPTIONS} options are allowed`, path);
  issues.check(options.length >= min, `at least ${min} options are required`, path);
  options.forEach((option, i) => {
    const idOk = typeof option.id === 'string' && OPTION_ID.test(option.id);
    issues.check(idOk, 'option id must be 1-64 letters, digits, "_" or "-"', [...path, i, 'id']);
    checkText(option.text, [...path, i, 'text'], LIMITS.option, issues);
  });
  return issues.unique(options.map((o) => o.id), 'option id', (i) => [...path, i, 'id']);
}

function countCorrect(options: readonly ChoiceOption[], path: IssuePath, issues: IssueList): number {
  options.forEach((o, i) => issues.check(typeof o.correct === 'boolean', 'correct must be true or false', [...path, i, 'correct']));
  return options.filter((o) => o.correct === true).length;
}

function checkSingleChoice(q: SingleChoiceQuestion, path: IssuePath, issues: IssueList): void {
  const optionsPath = [...path, 'options'];
  if (!checkOptionList(q.options, optionsPath, issues)) return;
  const correct = countCorrect(q.options, optionsPath, issues);
  issues.check(correct === 1, `a single-choice question needs exactly one correct option, not ${correct}`, optionsPath);
}

function checkMultipleChoice(q: MultipleChoiceQuestion, path: IssuePath, issues: IssueList): void {
  const optionsPath = [...path, 'options'];
  issues.check(typeof q.partialCredit === 'boolean', 'partialCredit must be true or false', [...path, 'partialCredit']);
  if (!checkOptionList(q.options, optionsPath, issues)) return;
  issues.check(countCorrect(q.options, optionsPath, issues) >= 1, 'a multiple-choice question needs at least one correct option', optionsPath);
}

function checkFillIn(q: FillInQuestion, path: IssuePath, issues: IssueList): void {
  const acceptedPath = [...path, 'accepted'];
  if (!issues.check(Array.isArray(q.accepted) && q.accepted.length > 0, 'at least one accepted answer is required', acceptedPath)) return;
  if (q.accepted.length > MAX_ACCEPTED) {
    issues.add('TOO_LARGE', `at most ${MAX_ACCEPTED} accepted answers are allowed`, acceptedPath);
    return;
  }
  const normalized = q.accepted.map((a) => (typeof a === 'string' ? normalizeAnswerText(a) : ''));
  normalized.forEach((a, i) => {
    issues.check(a !== '', 'an accepted answer must not be blank', [...acceptedPath, i]);
    // A longer accepted answer could never be typed in, so the question could not be answered.
    if (charLength(a) > FILL_IN_MAX_LENGTH) {
      issues.add('TOO_LARGE', `an accepted answer must be at most ${FILL_IN_MAX_LENGTH} characters`, [...acceptedPath, i]);
    }
  });
  issues.unique(normalized, 'accepted answer (ignoring case and width)', (i) => [...acceptedPath, i]);
}

function checkMatching(q: MatchingQuestion, path: IssuePath, issues: IssueList): void {
  const leftOk = checkOptionList(q.left, [...path, 'left'], issues);
  const rightOk = checkOptionList(q.right, [...path, 'right'], issues);
  if (!leftOk || !rightOk) return;
  issues.check(q.right.length >= q.left.length, 'the right column needs at least as many items as the left', [...path, 'right']);
  const leftIds = new Set(q.left.map((o) => o.id));
  const rightIds = new Set(q.right.map((o) => o.id));
  // Shared ids would make a learner's pair ambiguous when the columns are shown as one list.
  q.right.forEach((o, i) => {
    if (leftIds.has(o.id)) issues.add('DUPLICATE', `id "${o.id}" is used in both columns`, [...path, 'right', i, 'id']);
  });
  checkPairs(q, leftIds, rightIds, [...path, 'pairs'], issues);
}

function checkPairs(q: MatchingQuestion, leftIds: Set<string>, rightIds: Set<string>, path: IssuePath, issues: IssueList): void {
  if (!issues.check(Array.isArray(q.pairs), 'pairs must be a list', path)) return;
  q.pairs.forEach((pair, i) => {
    if (!leftIds.has(pair.left)) issues.add('NOT_FOUND', `left item "${pair.left}" does not exist`, [...path, i, 'left']);
    if (!rightIds.has(pair.right)) issues.add('NOT_FOUND', `right item "${pair.right}" does not exist`, [...path, i, 'right']);
  });
  issues.unique(q.pairs.map((p) => p.left), 'left item', (i) => [...path, i, 'left']);
  issues.unique(q.pairs.map((p) => p.right), 'right item', (i) => [...path, i, 'right']);
  const paired = new Set(q.pairs.map((p) => p.left));
  q.left.forEach((o) => {
    if (!paired.has(o.id)) issues.add('INVALID', `left item "${o.id}" has no pair`, path);
  });
}

function checkScale(q: ScaleQuestion, path: IssuePath, issues: IssueList): void {
  checkText(q.leftPole, [...path, 'leftPole'], LIMITS.option, issues);
  checkText(q.rightPole, [...path, 'rightPole'], LIMITS.option, issues);
  issues.check(q.reverse === undefined || typeof q.reverse === 'boolean', 'reverse must be true or false', [...path, 'reverse']);
  const ends = Number.isSafeInteger(q.scaleFrom) && Number.isSafeInteger(q.scaleTo);
  if (!issues.check(ends, 'scaleFrom and scaleTo must be integers', [...path, 'scaleFrom'])) return;
  const steps = Math.abs(q.scaleTo - q.scaleFrom);
  issues.check(steps >= 1, 'scaleFrom and scaleTo must differ', [...path, 'scaleTo']);
  if (steps > MAX_SCALE_STEPS) issues.add('TOO_LARGE', `a scale may span at most ${MAX_SCALE_STEPS} steps`, [...path, 'scaleTo']);
}
