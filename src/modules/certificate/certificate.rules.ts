import { randomBytes } from 'node:crypto';
import type { CertificateValidity } from '../course/course.entity';
import { CertificateStatus } from './certificate.entity';

/**
 * The status a reader sees. Stored REVOKED and SUPERSEDED are final; an ACTIVE certificate reads
 * EXPIRED from the moment its validUntil has passed (derived at read time, never by a cron).
 */
export function certificateStatus(stored: CertificateStatus, validUntil: Date | null, now: Date = new Date()): CertificateStatus {
  if (stored !== CertificateStatus.ACTIVE) return stored;
  return validUntil && validUntil.getTime() <= now.getTime() ? CertificateStatus.EXPIRED : CertificateStatus.ACTIVE;
}

/** certificateStatus in SQL, on the certificate alias `c`, at `now` (a SQL timestamptz expression). */
export function certificateStatusSql(c: string, now = 'now()'): string {
  return `(CASE WHEN ${c}.status <> '${CertificateStatus.ACTIVE}' THEN ${c}.status`
    + ` WHEN ${c}.valid_until IS NOT NULL AND ${c}.valid_until <= ${now} THEN '${CertificateStatus.EXPIRED}'`
    + ` ELSE '${CertificateStatus.ACTIVE}' END)`;
}

/** How long before expiry the "expiring soon" event goes out (the second reminder, after the window opened). */
export const EXPIRY_REMINDER_DAYS = 7;

const DAY_MS = 86_400_000;

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb), as PostgreSQL does. */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** The end of validity of a certificate valid from `from` under `validity` (null: no end). */
export function validUntilOf(validity: CertificateValidity, from: Date): Date | null {
  if (validity.kind === 'MONTHS') return addMonths(from, validity.months);
  if (validity.kind === 'FIXED_DATE') return new Date(validity.until);
  return null;
}

/** When recertification opens for a certificate: `windowDays` before its end (null: never). */
export function recertificationOpensAt(validUntil: Date | null, windowDays: number | null): Date | null {
  return validUntil && windowDays !== null ? new Date(validUntil.getTime() - windowDays * DAY_MS) : null;
}

/**
 * A renewal starts where the certificate it renews ends (no gap, no overlap), or now when that one
 * already ended or never ends.
 */
export function renewalStart(previousUntil: Date | null | undefined, now: Date): Date {
  return previousUntil && previousUntil.getTime() > now.getTime() ? previousUntil : now;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const VERIFICATION_CODE_LENGTH = 20;
export const VERIFICATION_CODE = /^[A-Z2-7]{20}$/;

/** A fresh verification code: 20 base32 characters, 100 random bits. */
export function newVerificationCode(): string {
  const bytes = randomBytes(VERIFICATION_CODE_LENGTH);
  return [...bytes].map((b) => BASE32[b & 31]).join('');
}

/** The organization code in certificate numbers: the slug's letters and digits, upper-case. */
export function orgCodeOf(slug: string): string {
  return slug.replace(/[^a-zA-Z0-9]/g, '').toUpperCase().slice(0, 12) || 'ORG';
}

/** `<ORG>-<YEAR>-<seq>` with the sequence zero-padded to 6, so numbers of one year sort as text. */
export function formatCertificateNumber(orgCode: string, year: number, seq: number): string {
  return `${orgCode}-${year}-${String(seq).padStart(6, '0')}`;
}

/** The public page a certificate is checked on. */
export function verificationUrlOf(publicUrl: string, verificationCode: string): string {
  return `${publicUrl}/verify/${verificationCode}`;
}
