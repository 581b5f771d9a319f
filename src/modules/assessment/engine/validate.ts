import { IssueList, type Issue, type IssuePath } from './issues';
import { checkQuestion, checkText } from './validate-question';
import {
  ASSESSMENT_KINDS,
  GRADING_METHODS,
  REVIEW_SHOW_LEVELS,
  REVIEW_WHEN,
  type Assessment,
  type AssessmentSettings,
  type Question,
  type ScaleQuestion,
  type ScoreBand,
} from './types';

export { validateAnswer, validateAnswers } from './validate-answer';

const KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_QUESTIONS = 500;
const MAX_ATTEMPTS = 1000;
const MAX_TIME_LIMIT_SECONDS = 24 * 3600;

/**
 * Authoring checks for a whole assessment: settings, every question, and the rules that tie them
 * together (draw pools, score bands, what a self-assessment may hold). An empty list means it can
 * be published.
 */
export function validateAssessment(assessment: Assessment): Issue[] {
  const issues = new IssueList();
  issues.check(typeof assessment.key === 'string' && KEY.test(assessment.key), 'key must be 1-64 lower-case letters, digits or "-"', ['key']);
  checkText(assessment.title, ['title'], 200, issues);
  if (assessment.description !== undefined) checkText(assessment.description, ['description'], 2000, issues);
  if (!checkQuestions(assessment.questions, issues)) return issues.items;
  if (!checkSettings(assessment.settings, issues)) return issues.items;
  checkDraw(assessment, issues);
  if (assessment.settings.kind === 'GRADED') checkGraded(assessment, issues);
  else checkSelfAssessment(assessment, issues);
  return issues.items;
}

/** Authoring checks for one question on its own (e.g. while an author edits it). */
export function validateQuestion(question: Question, path: IssuePath = []): Issue[] {
  const issues = new IssueList();
  checkQuestion(question, path, issues);
  return issues.items;
}

function checkQuestions(questions: readonly Question[], issues: IssueList): boolean {
  if (!issues.check(Array.isArray(questions) && questions.length > 0, 'at least one question is required', ['questions'])) return false;
  if (questions.length > MAX_QUESTIONS) return issues.add('TOO_LARGE', `at most ${MAX_QUESTIONS} questions are allowed`, ['questions']);
  questions.forEach((q, i) => checkQuestion(q, ['questions', i], issues));
  issues.unique(questions.map((q) => q.id), 'question id', (i) => ['questions', i, 'id']);
  return true;
}

