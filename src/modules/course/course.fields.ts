import { UserErrorCode } from '../../shared/payload';
import type { InputCheck } from '../../shared/validate';
import { checkText, type LocalizedText, type TranslationsInput } from './localized';
import { msg } from '../../shared/i18n/message';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_TAGS = 20;

/** Catalog fields as a mutation may set them (create: all present; update: only the given ones). */
export interface CourseFieldsInput {
  code?: string | null;
  title?: TranslationsInput | null;
  description?: TranslationsInput | null;
  tags?: string[] | null;
  estimatedMinutes?: number | null;
  coverUrl?: string | null;
  selfEnrollment?: boolean | null;
  validityDays?: number | null;
}

/** The checked values, ready to store. */
export interface CourseFields {
  code?: string;
  title?: LocalizedText;
  description?: LocalizedText | null;
  tags?: string[];
  estimatedMinutes?: number | null;
  coverUrl?: string | null;
  selfEnrollment?: boolean;
  validityDays?: number | null;
}

function checkInt(check: InputCheck, value: number | null | undefined, path: string[], min: number, max: number): void {
  if (value !== null && value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    check.add(UserErrorCode.INVALID, msg('{field} must be between {min} and {max}', { field: String(path.at(-1)), min, max }), path);
  }
}

/** Checks an https URL; null when absent or invalid (errors recorded). */
export function checkHttpsUrl(check: InputCheck, value: string | null | undefined, path: (string | number)[], schemes = ['https:']): string | null {
  const url = check.text(value, path, 2000);
  if (!url) return null;
  try {
    if (schemes.includes(new URL(url).protocol)) return url;
  } catch {
    // reported below
  }
  check.add(UserErrorCode.INVALID, msg('{field} must be an {schemes} URL', { field: String(path.at(-1)), schemes: schemes.map((s) => s.replace(':', '')).join(' or ') }), path);
  return null;
}

function checkTags(check: InputCheck, tags: string[], path: string[]): string[] {
  check.count(tags, path, MAX_TAGS);
  const clean = tags.map((t, i) => check.text(t, [...path, String(i)], 50, true)).filter((t): t is string => !!t);
  return [...new Set(clean)];
}

/** Checks catalog fields; with `creating`, code and title are required. */
export function checkCourseFields(check: InputCheck, input: CourseFieldsInput, creating: boolean): CourseFields {
  const out: CourseFields = {};
  const p = (name: string): string[] => ['input', name];
  if (creating || input.code != null) {
    const code = check.text(input.code, p('code'), 64, true);
    if (code && !CODE.test(code)) check.add(UserErrorCode.INVALID, 'code may hold letters, digits, ".", "_" and "-"', p('code'));
    if (code) out.code = code;
  }
  if (creating || input.title != null) {
    const title = checkText(check, input.title, p('title'), 200, true);
    if (title) out.title = title;
  }
  if (input.description !== undefined) out.description = checkText(check, input.description, p('description'), 4000);
  if (input.tags != null) out.tags = checkTags(check, input.tags, p('tags'));
  checkInt(check, input.estimatedMinutes, p('estimatedMinutes'), 0, 100_000);
  if (input.estimatedMinutes !== undefined) out.estimatedMinutes = input.estimatedMinutes;
  if (input.coverUrl !== undefined) out.coverUrl = checkHttpsUrl(check, input.coverUrl, p('coverUrl'));
  if (input.selfEnrollment != null) out.selfEnrollment = input.selfEnrollment;
  checkInt(check, input.validityDays, p('validityDays'), 1, 36_500);
  if (input.validityDays !== undefined) out.validityDays = input.validityDays;
  return out;
}
