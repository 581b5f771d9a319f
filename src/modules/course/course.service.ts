import type { RequestContext } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Course, CourseRevision, CourseStatus, RevisionStatus } from './course.entity';
import { checkCourseFields, type CourseFields } from './course.fields';
import type { CourseFilter, CreateCourseInput, UpdateCourseInput } from './course.inputs';
import { canSeeCourse, learnerVisibility, seesAllCourses } from './course.access';
import { viewerEnrollmentByCourse } from '../catalog/catalog.loader';
import { EnrollmentStatus } from '../enrollment/enrollment.entity';
import { msg } from '../../shared/i18n/message';

/** What the audit log keeps of a course. */
export const courseView = (c: Course): Record<string, unknown> => ({
  code: c.code, status: c.status, title: c.title, description: c.description, tags: c.tags, estimatedMinutes: c.estimatedMinutes,
  coverUrl: c.coverUrl, selfEnrollment: c.selfEnrollment, validityDays: c.validityDays, publishedRevisionId: c.publishedRevisionId,
  draftRevisionId: c.draftRevisionId, sourceTemplateId: c.sourceTemplateId, sourceTemplateVersion: c.sourceTemplateVersion,
});

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const courseService = {
  /** A course the caller may see, or NOT_FOUND (other tenants, drafts for learners, private courses). */
  async findVisible(ctx: RequestContext, id: string): Promise<Course> {
    ctx.assert(Permission.CATALOG_READ);
    const course = await getEntityOrThrow(ctx, Course, id, 'Course');
    const enrollment = ctx.user && !seesAllCourses(ctx) ? await viewerEnrollmentByCourse(ctx).load(course.id) : null;
    if (!canSeeCourse(ctx, course, !!enrollment && enrollment.status !== EnrollmentStatus.WITHDRAWN)) throw notFound('Course');
    return course;
  },

  /**
   * A course for authoring: the caller needs COURSES_AUTHOR. With `lock`, the row is locked until
   * the request commits, so concurrent publishes or new drafts of one course run one after another.
   */
  async findForAuthoring(ctx: RequestContext, id: string, lock = false): Promise<Course> {
    ctx.assert(Permission.COURSES_AUTHOR);
    if (!lock) return getEntityOrThrow(ctx, Course, id, 'Course');
    const course = await ctx.manager.findOne(Course, { where: { organizationId: ctx.orgId, id }, lock: { mode: 'pessimistic_write' } });
    if (!course) throw notFound('Course');
    return course;
  },

  /** The catalog, filtered, with the learner visibility rule for everyone but authors and managers. */
  async list(ctx: RequestContext, filter: CourseFilter, page: PageArgs) {
    ctx.assert(Permission.CATALOG_READ);
    const qb = ctx.manager.createQueryBuilder(Course, 'c').where('c.organization_id = :org', { org: ctx.orgId });
    if (!seesAllCourses(ctx)) {
      const rule = learnerVisibility(ctx);
      qb.andWhere(rule.sql, rule.params);
    }
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.tag) qb.andWhere(':tag = ANY(c.tags)', { tag: filter.tag });
    if (filter.search?.trim()) {
      qb.andWhere(`(c.code ILIKE :like OR c.title->>'zh-CN' ILIKE :like OR c.title->>'en' ILIKE :like
        OR c.description->>'zh-CN' ILIKE :like OR c.description->>'en' ILIKE :like)`, { like: `%${escapeLike(filter.search.trim())}%` });
    }
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: 'c.code', key: (c) => c.code, kind: 'text' },
      { sql: 'c.id', key: (c) => c.id, kind: 'uuid' },
    ]);
  },

  /** A new DRAFT course with an empty draft revision 1. */
  async create(ctx: RequestContext, input: CreateCourseInput): Promise<Course> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const check = new InputCheck();
    const fields = checkCourseFields(check, input, true);
    await this.checkCodeFree(ctx, check, fields.code);
    if (!check.ok) throw new UserErrors(check.errors);
    const course = await this.insertWithDraft(ctx, fields);
    await auditService.record(ctx, { action: 'course.create', entityType: 'Course', entityId: course.id, after: courseView(course) });
    return course;
  },

  /** Inserts a course and its first (draft) revision. */
  async insertWithDraft(ctx: RequestContext, fields: CourseFields & { sourceTemplateId?: string; sourceTemplateVersion?: number }): Promise<Course> {
    const course = ctx.manager.create(Course, {
      tags: [], estimatedMinutes: null, coverUrl: null, selfEnrollment: false, validityDays: null, description: null, ...fields,
      organizationId: ctx.orgId, status: CourseStatus.DRAFT,
    });
    await ctx.manager.insert(Course, course);
    const revision = await this.insertRevision(ctx, course.id, 1);
    await ctx.manager.update(Course, { organizationId: ctx.orgId, id: course.id }, { draftRevisionId: revision.id });
    return getEntityOrThrow(ctx, Course, course.id, 'Course');
  },

  async insertRevision(ctx: RequestContext, courseId: string, number: number): Promise<CourseRevision> {
    const revision = ctx.manager.create(CourseRevision, { organizationId: ctx.orgId, courseId, number, status: RevisionStatus.DRAFT, publishedAt: null });
    await ctx.manager.insert(CourseRevision, revision);
    return revision;
  },

  async checkCodeFree(ctx: RequestContext, check: InputCheck, code: string | undefined, exceptId?: string): Promise<void> {
    if (!code) return;
    const holder = await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, code });
    if (holder && holder.id !== exceptId) check.add(UserErrorCode.DUPLICATE, msg('code {code} is already used', { code }), ['input', 'code']);
  },

  /** Changes catalog data (not content: that lives in revisions). Archived courses are read-only. */
  async update(ctx: RequestContext, id: string, input: UpdateCourseInput): Promise<Course> {
    const course = await this.findForAuthoring(ctx, id);
    if (course.status === CourseStatus.ARCHIVED) throw userError(UserErrorCode.CONFLICT, 'archived courses cannot be changed', ['input', 'id']);
    const check = new InputCheck();
    const fields = checkCourseFields(check, input, false);
    await this.checkCodeFree(ctx, check, fields.code, course.id);
    if (!check.ok) throw new UserErrors(check.errors);
    const before = courseView(course);
    if (Object.keys(fields).length) await ctx.manager.update(Course, { organizationId: ctx.orgId, id }, fields);
    const after = await getEntityOrThrow(ctx, Course, id, 'Course');
    await auditService.record(ctx, { action: 'course.update', entityType: 'Course', entityId: id, before, after: courseView(after) });
    return after;
  },
};
