import type { RequestContext } from '../shared/context';
import { authoringService } from '../modules/assessment/authoring.service';
import { Activity, ActivityKind, CourseModule } from '../modules/course/content.entity';
import type { Course } from '../modules/course/course.entity';
import { activityService } from '../modules/course/activity.service';
import { contentService } from '../modules/course/content.service';
import { courseLifecycle } from '../modules/course/course.lifecycle';
import { courseService } from '../modules/course/course.service';
import type { LocalizedText, TranslationsInput } from '../modules/course/localized';
import { Enrollment } from '../modules/enrollment/enrollment.entity';
import { enrollmentService } from '../modules/enrollment/enrollment.service';
import { CompletionStatus } from '../modules/progress/progress.entity';
import { progressService } from '../modules/progress/progress.service';
import { CourseTemplate } from '../modules/template/template.entity';
import type { PublishCourseTemplateInput } from '../modules/template/template.inputs';
import { templateService } from '../modules/template/template.service';
import { AppUser } from '../modules/user/user.entity';
import { DEMO_CATALOG, ETIQUETTE_COURSE, type DemoCatalogPlan, type DemoCourse } from './content';
import { demoAssessment } from './assessments';
import type { DemoStep } from './load';
import { demoExternalId, type DemoOrganization } from './people';

const tr = (text: LocalizedText): TranslationsInput => ({ zhCN: text['zh-CN'], en: text.en ?? null });

function templateInput(course: DemoCourse): PublishCourseTemplateInput {
  return {
    code: course.code, title: tr(course.title), description: tr(course.description), tags: course.tags, estimatedMinutes: course.estimatedMinutes,
    modules: course.modules.map((m) => ({
      title: tr(m.title),
      activities: m.activities.map((a) => ({
        kind: a.kind, title: tr(a.title), completion: a.completion, page: a.html ? { html: a.html } : null, assessment: demoAssessment(course, a),
      })),
    })),
  };
}

/** Platform step: the shared etiquette course (seed 001) as a template in the platform catalog. */
export async function publishDemoTemplates(ctx: RequestContext): Promise<void> {
  await templateService.publish(ctx, templateInput(ETIQUETTE_COURSE));
}

/** Builds a tenant's own course through the authoring services (sanitized, audited) and publishes it. */
async function createOwnCourse(ctx: RequestContext, demo: DemoCourse): Promise<Course> {
  const course = await courseService.create(ctx, {
    code: demo.code, title: tr(demo.title), description: tr(demo.description), tags: demo.tags,
    estimatedMinutes: demo.estimatedMinutes, selfEnrollment: demo.selfEnrollment,
  });
  for (const m of demo.modules) {
    const created = await contentService.createModule(ctx, course.id, { courseId: course.id, title: tr(m.title) });
    for (const a of m.activities) {
      const activity = await activityService.create(ctx, created.id, {
        moduleId: created.id, kind: a.kind, title: tr(a.title), completion: a.completion, page: a.html ? { html: a.html } : null,
      });
      const assessment = demoAssessment(demo, a);
      if (assessment) await authoringService.set(ctx, activity.id, assessment);
    }
  }
  return courseLifecycle.publish(ctx, course.id);
}

/** Adopts the etiquette template as the organization's own course and publishes it. */
async function adoptEtiquette(ctx: RequestContext): Promise<Course> {
  const template = await ctx.manager.findOneByOrFail(CourseTemplate, { code: ETIQUETTE_COURSE.code });
  const course = await templateService.adopt(ctx, template.id, null, null);
  await courseService.update(ctx, course.id, { id: course.id, selfEnrollment: ETIQUETTE_COURSE.selfEnrollment });
  return courseLifecycle.publish(ctx, course.id);
}

/** Records a learner viewing the first `pages` lesson pages of a course, as the front end would. */
async function viewPages(ctx: RequestContext, org: DemoOrganization, person: string, course: Course, pages: number): Promise<void> {
  const user = await ctx.manager.findOneByOrFail(AppUser, { organizationId: ctx.orgId, externalId: demoExternalId(org.slug, person) });
  const enrollment = await ctx.manager.findOneByOrFail(Enrollment, { organizationId: ctx.orgId, userId: user.id, courseId: course.id });
  const activities = await ctx.manager.createQueryBuilder(Activity, 'a')
    .innerJoin(CourseModule, 'm', 'm.organization_id = a.organization_id AND m.id = a.module_id')
    .where('a.organization_id = :org AND a.revision_id = :rev AND a.kind = :kind', { org: ctx.orgId, rev: course.publishedRevisionId, kind: ActivityKind.PAGE })
    .orderBy('m.position').addOrderBy('a.position')
    .getMany();
  for (const activity of activities.slice(0, pages)) {
    await progressService.recordActivityProgress(ctx, enrollment, activity, { completionStatus: CompletionStatus.COMPLETED, progressMeasure: 1, timeSpentSeconds: 180, attemptNumber: 1 });
  }
}

/**
 * Each assignment is a standing rule due N days after enrollment. A negative N is history: those
 * learners were assigned 2|N| days ago and are |N| days overdue (an assignment cannot be due in the past).
 */
async function assignAll(ctx: RequestContext, plan: DemoCatalogPlan, courses: Record<'own' | 'etiquette', Course>): Promise<void> {
  for (const a of plan.assignments) {
    const days = Math.abs(a.dueInDays);
    const { enrollments } = await enrollmentService.assign(ctx, courses[a.course].id, { userIds: [], orgUnitPath: a.orgUnitPath, jobTitle: a.jobTitle, dueInDays: days });
    if (a.dueInDays >= 0) continue;
    await ctx.manager.query(
      `UPDATE enrollment SET assigned_at = now() - make_interval(days => $3 * 2), due_at = now() - make_interval(days => $3) WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [ctx.orgId, enrollments.map((e) => e.id), days],
    );
  }
}

/** Demo step: each tenant's own course from its seed document, the adopted etiquette course, enrollments and some progress. */
export const seedDemoCatalog: DemoStep = async (ctx, org) => {
  const plan = DEMO_CATALOG[org.slug];
  if (!plan) return;
  const courses = { etiquette: await adoptEtiquette(ctx), own: await createOwnCourse(ctx, plan.own) };
  await assignAll(ctx, plan, courses);
  for (const s of plan.started) await viewPages(ctx, org, s.person, courses[s.course], s.pages);
};
