import type { ContextDeps, Locale } from '../../shared/context';
import { inPublicLookup } from '../../shared/token-context';
import { pickText, type LocalizedText } from '../course/localized';
import type { CertificateStatus } from './certificate.entity';
import { VERIFICATION_CODE } from './certificate.rules';

/** The public fields of a certificate, as the verify page and its JSON show them. */
export interface CertificateVerification {
  holderName: string;
  organizationName: string;
  organizationNameEn: string | null;
  courseTitle: LocalizedText;
  number: string;
  issuedAt: Date;
  validFrom: Date;
  validUntil: Date | null;
  /** ACTIVE, EXPIRED, REVOKED or SUPERSEDED, derived at the time of the lookup. */
  status: CertificateStatus;
  /** Only for a revoked certificate. */
  revokedAt: Date | null;
}

interface VerifyRow {
  holder_name: string;
  organization_name: string;
  organization_name_en: string | null;
  course_title: LocalizedText;
  number: string;
  issued_at: Date;
  valid_from: Date;
  valid_until: Date | null;
  status: CertificateStatus;
  revoked_at: Date | null;
}

/** Codes are case-insensitive base32; anything else cannot be a code and costs no query. */
export function normalizeCode(code: string): string | null {
  const upper = code.trim().toUpperCase();
  return VERIFICATION_CODE.test(upper) ? upper : null;
}

/**
 * Looks a certificate up by its verification code in any tenant, through the one SECURITY
 * DEFINER function `verify_certificate` (migration Certification): RLS stays closed, and only
 * the public fields of that one row come back. Null when no certificate has the code.
 */
export async function verifyCertificate(deps: Pick<ContextDeps, 'dataSource'>, code: string): Promise<CertificateVerification | null> {
  const normalized = normalizeCode(code);
  if (!normalized) return null;
  const rows = (await inPublicLookup(deps, (m) => m.query('SELECT * FROM verify_certificate($1)', [normalized]))) as VerifyRow[];
  const r = rows[0];
  if (!r) return null;
  return {
    holderName: r.holder_name, organizationName: r.organization_name, organizationNameEn: r.organization_name_en, courseTitle: r.course_title,
    number: r.number, issuedAt: r.issued_at, validFrom: r.valid_from, validUntil: r.valid_until, status: r.status, revokedAt: r.revoked_at,
  };
}

/** The JSON a machine gets, in the request's language. */
export function verificationJson(v: CertificateVerification, locale: Locale): Record<string, unknown> {
  return {
    holderName: v.holderName,
    organization: locale === 'en' && v.organizationNameEn ? v.organizationNameEn : v.organizationName,
    course: pickText(v.courseTitle, locale),
    number: v.number,
    issuedAt: v.issuedAt.toISOString(),
    validFrom: v.validFrom.toISOString(),
    validUntil: v.validUntil?.toISOString() ?? null,
    status: v.status,
    revokedAt: v.revokedAt?.toISOString() ?? null,
  };
}
