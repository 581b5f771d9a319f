import type { RequestContext } from '../../shared/context';
import { UserErrorCode, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { auditService } from '../audit/audit.service';
import { Activity } from './content.entity';
import { Course, CourseRevision, CourseStatus, RevisionStatus } from './course.entity';
import { courseService, courseView } from './course.service';
import { readContent, writeContent, type ModuleSnapshot } from './snapshot';
import { msg } from '../../shared/i18n/message';

const ID_PATH = ['input', 'id'];

/** Publishing, archiving and new drafts: how a course's revisions move (DESIGN §7). */
export const courseLifecycle = {
  /** Freezes the draft revision and makes it the one learners start on. Refused with no activities. */
  async publish(ctx: RequestContext, id: string): Promise<Course> {
    const course = await courseService.findForAuthoring(ctx, id, true);
    if (course.status === CourseStatus.ARCHIVED) throw userError(UserErrorCode.CONFLICT, 'archived courses cannot be published', ID_PATH);
    if (!course.draftRevisionId) throw userError(UserErrorCode.CONFLICT, 'there is no draft revision to publish; create one with createCourseDraft', ID_PATH);
    const activities = await ctx.manager.countBy(Activity, { organizationId: ctx.orgId, revisionId: course.draftRevisionId });
    if (activities === 0) throw userError(UserErrorCode.INVALID, 'a course needs at least one activity before it can be published', ID_PATH);
    await this.assertContentComplete(ctx, course.draftRevisionId);
    const now = new Date();
    await ctx.manager.update(CourseRevision, { organizationId: ctx.orgId, id: course.draftRevisionId }, { status: RevisionStatus.PUBLISHED, publishedAt: now });
    await ctx.manager.update(Course, { organizationId: ctx.orgId, id }, {
      status: CourseStatus.PUBLISHED, publishedRevisionId: course.draftRevisionId, draftRevisionId: null, publishedAt: now,
    });
    return this.audited(ctx, 'course.publish', course);
  },

  /** Refuses a revision with a SCORM activity without a package or an ASSESSMENT without its questions. */
  async assertContentComplete(ctx: RequestContext, revisionId: string): Promise<void> {
    const empty = (await ctx.manager.query(
      `SELECT title->>'zh-CN' AS title, kind FROM activity
        WHERE organization_id = $1 AND revision_id = $2
          AND ((kind = 'SCORM' AND NOT content ? 'packageId') OR (kind = 'ASSESSMENT' AND NOT content ? 'assessment'))
        ORDER BY position LIMIT 5`,
      [ctx.orgId, revisionId],
    )) as { title: string; kind: string }[];
    if (empty.length) {
      const list = empty.map((a) => `${a.title} (${a.kind === 'SCORM' ? 'no SCORM package' : 'no questions'})`).join('; ');
      throw userError(UserErrorCode.INVALID, msg('these activities have no content yet: {activities}', { activities: list }), ID_PATH);
    }
  },

  /** Takes a course out of the catalog; enrolled learners keep what they have. */
  async archive(ctx: RequestContext, id: string): Promise<Course> {
    const course = await courseService.findForAuthoring(ctx, id, true);
    if (course.status === CourseStatus.ARCHIVED) throw userError(UserErrorCode.CONFLICT, 'the course is already archived', ID_PATH);
    await ctx.manager.update(Course, { organizationId: ctx.orgId, id }, { status: CourseStatus.ARCHIVED });
    return this.audited(ctx, 'course.archive', course);
  },

  /** Starts a new draft revision as a copy of the published one (same activity keys and certification rule). */
  async createDraft(ctx: RequestContext, id: string): Promise<Course> {
    const course = await courseService.findForAuthoring(ctx, id, true);
    if (course.status === CourseStatus.ARCHIVED) throw userError(UserErrorCode.CONFLICT, 'archived courses cannot be changed', ID_PATH);
    if (course.draftRevisionId) throw userError(UserErrorCode.CONFLICT, 'the course already has a draft revision', ID_PATH);
    const content = course.publishedRevisionId ? await readContent(ctx, course.publishedRevisionId) : [];
    const draft = await this.newDraft(ctx, course, content);
    if (course.publishedRevisionId) {
      // The certification rule carries over with the content; the published revision keeps its own.
      await ctx.manager.query(
        `UPDATE course_revision d SET certification_rule = p.certification_rule FROM course_revision p
          WHERE d.organization_id = $1 AND d.id = $2 AND p.organization_id = $1 AND p.id = $3`,
        [ctx.orgId, draft.id, course.publishedRevisionId],
      );
    }
    return this.audited(ctx, 'course.draft', course);
  },

  /** A new draft revision holding `content`, set as the course's draft. */
  async newDraft(ctx: RequestContext, course: Course, content: ModuleSnapshot[]): Promise<CourseRevision> {
    const rows = (await ctx.manager.query(
      'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM course_revision WHERE organization_id = $1 AND course_id = $2',
      [ctx.orgId, course.id],
    )) as { next: number }[];
    const revision = await courseService.insertRevision(ctx, course.id, Number(rows[0].next));
    await writeContent(ctx, course.id, revision.id, content);
    await ctx.manager.update(Course, { organizationId: ctx.orgId, id: course.id }, { draftRevisionId: revision.id });
    return revision;
  },

  /** Records the change with before/after and returns the course as it is now. */
  async audited(ctx: RequestContext, action: string, before: Course): Promise<Course> {
    const after = await getEntityOrThrow(ctx, Course, before.id, 'Course');
    await auditService.record(ctx, { action, entityType: 'Course', entityId: before.id, before: courseView(before), after: courseView(after) });
    return after;
  },
};
