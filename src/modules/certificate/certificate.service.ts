import type { SelectQueryBuilder } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Course, CourseRevision } from '../course/course.entity';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { AppUser } from '../user/user.entity';
import { normalizeOrgUnitPath, orgUnitSubtree, userService } from '../user/user.service';
import { Certificate, CertificateStatus } from './certificate.entity';
import { evaluateCycle, ruleMet } from './certificate.evaluate';
import { certificateView, issueCertificate } from './certificate.issue';
import { certificateStatusSql } from './certificate.rules';
import { recertification } from './recertification';
import { verifyCertificate } from './certificate.verify';
import { msg } from '../../shared/i18n/message';

export const MAX_REASON = 1000;
export const MAX_EXPIRING_DAYS = 3650;

export interface CertificateFilter {
  status?: CertificateStatus;
  courseId?: string;
  orgUnitPath?: string;
  expiringWithinDays?: number;
}

/** HR and report readers see every certificate of the organization. */
const seesAll = (ctx: RequestContext): boolean => ctx.can(Permission.CERTIFICATES_MANAGE) || ctx.can(Permission.REPORTS_READ);

function applyFilter(qb: SelectQueryBuilder<Certificate>, filter: CertificateFilter, joinedUser: boolean): void {
  if (filter.status) qb.andWhere(`${certificateStatusSql('c')} = :status`, { status: filter.status });
  if (filter.courseId) qb.andWhere('c.course_id = :courseId', { courseId: filter.courseId });
  if (filter.orgUnitPath) {
    if (!joinedUser) qb.innerJoin(AppUser, 'u', 'u.organization_id = c.organization_id AND u.id = c.user_id');
    qb.andWhere(orgUnitSubtree('u.org_unit_path', 'unit'), { unit: normalizeOrgUnitPath(filter.orgUnitPath) });
  }
  if (filter.expiringWithinDays !== undefined) {
    const days = filter.expiringWithinDays;
    if (!Number.isInteger(days) || days < 0 || days > MAX_EXPIRING_DAYS) throw userError(UserErrorCode.INVALID, msg('expiringWithinDays must be from 0 to {max}', { max: MAX_EXPIRING_DAYS }), ['filter', 'expiringWithinDays']);
    qb.andWhere(`c.status = '${CertificateStatus.ACTIVE}' AND c.valid_until > now() AND c.valid_until <= now() + make_interval(days => :days)`, { days });
  }
}

function pageOf(ctx: RequestContext, qb: SelectQueryBuilder<Certificate>, page: PageArgs) {
  return paginate(qb, page, ctx.deps.config.limits.pageSize, [
    { sql: "date_trunc('milliseconds', c.issued_at)", kind: 'timestamp', key: (c) => c.issuedAt.toISOString() },
    { sql: 'c.id', kind: 'uuid', key: (c) => c.id },
  ], 'DESC');
}

