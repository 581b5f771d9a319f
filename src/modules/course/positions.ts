import type { RequestContext } from '../../shared/context';

/** An ordered list: modules of a revision, or activities of a module. Names are constants, never input. */
export interface OrderedScope {
  table: 'course_module' | 'activity';
  column: 'revision_id' | 'module_id';
  id: string;
}

/** Ids in the scope, in order. */
export async function orderedIds(ctx: RequestContext, scope: OrderedScope): Promise<string[]> {
  const rows = (await ctx.manager.query(
    `SELECT id FROM ${scope.table} WHERE organization_id = $1 AND ${scope.column} = $2 ORDER BY position, id`,
    [ctx.orgId, scope.id],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Makes room at a 1-based position (clamped; default: the end) and returns it. */
export async function insertPosition(ctx: RequestContext, scope: OrderedScope, requested: number | null | undefined): Promise<number> {
  const count = (await orderedIds(ctx, scope)).length;
  const position = requested ? Math.min(Math.max(1, requested), count + 1) : count + 1;
  if (position <= count) {
    await ctx.manager.query(
      `UPDATE ${scope.table} SET position = position + 1 WHERE organization_id = $1 AND ${scope.column} = $2 AND position >= $3`,
      [ctx.orgId, scope.id, position],
    );
  }
  return position;
}

/** Sets positions 1..n in the given order (the ids must be exactly the scope's). */
export async function applyOrder(ctx: RequestContext, scope: OrderedScope, ids: string[]): Promise<void> {
  await ctx.manager.query(
    `UPDATE ${scope.table} t SET position = o.ord FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, ord)
     WHERE t.organization_id = $1 AND t.id = o.id AND t.${scope.column} = $3`,
    [ctx.orgId, ids, scope.id],
  );
}

/** Closes gaps after a removal. */
export async function compactPositions(ctx: RequestContext, scope: OrderedScope): Promise<void> {
  await applyOrder(ctx, scope, await orderedIds(ctx, scope));
}
