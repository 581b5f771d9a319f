import { msg, type MessageText } from './i18n/message';
import { UserError, UserErrorCode } from './payload';

/** Collects payload errors while a mutation's input is checked, before anything is written. */
export class InputCheck {
  readonly errors: UserError[] = [];

  add(code: UserErrorCode, message: MessageText, path: (string | number)[]): void {
    this.errors.push(new UserError(code, message, path));
  }

  /** Trims `value` and checks it is non-empty (when required) and at most `max` characters. */
  text(value: string | null | undefined, path: (string | number)[], max: number, required = false): string | null {
    const trimmed = value?.trim() ?? '';
    if (!trimmed) {
      if (required) this.add(UserErrorCode.INVALID, msg('{field} is required', { field: String(path.at(-1)) }), path);
      return null;
    }
    if ([...trimmed].length > max) {
      this.add(UserErrorCode.TOO_LARGE, msg('{field} must be at most {max} characters', { field: String(path.at(-1)), max }), path);
      return null;
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(trimmed)) {
      this.add(UserErrorCode.INVALID, msg('{field} contains control characters', { field: String(path.at(-1)) }), path);
      return null;
    }
    return trimmed;
  }

  /** At most `max` items. */
  count(items: readonly unknown[], path: (string | number)[], max: number, min = 0): boolean {
    if (items.length > max) this.add(UserErrorCode.TOO_LARGE, msg('at most {max} items are allowed', { max }), path);
    else if (items.length < min) this.add(UserErrorCode.INVALID, msg('at least {min} item(s) are required', { min }), path);
    else return true;
    return false;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (s: string): boolean => EMAIL.test(s);