export const certificateService = {
  /** The caller's own certificates, newest first. */
  async listForViewer(ctx: RequestContext, page: PageArgs) {
    ctx.assert(Permission.LEARN);
    if (!ctx.user) return pageOf(ctx, ctx.manager.createQueryBuilder(Certificate, 'c').where('false'), page);
    const qb = ctx.manager.createQueryBuilder(Certificate, 'c').where('c.organization_id = :org AND c.user_id = :me', { org: ctx.orgId, me: ctx.user.id });
    return pageOf(ctx, qb, page);
  },

  /** HR and report readers: all; managers: their org unit subtree and direct reports; learners: their own. */
  async list(ctx: RequestContext, filter: CertificateFilter, page: PageArgs) {
    ctx.assert();
    // A course of another tenant (or none) is NOT_FOUND, not an empty list.
    if (filter.courseId) await getEntityOrThrow(ctx, Course, filter.courseId, 'Course');
    const qb = ctx.manager.createQueryBuilder(Certificate, 'c').where('c.organization_id = :org', { org: ctx.orgId });
    const scoped = !seesAll(ctx);
    if (scoped) {
      qb.innerJoin(AppUser, 'u', 'u.organization_id = c.organization_id AND u.id = c.user_id');
      userService.scopeToTeam(ctx, qb);
    }
    applyFilter(qb, filter, scoped);
    return pageOf(ctx, qb, page);
  },

  /** One certificate the caller may see; anything else (another tenant's, another team's) is NOT_FOUND. */
  async findOne(ctx: RequestContext, id: string): Promise<Certificate> {
    ctx.assert();
    const c = await getEntityOrThrow(ctx, Certificate, id, 'Certificate');
    if (c.userId === ctx.user?.id || seesAll(ctx)) return c;
    if (ctx.can(Permission.PROGRESS_READ_TEAM) && (await userService.visibleIds(ctx, [c.userId])).has(c.userId)) return c;
    throw notFound('Certificate');
  },

  /**
   * Issues the certificate a COMPLETED cycle earned under its revision's rule, once: the cycle is
   * locked, an existing certificate is returned, and a unique index on the enrollment backs it.
   * Returns null when the cycle is not completed or the rule is absent or not met.
   */
  async issueForEnrollment(ctx: RequestContext, enrollmentId: string): Promise<Certificate | null> {
    ctx.assert(Permission.CERTIFICATES_MANAGE);
    const enrollment = await ctx.manager.findOne(Enrollment, { where: { organizationId: ctx.orgId, id: enrollmentId }, lock: { mode: 'pessimistic_write' } });
    if (!enrollment) throw notFound('Enrollment');
    const existing = await ctx.manager.findOneBy(Certificate, { organizationId: ctx.orgId, enrollmentId });
    if (existing) return existing;
    if (enrollment.status !== EnrollmentStatus.COMPLETED || !enrollment.revisionId) return null;
    const revision = await getEntityOrThrow(ctx, CourseRevision, enrollment.revisionId, 'CourseRevision');
    const rule = revision.certificationRule;
    if (!rule) return null;
    const result = await evaluateCycle(ctx, enrollment, revision.id);
    if (!ruleMet(rule, result)) return null;
    const issued = await issueCertificate(ctx, {
      userId: enrollment.userId, courseId: enrollment.courseId, revisionId: revision.id, enrollmentId, cycle: enrollment.cycle,
      score: result.score, validity: rule.validity, recertificationWindowDays: rule.recertificationWindowDays, issueReason: null, externalReference: null,
    });
    return issued ?? ctx.manager.findOneBy(Certificate, { organizationId: ctx.orgId, enrollmentId });
  },

  /** HR issues a certificate by hand: a reason is required; validity follows the course's published rule unless given. */
  async issueManually(ctx: RequestContext, input: { userId: string; courseId: string; reason: string; externalReference?: string | null; validUntil?: Date | null }): Promise<Certificate> {
    ctx.assert(Permission.CERTIFICATES_MANAGE);
    const check = new InputCheck();
    const reason = check.text(input.reason, ['input', 'reason'], MAX_REASON, true);
    const externalReference = check.text(input.externalReference, ['input', 'externalReference'], 200);
    if (input.validUntil && input.validUntil.getTime() <= Date.now()) check.add(UserErrorCode.INVALID, 'validUntil must be a moment in the future', ['input', 'validUntil']);
    if (!check.ok) throw new UserErrors(check.errors);
    const user = await ctx.manager.findOneBy(AppUser, { organizationId: ctx.orgId, id: input.userId });
    if (!user) throw userError(UserErrorCode.NOT_FOUND, 'no such user', ['input', 'userId']);
    const course = await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, id: input.courseId });
    if (!course) throw userError(UserErrorCode.NOT_FOUND, 'no such course', ['input', 'courseId']);
    const revision = course.publishedRevisionId ? await getEntityOrThrow(ctx, CourseRevision, course.publishedRevisionId, 'CourseRevision') : null;
    const rule = revision?.certificationRule ?? null;
    const issued = await issueCertificate(ctx, {
      userId: user.id, courseId: course.id, revisionId: revision?.id ?? null, enrollmentId: null, cycle: null, score: null,
      validity: rule?.validity ?? { kind: 'NONE' }, validUntil: input.validUntil ?? undefined,
      recertificationWindowDays: rule?.recertificationWindowDays ?? null, issueReason: reason, externalReference,
    });
    return issued!;
  },

  /** Revokes an ACTIVE (or expired) certificate; the reason, actor and time are kept. */
  async revoke(ctx: RequestContext, id: string, reasonText: string): Promise<Certificate> {
    ctx.assert(Permission.CERTIFICATES_MANAGE);
    const check = new InputCheck();
    const reason = check.text(reasonText, ['input', 'reason'], MAX_REASON, true);
    if (!check.ok) throw new UserErrors(check.errors);
    const before = await this.locked(ctx, id);
    if (before.status === CertificateStatus.REVOKED) throw userError(UserErrorCode.CONFLICT, 'the certificate is already revoked', ['input', 'id']);
    if (before.status === CertificateStatus.SUPERSEDED) throw userError(UserErrorCode.CONFLICT, 'a superseded certificate cannot be revoked', ['input', 'id']);
    await ctx.manager.update(Certificate, { organizationId: ctx.orgId, id }, { status: CertificateStatus.REVOKED, revokedAt: new Date(), revokedBy: ctx.actor, revocationReason: reason });
    return this.audited(ctx, 'certificate.revoke', before, { reason });
  },

  /** Reinstates a revoked certificate (the revocation stays in the audit log). */
  async reinstate(ctx: RequestContext, id: string, reasonText: string | null | undefined): Promise<Certificate> {
    ctx.assert(Permission.CERTIFICATES_MANAGE);
    const check = new InputCheck();
    const reason = check.text(reasonText, ['input', 'reason'], MAX_REASON);
    if (!check.ok) throw new UserErrors(check.errors);
    const before = await this.locked(ctx, id);
    if (before.status !== CertificateStatus.REVOKED) throw userError(UserErrorCode.CONFLICT, 'only a revoked certificate can be reinstated', ['input', 'id']);
    await ctx.manager.update(Certificate, { organizationId: ctx.orgId, id }, { status: CertificateStatus.ACTIVE, revokedAt: null, revokedBy: null, revocationReason: null });
    return this.audited(ctx, 'certificate.reinstate', before, { reason });
  },

  async locked(ctx: RequestContext, id: string): Promise<Certificate> {
    const c = await ctx.manager.findOne(Certificate, { where: { organizationId: ctx.orgId, id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw notFound('Certificate');
    return c;
  },

  async audited(ctx: RequestContext, action: string, before: Certificate, extra: Record<string, unknown>): Promise<Certificate> {
    const after = await getEntityOrThrow(ctx, Certificate, before.id, 'Certificate');
    await auditService.record(ctx, { action, entityType: 'Certificate', entityId: before.id, before: certificateView(before), after: { ...certificateView(after), ...extra } });
    return after;
  },

  openDueRecertifications: recertification.openDue,
  remindExpiring: recertification.remindExpiring,
  verify: verifyCertificate,
};
