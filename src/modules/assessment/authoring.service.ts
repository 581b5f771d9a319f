import type { RequestContext } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import { UserError, UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { Permission } from '../../shared/permissions';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Activity, ActivityKind, type ActivityContent } from '../course/content.entity';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { contentService } from '../course/content.service';
import { RevisionStatus } from '../course/course.entity';
import { revisionById } from '../course/course.loader';
import { assessmentOf, checkAssessmentContent, contentWith } from './assessment.content';
import { assessmentFromInput } from './authoring.build';
import type { AuthorAssessmentInput } from './authoring.inputs';
import type { AuthoredAssessment } from './authoring.types';
import { authoredView } from './authoring.view';

const ACTIVITY_PATH = ['input', 'activityId'];

/** An ASSESSMENT activity of a draft revision (a published revision is frozen). */
async function draftAssessmentActivity(ctx: RequestContext, activityId: string): Promise<Activity> {
  ctx.assert(Permission.COURSES_AUTHOR);
  const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
  if (activity.kind !== ActivityKind.ASSESSMENT) throw userError(UserErrorCode.INVALID, 'the activity is not an ASSESSMENT activity', ACTIVITY_PATH);
  await contentService.assertDraft(ctx, activity.revisionId, ACTIVITY_PATH);
  return activity;
}

/** Stores checked content as the activity's assessment, audited with before/after. */
async function store(ctx: RequestContext, activity: Activity, content: ActivityContent): Promise<AuthoredAssessment> {
  await ctx.manager.update(Activity, { organizationId: ctx.orgId, id: activity.id }, { content });
  const after = assessmentOf({ kind: activity.kind, content })!;
  await auditService.record(ctx, { action: 'assessment.set', entityType: 'Activity', entityId: activity.id, before: assessmentOf(activity), after });
  return authoredView(toGlobalId(ACTIVITY_TYPE, activity.id), after, false);
}

/** Authors write and read whole assessments; only they ever see the answers in them. */
export const authoringService = {
  /** Sets the assessment of an ASSESSMENT activity in a draft revision from the typed input, defaults applied, after the engine's authoring rules. */
  async author(ctx: RequestContext, activityId: string, input: AuthorAssessmentInput): Promise<AuthoredAssessment> {
    const activity = await draftAssessmentActivity(ctx, activityId);
    const built = assessmentFromInput(input);
    if (!built.ok) throw new UserErrors(built.issues.map((i) => new UserError(i.code as UserErrorCode, i.message, ['input', ...i.path])));
    return store(ctx, activity, contentWith(built.assessment));
  },

  /** Sets the assessment from one JSON document, after its form and the engine's authoring rules are checked. */
  async set(ctx: RequestContext, activityId: string, document: unknown): Promise<AuthoredAssessment> {
    const activity = await draftAssessmentActivity(ctx, activityId);
    const check = new InputCheck();
    const content = checkAssessmentContent(check, activity.kind, document, ['input', 'assessment']);
    if (!content) throw check.ok ? userError(UserErrorCode.INVALID, 'assessment is required', ['input', 'assessment']) : new UserErrors(check.errors);
    return store(ctx, activity, content);
  },

  /** The full assessment of an activity, answers included; null while none is set (or for other kinds). */
  async authored(ctx: RequestContext, activityId: string): Promise<AuthoredAssessment | null> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const activity = await getEntityOrThrow(ctx, Activity, activityId, 'Activity');
    const document = assessmentOf(activity);
    if (!document) return null;
    const revision = await revisionById(ctx).load(activity.revisionId);
    return authoredView(toGlobalId(ACTIVITY_TYPE, activity.id), document, revision?.status === RevisionStatus.PUBLISHED);
  },
};
