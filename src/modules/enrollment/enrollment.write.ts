import { In, IsNull } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { auditService } from '../audit/audit.service';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from './enrollment.entity';
import { REASSIGNED_STATUS_SQL } from './enrollment.rules';

/** What the audit log keeps of an enrollment. */
export const enrollmentView = (e: Enrollment): Record<string, unknown> => ({
  userId: e.userId, courseId: e.courseId, cycle: e.cycle, closedAt: e.closedAt?.toISOString() ?? null, revisionId: e.revisionId, source: e.source, status: e.status,
  dueAt: e.dueAt?.toISOString() ?? null, withdrawnAt: e.withdrawnAt?.toISOString() ?? null,
});

/** One user to enroll and why. */
export interface EnrollTarget {
  userId: string;
  source: EnrollmentSource;
}

/**
 * Enrolls users in a course in one statement. A user already enrolled keeps their open cycle
 * (no second row; a first enrollment after closed cycles only, none today, would take the next number): a withdrawn one is reactivated where it left off, a given due date replaces the
 * old one, and an administrator's assignment turns a self-enrollment into an assigned one.
 */
async function upsert(ctx: RequestContext, courseId: string, targets: EnrollTarget[], dueAt: Date | null): Promise<{ id: string; inserted: boolean }[]> {
  return (await ctx.manager.query(
    `INSERT INTO enrollment (organization_id, id, user_id, course_id, cycle, source, status, assigned_at, assigned_by, due_at)
     SELECT $1, gen_random_uuid(), t.user_id, $2,
            COALESCE((SELECT max(x.cycle) FROM enrollment x WHERE x.organization_id = $1 AND x.user_id = t.user_id AND x.course_id = $2), 0) + 1,
            t.source, '${EnrollmentStatus.NOT_STARTED}', now(), $3, $4
       FROM jsonb_to_recordset($5::jsonb) AS t(user_id uuid, source text)
     ON CONFLICT (organization_id, user_id, course_id) WHERE closed_at IS NULL DO UPDATE SET
       due_at = COALESCE(EXCLUDED.due_at, enrollment.due_at),
       source = CASE WHEN enrollment.status = 'WITHDRAWN' OR (enrollment.source = 'SELF' AND EXCLUDED.source <> 'SELF')
                THEN EXCLUDED.source ELSE enrollment.source END,
       status = ${REASSIGNED_STATUS_SQL},
       withdrawn_at = NULL,
       updated_at = now()
     RETURNING id, (xmax = 0) AS inserted`,
    [ctx.orgId, courseId, ctx.actor, dueAt, JSON.stringify(targets.map((t) => ({ user_id: t.userId, source: t.source })))],
  )) as { id: string; inserted: boolean }[];
}

/** Enrolls the targets (idempotently) and audits what changed; returns the enrollments and how many are new. */
export async function enroll(ctx: RequestContext, courseId: string, targets: EnrollTarget[], dueAt: Date | null): Promise<{ enrollments: Enrollment[]; created: number }> {
  if (targets.length === 0) return { enrollments: [], created: 0 };
  const where = { organizationId: ctx.orgId, courseId, userId: In(targets.map((t) => t.userId)), closedAt: IsNull() };
  const before = new Map((await ctx.manager.findBy(Enrollment, where)).map((e) => [e.id, enrollmentView(e)]));
  const written = await upsert(ctx, courseId, targets, dueAt);
  const enrollments = await ctx.manager.findBy(Enrollment, where);
  const changed = enrollments.filter((e) => JSON.stringify(before.get(e.id)) !== JSON.stringify(enrollmentView(e)));
  await auditService.record(ctx, changed.map((e) => ({
    action: before.has(e.id) ? 'enrollment.update' : e.source === EnrollmentSource.SELF ? 'enrollment.self' : 'enrollment.assign',
    entityType: 'Enrollment',
    entityId: e.id,
    before: before.get(e.id) ?? null,
    after: enrollmentView(e),
  })));
  return { enrollments, created: written.filter((w) => w.inserted).length };
}
