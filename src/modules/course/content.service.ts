import type { RequestContext } from '../../shared/context';
import { newId } from '../../shared/ids';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { CourseModule } from './content.entity';
import type { CreateModuleInput, UpdateModuleInput } from './content.inputs';
import { Course, CourseRevision, CourseStatus, RevisionStatus } from './course.entity';
import { checkText } from './localized';
import { applyOrder, compactPositions, insertPosition, orderedIds, type OrderedScope } from './positions';
import { msg } from '../../shared/i18n/message';

const moduleView = (m: CourseModule): Record<string, unknown> => ({
  courseId: m.courseId, revisionId: m.revisionId, key: m.key, position: m.position, title: m.title, description: m.description,
});

const frozen = (number: number, path: string[]) =>
  userError(UserErrorCode.FROZEN, msg('revision {number} is published and frozen; start a new draft with createCourseDraft', { number }), path);

/** Modules of draft revisions, and the rules every content edit shares. */
export const contentService = {
  /** The course's draft revision id; FROZEN when only a published (frozen) revision exists. */
  async draftOf(ctx: RequestContext, courseId: string, path: string[]): Promise<string> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const course = await getEntityOrThrow(ctx, Course, courseId, 'Course');
    if (course.status === CourseStatus.ARCHIVED) throw userError(UserErrorCode.CONFLICT, 'archived courses cannot be changed', path);
    if (course.draftRevisionId) return course.draftRevisionId;
    const published = await getEntityOrThrow(ctx, CourseRevision, course.publishedRevisionId!, 'Revision');
    throw frozen(published.number, path);
  },

  /** Refuses edits to anything in a published revision. */
  async assertDraft(ctx: RequestContext, revisionId: string, path: string[]): Promise<void> {
    const revision = await getEntityOrThrow(ctx, CourseRevision, revisionId, 'Revision');
    if (revision.status !== RevisionStatus.DRAFT) throw frozen(revision.number, path);
  },

  /** A module the caller may edit: it exists, and its revision is a draft. */
  async editableModule(ctx: RequestContext, id: string, path: string[] = ['input', 'id']): Promise<CourseModule> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const module = await getEntityOrThrow(ctx, CourseModule, id, 'Module');
    await this.assertDraft(ctx, module.revisionId, path);
    return module;
  },

  async createModule(ctx: RequestContext, courseId: string, input: CreateModuleInput): Promise<CourseModule> {
    const revisionId = await this.draftOf(ctx, courseId, ['input', 'courseId']);
    const check = new InputCheck();
    const title = checkText(check, input.title, ['input', 'title'], 200, true);
    const description = checkText(check, input.description, ['input', 'description'], 4000);
    if (!check.ok) throw new UserErrors(check.errors);
    const position = await insertPosition(ctx, { table: 'course_module', column: 'revision_id', id: revisionId }, input.position);
    const module = ctx.manager.create(CourseModule, { organizationId: ctx.orgId, courseId, revisionId, key: newId(), position, title: title!, description });
    await ctx.manager.insert(CourseModule, module);
    await auditService.record(ctx, { action: 'module.create', entityType: 'CourseModule', entityId: module.id, after: moduleView(module) });
    return getEntityOrThrow(ctx, CourseModule, module.id, 'Module');
  },

  async updateModule(ctx: RequestContext, id: string, input: UpdateModuleInput): Promise<CourseModule> {
    const module = await this.editableModule(ctx, id);
    const check = new InputCheck();
    const changes: Partial<CourseModule> = {};
    if (input.title != null) changes.title = checkText(check, input.title, ['input', 'title'], 200, true) ?? undefined;
    if (input.description !== undefined) changes.description = checkText(check, input.description, ['input', 'description'], 4000);
    if (!check.ok) throw new UserErrors(check.errors);
    if (Object.keys(changes).length) await ctx.manager.update(CourseModule, { organizationId: ctx.orgId, id }, changes);
    const after = await getEntityOrThrow(ctx, CourseModule, id, 'Module');
    await auditService.record(ctx, { action: 'module.update', entityType: 'CourseModule', entityId: id, before: moduleView(module), after: moduleView(after) });
    return after;
  },

  /** Deletes a draft module and its activities. */
  async deleteModule(ctx: RequestContext, id: string): Promise<void> {
    const module = await this.editableModule(ctx, id);
    await ctx.manager.delete(CourseModule, { organizationId: ctx.orgId, id });
    await compactPositions(ctx, { table: 'course_module', column: 'revision_id', id: module.revisionId });
    await auditService.record(ctx, { action: 'module.delete', entityType: 'CourseModule', entityId: id, before: moduleView(module) });
  },

  async reorderModules(ctx: RequestContext, courseId: string, moduleIds: string[]): Promise<void> {
    const revisionId = await this.draftOf(ctx, courseId, ['input', 'courseId']);
    const scope: OrderedScope = { table: 'course_module', column: 'revision_id', id: revisionId };
    await this.reorder(ctx, scope, moduleIds, ['input', 'moduleIds'], { action: 'module.reorder', entityType: 'CourseRevision' });
  },

  /** Applies a new order after checking it names every item of the scope exactly once. */
  async reorder(ctx: RequestContext, scope: OrderedScope, ids: string[], path: string[], audit: { action: string; entityType: string }): Promise<void> {
    const before = await orderedIds(ctx, scope);
    const same = ids.length === before.length && new Set(ids).size === ids.length && ids.every((id) => before.includes(id));
    if (!same) throw userError(UserErrorCode.INVALID, msg('{field} must list every item exactly once', { field: String(path.at(-1)) }), path);
    await applyOrder(ctx, scope, ids);
    await auditService.record(ctx, { ...audit, entityId: scope.id, before: { order: before }, after: { order: ids } });
  },
};
