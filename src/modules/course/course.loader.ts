import DataLoader from 'dataloader';
import type { RequestContext } from '../../shared/context';
import { byKeys, defineLoader, groupByKeys } from '../../shared/loaders';
import { Course, CourseRevision } from './course.entity';
import { Activity, type ActivityContent, CourseModule } from './content.entity';
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
 * A module's activities in order, without their content: lists (the catalog) do not need the
 * page HTML, which can be large; `activityContentById` loads it when a client asks for it.
 */
export const activitiesByModule = defineLoader(
  (ctx) =>
    new DataLoader<string, Activity[]>(async (ids) =>
      groupByKeys(ids, await rowsWhere(ctx, Activity, 'module_id', ids, 't.position, t.id', ['content']), (a) => a.moduleId)),
);

/** Activity content (PAGE html, VIDEO url) by activity id. */
export const activityContentById = defineLoader(
  (ctx) =>
    new DataLoader<string, ActivityContent>(async (ids) => {
      const rows = (await ctx.transaction.prepared('SELECT id, content FROM activity WHERE organization_id = $1 AND id = ANY($2::uuid[])', [ctx.orgId, ids])) as { id: string; content: ActivityContent }[];
      return byKeys(ids, rows, (r) => r.id).map((r) => r?.content ?? {});
    }),
);
