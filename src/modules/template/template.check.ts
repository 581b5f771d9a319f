import { isUuid, newId } from '../../shared/ids';
import { UserErrorCode } from '../../shared/payload';
import type { InputCheck } from '../../shared/validate';
import { checkAssessmentContent } from '../assessment/assessment.content';
import { checkCompletion, checkContent } from '../course/activity.check';
import { checkCourseFields } from '../course/course.fields';
import { checkText } from '../course/localized';
import type { ActivitySnapshot, ContentSnapshot, ModuleSnapshot } from '../course/snapshot';
import type { PublishCourseTemplateInput, TemplateActivityInput, TemplateModuleInput } from './template.inputs';

const MAX_MODULES = 100;
const MAX_ACTIVITIES = 200;

/** A stable key: the given UUID (unique in the version) or a new one. */
function keyOf(check: InputCheck, given: string | null | undefined, seen: Set<string>, path: (string | number)[]): string {
  if (!given) return newId();
  if (!isUuid(given)) check.add(UserErrorCode.INVALID, 'key must be a UUID', path);
  else if (seen.has(given)) check.add(UserErrorCode.DUPLICATE, 'key is used twice', path);
  seen.add(given);
  return given;
}

function checkActivity(check: InputCheck, input: TemplateActivityInput, seen: Set<string>, path: (string | number)[]): ActivitySnapshot {
  const rule = checkCompletion(check, input.kind, input.completion, [...path, 'completion']);
  return {
    key: keyOf(check, input.key, seen, [...path, 'key']),
    kind: input.kind,
    title: checkText(check, input.title, [...path, 'title'], 200, true) ?? { 'zh-CN': '' },
    required: input.required ?? true,
    ...rule,
    content: checkAssessmentContent(check, input.kind, input.assessment, [...path, 'assessment']) ?? checkContent(check, input.kind, input, true, path) ?? {},
  };
}

function checkModule(check: InputCheck, input: TemplateModuleInput, seen: Set<string>, path: (string | number)[]): ModuleSnapshot {
  check.count(input.activities, [...path, 'activities'], MAX_ACTIVITIES);
  return {
    key: keyOf(check, input.key, seen, [...path, 'key']),
    title: checkText(check, input.title, [...path, 'title'], 200, true) ?? { 'zh-CN': '' },
    description: checkText(check, input.description, [...path, 'description'], 4000),
    activities: input.activities.map((a, j) => checkActivity(check, a, seen, [...path, 'activities', j])),
  };
}

/** Checks a template version's input (course fields and content; HTML sanitized) into a snapshot. */
export function checkTemplate(check: InputCheck, input: PublishCourseTemplateInput): { code: string; snapshot: ContentSnapshot } {
  const fields = checkCourseFields(check, { ...input, selfEnrollment: undefined, validityDays: undefined }, true);
  check.count(input.modules, ['input', 'modules'], MAX_MODULES, 1);
  const seen = new Set<string>();
  const modules = input.modules.map((m, i) => checkModule(check, m, seen, ['input', 'modules', i]));
  if (modules.length && modules.every((m) => m.activities.length === 0)) {
    check.add(UserErrorCode.INVALID, 'a template needs at least one activity', ['input', 'modules']);
  }
  const course = {
    title: fields.title ?? { 'zh-CN': '' }, description: fields.description ?? null, tags: fields.tags ?? [],
    estimatedMinutes: fields.estimatedMinutes ?? null, coverUrl: fields.coverUrl ?? null,
  };
  return { code: fields.code ?? '', snapshot: { course, modules } };
}
