import type { RequestContext } from '../../shared/context';
import { newId } from '../../shared/ids';
import { emitEvent } from '../../jobs/outbox';
import { auditService } from '../audit/audit.service';
import type { CertificateValidity } from '../course/course.entity';
import { Certificate, CertificateStatus } from './certificate.entity';
import { formatCertificateNumber, newVerificationCode, orgCodeOf, renewalStart, validUntilOf } from './certificate.rules';

/** What the audit log keeps of a certificate. */
export const certificateView = (c: Certificate): Record<string, unknown> => ({
  number: c.number, userId: c.userId, courseId: c.courseId, revisionId: c.revisionId, enrollmentId: c.enrollmentId, cycle: c.cycle,
  score: c.score, validFrom: c.validFrom.toISOString(), validUntil: c.validUntil?.toISOString() ?? null, status: c.status,
  issueReason: c.issueReason, externalReference: c.externalReference, revokedAt: c.revokedAt?.toISOString() ?? null,
  revokedBy: c.revokedBy, revocationReason: c.revocationReason, supersededById: c.supersededById,
});

/** A certificate to issue: to whom, for what, and on which evidence. */
export interface IssueSpec {
  userId: string;
  courseId: string;
  revisionId: string | null;
  enrollmentId: string | null;
  cycle: number | null;
  score: number | null;
  validity: CertificateValidity;
  /** Overrides the end computed from `validity` (HR issuing by hand). */
  validUntil?: Date | null;
  recertificationWindowDays: number | null;
  issueReason: string | null;
  externalReference: string | null;
}

/**
 * The next value of a per-organization counter. The row lock is held until the issuing
 * transaction ends, so two issues never read the same value; a rolled-back issue leaves a gap.
 */
async function nextCounter(ctx: RequestContext, scope: string): Promise<number> {
  const rows = (await ctx.manager.query(
    `INSERT INTO certificate_counter AS k (organization_id, id, scope, last_value) VALUES ($1, gen_random_uuid(), $2, 1)
     ON CONFLICT (organization_id, scope) DO UPDATE SET last_value = k.last_value + 1 RETURNING last_value`,
    [ctx.orgId, scope],
  )) as { last_value: number }[];
  return rows[0].last_value;
}

/** The holder's current ACTIVE certificate for the course (the one a new one renews), locked. */
async function currentCertificate(ctx: RequestContext, userId: string, courseId: string): Promise<Certificate | null> {
  return ctx.manager.findOne(Certificate, {
    where: { organizationId: ctx.orgId, userId, courseId, status: CertificateStatus.ACTIVE },
    order: { validFrom: 'DESC', id: 'DESC' },
    lock: { mode: 'pessimistic_write' },
  });
}

/**
 * Inserts the certificate with its number, verification code and status list position; the
 * holder's name and the course title are copied as they are now. With an enrollment, a second
 * issue for it inserts nothing (unique index) and null is returned.
 */
async function insert(ctx: RequestContext, spec: IssueSpec, validFrom: Date, validUntil: Date | null): Promise<string | null> {
  const now = new Date();
  const year = now.getUTCFullYear();
  const seq = await nextCounter(ctx, `number:${year}`);
  const statusIndex = await nextCounter(ctx, 'status-list');
  const rows = (await ctx.manager.query(
    `INSERT INTO certificate (organization_id, id, number, verification_code, status_list_index, user_id, course_id, revision_id, enrollment_id,
       cycle, holder_name, course_title, score, issued_at, valid_from, valid_until, status, issued_by, issue_reason, external_reference,
       recertification_window_days)
     SELECT $1, $2, $3, $4, $5, u.id, c.id, $8, $9, $10, u.name, c.title, $11, $12, $13, $14, 'ACTIVE', $15, $16, $17, $18
       FROM app_user u JOIN course c ON c.organization_id = u.organization_id AND c.id = $7
      WHERE u.organization_id = $1 AND u.id = $6
     ON CONFLICT (organization_id, enrollment_id) WHERE enrollment_id IS NOT NULL DO NOTHING
     RETURNING id`,
    [ctx.orgId, newId(), formatCertificateNumber(orgCodeOf(await orgSlug(ctx)), year, seq), newVerificationCode(), statusIndex,
      spec.userId, spec.courseId, spec.revisionId, spec.enrollmentId, spec.cycle, spec.score, now, validFrom, validUntil, ctx.actor,
      spec.issueReason, spec.externalReference, spec.recertificationWindowDays],
  )) as { id: string }[];
  return rows[0]?.id ?? null;
}

async function orgSlug(ctx: RequestContext): Promise<string> {
  const rows = (await ctx.manager.query('SELECT slug FROM organization WHERE id = $1', [ctx.orgId])) as { slug: string }[];
  return rows[0].slug;
}

/**
 * Issues a certificate. It renews the holder's current one for the course: valid from its end
 * (from now when it already ended), which becomes SUPERSEDED. Audited; `certificate.issued` follows.
 */
export async function issueCertificate(ctx: RequestContext, spec: IssueSpec): Promise<Certificate | null> {
  const previous = await currentCertificate(ctx, spec.userId, spec.courseId);
  const validFrom = previous ? renewalStart(previous.validUntil, new Date()) : new Date();
  const validUntil = spec.validUntil !== undefined ? spec.validUntil : validUntilOf(spec.validity, validFrom);
  const id = await insert(ctx, spec, validFrom, validUntil);
  if (!id) return null;
  if (previous) {
    await ctx.manager.update(Certificate, { organizationId: ctx.orgId, id: previous.id }, {
      status: CertificateStatus.SUPERSEDED, supersededAt: new Date(), supersededById: id,
    });
    const after = await ctx.manager.findOneByOrFail(Certificate, { organizationId: ctx.orgId, id: previous.id });
    await auditService.record(ctx, { action: 'certificate.supersede', entityType: 'Certificate', entityId: previous.id, before: certificateView(previous), after: certificateView(after) });
  }
  const issued = await ctx.manager.findOneByOrFail(Certificate, { organizationId: ctx.orgId, id });
  await auditService.record(ctx, { action: 'certificate.issue', entityType: 'Certificate', entityId: id, before: null, after: certificateView(issued) });
  await emitEvent(ctx, {
    type: 'certificate.issued', entityType: 'Certificate', entityId: id,
    payload: { userId: issued.userId, courseId: issued.courseId, number: issued.number, renews: previous?.id ?? null },
  });
  return issued;
}
