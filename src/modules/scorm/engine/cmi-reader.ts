import { parseDuration2004, parseTimespan12 } from './duration';
import type { AttemptState, CommitValidation } from './cmi-types';

/** The SCORM error codes one version answers with for each kind of bad value. */
export interface ErrorCodes {
  general: number;
  typeMismatch: number;
  outOfRange: number;
  dependency: number;
}

/** SCORM 2004 RTE 3.1.7: 391 general commit failure, 406 type mismatch, 407 out of range, 408 dependency. */
export const SCORM_2004_ERRORS: ErrorCodes = { general: 391, typeMismatch: 406, outOfRange: 407, dependency: 408 };

/**
 * SCORM 1.2 RTE 3.3: 101 general exception, 405 incorrect data type. 1.2 defines no "out of
 * range" code; 407 is the one scorm-again (and most 1.2 run-times) use for it, so the client
 * shows the SCO the same number. 1.2 has no dependency code either: 101 stands in.
 */
export const SCORM_12_ERRORS: ErrorCodes = { general: 101, typeMismatch: 405, outOfRange: 407, dependency: 101 };

/** A bad element; thrown while reading and turned into a `{ ok: false }` result by {@link validateWith}. */
export class CmiViolation extends Error {
  constructor(
    readonly errorCode: number,
    readonly element: string,
    message: string,
  ) {
    super(message);
  }
}

type Node = Record<string, unknown>;

/** A SCORM real / CMIDecimal: optional minus, digits with an optional fraction, no exponent. */
export const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Reads typed values out of one object of the committed JSON, knowing its dot-notation path so
 * every error names the exact element. Unset values arrive as "" (or null when scorm-again runs
 * with `sendFullCommit: false`) and read as "not set"; numbers are accepted for numeric strings.
 */
export class CmiReader {
  private constructor(
    private readonly node: Node,
    readonly path: string,
    readonly codes: ErrorCodes,
  ) {}

  static root(value: unknown, codes: ErrorCodes): CmiReader {
    if (!isNode(value)) throw new CmiViolation(codes.general, 'cmi', 'the commit has no "cmi" object');
    return new CmiReader(value, 'cmi', codes);
  }

  /** A nested object such as `cmi.score`; missing reads as empty. */
  child(name: string): CmiReader {
    const value = this.node[name];
    if (value === undefined || value === null) return new CmiReader({}, this.at(name), this.codes);
    if (!isNode(value)) throw this.typeMismatch(name, 'must be an object');
    return new CmiReader(value, this.at(name), this.codes);
  }

  /**
   * A `.n` collection. scorm-again sends these as objects keyed "0", "1", ...; arrays are taken
   * too. Records come back in index order.
   */
  list(name: string): CmiReader[] {
    const value = this.node[name];
    if (value === undefined || value === null) return [];
    const entries = Array.isArray(value)
      ? value.map((item, i) => [String(i), item] as const)
      : isNode(value)
        ? listEntries(value)
        : null;
    if (entries === null) throw this.typeMismatch(name, 'must be an object keyed by index or an array');
    return entries.map(([index, item]) => {
      if (!isNode(item)) throw this.typeMismatch(`${name}.${index}`, 'must be an object');
      return new CmiReader(item, this.at(`${name}.${index}`), this.codes);
    });
  }

  /**
   * A character string of at most `max` characters, counted as JavaScript string length (UTF-16
   * code units, so an emoji counts 2), the same measure scorm-again applies. Never truncated.
   */
  string(name: string, max: number): string {
    const value = this.scalar(name);
    if (value.length > max) throw this.typeMismatch(name, `is ${value.length} characters; at most ${max} are allowed`);
    return value;
  }

  /** One word of a vocabulary; `unset` when the value is "". */
  vocabulary<T extends string>(name: string, allowed: readonly T[], unset: T): T {
    const value = this.scalar(name);
    if (value === '') return unset;
    if (!(allowed as readonly string[]).includes(value)) {
      throw this.typeMismatch(name, `is "${value}", not one of ${allowed.filter((word) => word).join(', ')}`);
    }
    return value as T;
  }

  /** A decimal number, optionally within [min, max]; undefined when unset. */
  real(name: string, range?: readonly [number, number]): number | undefined {
    const value = this.scalar(name);
    if (value === '') return undefined;
    if (!DECIMAL.test(value)) throw this.typeMismatch(name, `is "${value}", not a decimal number`);
    const number = Number(value);
    if (range && (number < range[0] || number > range[1])) {
      throw new CmiViolation(this.codes.outOfRange, this.at(name), `${this.at(name)} is ${value}, outside ${range[0]}..${range[1]}`);
    }
    return number;
  }

  /** A SCORM 2004 duration in seconds; 0 when unset. */
  duration2004(name: string): number {
    return this.parsed(name, parseDuration2004, 'an ISO 8601 duration such as PT1H30M5S') ?? 0;
  }

  /** A SCORM 1.2 timespan in seconds; undefined when unset. */
  timespan12(name: string): number | undefined {
    return this.parsed(name, parseTimespan12, 'a HHHH:MM:SS.SS timespan');
  }

  /** A string that must satisfy `test` when set; "" when unset. */
  matching(name: string, test: (value: string) => boolean, expected: string): string {
    const value = this.scalar(name);
    if (value !== '' && !test(value)) throw this.typeMismatch(name, `is "${value}", not ${expected}`);
    return value;
  }

  /** The full dot-notation path of a child element. */
  at(name: string): string {
    return `${this.path}.${name}`;
  }

  /** A type-mismatch violation for a child element, with the version's code. */
  typeMismatch(name: string, problem: string): CmiViolation {
    return new CmiViolation(this.codes.typeMismatch, this.at(name), `${this.at(name)} ${problem}`);
  }

  private parsed(name: string, parse: (value: string) => number | null, expected: string): number | undefined {
    const value = this.scalar(name);
    if (value === '') return undefined;
    const seconds = parse(value);
    if (seconds === null) throw this.typeMismatch(name, `is "${value}", not ${expected}`);
    return seconds;
  }

  private scalar(name: string): string {
    const value = this.node[name];
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw this.typeMismatch(name, 'must be a string');
  }
}

/**
 * RTE: identifiers in an objectives list are unique (a SetValue of a repeated one fails with a
 * general error), so a commit that repeats one is refused the same way.
 */
export function uniqueIds<T>(parent: CmiReader, list: string, items: T[], idOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const id = idOf(item);
    if (seen.has(id)) throw new CmiViolation(parent.codes.general, parent.at(`${list}.${index}.id`), `${parent.at(`${list}.${index}.id`)} repeats "${id}"`);
    seen.add(id);
  });
  return items;
}

/** Runs a reader over the committed `cmi` object and turns the first violation into a result. */
export function validateWith(cmi: unknown, codes: ErrorCodes, read: (root: CmiReader) => AttemptState): CommitValidation {
  try {
    return { ok: true, state: read(CmiReader.root(cmi, codes)) };
  } catch (error) {
    if (error instanceof CmiViolation) {
      return { ok: false, errorCode: error.errorCode, element: error.element, message: error.message };
    }
    throw error;
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Index-keyed entries in numeric order; `_count`/`_children` style keys are skipped. */
function listEntries(node: Node): (readonly [string, unknown])[] | null {
  const keys = Object.keys(node).filter((key) => !key.startsWith('_'));
  if (!keys.every((key) => /^\d+$/.test(key))) return null;
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => [key, node[key]] as const);
}
