import DataLoader from 'dataloader';
import { defineLoader } from '../../shared/loaders';
import { leanReader } from '../../db/lean';
import type { RequestContext } from '../../shared/context';
import { ActivityProgress, SuccessStatus } from './progress.entity';

/** What a learner's own progress shows of an assessment whose review policy shows them NOTHING. */
const HIDDEN_SCORE = { scoreScaled: null, scoreRaw: null, scoreMin: null, scoreMax: null, successStatus: SuccessStatus.UNKNOWN };

/** True when an assessment's content (activity.content) has a review policy that shows the learner nothing. */
export function reviewShowsNothing(content: object): boolean {
  return (content as { assessment?: { settings?: { reviewPolicy?: { show?: string } } } }).assessment?.settings?.reviewPolicy?.show === 'NOTHING';
}

/** `p` without what such a policy hides (a copy: loaders share their rows across the request). */
export function withoutScore(p: ActivityProgress): ActivityProgress {
  return Object.assign(Object.create(Object.getPrototypeOf(p) as object) as ActivityProgress, p, HIDDEN_SCORE);
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
 * out, as on the learner's catalog; staff see the scores. Only assessments' content is read for
 * that (a CASE, which PostgreSQL evaluates lazily): a page's HTML is never detoasted here.
 */
export const progressByEnrollment = defineLoader(
  (ctx) =>
    new DataLoader<string, EnrollmentProgress>(async (enrollmentIds) => {
      const reader = leanReader(ctx.deps.dataSource, ActivityProgress, 'p');
      const rows = await ctx.transaction.preparedArrays(
        `SELECT ${reader.tenantColumns},
                e.user_id IS NOT DISTINCT FROM $3::uuid
                  AND (CASE WHEN a.kind = 'ASSESSMENT' THEN a.content #>> '{assessment,settings,reviewPolicy,show}' END) IS NOT DISTINCT FROM 'NOTHING' AS "scoreHidden"
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
