import DataLoader from 'dataloader';
import { In, IsNull } from 'typeorm';
import { leanReader } from '../../db/lean';
import type { RequestContext } from '../../shared/context';
import { byKeys, defineLoader } from '../../shared/loaders';
import { Enrollment } from '../enrollment/enrollment.entity';
import { ActivityProgress, SuccessStatus } from '../progress/progress.entity';

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
 * revisions). One statement per batch, however many courses and activities.
 */
export const viewerProgressByCourse = defineLoader(
  (ctx) =>
    new DataLoader<string, CourseProgress>(async (courseIds) => {
      const byCourse = new Map<string, CourseProgress>(courseIds.map((id) => [id, new Map()]));
      if (ctx.user) {
        const reader = leanReader(ctx.deps.dataSource, ActivityProgress, 'p');
        // An assessment whose review policy shows the learner nothing keeps its score out of here too.
        const rows = (await ctx.manager.query(
          `SELECT ${reader.columns}, e.course_id AS "courseId",
                  (a.content #>> '{assessment,settings,reviewPolicy,show}') IS NOT DISTINCT FROM 'NOTHING' AS "scoreHidden"
             FROM enrollment e
             JOIN activity_progress p ON p.organization_id = e.organization_id AND p.enrollment_id = e.id
             JOIN activity a ON a.organization_id = p.organization_id AND a.id = p.activity_id
            WHERE e.organization_id = $1 AND e.user_id = $2 AND e.course_id = ANY($3::uuid[]) AND e.closed_at IS NULL`,
          [ctx.orgId, ctx.user.id, courseIds],
        )) as object[];
        for (const p of reader.hydrate(rows) as (ActivityProgress & { courseId: string; scoreHidden: boolean })[]) {
          if (p.scoreHidden) Object.assign(p, { scoreScaled: null, scoreRaw: null, scoreMin: null, scoreMax: null, successStatus: SuccessStatus.UNKNOWN });
          byCourse.get(p.courseId)!.set(p.activityKey, p);
        }
      }
      const loaded = loadedProgress.get(ctx) ?? new Map<string, CourseProgress>();
      loadedProgress.set(ctx, loaded);
      for (const [id, progress] of byCourse) loaded.set(id, progress);
      return courseIds.map((id) => byCourse.get(id)!);
    }),
);
