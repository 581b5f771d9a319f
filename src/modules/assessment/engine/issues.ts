/**
 * Codes of engine issues. They are a subset of the API's `UserErrorCode` values on purpose, so a
 * service can return an issue as a payload error without translating it.
 */
export type IssueCode = 'INVALID' | 'NOT_FOUND' | 'DUPLICATE' | 'TOO_LARGE';

export type IssuePath = (string | number)[];

/** One problem found in authored content or in a learner's answer. */
export interface Issue {
  code: IssueCode;
  message: string;
  /** Where it is, e.g. `['questions', 3, 'options', 1, 'id']` or `['answers', 'q1', 'optionId']`. */
  path: IssuePath;
}

/** Collects issues while a structure is walked; checks return whether they passed. */
export class IssueList {
  readonly items: Issue[] = [];

  add(code: IssueCode, message: string, path: IssuePath): false {
    this.items.push({ code, message, path });
    return false;
  }

  /** Adds an issue and gives null, for parsers that return null on failure. */
  refuse(code: IssueCode, message: string, path: IssuePath): null {
    this.add(code, message, path);
    return null;
  }

  /** Adds an INVALID issue unless `condition` holds. */
  check(condition: boolean, message: string, path: IssuePath): boolean {
    return condition || this.add('INVALID', message, path);
  }

  /** Adds DUPLICATE issues for repeated values (after the first), at `pathOf(index)`. */
  unique(values: readonly string[], what: string, pathOf: (index: number) => IssuePath): boolean {
    const seen = new Set<string>();
    let ok = true;
    values.forEach((value, i) => {
      if (seen.has(value)) ok = this.add('DUPLICATE', `${what} "${value}" is repeated`, pathOf(i));
      seen.add(value);
    });
    return ok;
  }

  get ok(): boolean {
    return this.items.length === 0;
  }
}
