import type { FastifyBaseLogger } from 'fastify';
import type { EntityManager } from 'typeorm';
import { withTenant } from './tenant-tx';
import { RequestContext, type ContextDeps } from './context';
import { notFound } from './errors';
import { isUuid } from './ids';

/** What a verified signed token or public code grants: one subject, for one purpose, in one tenant. */
export interface TokenGrant {
  organizationId: string;
  /** The token's purpose, e.g. `scorm-player`; the actor in logs and audit is `token:<purpose>`. */
  purpose: string;
  /** The one thing it opens (a session id, a certificate code…). */
  subject: string;
}

/**
 * The one way token and public-code routes reach the database: a transaction of the tenant the
 * token names (so row-level security confines it there) with the token's narrow principal, which
 * holds no role and no permission: the route reads what the grant's subject names, nothing else.
 * A grant whose tenant is not a uuid answers NOT_FOUND, as a wrong token does.
 */
export function inTokenTenant<T>(deps: ContextDeps, grant: TokenGrant, log: FastifyBaseLogger, fn: (ctx: RequestContext) => Promise<T>, readOnly = true): Promise<T> {
  if (!isUuid(grant.organizationId)) return Promise.reject(notFound('Token'));
  const principal = { kind: 'token' as const, ...grant };
  return new RequestContext(deps, principal, `token:${grant.purpose}`, log).runInTransaction(fn, readOnly);
}

/** The subject of a context opened by inTokenTenant (throws anywhere else: a route bug, not a user error). */
export function tokenSubject(ctx: RequestContext): string {
  if (ctx.principal.kind !== 'token') throw new Error('not a token context');
  return ctx.principal.subject;
}

/**
 * A lookup by a public code before any tenant is known (the certificate verify page): a read-only
 * transaction in no tenant, where every tenant table reads empty, so the only way to a row is a
 * narrow SECURITY DEFINER function that returns the one row the code names.
 */
export function inPublicLookup<T>(deps: Pick<ContextDeps, 'dataSource'>, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return withTenant(deps.dataSource, null, (tx) => fn(tx.manager), true);
}
