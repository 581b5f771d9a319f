import type { RequestContext } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { Permission } from '../../shared/permissions';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Activity, ActivityKind } from '../course/content.entity';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { contentService } from '../course/content.service';
import { RevisionStatus } from '../course/course.entity';
import { revisionById } from '../course/course.loader';
import { assessmentOf, checkAssessmentContent } from './assessment.content';
import type { AuthoredAssessment } from './assessment.types';

const ACTIVITY_PATH = ['input', 'activityId'];

async function assessmentActivity(ctx: RequestContext, activityId: string): Promise<Activity> {
  ctx.assert(Permission.COURSES_AUTHOR);
  const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
  if (activity.kind !== ActivityKind.ASSESSMENT) throw userError(UserErrorCode.INVALID, 'the activity is not an ASSESSMENT activity', ACTIVITY_PATH);
  return activity;
}

/** Authors write and read whole assessment documents; only they ever see the answers in them. */
export const authoringService = {
  /**
   * Sets the assessment of an ASSESSMENT activity in a draft revision (a published revision is
   * frozen), after the form and the engine's authoring rules are checked. Audited with before/after.
   */
  async set(ctx: RequestContext, activityId: string, document: unknown): Promise<AuthoredAssessment> {
    const activity = await assessmentActivity(ctx, activityId);
    await contentService.assertDraft(ctx, activity.revisionId, ACTIVITY_PATH);
    const check = new InputCheck();
    const content = checkAssessmentContent(check, activity.kind, document, ['input', 'assessment']);
    if (!content) throw check.ok ? userError(UserErrorCode.INVALID, 'assessment is required', ['input', 'assessment']) : new UserErrors(check.errors);
    await ctx.manager.update(Activity, { organizationId: ctx.orgId, id: activity.id }, { content });
    const after = assessmentOf({ kind: activity.kind, content })!;
    await auditService.record(ctx, { action: 'assessment.set', entityType: 'Activity', entityId: activity.id, before: assessmentOf(activity), after });
    return { activityId: toGlobalId(ACTIVITY_TYPE, activity.id), document: after, frozen: false };
  },

  /** The full document of an activity's assessment, answers included; null while none is set (or for other kinds). */
  async authored(ctx: RequestContext, activityId: string): Promise<AuthoredAssessment | null> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
    const document = assessmentOf(activity);
    if (!document) return null;
    const revision = await revisionById(ctx).load(activity.revisionId);
    return { activityId: toGlobalId(ACTIVITY_TYPE, activity.id), document, frozen: revision?.status === RevisionStatus.PUBLISHED };
  },
};
