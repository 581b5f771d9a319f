import type { Locale } from '../../shared/context';
import { pickText, type LocalizedText } from '../course/localized';

export type CertificateStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'SUPERSEDED';

/**
 * What the public verify page may show of a certificate, and nothing more: no ids, no email, no
 * score, no revocation reason (DESIGN §10, "the verify page shows only what it must").
 */
export interface PublicCertificateView {
  number: string;
  /** The holder's name as it was at issue. */
  holderName: string;
  organizationName: string;
  courseTitle: LocalizedText;
  /** Shown beside the title when known. */
  courseCode?: string | null;
  issuedAt: Date;
  validFrom: Date;
  /** Null: valid without end. */
  validUntil: Date | null;
  status: CertificateStatus;
  revokedAt: Date | null;
}

/** What the certificate PDF shows: the public view plus the score and where to verify it. */
export interface CertificateDocument extends PublicCertificateView {
  courseCode: string;
  /** 0–100, or null when the course is not scored. */
  score: number | null;
  verificationUrl: string;
}

/**
 * The time zone a certificate's dates are written in. The tenants are in mainland China, and a
 * printed date must not change with the server's time zone (an issue at 20:00 UTC is the next day
 * in Hangzhou).
 */
export const CERTIFICATE_TIME_ZONE = 'Asia/Shanghai';

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  'zh-CN': new Intl.DateTimeFormat('zh-CN', { timeZone: CERTIFICATE_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: CERTIFICATE_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric' }),
};

/** A calendar date as a reader of `locale` writes it: 2026年12月1日, 1 December 2026. */
export function formatCertificateDate(date: Date, locale: Locale): string {
  return dateFormats[locale].format(date);
}

/** The course title in `locale`, falling back to Chinese. */
export function courseTitleIn(view: PublicCertificateView, locale: Locale): string {
  return pickText(view.courseTitle, locale);
}

/** The labels both renderers print. */
export interface CertificateWords {
  title: string;
  certifies: string;
  completed: string;
  course: string;
  courseCode: string;
  number: string;
  issuedAt: string;
  validUntil: string;
  noExpiry: string;
  score: string;
  scanToVerify: string;
  organization: string;
  holder: string;
  status: string;
  verifyTitle: string;
  notFound: string;
}

const words: Record<Locale, CertificateWords> = {
  'zh-CN': {
    title: '结业证书',
    certifies: '兹证明',
    completed: '已完成以下课程的学习并通过考核',
    course: '课程',
    courseCode: '课程编号',
    number: '证书编号',
    issuedAt: '颁发日期',
    validUntil: '有效期至',
    noExpiry: '长期有效',
    score: '成绩',
    scanToVerify: '扫码验证证书真伪',
    organization: '颁发机构',
    holder: '持证人',
    status: '状态',
    verifyTitle: '证书验证',
    notFound: '未找到该证书',
  },
  en: {
    title: 'Certificate of Completion',
    certifies: 'This is to certify that',
    completed: 'has successfully completed the course',
    course: 'Course',
    courseCode: 'Course code',
    number: 'Certificate number',
    issuedAt: 'Issued',
    validUntil: 'Valid until',
    noExpiry: 'No expiry',
    score: 'Score',
    scanToVerify: 'Scan to verify this certificate',
    organization: 'Issued by',
    holder: 'Holder',
    status: 'Status',
    verifyTitle: 'Certificate verification',
    notFound: 'Certificate not found',
  },
};

/** The labels in `locale`. */
export function certificateWords(locale: Locale): CertificateWords {
  return words[locale];
}

/** The valid-until date in words, or "no expiry". */
export function validUntilText(view: PublicCertificateView, locale: Locale): string {
  return view.validUntil ? formatCertificateDate(view.validUntil, locale) : words[locale].noExpiry;
}

/**
 * The status as a sentence: valid; expired on <valid-until>; revoked on <date>; superseded by a
 * renewal. Without its date (which the service always keeps) a status is still said, undated.
 */
export function statusText(view: PublicCertificateView, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const dated = (date: Date | null, zhWord: string, enWord: string): string => {
    if (!date) return zh ? `已${zhWord}` : enWord;
    const day = formatCertificateDate(date, locale);
    return zh ? `已于 ${day} ${zhWord}` : `${enWord} on ${day}`;
  };
  switch (view.status) {
    case 'ACTIVE':
      return zh ? '有效' : 'Valid';
    case 'EXPIRED':
      return dated(view.validUntil, '过期', 'Expired');
    case 'REVOKED':
      return dated(view.revokedAt, '撤销', 'Revoked');
    case 'SUPERSEDED':
      return zh ? '已由续期证书取代' : 'Superseded by a renewal';
  }
}
