import type { FastifyRequest } from 'fastify';
import { readCredentials, type JwtVerifier } from '../shared/auth';
import { RequestContext, type ContextDeps, type Principal } from '../shared/context';
import { AppError } from '../shared/errors';
import { organizationService } from '../modules/organization/organization.service';
import { pickLocale } from './locale';

/** Credentials → principal, before any tenant transaction; throws UNAUTHENTICATED. */
export async function principalOf(req: FastifyRequest, deps: ContextDeps, jwt: JwtVerifier): Promise<Principal> {
  const creds = readCredentials(req.headers);
  if (creds.kind === 'none') return { kind: 'anonymous' };
  if (creds.kind === 'apiKey') return { kind: 'apiKey', organizationId: creds.key.organizationId, keyId: creds.key.keyId, secret: creds.key.secret };
  const claims = await jwt.verify(creds.token);
  if (!claims.organization) return { kind: 'platform', subject: claims.subject };
  const organizationId = await organizationService.resolveClaim(deps.dataSource, claims.organization);
  if (!organizationId) throw new AppError('UNAUTHENTICATED', 'Unknown organization');
  return { kind: 'user', organizationId, subject: claims.subject };
}

/** A request context for a plain HTTP route (not GraphQL). */
export function contextOf(req: FastifyRequest, deps: ContextDeps, principal: Principal): RequestContext {
  return new RequestContext(deps, principal, req.id, req.log, pickLocale(req.headers['accept-language']));
}

/** Runs a plain route's work in the caller's tenant transaction (committed on success). */
export async function inRequestContext<T>(req: FastifyRequest, deps: ContextDeps, jwt: JwtVerifier, fn: (ctx: RequestContext) => Promise<T>, readOnly = false): Promise<T> {
  return contextOf(req, deps, await principalOf(req, deps, jwt)).runInTransaction(fn, readOnly);
}