/** Malformed tags were reported already; treat them as none so the other checks can go on. */
function tagsOf(q: Question): string[] {
  return Array.isArray(q.tags) ? q.tags : [];
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

function checkSettings(s: AssessmentSettings, issues: IssueList): boolean {
  const at = (...rest: IssuePath): IssuePath => ['settings', ...rest];
  if (!issues.check(typeof s === 'object' && s !== null, 'settings are required', at())) return false;
  const kindOk = issues.check(ASSESSMENT_KINDS.includes(s.kind), 'kind must be GRADED or SELF_ASSESSMENT', at('kind'));
  const attemptsOk = s.attemptsAllowed === null || isIntegerIn(s.attemptsAllowed, 1, MAX_ATTEMPTS);
  issues.check(attemptsOk, `attemptsAllowed must be null (unlimited) or 1..${MAX_ATTEMPTS}`, at('attemptsAllowed'));
  issues.check(GRADING_METHODS.includes(s.gradingMethod), 'gradingMethod must be HIGHEST, AVERAGE, FIRST or LAST', at('gradingMethod'));
  const timeOk = s.timeLimitSeconds === null || isIntegerIn(s.timeLimitSeconds, 1, MAX_TIME_LIMIT_SECONDS);
  issues.check(timeOk, `timeLimitSeconds must be null (untimed) or 1..${MAX_TIME_LIMIT_SECONDS}`, at('timeLimitSeconds'));
  issues.check(typeof s.shuffleQuestions === 'boolean', 'shuffleQuestions must be true or false', at('shuffleQuestions'));
  issues.check(typeof s.shuffleOptions === 'boolean', 'shuffleOptions must be true or false', at('shuffleOptions'));
  issues.check(REVIEW_SHOW_LEVELS.includes(s.reviewPolicy?.show), 'reviewPolicy.show is not a known level', at('reviewPolicy', 'show'));
  issues.check(REVIEW_WHEN.includes(s.reviewPolicy?.when), 'reviewPolicy.when is not a known moment', at('reviewPolicy', 'when'));
  const listsOk = issues.check(Array.isArray(s.draw), 'draw must be a list', at('draw'))
    && issues.check(Array.isArray(s.scoreBands), 'scoreBands must be a list', at('scoreBands'));
  return kindOk && listsOk;
}

/** Pools must exist, not overlap (so a draw never picks one question twice) and be big enough. */
function checkDraw({ settings, questions }: Assessment, issues: IssueList): void {
  settings.draw.forEach((pool, i) => {
    const at: IssuePath = ['settings', 'draw', i];
    if (!issues.check(typeof pool.tag === 'string' && pool.tag.trim() !== '', 'tag must not be blank', [...at, 'tag'])) return;
    if (!issues.check(isIntegerIn(pool.count, 1, MAX_QUESTIONS), 'count must be a positive integer', [...at, 'count'])) return;
    const size = questions.filter((q) => tagsOf(q).includes(pool.tag)).length;
    issues.check(pool.count <= size, `draws ${pool.count} from a pool of ${size} question(s) tagged "${pool.tag}"`, [...at, 'count']);
  });
  issues.unique(settings.draw.map((p) => p.tag), 'draw tag', (i) => ['settings', 'draw', i, 'tag']);
  const poolTags = new Set(settings.draw.map((p) => p.tag));
  questions.forEach((q, i) => {
    const pools = tagsOf(q).filter((t) => poolTags.has(t));
    issues.check(pools.length <= 1, `a question may belong to one draw pool, not ${pools.join(', ')}`, ['questions', i, 'tags']);
  });
}

function checkGraded({ settings, questions }: Assessment, issues: IssueList): void {
  const score = settings.passingScore;
  const scoreOk = typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 100;
  issues.check(scoreOk, 'passingScore must be a percentage from 0 to 100', ['settings', 'passingScore']);
  issues.check(settings.scoreBands.length === 0, 'score bands belong to self-assessments', ['settings', 'scoreBands']);
  // Every possible attempt must hold something that earns points, or its percentage is undefined.
  const poolTags = new Set(settings.draw.map((p) => p.tag));
  const poolOf = (q: Question): string | undefined => tagsOf(q).find((t) => poolTags.has(t));
  const alwaysGraded = questions.some((q) => q.kind !== 'SCALE' && poolOf(q) === undefined);
  const gradedPool = settings.draw.some((p) => questions.every((q) => poolOf(q) !== p.tag || q.kind !== 'SCALE'));
  issues.check(alwaysGraded || gradedPool, 'every attempt needs at least one question that earns points', ['questions']);
}

function checkSelfAssessment({ settings, questions }: Assessment, issues: IssueList): void {
  issues.check(settings.passingScore === null, 'a self-assessment has no passing score; use null', ['settings', 'passingScore']);
  issues.check(settings.draw.length === 0, 'a self-assessment asks every item, so its bands cover the same range', ['settings', 'draw']);
  const whenOk = settings.reviewPolicy?.when !== 'AFTER_PASSING';
  issues.check(whenOk, 'a self-assessment is never passed; pick another review moment', ['settings', 'reviewPolicy', 'when']);
  const nonScale = questions.findIndex((q) => q.kind !== 'SCALE');
  if (nonScale >= 0) issues.add('INVALID', 'a self-assessment holds only SCALE items', ['questions', nonScale, 'kind']);
  const scales = questions.filter((q): q is ScaleQuestion => q.kind === 'SCALE');
  if (nonScale < 0 && scales.every((q) => Number.isSafeInteger(q.scaleFrom) && Number.isSafeInteger(q.scaleTo))) {
    checkBands(settings.scoreBands, scaleSumRange(scales), issues);
  }
}

/** The lowest and highest possible sum of the items' scores. */
export function scaleSumRange(scales: readonly ScaleQuestion[]): { min: number; max: number } {
  return {
    min: scales.reduce((sum, q) => sum + Math.min(q.scaleFrom, q.scaleTo), 0),
    max: scales.reduce((sum, q) => sum + Math.max(q.scaleFrom, q.scaleTo), 0),
  };
}

function checkBands(bands: readonly ScoreBand[], range: { min: number; max: number }, issues: IssueList): void {
  const at = (...rest: IssuePath): IssuePath => ['settings', 'scoreBands', ...rest];
  if (!issues.check(bands.length > 0, 'a self-assessment needs score bands', at())) return;
  let wellFormed = true;
  bands.forEach((band, i) => {
    checkText(band.label, at(i, 'label'), 100, issues);
    checkText(band.interpretation, at(i, 'interpretation'), 2000, issues);
    const ok = Number.isSafeInteger(band.min) && Number.isSafeInteger(band.max) && band.min <= band.max;
    wellFormed = issues.check(ok, 'min and max must be integers with min <= max', at(i)) && wellFormed;
  });
  if (wellFormed) checkBandCoverage(bands, range, issues);
}

function checkBandCoverage(bands: readonly ScoreBand[], range: { min: number; max: number }, issues: IssueList): void {
  const sorted = bands.map((band, index) => ({ band, index })).sort((a, b) => a.band.min - b.band.min);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const lowOk = first.band.min === range.min;
  issues.check(lowOk, `the lowest band must start at the lowest possible sum, ${range.min}`, ['settings', 'scoreBands', first.index, 'min']);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1].band;
    const { band, index } = sorted[i];
    const path = ['settings', 'scoreBands', index, 'min'];
    if (band.min <= prev.max) issues.add('INVALID', `band ${band.min}..${band.max} overlaps band ${prev.min}..${prev.max}`, path);
    else if (band.min > prev.max + 1) issues.add('INVALID', `sums ${prev.max + 1}..${band.min - 1} fall in no band`, path);
  }
  const maxOfAll = Math.max(...bands.map((b) => b.max));
  const highOk = maxOfAll === range.max;
  issues.check(highOk, `the highest band must end at the highest possible sum, ${range.max}`, ['settings', 'scoreBands', last.index, 'max']);
}
