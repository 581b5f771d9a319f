import { UserError, UserErrorCode } from './payload';

/** Collects payload errors while a mutation's input is checked, before anything is written. */
export class InputCheck {
  readonly errors: UserError[] = [];

  add(code: UserErrorCode, message: string, path: (string | number)[]): void {
    this.errors.push(new UserError(code, message, path));
  }

  /** Trims `value` and checks it is non-empty (when required) and at most `max` characters. */
  text(value: string | null | undefined, path: (string | number)[], max: number, required = false): string | null {
    const trimmed = value?.trim() ?? '';
    if (!trimmed) {
      if (required) this.add(UserErrorCode.INVALID, `${path.at(-1)} is required`, path);
      return null;
    }
    if ([...trimmed].length > max) {
      this.add(UserErrorCode.TOO_LARGE, `${path.at(-1)} must be at most ${max} characters`, path);
      return null;
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(trimmed)) {
      this.add(UserErrorCode.INVALID, `${path.at(-1)} contains control characters`, path);
      return null;
    }
    return trimmed;
  }

  /** At most `max` items. */
  count(items: readonly unknown[], path: (string | number)[], max: number, min = 0): boolean {
    if (items.length > max) this.add(UserErrorCode.TOO_LARGE, `at most ${max} items are allowed`, path);
    else if (items.length < min) this.add(UserErrorCode.INVALID, `at least ${min} item(s) are required`, path);
    else return true;
    return false;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (s: string): boolean => EMAIL.test(s);
