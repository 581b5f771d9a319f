import type { RequestContext } from '../../shared/context';
import { newId } from '../../shared/ids';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { checkCompletion, checkContent } from './activity.check';
import { Activity, CourseModule } from './content.entity';
import type { CreateActivityInput, UpdateActivityInput } from './content.inputs';
import { contentService } from './content.service';
import { checkText } from './localized';
import { compactPositions, insertPosition, type OrderedScope } from './positions';

const activityView = (a: Activity): Record<string, unknown> => ({
  courseId: a.courseId, revisionId: a.revisionId, moduleId: a.moduleId, key: a.key, position: a.position, kind: a.kind, title: a.title,
  required: a.required, completionKind: a.completionKind, completionThreshold: a.completionThreshold, content: a.content,
});

const inModule = (moduleId: string): OrderedScope => ({ table: 'activity', column: 'module_id', id: moduleId });

/** Activities of draft revisions: create, change, move, delete, reorder. */
export const activityService = {
  async editable(ctx: RequestContext, id: string): Promise<Activity> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const activity = await getEntityOrThrow(ctx, Activity, id, 'Activity');
    await contentService.assertDraft(ctx, activity.revisionId, ['input', 'id']);
    return activity;
  },

  async create(ctx: RequestContext, moduleId: string, input: CreateActivityInput): Promise<Activity> {
    const module = await contentService.editableModule(ctx, moduleId, ['input', 'moduleId']);
    const check = new InputCheck();
    const title = checkText(check, input.title, ['input', 'title'], 200, true);
    const rule = checkCompletion(check, input.kind, input.completion, ['input', 'completion']);
    const content = checkContent(check, input.kind, input, true);
    if (!check.ok) throw new UserErrors(check.errors);
    const position = await insertPosition(ctx, inModule(module.id), input.position);
    const activity = ctx.manager.create(Activity, {
      organizationId: ctx.orgId, courseId: module.courseId, revisionId: module.revisionId, moduleId: module.id, key: newId(), position,
      kind: input.kind, title: title!, required: input.required ?? true, ...rule, content: content ?? {},
    });
    await ctx.manager.insert(Activity, activity);
    await auditService.record(ctx, { action: 'activity.create', entityType: 'Activity', entityId: activity.id, after: activityView(activity) });
    return getEntityOrThrow(ctx, Activity, activity.id, 'Activity');
  },

  async update(ctx: RequestContext, id: string, input: UpdateActivityInput, targetModuleId: string | null): Promise<Activity> {
    const activity = await this.editable(ctx, id);
    const check = new InputCheck();
    const changes: Partial<Activity> = {};
    if (input.title != null) changes.title = checkText(check, input.title, ['input', 'title'], 200, true) ?? undefined;
    if (input.required != null) changes.required = input.required;
    if (input.completion) Object.assign(changes, checkCompletion(check, activity.kind, input.completion, ['input', 'completion']));
    const content = checkContent(check, activity.kind, input, false);
    if (content) changes.content = content;
    if (!check.ok) throw new UserErrors(check.errors);
    if (targetModuleId && targetModuleId !== activity.moduleId) Object.assign(changes, await this.moveTarget(ctx, activity, targetModuleId));
    if (Object.keys(changes).length) await ctx.manager.update(Activity, { organizationId: ctx.orgId, id }, changes);
    if (changes.moduleId) await compactPositions(ctx, inModule(activity.moduleId));
    const after = await getEntityOrThrow(ctx, Activity, id, 'Activity');
    await auditService.record(ctx, { action: 'activity.update', entityType: 'Activity', entityId: id, before: activityView(activity), after: activityView(after) });
    return after;
  },

  /** The module and position an activity moves to: the end of another module of the same revision. */
  async moveTarget(ctx: RequestContext, activity: Activity, moduleId: string): Promise<Partial<Activity>> {
    const target = await getEntityOrThrow(ctx, CourseModule, moduleId, 'Module');
    if (target.revisionId !== activity.revisionId) {
      throw userError(UserErrorCode.INVALID, 'an activity can only move within its revision', ['input', 'moduleId']);
    }
    return { moduleId: target.id, position: await insertPosition(ctx, inModule(target.id), null) };
  },

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const activity = await this.editable(ctx, id);
    await ctx.manager.delete(Activity, { organizationId: ctx.orgId, id });
    await compactPositions(ctx, inModule(activity.moduleId));
    await auditService.record(ctx, { action: 'activity.delete', entityType: 'Activity', entityId: id, before: activityView(activity) });
  },

  async reorder(ctx: RequestContext, moduleId: string, activityIds: string[]): Promise<void> {
    const module = await contentService.editableModule(ctx, moduleId, ['input', 'moduleId']);
    await contentService.reorder(ctx, inModule(module.id), activityIds, ['input', 'activityIds'], { action: 'activity.reorder', entityType: 'CourseModule' });
  },
};
