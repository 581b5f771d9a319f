import type { RequestContext } from '../../shared/context';
import { forbidden, notFound } from '../../shared/errors';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { CourseModule } from '../course/content.entity';
import { Course, CourseStatus } from '../course/course.entity';
import { courseLifecycle } from '../course/course.lifecycle';
import { courseService, courseView } from '../course/course.service';
import { writeContent } from '../course/snapshot';
import { checkTemplate } from './template.check';
import { CourseTemplate, CourseTemplateVersion } from './template.entity';
import type { PublishCourseTemplateInput } from './template.inputs';
import { msg } from '../../shared/i18n/message';

/** Platform admins manage the shared catalog; authors browse it to adopt. */
function assertCanRead(ctx: RequestContext): void {
  if (!ctx.can(Permission.PLATFORM_MANAGE)) ctx.assert(Permission.COURSES_AUTHOR);
}

export const templateService = {
  async list(ctx: RequestContext, page: PageArgs) {
    assertCanRead(ctx);
    const qb = ctx.manager.createQueryBuilder(CourseTemplate, 't');
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: 't.code', key: (t) => t.code, kind: 'text' },
      { sql: 't.id', key: (t) => t.id, kind: 'uuid' },
    ]);
  },

  async findOne(ctx: RequestContext, id: string): Promise<CourseTemplate> {
    assertCanRead(ctx);
    const template = await ctx.manager.findOneBy(CourseTemplate, { id });
    if (!template) throw notFound('Template');
    return template;
  },

  async version(ctx: RequestContext, template: CourseTemplate, version: number | null | undefined, path: string[]): Promise<CourseTemplateVersion> {
    const found = await ctx.manager.findOneBy(CourseTemplateVersion, { templateId: template.id, version: version ?? template.latestVersion });
    if (!found) throw userError(UserErrorCode.NOT_FOUND, msg('template {code} has no version {version}', { code: template.code, version: String(version) }), path);
    return found;
  },

  /** Platform admins: publishes a new immutable version (creating the template when the code is new). */
  async publish(ctx: RequestContext, input: PublishCourseTemplateInput): Promise<CourseTemplate> {
    ctx.assert(Permission.PLATFORM_MANAGE);
    const check = new InputCheck();
    const { code, snapshot } = checkTemplate(check, input);
    if (!check.ok) throw new UserErrors(check.errors);
    const existing = await ctx.manager.findOne(CourseTemplate, { where: { code }, lock: { mode: 'pessimistic_write' } });
    const template = existing ?? ctx.manager.create(CourseTemplate, { code, latestVersion: 0 });
    Object.assign(template, { title: snapshot.course.title, description: snapshot.course.description, tags: snapshot.course.tags });
    template.latestVersion += 1;
    if (existing) {
      await ctx.manager.update(CourseTemplate, { id: template.id }, { title: template.title, description: template.description, tags: template.tags, latestVersion: template.latestVersion });
    } else await ctx.manager.insert(CourseTemplate, template);
    await ctx.manager.insert(CourseTemplateVersion, ctx.manager.create(CourseTemplateVersion, {
      templateId: template.id, version: template.latestVersion, content: snapshot, publishedBy: ctx.actor,
    }));
    return (await ctx.manager.findOneBy(CourseTemplate, { id: template.id }))!;
  },

  /** Copies a template version into the organization as its own draft course, remembering the source. */
  async adopt(ctx: RequestContext, templateId: string, version: number | null | undefined, code: string | null | undefined): Promise<Course> {
    ctx.assert(Permission.COURSES_AUTHOR);
    if (!ctx.organizationId) throw forbidden('Adopting needs an organization');
    const template = await this.findOne(ctx, templateId);
    const source = await this.version(ctx, template, version, ['input', 'version']);
    const check = new InputCheck();
    const courseCode = check.text(code, ['input', 'code'], 64) ?? template.code;
    await courseService.checkCodeFree(ctx, check, courseCode);
    if (!check.ok) throw new UserErrors(check.errors);
    const course = await courseService.insertWithDraft(ctx, {
      ...source.content.course, code: courseCode, sourceTemplateId: template.id, sourceTemplateVersion: source.version,
    });
    await writeContent(ctx, course.id, course.draftRevisionId!, source.content.modules);
    await auditService.record(ctx, { action: 'course.adopt', entityType: 'Course', entityId: course.id, after: courseView(course) });
    return course;
  },

  /** Brings a newer template version into the course's draft revision (a new draft when there is none). */
  async pull(ctx: RequestContext, courseId: string, version: number | null | undefined): Promise<Course> {
    const course = await courseService.findForAuthoring(ctx, courseId, true);
    if (!course.sourceTemplateId) throw userError(UserErrorCode.INVALID, 'the course was not adopted from a template', ['input', 'courseId']);
    if (course.status === CourseStatus.ARCHIVED) throw userError(UserErrorCode.CONFLICT, 'archived courses cannot be changed', ['input', 'courseId']);
    const template = (await ctx.manager.findOneBy(CourseTemplate, { id: course.sourceTemplateId }))!;
    const source = await this.version(ctx, template, version, ['input', 'version']);
    if (source.version <= (course.sourceTemplateVersion ?? 0)) {
      throw userError(UserErrorCode.CONFLICT, msg('the course already has version {version}', { version: String(course.sourceTemplateVersion) }), ['input', 'version']);
    }
    if (course.draftRevisionId) {
      await ctx.manager.delete(CourseModule, { organizationId: ctx.orgId, revisionId: course.draftRevisionId });
      await writeContent(ctx, course.id, course.draftRevisionId, source.content.modules);
    } else await courseLifecycle.newDraft(ctx, course, source.content.modules);
    await ctx.manager.update(Course, { organizationId: ctx.orgId, id: course.id }, { sourceTemplateVersion: source.version });
    return courseLifecycle.audited(ctx, 'course.pullTemplate', course);
  },
};
