import DataLoader from 'dataloader';
import { In, IsNull } from 'typeorm';
import { leanReader } from '../../db/lean';
import type { RequestContext } from '../../shared/context';
import { byKeys, defineLoader } from '../../shared/loaders';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { ActivityProgress } from '../progress/progress.entity';
import { throughEnrollment } from '../progress/through-enrollment';

/** The caller's own open enrollment cycle per course id (null for callers without a user). */
export const viewerEnrollmentByCourse = defineLoader(
  (ctx) =>
    new DataLoader<string, Enrollment | null>(async (courseIds) => {
      if (!ctx.user) return courseIds.map(() => null);
      const rows = await ctx.manager.findBy(Enrollment, { organizationId: ctx.orgId, userId: ctx.user.id, courseId: In([...courseIds]), closedAt: IsNull() });
      return byKeys(courseIds, rows, (e) => e.courseId);
    }),
);

/** The viewer's progress on one course: activity key → progress. */
export type CourseProgress = Map<string, ActivityProgress>;

const loadedProgress = new WeakMap<RequestContext, Map<string, CourseProgress>>();

/** The viewer's progress on a course if it was already loaded in this request, to resolve synchronously. */
export function loadedCourseProgress(ctx: RequestContext, courseId: string): CourseProgress | undefined {
  return loadedProgress.get(ctx)?.get(courseId);
}

/**
 * The caller's progress per course (on the open cycle), by activity key (progress follows an activity across
 * revisions). One statement per batch, however many courses and activities. Scores as stored: the
 * catalog hides what an assessment's review policy hides when it shows them.
 */
export const viewerProgressByCourse = defineLoader(
  (ctx) =>
    new DataLoader<string, CourseProgress>(async (courseIds) => {
      const byCourse = new Map<string, CourseProgress>(courseIds.map((id) => [id, new Map()]));
      if (ctx.user) {
        const reader = leanReader(ctx.deps.dataSource, ActivityProgress, 'p');
        // Scores an assessment's review policy hides are hidden where they are shown (ActivityCatalogResolver.progress):
        // joining every progress row to its activity here cost more database time than any other statement of the catalog.
        const rows = await ctx.transaction.preparedArrays(
          `SELECT ${reader.tenantColumns}, e.course_id AS "courseId"
             FROM enrollment e
             JOIN activity_progress p ON p.organization_id = e.organization_id AND p.enrollment_id = e.id
            WHERE e.organization_id = $1 AND e.user_id = $2 AND e.course_id = ANY($3::uuid[]) AND e.closed_at IS NULL`,
          [ctx.orgId, ctx.user.id, courseIds],
        );
        for (const p of reader.fromArrays<{ courseId: string }>(rows, ctx.orgId, ['courseId'])) byCourse.get(p.courseId)!.set(p.activityKey, p);
      }
      const loaded = loadedProgress.get(ctx) ?? new Map<string, CourseProgress>();
      loadedProgress.set(ctx, loaded);
      for (const [id, progress] of byCourse) loaded.set(id, progress);
      return courseIds.map((id) => byCourse.get(id)!);
    }),
);

/**
 * `row` (an enrollment's course or revision) as the fields below it should see it: marked as
 * reached through `e` (its revision, its learner's progress), except where that is exactly what
 * the caller sees anyway: their own open, not withdrawn cycle on a revision they can see. That row
 * stays as loaded and the viewer's enrollment for the course is primed with `e`, so the hundreds of
 * modules and activities of a learner's catalog are shared rows instead of per-request copies
 * (copying them was 3 % of the catalog's Node CPU in a profile, before collecting them) and read the same
 * progress in the same statements.
 */
export function throughEnrollmentOrOwn<T extends object>(ctx: RequestContext, e: Enrollment, row: T, visibleRevisionId: string | null): T {
  if (ctx.user?.id === e.userId && e.closedAt === null && e.status !== EnrollmentStatus.WITHDRAWN && visibleRevisionId !== null) {
    viewerEnrollmentByCourse(ctx).prime(e.courseId, e);
    return row;
  }
  return throughEnrollment(row, e);
}
