/**
 * Sequencing conditions compiled at import into boolean formulas over the learner's state on the
 * package's SCOs. The same JSON is evaluated here (availability) and by the SQL function
 * `scorm_seq_holds` (the roll-up inside a commit); `test/e2e/scorm-sequencing-sql.test.ts` runs
 * both on the same cases.
 */

/** What is tested on one SCO's best state. */
export type LeafTest = 'completed' | 'satisfied' | 'failed' | 'attempted' | 'progressKnown' | 'objectiveKnown' | 'attemptsAtLeast';

export type Formula =
  | boolean
  | { all: Formula[] }
  | { any: Formula[] }
  | { not: Formula }
  | { atLeast: number; of: Formula[] }
  | { sco: string; is: LeafTest; n?: number };

/** A SCO's best state, as `activity_progress` keeps it: completion, success, attempts. */
export interface LeafState {
  completion: string;
  success: string;
  attempts: number;
}

const UNTOUCHED: LeafState = { completion: 'unknown', success: 'unknown', attempts: 0 };

/** The learner's state per SCO identifier; SCOs never recorded are untouched. */
export type LeafStates = ReadonlyMap<string, LeafState>;

function leaf(state: LeafState, is: LeafTest, n = 0): boolean {
  switch (is) {
    case 'completed': return state.completion === 'completed';
    case 'satisfied': return state.success === 'passed';
    case 'failed': return state.success === 'failed';
    case 'attempted': return state.attempts > 0 || state.completion === 'incomplete' || state.completion === 'completed';
    case 'progressKnown': return state.completion === 'incomplete' || state.completion === 'completed';
    case 'objectiveKnown': return state.success === 'passed' || state.success === 'failed';
    case 'attemptsAtLeast': return state.attempts >= n;
  }
}

/** Whether the formula holds on the learner's states. */
export function holds(f: Formula, states: LeafStates): boolean {
  if (typeof f === 'boolean') return f;
  if ('all' in f) return f.all.every((x) => holds(x, states));
  if ('any' in f) return f.any.some((x) => holds(x, states));
  if ('not' in f) return !holds(f.not, states);
  if ('atLeast' in f) return f.of.filter((x) => holds(x, states)).length >= f.atLeast;
  return leaf(states.get(f.sco) ?? UNTOUCHED, f.is, f.n);
}

/** Conjunction with constants folded away. */
export function all(parts: Formula[]): Formula {
  if (parts.includes(false)) return false;
  const rest = parts.filter((p) => p !== true);
  return rest.length === 0 ? true : rest.length === 1 ? rest[0] : { all: rest };
}

/** Disjunction with constants folded away. */
export function any(parts: Formula[]): Formula {
  if (parts.includes(true)) return true;
  const rest = parts.filter((p) => p !== false);
  return rest.length === 0 ? false : rest.length === 1 ? rest[0] : { any: rest };
}

export function not(f: Formula): Formula {
  if (typeof f === 'boolean') return !f;
  return 'not' in f ? f.not : { not: f };
}

export function atLeast(n: number, of: Formula[]): Formula {
  if (n <= 0) return true;
  if (n > of.length) return false;
  return n === 1 ? any(of) : n === of.length ? all(of) : { atLeast: n, of };
}

/** Nodes in a formula, to bound what import stores. */
export function size(f: Formula): number {
  if (typeof f === 'boolean') return 1;
  if ('all' in f) return 1 + f.all.reduce((s, x) => s + size(x), 0);
  if ('any' in f) return 1 + f.any.reduce((s, x) => s + size(x), 0);
  if ('not' in f) return 1 + size(f.not);
  if ('atLeast' in f) return 1 + f.of.reduce((s, x) => s + size(x), 0);
  return 1;
}
