import { seededRandom, shuffled } from './prng';
import type { Assessment, MatchingQuestion, OrderingQuestion, Question } from './types';

/** What an attempt shows, fixed when it starts: which questions in which order, and option orders. */
export interface AttemptPlan {
  questionIds: string[];
  /**
   * Presented option ids per question with options. MATCHING lists its left column, then its
   * right column (ids are unique across both). Questions without options have no entry.
   */
  optionOrder: Record<string, string[]>;
}

/**
 * Draws and orders an attempt's questions from `seed` (e.g. the attempt id). A pure function of
 * its inputs, so a reload recomputes the same plan. Each pool draws `count` distinct questions;
 * questions outside every pool are all included; questions and options are shuffled only when the
 * settings say so, except that ORDERING items and the MATCHING answer column are always shuffled
 * because their stored order reveals the answer.
 */
export function planAttempt(assessment: Assessment, seed: string): AttemptPlan {
  const { settings } = assessment;
  const selected = drawQuestions(assessment, seed);
  const ordered = settings.shuffleQuestions ? shuffled(selected, seededRandom(`${seed}|questions`)) : selected;
  const optionOrder: Record<string, string[]> = {};
  for (const question of ordered) {
    const order = planOptionOrder(question, settings.shuffleOptions, seed);
    if (order) optionOrder[question.id] = order;
  }
  return { questionIds: ordered.map((q) => q.id), optionOrder };
}

/** The drawn questions in authored order. Each pool has its own random stream, so pools are independent. */
function drawQuestions({ settings, questions }: Assessment, seed: string): Question[] {
  const poolTags = new Set(settings.draw.map((p) => p.tag));
  const drawn = new Set<string>();
  for (const pool of settings.draw) {
    const candidates = questions.filter((q) => q.tags.includes(pool.tag) && !drawn.has(q.id));
    const picked = shuffled(candidates, seededRandom(`${seed}|draw|${pool.tag}`)).slice(0, pool.count);
    picked.forEach((q) => drawn.add(q.id));
  }
  return questions.filter((q) => drawn.has(q.id) || !q.tags.some((t) => poolTags.has(t)));
}

/** The presented option order of one question, or null when it has no options. */
export function planOptionOrder(question: Question, shuffleOptions: boolean, seed: string): string[] | null {
  const random = seededRandom(`${seed}|options|${question.id}`);
  const ids = (options: readonly { id: string }[]): string[] => options.map((o) => o.id);
  switch (question.kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
      return shuffleOptions ? shuffled(ids(question.options), random) : ids(question.options);
    case 'ORDERING':
      return concealOrder(question, shuffled(ids(question.options), random));
    case 'MATCHING': {
      const left = shuffleOptions ? shuffled(ids(question.left), random) : ids(question.left);
      return concealOrder(question, [...left, ...shuffled(ids(question.right), random)]);
    }
    default:
      return null;
  }
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function swap(items: string[], a: string, b: string): void {
  const i = items.indexOf(a);
  const j = items.indexOf(b);
  [items[i], items[j]] = [items[j], items[i]];
}

/**
 * Makes sure a presented order does not give the answer away: an ORDERING shown in its correct
 * order gets its first two items swapped; a MATCHING whose answer column lines up with its prompts
 * as shown, or with the pairs as authored, gets its answers rotated until it lines up with neither.
 * Orders that reveal nothing come back unchanged, so applying it twice changes nothing.
 */
export function concealOrder(question: OrderingQuestion | MatchingQuestion, order: readonly string[]): string[] {
  const out = [...order];
  if (question.kind === 'ORDERING') {
    if (out.length >= 2 && sameOrder(out, question.options.map((o) => o.id))) swap(out, out[0], out[1]);
    return out;
  }
  const leftIds = new Set(question.left.map((o) => o.id));
  const partnerOf = new Map(question.pairs.map((p) => [p.left, p.right]));
  const shownPartners = out.filter((id) => leftIds.has(id)).map((id) => partnerOf.get(id)).filter((id): id is string => id !== undefined);
  // The answer column must line up neither with the prompts as shown nor with the authored pairs.
  const revealing = [shownPartners, question.pairs.map((p) => p.right)];
  const slots = out.flatMap((id, i) => (!leftIds.has(id) && partnerOf.size && question.pairs.some((p) => p.right === id) ? [i] : []));
  let rights = slots.map((i) => out[i]);
  for (let turn = 0; turn < rights.length && revealing.some((order) => sameOrder(rights, order)); turn++) rights = [...rights.slice(1), rights[0]];
  if (revealing.some((order) => sameOrder(rights, order))) rights = slots.map((i) => out[i]);
  if (rights.length >= 2 && sameOrder(rights, shownPartners)) rights = [rights[1], rights[0], ...rights.slice(2)];
  slots.forEach((slot, k) => (out[slot] = rights[k]));
  return out;
}
