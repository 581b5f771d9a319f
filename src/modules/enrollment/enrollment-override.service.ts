import type { RequestContext } from '../../shared/context';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';
import { overrideRefusal } from './enrollment.rules';
import { enrollmentView } from './enrollment.write';

export const MAX_REASON_LENGTH = 1000;

/**
 * An administrator completes an enrollment by hand (training done elsewhere, a migrated record),
 * with a reason kept in the audit log. Completing sets the completion time, so the enrollment
 * trigger writes `enrollment.completed` in this transaction, as for any other writer.
 */
export async function completeEnrollment(ctx: RequestContext, id: string, reason: string): Promise<Enrollment> {
  ctx.assert(Permission.ENROLLMENTS_MANAGE);
  const check = new InputCheck();
  const why = check.text(reason, ['input', 'reason'], MAX_REASON_LENGTH, true);
  const before = await getEntityOrThrow(ctx, Enrollment, id, 'Enrollment');
  const refusal = overrideRefusal(before.status);
  if (refusal) check.add(UserErrorCode.CONFLICT, refusal, ['input', 'id']);
  if (!check.ok) throw new UserErrors(check.errors);
  // The status guard makes a concurrent completion or withdrawal win cleanly.
  const [, changed] = (await ctx.manager.query(
    `UPDATE enrollment SET status = $3, completed_at = now(), started_at = COALESCE(started_at, now()), updated_at = now()
      WHERE organization_id = $1 AND id = $2 AND status = $4`,
    [ctx.orgId, id, EnrollmentStatus.COMPLETED, before.status],
  )) as [unknown, number];
  if (changed !== 1) throw userError(UserErrorCode.CONFLICT, 'the enrollment changed meanwhile; try again', ['input', 'id']);
  const after = await getEntityOrThrow(ctx, Enrollment, id, 'Enrollment');
  await auditService.record(ctx, {
    action: 'enrollment.complete', entityType: 'Enrollment', entityId: id,
    before: enrollmentView(before), after: { ...enrollmentView(after), completedAt: after.completedAt?.toISOString() ?? null, reason: why },
  });
  return after;
}
