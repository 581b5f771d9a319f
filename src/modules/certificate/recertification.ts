import type { RequestContext } from '../../shared/context';
import { Permission } from '../../shared/permissions';
import { emitEvent } from '../../jobs/outbox';
import { auditService } from '../audit/audit.service';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { enrollmentView } from '../enrollment/enrollment.write';
import { EXPIRY_REMINDER_DAYS } from './certificate.rules';

/** Certificates handled per sweep call; a job calls again while it gets a full batch. */
export const SWEEP_BATCH = 500;

interface DueRow {
  id: string;
  user_id: string;
  course_id: string;
  valid_until: Date;
}

/**
 * The cycle that renews a certificate, due at the expiry at the latest: the holder's open cycle
 * when it is still unfinished, otherwise a new one (the open one is closed and kept as history).
 */
async function openCycle(ctx: RequestContext, due: DueRow): Promise<string> {
  const open = (await ctx.manager.query(
    'SELECT id, status FROM enrollment WHERE organization_id = $1 AND user_id = $2 AND course_id = $3 AND closed_at IS NULL FOR UPDATE',
    [ctx.orgId, due.user_id, due.course_id],
  )) as { id: string; status: EnrollmentStatus }[];
  const current = open[0];
  if (current && (current.status === EnrollmentStatus.NOT_STARTED || current.status === EnrollmentStatus.IN_PROGRESS)) {
    await ctx.manager.query(
      'UPDATE enrollment SET due_at = LEAST(COALESCE(due_at, $3), $3), updated_at = now() WHERE organization_id = $1 AND id = $2',
      [ctx.orgId, current.id, due.valid_until],
    );
    return current.id;
  }
  if (current) await ctx.manager.update(Enrollment, { organizationId: ctx.orgId, id: current.id }, { closedAt: new Date() });
  const rows = (await ctx.manager.query(
    `INSERT INTO enrollment (organization_id, id, user_id, course_id, cycle, source, status, assigned_at, assigned_by, due_at)
     SELECT $1, gen_random_uuid(), $2, $3, COALESCE(max(cycle), 0) + 1, $4, $5, now(), $6, $7
       FROM enrollment WHERE organization_id = $1 AND user_id = $2 AND course_id = $3
     RETURNING id`,
    [ctx.orgId, due.user_id, due.course_id, EnrollmentSource.RECERTIFICATION, EnrollmentStatus.NOT_STARTED, ctx.actor, due.valid_until],
  )) as { id: string }[];
  const created = await ctx.manager.findOneByOrFail(Enrollment, { organizationId: ctx.orgId, id: rows[0].id });
  await auditService.record(ctx, { action: 'enrollment.recertify', entityType: 'Enrollment', entityId: created.id, before: null, after: enrollmentView(created) });
  return created.id;
}

/** The periodic sweeps behind recertification and expiry reminders; each event goes out once. */
export const recertification = {
  /**
   * Opens a recertification cycle for every ACTIVE certificate whose window has opened (its
   * validUntil minus the window frozen at issue is past `now`), once per certificate. Rows another
   * sweep holds are skipped. Returns how many were opened.
   */
  async openDue(ctx: RequestContext, now: Date = new Date()): Promise<number> {
    ctx.assert(Permission.CERTIFICATES_MANAGE);
    const due = (await ctx.manager.query(
      `SELECT c.id, c.user_id, c.course_id, c.valid_until FROM certificate c
         JOIN app_user u ON u.organization_id = c.organization_id AND u.id = c.user_id AND u.status = 'ACTIVE'
        WHERE c.organization_id = $1 AND c.status = 'ACTIVE' AND c.recertification_enrollment_id IS NULL
          AND c.recertification_window_days IS NOT NULL AND c.valid_until IS NOT NULL
          AND c.valid_until - make_interval(days => c.recertification_window_days) <= $2
        ORDER BY c.valid_until, c.id LIMIT ${SWEEP_BATCH}
        FOR UPDATE OF c SKIP LOCKED`,
      [ctx.orgId, now],
    )) as DueRow[];
    for (const row of due) {
      const enrollmentId = await openCycle(ctx, row);
      await ctx.manager.query('UPDATE certificate SET recertification_enrollment_id = $3, updated_at = now() WHERE organization_id = $1 AND id = $2', [ctx.orgId, row.id, enrollmentId]);
      await emitEvent(ctx, {
        type: 'recertification.opened', entityType: 'Certificate', entityId: row.id,
        payload: { enrollmentId, userId: row.user_id, courseId: row.course_id, dueAt: row.valid_until.toISOString() },
      });
    }
    return due.length;
  },

  /** Marks and announces ACTIVE certificates ending within EXPIRY_REMINDER_DAYS of `now`, once each. */
  async remindExpiring(ctx: RequestContext, now: Date = new Date()): Promise<number> {
    ctx.assert(Permission.CERTIFICATES_MANAGE);
    const rows = (await ctx.manager.query(
      `UPDATE certificate c SET expiry_reminded_at = $2, updated_at = now()
        WHERE c.id IN (
          SELECT id FROM certificate WHERE organization_id = $1 AND status = 'ACTIVE' AND expiry_reminded_at IS NULL
             AND valid_until > $2 AND valid_until <= $2 + make_interval(days => $3)
           ORDER BY valid_until, id LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)
          AND c.organization_id = $1
        RETURNING c.id, c.user_id, c.course_id, c.valid_until`,
      [ctx.orgId, now, EXPIRY_REMINDER_DAYS],
    )) as [DueRow[], number] | DueRow[];
    const updated = (Array.isArray(rows[0]) ? rows[0] : rows) as DueRow[];
    for (const row of updated) {
      await emitEvent(ctx, {
        type: 'certificate.expiring', entityType: 'Certificate', entityId: row.id,
        payload: { userId: row.user_id, courseId: row.course_id, validUntil: new Date(row.valid_until).toISOString() },
      });
    }
    return updated.length;
  },
};
