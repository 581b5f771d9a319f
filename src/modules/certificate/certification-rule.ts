import type { RequestContext } from '../../shared/context';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Course, CourseRevision, type CertificationRuleData } from '../course/course.entity';
import { courseService } from '../course/course.service';
import { CertificateValidityKind, type CertificationRule, type SetCertificationRuleInput } from './certification-rule.inputs';
import { msg } from '../../shared/i18n/message';

const MAX_MONTHS = 600;
const MAX_WINDOW_DAYS = 3650;
const MIN_MONTH_DAYS = 28;

/** The stored rule as the API shows it. */
export function ruleView(rule: CertificationRuleData | null): CertificationRule | null {
  if (!rule) return null;
  const v = rule.validity;
  return {
    requirePassed: rule.requirePassed,
    minScore: rule.minScore,
    validityKind: v.kind as CertificateValidityKind,
    validityMonths: v.kind === 'MONTHS' ? v.months : null,
    validUntil: v.kind === 'FIXED_DATE' ? new Date(v.until) : null,
    recertificationWindowDays: rule.recertificationWindowDays,
  };
}

const isInt = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

/** Checks an authored rule; payload errors point at the field. */
export function checkRule(input: SetCertificationRuleInput, now = new Date()): CertificationRuleData {
  const check = new InputCheck();
  const path = (field: string) => ['input', field];
  const minScore = input.minScore ?? null;
  if (minScore !== null && !(Number.isFinite(minScore) && minScore >= 0 && minScore <= 100)) check.add(UserErrorCode.INVALID, 'minScore must be between 0 and 100', path('minScore'));
  let validity: CertificationRuleData['validity'] = { kind: 'NONE' };
  let lengthDays = Infinity;
  if (input.validityKind === CertificateValidityKind.MONTHS) {
    const months = input.validityMonths ?? 0;
    if (!isInt(months, 1, MAX_MONTHS)) check.add(UserErrorCode.INVALID, msg('validityMonths must be a whole number from 1 to {max}', { max: MAX_MONTHS }), path('validityMonths'));
    validity = { kind: 'MONTHS', months };
    lengthDays = months * MIN_MONTH_DAYS;
  } else if (input.validityKind === CertificateValidityKind.FIXED_DATE) {
    const until = input.validUntil;
    if (!until || until.getTime() <= now.getTime()) check.add(UserErrorCode.INVALID, 'validUntil must be a moment in the future', path('validUntil'));
    validity = { kind: 'FIXED_DATE', until: until?.toISOString() ?? '' };
    lengthDays = until ? (until.getTime() - now.getTime()) / 86_400_000 : 0;
  }
  if (input.validityKind !== CertificateValidityKind.MONTHS && input.validityMonths != null) check.add(UserErrorCode.INVALID, 'validityMonths applies to MONTHS only', path('validityMonths'));
  if (input.validityKind !== CertificateValidityKind.FIXED_DATE && input.validUntil != null) check.add(UserErrorCode.INVALID, 'validUntil applies to FIXED_DATE only', path('validUntil'));
  const window = input.recertificationWindowDays ?? null;
  if (window !== null) {
    if (input.validityKind === CertificateValidityKind.NONE) check.add(UserErrorCode.INVALID, 'recertification needs a validity with an end', path('recertificationWindowDays'));
    else if (!isInt(window, 1, MAX_WINDOW_DAYS)) check.add(UserErrorCode.INVALID, msg('recertificationWindowDays must be a whole number from 1 to {max}', { max: MAX_WINDOW_DAYS }), path('recertificationWindowDays'));
    else if (window >= lengthDays) check.add(UserErrorCode.INVALID, 'the recertification window must be shorter than the validity', path('recertificationWindowDays'));
  }
  if (!check.ok) throw new UserErrors(check.errors);
  return { requirePassed: input.requirePassed ?? false, minScore, validity, recertificationWindowDays: window };
}

/** Authoring of the rule on a course's draft revision, audited with before/after. */
export const certificationRuleService = {
  /** Sets (input) or clears (null) the draft revision's rule. */
  async set(ctx: RequestContext, courseId: string, input: SetCertificationRuleInput | null): Promise<{ course: Course; rule: CertificationRuleData | null }> {
    const course = await courseService.findForAuthoring(ctx, courseId, true);
    const rule = input ? checkRule(input) : null;
    if (!course.draftRevisionId) throw userError(UserErrorCode.CONFLICT, 'the course has no draft revision; create one with createCourseDraft', ['input', 'courseId']);
    const draft = await ctx.manager.findOneByOrFail(CourseRevision, { organizationId: ctx.orgId, id: course.draftRevisionId });
    await ctx.manager.update(CourseRevision, { organizationId: ctx.orgId, id: draft.id }, { certificationRule: rule });
    await auditService.record(ctx, {
      action: rule ? 'course.certification_rule.set' : 'course.certification_rule.clear', entityType: 'Course', entityId: course.id,
      before: { revisionId: draft.id, rule: draft.certificationRule }, after: { revisionId: draft.id, rule },
    });
    return { course, rule };
  },
};
