import type { EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import type { RequestContext } from './context';
import { notFound } from './errors';

/**
 * Loads a tenant row by id in the caller's organization, or throws NOT_FOUND. Another tenant's id
 * is indistinguishable from a missing one (RLS hides it as well).
 */
export async function getEntityOrThrow<T extends ObjectLiteral & { organizationId: string; id: string }>(
  ctx: RequestContext,
  entity: EntityTarget<T>,
  id: string,
  what: string,
): Promise<T> {
  const found = await ctx.manager.findOneBy(entity, { organizationId: ctx.orgId, id } as FindOptionsWhere<T>);
  if (!found) throw notFound(what);
  return found;
}
