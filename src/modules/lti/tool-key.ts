import { createPrivateKey, type KeyObject } from 'node:crypto';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { RequestContext } from '../../shared/context';
import { newId } from '../../shared/ids';
import { openSecret, sealSecret } from '../certificate/open-badge/key-sealing';
import { LtiToolKey } from './lti.entity';

/**
 * How long a retired key stays in the JWKS. What the tool signs lives minutes (deep-linking
 * responses 10 min, AGS client assertions 5 min) and platforms refetch a keyset they cannot
 * verify with; an hour covers both with margin.
 */
export const KEY_OVERLAP_MS = 60 * 60 * 1000;

/** What seals a private key to its row: distinct from the Open Badges binding. */
const bindingOf = (key: { organizationId: string; id: string }): string => `lti-tool-key/${key.organizationId}/${key.id}`;

async function insertKey(ctx: RequestContext): Promise<void> {
  const id = newId();
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: id, alg: 'RS256', use: 'sig' };
  const sealedPrivateKey = sealSecret(ctx.deps.serverSecret, await exportPKCS8(privateKey), bindingOf({ organizationId: ctx.orgId, id }));
  await ctx.manager.createQueryBuilder().insert().into(LtiToolKey)
    .values({ organizationId: ctx.orgId, id, publicJwk, sealedPrivateKey, retiredAt: null }).orIgnore().execute();
}

/** The organization's current key, made on first use (concurrent first uses keep one: the unique index). */
async function currentKey(ctx: RequestContext): Promise<LtiToolKey> {
  const found = await ctx.manager.createQueryBuilder(LtiToolKey, 'k').where('k.organization_id = :org AND k.retired_at IS NULL', { org: ctx.orgId }).getOne();
  if (found) return found;
  await insertKey(ctx);
  return ctx.manager.createQueryBuilder(LtiToolKey, 'k').where('k.organization_id = :org AND k.retired_at IS NULL', { org: ctx.orgId }).getOneOrFail();
}

/**
 * The tool's signing key of the context's organization (deep-linking responses, AGS/NRPS client
 * assertions): its kid (put it in the JWT header) and the RSA private key for jose's SignJWT
 * (RS256). Made on first use, so the context's transaction must be writable.
 */
export async function toolSigningKey(ctx: RequestContext): Promise<{ kid: string; privateKey: KeyObject }> {
  const key = await currentKey(ctx);
  return { kid: key.id, privateKey: createPrivateKey(openSecret(ctx.deps.serverSecret, key.sealedPrivateKey, bindingOf(key))) };
}

/** The public keys a platform verifies the tool's tokens with: the current one and those retired within the overlap. */
export async function toolJwks(ctx: RequestContext): Promise<{ keys: Record<string, unknown>[] }> {
  await currentKey(ctx);
  const keys = await ctx.manager.createQueryBuilder(LtiToolKey, 'k')
    .where('k.organization_id = :org AND (k.retired_at IS NULL OR k.retired_at > :since)', { org: ctx.orgId, since: new Date(Date.now() - KEY_OVERLAP_MS) })
    .orderBy('k.created_at', 'DESC').getMany();
  return { keys: keys.map((k) => k.publicJwk) };
}

/**
 * Rotates the organization's key: a new key signs from now on, the old one stays published for the
 * overlap, keys retired longer ago are deleted. Returns the new kid.
 */
export async function rotateToolKey(ctx: RequestContext): Promise<string> {
  await currentKey(ctx);
  await ctx.manager.query(`DELETE FROM lti_tool_key WHERE organization_id = $1 AND retired_at IS NOT NULL AND retired_at <= $2`, [ctx.orgId, new Date(Date.now() - KEY_OVERLAP_MS)]);
  await ctx.manager.query(`UPDATE lti_tool_key SET retired_at = now() WHERE organization_id = $1 AND retired_at IS NULL`, [ctx.orgId]);
  await insertKey(ctx);
  return (await currentKey(ctx)).id;
}
