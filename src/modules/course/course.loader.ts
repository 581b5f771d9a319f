import DataLoader from 'dataloader';
import type { RequestContext } from '../../shared/context';
import { byKeys, defineLoader, groupByKeys } from '../../shared/loaders';
import { Course, CourseRevision } from './course.entity';
import { Activity, CourseModule } from './content.entity';
import { notFound } from '../../shared/errors';
import { leanReader } from '../../db/lean';

/** Rows of `entity` whose `column` is one of `keys`, in the request's organization (one statement). */
async function rowsWhere<T>(ctx: RequestContext, entity: { prototype: T } & (new () => T), column: string, keys: readonly string[], order = '', exclude: string[] = []): Promise<T[]> {
  const reader = leanReader(ctx.deps.dataSource, entity, 't', exclude);
  const table = ctx.deps.dataSource.getMetadata(entity).tableName;
  const rows = await ctx.transaction.preparedArrays(
    `SELECT ${reader.tenantColumns} FROM "${table}" t WHERE t.organization_id = $1 AND t.${column} = ANY($2::uuid[])${order && ` ORDER BY ${order}`}`,
    [ctx.orgId, keys],
  );
  return reader.fromArrays(rows, ctx.orgId);
}

/** Courses of the request's organization by id (no visibility check: callers apply it). */
export const courseById = defineLoader(
  (ctx) => new DataLoader<string, Course | null>(async (ids) => byKeys(ids, await rowsWhere(ctx, Course, 'id', ids), (c) => c.id)),
);

/** Revisions by id. */
export const revisionById = defineLoader(
  (ctx) => new DataLoader<string, CourseRevision | null>(async (ids) => byKeys(ids, await rowsWhere(ctx, CourseRevision, 'id', ids), (r) => r.id)),
);

/** A course's revisions, newest first. */
export const revisionsByCourse = defineLoader(
  (ctx) =>
    new DataLoader<string, CourseRevision[]>(async (ids) => groupByKeys(ids, await rowsWhere(ctx, CourseRevision, 'course_id', ids, 't.number DESC'), (r) => r.courseId)),
);

/** A revision's modules in order. */
export const modulesByRevision = defineLoader(
  (ctx) =>
    new DataLoader<string, CourseModule[]>(async (ids) =>
      groupByKeys(ids, await rowsWhere(ctx, CourseModule, 'revision_id', ids, 't.position, t.id'), (m) => m.revisionId)),
);

/** Modules by id. */
export const moduleById = defineLoader(
  (ctx) => new DataLoader<string, CourseModule | null>(async (ids) => byKeys(ids, await rowsWhere(ctx, CourseModule, 'id', ids), (m) => m.id)),
);

/**
 * What a module's list of activities leaves out: the page HTML (which can be large) and what the
 * catalog does not show (hundreds of rows per request: leaving these out, with the viewer's
 * progress read in summary, cut the learner catalog's Node CPU by about 15 %).
 * `activityDetailsById` loads them when a client asks.
 */
const LIST_OMITS = ['content', 'createdAt', 'completionKind', 'completionThreshold'] as const;

/** The columns of an activity its module's list leaves out. */
export type ActivityDetails = Pick<Activity, (typeof LIST_OMITS)[number]>;

/** Not read for a module's activities either: the same on every one of them, they come from the module. */
const FROM_MODULE = ['courseId', 'revisionId'] as const;

/** A module's activities in order, without `LIST_OMITS` (undefined on the instances); their course and revision are the module's. */
export const activitiesByModule = defineLoader(
  (ctx) =>
    new DataLoader<Pick<CourseModule, 'id' | (typeof FROM_MODULE)[number]>, Activity[], string>(async (modules) => {
      const ids = modules.map((m) => m.id);
      const lists = groupByKeys(ids, await rowsWhere(ctx, Activity, 'module_id', ids, 't.position, t.id', [...LIST_OMITS, ...FROM_MODULE]), (a) => a.moduleId);
      for (const [i, list] of lists.entries()) {
        for (const activity of list) {
          activity.courseId = modules[i].courseId;
          activity.revisionId = modules[i].revisionId;
        }
      }
      return lists;
    }, { cacheKeyFn: (m) => m.id }),
);

/** Activity content (PAGE html, VIDEO url) and the other columns lists leave out, by activity id. */
export const activityDetailsById = defineLoader(
  (ctx) =>
    new DataLoader<string, ActivityDetails | null>(async (ids) => {
      const rows = (await ctx.transaction.prepared(
        `SELECT id, content, date_part('epoch', created_at) * 1000 AS "createdAt", completion_kind AS "completionKind", completion_threshold AS "completionThreshold"
           FROM activity WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
        [ctx.orgId, ids],
      )) as (Omit<ActivityDetails, 'createdAt'> & { id: string; createdAt: number })[];
      return byKeys(ids, rows, (r) => r.id).map((r) =>
        r && { content: r.content, createdAt: new Date(r.createdAt), completionKind: r.completionKind, completionThreshold: r.completionThreshold });
    }),
);

/**
 * `key` of `activity`: from the instance when it was read with it, else from `activityDetailsById`.
 * An activity deleted since its list was read (the request's statements each see the latest
 * commit) has no content and is otherwise not found.
 */
export async function activityDetail<K extends keyof ActivityDetails>(ctx: RequestContext, activity: Activity, key: K): Promise<ActivityDetails[K]> {
  if (activity[key] !== undefined) return activity[key];
  const details = await activityDetailsById(ctx).load(activity.id);
  if (details) return details[key];
  if (key === 'content') return {} as ActivityDetails[K];
  throw notFound('Activity');
}
