import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext, type ContextDeps } from '../../../shared/context';
import { notFound } from '../../../shared/errors';
import { isUuid } from '../../../shared/ids';
import { Organization } from '../../organization/organization.entity';
import { issuerProfile, publishedStatusList, verificationMethodDocument } from './open-badge.service';
import { STATUS_LIST_NUMBER } from './open-badge.urls';

/** The status list bits the organization's revoked certificates hold (the certificate module's). */
export type RevokedIndexes = (ctx: RequestContext) => Promise<number[]>;

const HEADERS = { 'content-type': 'application/ld+json; charset=utf-8', 'access-control-allow-origin': '*', 'x-content-type-options': 'nosniff' };

/**
 * Runs `fn` in the tenant the path names, for an anonymous verifier: the documents are public,
 * an id that is not an organization's is NOT_FOUND.
 */
async function inOrganization<T>(deps: ContextDeps, req: FastifyRequest, fn: (ctx: RequestContext, org: Organization) => Promise<T>): Promise<T> {
  const { orgId } = req.params as { orgId: string };
  if (!isUuid(orgId)) throw notFound('Organization');
  const principal = { kind: 'system' as const, organizationId: orgId, label: 'open-badge-documents' };
  return RequestContext.run(deps, principal, req.log, async (ctx) => {
    const org = await ctx.manager.findOneBy(Organization, { id: orgId });
    if (!org) throw notFound('Organization');
    return fn(ctx, org);
  });
}

const send = (reply: FastifyReply, maxAgeSeconds: number, document: object) =>
  reply.headers({ ...HEADERS, 'cache-control': `public, max-age=${maxAgeSeconds}` }).send(JSON.stringify(document));

/**
 * What a verifier of an organization's Open Badges fetches: the issuer profile (controller of its
 * keys), each public key, and the revocation status list (verifiers may cache it for a minute, so
 * a revocation shows within one).
 */
export async function openBadgeRoutes(app: FastifyInstance, deps: ContextDeps, revokedIndexes: RevokedIndexes): Promise<void> {
  app.get('/orgs/:orgId/issuer', async (req, reply) =>
    send(reply, 300, await inOrganization(deps, req, (ctx, org) => issuerProfile(ctx, org.name))));
  app.get('/orgs/:orgId/keys/:keyId', async (req, reply) => {
    const { keyId } = req.params as { keyId: string };
    if (!isUuid(keyId)) throw notFound('Key');
    return send(reply, 300, await inOrganization(deps, req, (ctx) => verificationMethodDocument(ctx, keyId)));
  });
  app.get(`/orgs/:orgId/status-list/${STATUS_LIST_NUMBER}`, async (req, reply) =>
    send(reply, 60, await inOrganization(deps, req, async (ctx) => publishedStatusList(ctx, await revokedIndexes(ctx)))));
}
