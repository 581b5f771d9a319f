import type { CertificateDocument, PublicCertificateView } from '../../../src/modules/certificate/certificate-document';

/**
 * A certificate issued at 20:00 UTC: already the next day in China, so a date printed in the
 * server's zone instead of the tenants' would show.
 */
export const VIEW: PublicCertificateView & { courseCode: string } = {
  number: 'HZTEL-2026-000123',
  holderName: '张伟',
  organizationName: '中国电信杭州分公司',
  courseTitle: { 'zh-CN': '客户服务礼仪与沟通技巧', en: 'Customer Service Etiquette' },
  courseCode: 'CS-101',
  issuedAt: new Date('2026-12-01T20:00:00Z'),
  validFrom: new Date('2026-12-01T20:00:00Z'),
  validUntil: new Date('2027-12-01T20:00:00Z'),
  status: 'ACTIVE',
  revokedAt: null,
};

export const DOC: CertificateDocument = {
  ...VIEW,
  score: 92.5,
  verificationUrl: 'https://coursegraph.example.com/verify/7Q2M4K9XW3TZP8RB5VNC6HJD',
};

/** Values that break a page that does not escape them. */
export const HOSTILE = {
  holderName: '<script>alert("holder")</script>',
  organizationName: '"><img src=x onerror=alert(1)> O\'Brien & Co',
  courseTitle: { 'zh-CN': '</title><script>alert(2)</script>课程', en: "</title><b onmouseover='x'>course</b>" },
  number: '</title>&amp;"\'<!--',
  courseCode: '<style>*{display:none}</style>',
};
