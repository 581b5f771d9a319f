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

/**
 * The fields of `ActivityProgress` a dashboard reads: a learner's catalog reads these of its 17
 * columns (400 rows a request in the bench's catalog), so the viewer's progress is read with only
 * their columns, and the activity key it is found by, unless a selection asks for more.
 */
export const PROGRESS_SUMMARY_FIELDS: ReadonlySet<string> = new Set(['__typename', 'completionStatus', 'successStatus', 'scoreScaled', 'progressMeasure', 'completed', 'attemptCount']);

let omitted: string[] | undefined;

/** The columns of progress the summary leaves out: every one but the summary fields' and the key (a column added later too). */
function summaryOmits(ctx: RequestContext): string[] {
  omitted ??= ctx.deps.dataSource.getMetadata(ActivityProgress).columns.map((c) => c.propertyName)
    .filter((c) => c !== 'activityKey' && !PROGRESS_SUMMARY_FIELDS.has(c));
  return omitted;
}

/** The viewer's progress per course this request read, with every column (`full`, which also serves summaries) or the summary's. */
type LoadedProgress = Record<'full' | 'summary', Map<string, CourseProgress>>;

const loadedProgress = new WeakMap<RequestContext, LoadedProgress>();

function loadedOf(ctx: RequestContext): LoadedProgress {
  let loaded = loadedProgress.get(ctx);
  if (!loaded) loadedProgress.set(ctx, (loaded = { full: new Map(), summary: new Map() }));
  return loaded;
}

/** The viewer's progress on a course if it was already loaded in this request (with every column if `full`), to resolve synchronously. */
function loadedCourseProgress(ctx: RequestContext, courseId: string, full: boolean): CourseProgress | undefined {
  const loaded = loadedProgress.get(ctx);
  return loaded?.full.get(courseId) ?? (full ? undefined : loaded?.summary.get(courseId));
}

/**
 * The caller's progress per course (on the open cycle), by activity key (progress follows an activity across
 * revisions), with every column or the summary's. One statement per batch, however many courses and activities. Scores as stored: the
 * catalog hides what an assessment's review policy hides when it shows them.
 */
function progressLoader(ctx: RequestContext, full: boolean): DataLoader<string, CourseProgress> {
  return new DataLoader<string, CourseProgress>(async (courseIds) => {
    const byCourse = new Map<string, CourseProgress>(courseIds.map((id) => [id, new Map()]));
    if (ctx.user) {
      const reader = leanReader(ctx.deps.dataSource, ActivityProgress, 'p', full ? [] : summaryOmits(ctx));
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
    const loaded = loadedOf(ctx)[full ? 'full' : 'summary'];
    for (const [id, progress] of byCourse) loaded.set(id, progress);
    return courseIds.map((id) => byCourse.get(id)!);
  });
}

/** The viewer's progress per course with every column. */
const viewerProgressByCourse = defineLoader((ctx) => progressLoader(ctx, true));

/** The viewer's progress per course with the summary's columns only (`PROGRESS_SUMMARY_FIELDS`). */
const viewerProgressSummaryByCourse = defineLoader((ctx) => progressLoader(ctx, false));

/** The viewer's progress on a course, with every column if `full`: what this request already read, else loaded. */
export function viewerProgress(ctx: RequestContext, courseId: string, full: boolean): CourseProgress | Promise<CourseProgress> {
  return loadedCourseProgress(ctx, courseId, full) ?? (full ? viewerProgressByCourse : viewerProgressSummaryByCourse)(ctx).load(courseId);
}

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
