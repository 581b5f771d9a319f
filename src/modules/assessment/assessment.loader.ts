import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { byKeys, defineLoader, groupByKeys } from '../../shared/loaders';
import { Activity } from '../course/content.entity';
import { leanReader } from '../../db/lean';
import { AssessmentAttempt } from './assessment-attempt.entity';
import { closeOverdue } from './attempt.expiry';

/** Activities of the request's organization by id (no visibility check: callers apply it). */
export const activityById = defineLoader(
  (ctx) =>
    new DataLoader<string, Activity | null>(async (ids) => {
      const rows = await ctx.manager.findBy(Activity, { organizationId: ctx.orgId, id: In([...ids]) });
      return byKeys(ids, rows, (a) => a.id);
    }),
);

/**
 * The caller's own attempts per activity id, oldest first. Overdue attempts among them are closed
 * and graded first, so what is read is what counts.
 */
export const viewerAttemptsByActivity = defineLoader(
  (ctx) =>
    new DataLoader<string, AssessmentAttempt[]>(async (activityIds) => {
      const user = ctx.user;
      if (!user) return activityIds.map(() => []);
      const load = (): Promise<AssessmentAttempt[]> => ctx.manager.find(AssessmentAttempt, {
        where: { organizationId: ctx.orgId, userId: user.id, activityId: In([...activityIds]) },
        order: { number: 'ASC' },
      });
      let rows = await load();
      if (await closeOverdue(ctx, rows)) rows = await load();
      return groupByKeys(activityIds, rows, (a) => a.activityId);
    }),
);


/**
 * The attempts of an enrollment cycle (any learner's: callers reach enrollments through checked
 * paths), by enrollment id, by activity then number; without plans and answers, which a
 * transcript does not show.
 */
export const attemptsByEnrollment = defineLoader(
  (ctx) =>
    new DataLoader<string, AssessmentAttempt[]>(async (enrollmentIds) => {
      const reader = leanReader(ctx.deps.dataSource, AssessmentAttempt, 'a', ['plan', 'answers', 'answeredAt']);
      const rows = (await ctx.manager.query(
        `SELECT ${reader.columns} FROM assessment_attempt a WHERE a.organization_id = $1 AND a.enrollment_id = ANY($2::uuid[]) ORDER BY a.activity_id, a.number`,
        [ctx.orgId, enrollmentIds],
      )) as object[];
      return groupByKeys(enrollmentIds, reader.hydrate(rows), (a) => a.enrollmentId);
    }),
);
