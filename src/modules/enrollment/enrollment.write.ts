import { In, IsNull } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { auditService } from '../audit/audit.service';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from './enrollment.entity';
import { DUE_MOVABLE_SQL, REASSIGNED_STATUS_SQL, dueDateMovable } from './enrollment.rules';

/** What the audit log keeps of an enrollment. */
export const enrollmentView = (e: Enrollment): Record<string, unknown> => ({
  userId: e.userId, courseId: e.courseId, cycle: e.cycle, closedAt: e.closedAt?.toISOString() ?? null, revisionId: e.revisionId, source: e.source, status: e.status,
  dueAt: e.dueAt?.toISOString() ?? null, withdrawnAt: e.withdrawnAt?.toISOString() ?? null,
});

/** One user to enroll, why, and the due date a new enrollment gets. */
export interface EnrollTarget {
  userId: string;
  source: EnrollmentSource;
  dueAt?: Date | null;
}

/** How an assignment treats enrollments that exist already. */
export interface EnrollOptions {
  /** Give unfinished existing enrollments the target's due date (never completed ones). */
  moveDueDates?: boolean;
  /** Recorded as assignedBy of new enrollments; the caller by default (a rule names its author). */
  assignedBy?: string;
}

/** What an assignment did: the targeted enrollments and how many of each kind. */
export interface EnrollResult {
  enrollments: Enrollment[];
  created: number;
  /** Had an unfinished (or withdrawn, now reactivated) enrollment. */
  alreadyEnrolled: number;
  /** Had completed: left as it was. */
  skippedCompleted: number;
  dueDatesMoved: number;
}

/**
 * Enrolls users in a course in one statement. A user already enrolled keeps their open cycle
 * (no second row; a first enrollment after closed cycles only, none today, would take the next
 * number): a withdrawn one is reactivated where it left off, its due date moves only when asked
 * (and never a completed one's), and an administrator's assignment turns a self-enrollment into
 * an assigned one.
 */
async function upsert(ctx: RequestContext, courseId: string, targets: EnrollTarget[], options: EnrollOptions): Promise<void> {
  await ctx.manager.query(
    `INSERT INTO enrollment (organization_id, id, user_id, course_id, cycle, source, status, assigned_at, assigned_by, due_at)
     SELECT $1, gen_random_uuid(), t.user_id, $2,
            COALESCE((SELECT max(x.cycle) FROM enrollment x WHERE x.organization_id = $1 AND x.user_id = t.user_id AND x.course_id = $2), 0) + 1,
            t.source, '${EnrollmentStatus.NOT_STARTED}', now(), $3, t.due_at
       FROM jsonb_to_recordset($4::jsonb) AS t(user_id uuid, source text, due_at timestamptz)
     ON CONFLICT (organization_id, user_id, course_id) WHERE closed_at IS NULL DO UPDATE SET
       due_at = CASE WHEN $5 AND EXCLUDED.due_at IS NOT NULL AND ${DUE_MOVABLE_SQL} THEN EXCLUDED.due_at ELSE enrollment.due_at END,
       source = CASE WHEN enrollment.status = 'WITHDRAWN' OR (enrollment.source = 'SELF' AND EXCLUDED.source <> 'SELF')
                THEN EXCLUDED.source ELSE enrollment.source END,
       status = ${REASSIGNED_STATUS_SQL},
       withdrawn_at = NULL,
       updated_at = now()`,
    [ctx.orgId, courseId, options.assignedBy ?? ctx.actor,
      JSON.stringify(targets.map((t) => ({ user_id: t.userId, source: t.source, due_at: t.dueAt?.toISOString() ?? null }))), options.moveDueDates ?? false],
  );
}

function tally(before: Map<string, Enrollment>, enrollments: Enrollment[]): Omit<EnrollResult, 'enrollments'> {
  const old = enrollments.map((e) => before.get(e.id)).filter((e): e is Enrollment => !!e);
  return {
    created: enrollments.length - old.length,
    alreadyEnrolled: old.filter((e) => dueDateMovable(e)).length,
    skippedCompleted: old.filter((e) => !dueDateMovable(e)).length,
    dueDatesMoved: enrollments.filter((e) => before.has(e.id) && before.get(e.id)!.dueAt?.getTime() !== e.dueAt?.getTime()).length,
  };
}

/** Enrolls the targets (idempotently) and audits what changed; returns the enrollments and what happened to them. */
export async function enroll(ctx: RequestContext, courseId: string, targets: EnrollTarget[], options: EnrollOptions = {}): Promise<EnrollResult> {
  if (targets.length === 0) return { enrollments: [], created: 0, alreadyEnrolled: 0, skippedCompleted: 0, dueDatesMoved: 0 };
  const where = { organizationId: ctx.orgId, courseId, userId: In(targets.map((t) => t.userId)), closedAt: IsNull() };
  const before = new Map((await ctx.manager.findBy(Enrollment, where)).map((e) => [e.id, e]));
  await upsert(ctx, courseId, targets, options);
  const enrollments = await ctx.manager.findBy(Enrollment, where);
  const viewBefore = (e: Enrollment) => (before.has(e.id) ? enrollmentView(before.get(e.id)!) : null);
  const changed = enrollments.filter((e) => JSON.stringify(viewBefore(e)) !== JSON.stringify(enrollmentView(e)));
  await auditService.record(ctx, changed.map((e) => ({
    action: before.has(e.id) ? 'enrollment.update' : e.source === EnrollmentSource.SELF ? 'enrollment.self' : 'enrollment.assign',
    entityType: 'Enrollment',
    entityId: e.id,
    before: viewBefore(e),
    after: enrollmentView(e),
  })));
  return { enrollments, ...tally(before, enrollments) };
}
