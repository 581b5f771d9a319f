import { DECIMAL } from './cmi-reader';
import type { InteractionType } from './cmi-types';

// RTE 4.1.1.7 short_identifier_type: a URI-safe token, the character class scorm-again checks.
const SHORT_IDENTIFIER = /^(?=.*\w)[\w\-()+.:=@;$!*'%/#]{1,250}$/;
const LANG_PREFIX = /^\{lang=([a-zA-Z]{1,8}|i|x)(-[a-zA-Z0-9-]{2,8})?\}/;

/** How one interaction type's `learner_response` is built (RTE 4.1.6.10, table 4.2.9.1a). */
interface ResponseFormat {
  /** Most `[,]`-separated parts allowed; 1 means the response is a single value. */
  maxParts: number;
  unique?: boolean;
  part: (part: string) => boolean;
  describe: string;
}

const FORMATS: Record<Exclude<InteractionType, ''>, ResponseFormat> = {
  'true-false': { maxParts: 1, part: (p) => p === 'true' || p === 'false', describe: '"true" or "false"' },
  // The spec says short identifiers; scorm-again accepts any non-empty string up to 4000 and
  // what the client accepted must not be refused here.
  choice: { maxParts: 36, unique: true, part: (p) => p.length > 0 && p.length <= 4000, describe: 'up to 36 distinct choices' },
  'fill-in': { maxParts: 10, part: (p) => localizedLength(p) <= 250, describe: 'up to 10 strings of at most 250 characters' },
  'long-fill-in': { maxParts: 1, part: (p) => localizedLength(p) <= 4000, describe: 'a string of at most 4000 characters' },
  likert: { maxParts: 1, part: (p) => SHORT_IDENTIFIER.test(p), describe: 'one identifier' },
  matching: { maxParts: 36, part: matchingPair, describe: 'up to 36 source[.]target identifier pairs' },
  performance: { maxParts: 250, part: performanceStep, describe: 'up to 250 step[.]answer steps' },
  sequencing: { maxParts: 36, part: (p) => SHORT_IDENTIFIER.test(p), describe: 'up to 36 identifiers' },
  numeric: { maxParts: 1, part: (p) => DECIMAL.test(p), describe: 'a decimal number' },
  other: { maxParts: 1, part: (p) => p.length <= 4000, describe: 'a string of at most 4000 characters' },
};

/**
 * Checks a SCORM 2004 `cmi.interactions.n.learner_response` against its interaction type.
 * Returns what is wrong, or null when it fits; "" (not answered) always fits.
 */
export function learnerResponseProblem(type: Exclude<InteractionType, ''>, response: string): string | null {
  if (response === '') return null;
  const format = FORMATS[type];
  const parts = format.maxParts === 1 ? [response] : response.split('[,]');
  if (parts.length > format.maxParts) return `has ${parts.length} parts; a ${type} response is ${format.describe}`;
  if (!parts.every(format.part)) return `is not a valid ${type} response (${format.describe})`;
  if (format.unique && new Set(parts).size !== parts.length) return `repeats a choice; a ${type} response is ${format.describe}`;
  return null;
}

/** Length of a localized string without its optional `{lang=xx}` prefix. */
export function localizedLength(value: string): number {
  const prefix = LANG_PREFIX.exec(value);
  return prefix ? value.length - prefix[0].length : value.length;
}

function matchingPair(part: string): boolean {
  const pair = part.split('[.]');
  return pair.length === 2 && pair.every((id) => SHORT_IDENTIFIER.test(id));
}

function performanceStep(part: string): boolean {
  const step = part.split('[.]');
  if (step.length > 2) return false;
  const [name, answer] = step.length === 2 ? step : ['', step[0]];
  return (name === '' || SHORT_IDENTIFIER.test(name)) && answer.length <= 250;
}

// RTE 4.2.9.1: the delimiters a correct-response pattern of some types may start with.
const PATTERN_DELIMITERS: Partial<Record<Exclude<InteractionType, ''>, string[]>> = {
  'fill-in': ['case_matters', 'order_matters'],
  'long-fill-in': ['case_matters'],
  performance: ['order_matters'],
};
const DELIMITER = /^\{(case_matters|order_matters)=(true|false)\}/;
const NUMBER = '-?(\\d+(\\.\\d*)?|\\.\\d+)';
// A numeric pattern is a range min[:]max with either end open, or one number.
const NUMERIC_PATTERN = new RegExp(`^((${NUMBER})?\\[:\\](${NUMBER})?|${NUMBER})$`);
/** Types whose interaction has exactly one correct-response pattern. */
const SINGLE_PATTERN: InteractionType[] = ['true-false', 'likert', 'numeric', 'other'];

/** Most correct-response patterns an interaction of this type holds (one for single-answer types). */
export function maxCorrectResponses(type: Exclude<InteractionType, ''>): number {
  return SINGLE_PATTERN.includes(type) ? 1 : Infinity;
}

/**
 * Checks a SCORM 2004 `cmi.interactions.n.correct_responses.m.pattern`: the learner-response
 * format of its type, after the delimiters that type allows; numeric patterns are ranges.
 */
export function correctPatternProblem(type: Exclude<InteractionType, ''>, pattern: string): string | null {
  if (type === 'numeric') return NUMERIC_PATTERN.test(pattern) ? null : 'is not a numeric pattern (a number or min[:]max)';
  let rest = pattern;
  const allowed = PATTERN_DELIMITERS[type] ?? [];
  for (let m = DELIMITER.exec(rest); m && allowed.includes(m[1]); m = DELIMITER.exec(rest)) rest = rest.slice(m[0].length);
  if (rest === '' && type === 'true-false') return 'is empty; a true-false pattern is "true" or "false"';
  return learnerResponseProblem(type, rest);
}
