import { ruleMet } from '../../../src/modules/certificate/certificate.evaluate';
import { addMonths, newVerificationCode, renewalStart, validUntilOf, VERIFICATION_CODE } from '../../../src/modules/certificate/certificate.rules';
import { checkRule } from '../../../src/modules/certificate/certification-rule';
import { CertificateValidityKind } from '../../../src/modules/certificate/certification-rule.inputs';
import type { CertificationRuleData } from '../../../src/modules/course/course.entity';

const rule = (over: Partial<CertificationRuleData>): CertificationRuleData => ({ requirePassed: false, minScore: null, validity: { kind: 'NONE' }, recertificationWindowDays: null, ...over });

test('the rule reads the course score and the pass counts', () => {
  expect(ruleMet(rule({}), { score: null, passed: 0, failed: 0 })).toBe(true);
  expect(ruleMet(rule({ minScore: 80 }), { score: 80, passed: 0, failed: 0 })).toBe(true);
  expect(ruleMet(rule({ minScore: 80 }), { score: 79.99, passed: 0, failed: 0 })).toBe(false);
  expect(ruleMet(rule({ minScore: 0 }), { score: null, passed: 0, failed: 0 })).toBe(false);
  expect(ruleMet(rule({ requirePassed: true }), { score: null, passed: 2, failed: 0 })).toBe(true);
  expect(ruleMet(rule({ requirePassed: true }), { score: null, passed: 2, failed: 1 })).toBe(false);
  expect(ruleMet(rule({ requirePassed: true }), { score: null, passed: 0, failed: 0 })).toBe(false);
});

test('validity in months clamps to the end of the month; renewals start at the old end or now', () => {
  expect(addMonths(new Date('2026-01-31T08:00:00Z'), 1).toISOString()).toBe('2026-02-28T08:00:00.000Z');
  expect(addMonths(new Date('2024-02-29T00:00:00Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  expect(validUntilOf({ kind: 'NONE' }, new Date())).toBeNull();
  expect(validUntilOf({ kind: 'FIXED_DATE', until: '2030-01-01T00:00:00.000Z' }, new Date())?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  const now = new Date('2026-06-01T00:00:00Z');
  const later = new Date('2026-07-01T00:00:00Z');
  expect(renewalStart(later, now)).toBe(later);
  expect(renewalStart(new Date('2026-05-01T00:00:00Z'), now)).toBe(now);
  expect(renewalStart(null, now)).toBe(now);
});

test('verification codes are 20 base32 characters and do not repeat', () => {
  const codes = new Set(Array.from({ length: 2000 }, newVerificationCode));
  expect(codes.size).toBe(2000);
  for (const c of codes) expect(c).toMatch(VERIFICATION_CODE);
});

test('authored rules are checked field by field', () => {
  const base = { courseId: 'x', validityKind: CertificateValidityKind.MONTHS, validityMonths: 24, recertificationWindowDays: 60, minScore: 70 };
  expect(checkRule(base)).toEqual({ requirePassed: false, minScore: 70, validity: { kind: 'MONTHS', months: 24 }, recertificationWindowDays: 60 });
  expect(() => checkRule({ ...base, validityMonths: 1.5 })).toThrow(/validityMonths/);
  expect(() => checkRule({ ...base, minScore: Number.NaN })).toThrow(/minScore/);
});
