import DataLoader from 'dataloader';
import { defineLoader } from '../../shared/loaders';
import { leanReader } from '../../db/lean';
import type { RequestContext } from '../../shared/context';
import { ActivityKind, type Activity } from '../course/content.entity';
import { ActivityProgress, SuccessStatus } from './progress.entity';

/** What a learner's own progress shows of an assessment whose review policy shows them NOTHING. */
const HIDDEN_SCORE = { scoreScaled: null, scoreRaw: null, scoreMin: null, scoreMax: null, successStatus: SuccessStatus.UNKNOWN };

/**
 * SQL: the activity `alias` is an assessment whose review policy shows the learner NOTHING. Only
 * an assessment's content is read (a CASE, which PostgreSQL evaluates lazily): a page's HTML is
 * never detoasted for it.
 */
const REVIEW_SHOWS_NOTHING = (alias: string): string =>
  `(CASE WHEN ${alias}.kind = 'ASSESSMENT' THEN ${alias}.content #>> '{assessment,settings,reviewPolicy,show}' END) IS NOT DISTINCT FROM 'NOTHING'`;

/** Per activity id: an assessment whose review policy shows the learner NOTHING (one statement per batch, the policy only). */
export const reviewShowsNothing = defineLoader(
  (ctx) =>
    new DataLoader<string, boolean>(async (activityIds) => {
      const rows = await ctx.transaction.prepared<{ id: string; hidden: boolean }>(
        `SELECT a.id, ${REVIEW_SHOWS_NOTHING('a')} AS hidden FROM activity a WHERE a.organization_id = $1 AND a.id = ANY($2::uuid[])`,
        [ctx.orgId, activityIds],
      );
      const hidden = new Set(rows.filter((r) => r.hidden).map((r) => r.id));
      return activityIds.map((id) => hidden.has(id));
    }),
);

/** `p` without what such a policy hides (a copy: loaders share their rows across the request). */
export function withoutScore(p: ActivityProgress): ActivityProgress {
  return Object.assign(Object.create(Object.getPrototypeOf(p) as object) as ActivityProgress, p, HIDDEN_SCORE);
}

/**
 * The viewer's own progress on `activity` as they may see it: an assessment whose review policy
 * shows them nothing keeps its score out (the policies of assessments only, read in one batch);
 * answered at once for every other activity.
 */
export function ownProgress(ctx: RequestContext, activity: Pick<Activity, 'id' | 'kind'>, progress: ActivityProgress | null): ActivityProgress | null | Promise<ActivityProgress | null> {
  if (!progress || activity.kind !== ActivityKind.ASSESSMENT) return progress;
  return reviewShowsNothing(ctx).load(activity.id).then((hidden) => (hidden ? withoutScore(progress) : progress));
}

/** An enrollment's progress: activity key → progress. */
export type EnrollmentProgress = Map<string, ActivityProgress>;

const loaded = new WeakMap<RequestContext, Map<string, EnrollmentProgress>>();

/** An enrollment's progress if this request already loaded it, so hundreds of activities resolve synchronously. */
export function loadedEnrollmentProgress(ctx: RequestContext, enrollmentId: string): EnrollmentProgress | undefined {
  return loaded.get(ctx)?.get(enrollmentId);
}

/**
 * Progress per enrollment id (any cycle, any learner: callers reach enrollments only through
 * checked paths), by activity key. One statement per batch. The review policy's hiding applies
 * when the viewer reads their own: an assessment that shows the learner NOTHING keeps its score
 * out, as on the learner's catalog; staff see the scores.
 */
export const progressByEnrollment = defineLoader(
  (ctx) =>
    new DataLoader<string, EnrollmentProgress>(async (enrollmentIds) => {
      const reader = leanReader(ctx.deps.dataSource, ActivityProgress, 'p');
      const rows = await ctx.transaction.preparedArrays(
        `SELECT ${reader.tenantColumns},
                e.user_id IS NOT DISTINCT FROM $3::uuid AND ${REVIEW_SHOWS_NOTHING('a')} AS "scoreHidden"
           FROM enrollment e
           JOIN activity_progress p ON p.organization_id = e.organization_id AND p.enrollment_id = e.id
           JOIN activity a ON a.organization_id = p.organization_id AND a.id = p.activity_id
          WHERE e.organization_id = $1 AND e.id = ANY($2::uuid[])
          ORDER BY p.updated_at, p.id`,
        [ctx.orgId, enrollmentIds, ctx.user?.id ?? null],
      );
      const byEnrollment = new Map<string, EnrollmentProgress>(enrollmentIds.map((id) => [id, new Map()]));
      for (const p of reader.fromArrays<{ scoreHidden: boolean }>(rows, ctx.orgId, ['scoreHidden'])) {
        if (p.scoreHidden) Object.assign(p, HIDDEN_SCORE);
        byEnrollment.get(p.enrollmentId)!.set(p.activityKey, p);
      }
      const seen = loaded.get(ctx) ?? new Map<string, EnrollmentProgress>();
      loaded.set(ctx, seen);
      for (const [id, progress] of byEnrollment) seen.set(id, progress);
      return enrollmentIds.map((id) => byEnrollment.get(id)!);
    }),
);
