import type { RequestContext } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { Permission } from '../../shared/permissions';
import { pickText } from '../course/localized';
import { Course } from '../course/course.entity';
import { Organization } from '../organization/organization.entity';
import type { CertificateDocument } from './certificate-document';
import { Certificate, CertificateStatus } from './certificate.entity';
import { certificateStatus, verificationUrlOf } from './certificate.rules';
import { certificateService } from './certificate.service';
import type { BadgeSubject } from './open-badge/open-badge.credential';

/** What the PDF and the badge need besides the certificate row: its organization and course. */
async function parts(ctx: RequestContext, c: Certificate): Promise<{ org: Organization; course: Course }> {
  const org = await ctx.manager.findOneBy(Organization, { id: ctx.orgId });
  const course = await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, id: c.courseId });
  if (!org || !course) throw notFound('Certificate');
  return { org, course };
}

/** The certificate as its PDF shows it, in the request's language. */
export async function certificateDocument(ctx: RequestContext, c: Certificate): Promise<CertificateDocument> {
  const { org, course } = await parts(ctx, c);
  return {
    number: c.number, holderName: c.holderName,
    organizationName: ctx.locale === 'en' && org.nameEn ? org.nameEn : org.name,
    courseTitle: c.courseTitle, courseCode: course.code,
    issuedAt: c.issuedAt, validFrom: c.validFrom, validUntil: c.validUntil,
    status: certificateStatus(c.status, c.validUntil), revokedAt: c.revokedAt,
    score: c.score, verificationUrl: verificationUrlOf(ctx.deps.config.publicUrl, c.verificationCode),
  };
}

/** The certificate as an Open Badge says it (the course is the achievement). */
export async function badgeSubject(ctx: RequestContext, c: Certificate): Promise<BadgeSubject> {
  const { org, course } = await parts(ctx, c);
  return {
    certificateId: c.id, certificateNumber: c.number, holderName: c.holderName,
    course: { id: course.id, code: course.code, title: pickText(c.courseTitle, ctx.locale), description: pickText(course.description, ctx.locale) ?? '' },
    issuedAt: c.issuedAt, validFrom: c.validFrom, validUntil: c.validUntil, statusListIndex: c.statusListIndex,
    organization: { id: org.id, name: org.name }, verificationUrl: verificationUrlOf(ctx.deps.config.publicUrl, c.verificationCode),
  };
}

/** A certificate its holder or HR may download; anyone else (a manager included) gets NOT_FOUND. */
export async function downloadableCertificate(ctx: RequestContext, id: string): Promise<Certificate> {
  const c = await certificateService.findOne(ctx, id);
  if (c.userId === ctx.user?.id || ctx.can(Permission.CERTIFICATES_MANAGE)) return c;
  throw notFound('Certificate');
}

/** The status-list bits of the organization's revoked certificates (its Open Badges status list). */
export async function revokedStatusIndexes(ctx: RequestContext): Promise<number[]> {
  const rows = (await ctx.manager.query(
    `SELECT status_list_index AS i FROM certificate WHERE organization_id = $1 AND status = '${CertificateStatus.REVOKED}' ORDER BY 1`,
    [ctx.orgId],
  )) as { i: number }[];
  return rows.map((r) => r.i);
}
