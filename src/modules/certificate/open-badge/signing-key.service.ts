import type { VcSigner } from '@digitalbazaar/ed25519-multikey';
import type { RequestContext } from '../../../shared/context';
import { newId } from '../../../shared/ids';
import { openSecret, sealSecret } from './key-sealing';
import { badgeUrls } from './open-badge.urls';
import { OrganizationSigningKey } from './signing-key.entity';
import { MULTIKEY_CONTEXT, vcStack } from './vc-stack';

/** The public half of an organization's key, as a Multikey verification method. */
export interface VerificationMethod {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

/** What seals a key to its row: the tenant and the key id. */
const bindingOf = (key: { organizationId: string; id: string }): string => `${key.organizationId}/${key.id}`;

/**
 * The organization's signing key, created on first use. Concurrent first uses in several
 * transactions insert one row: the others' inserts wait on the unique index, do nothing, and
 * read the winner's key.
 */
async function ensureKey(ctx: RequestContext): Promise<OrganizationSigningKey> {
  const organizationId = ctx.orgId;
  const found = await ctx.manager.findOneBy(OrganizationSigningKey, { organizationId });
  if (found) return found;
  const id = newId();
  const pair = await vcStack().Ed25519Multikey.generate();
  const { publicKeyMultibase, secretKeyMultibase } = await pair.export({ publicKey: true, secretKey: true });
  const sealedSecretKey = sealSecret(ctx.deps.serverSecret, secretKeyMultibase, bindingOf({ organizationId, id }));
  await ctx.manager.createQueryBuilder().insert().into(OrganizationSigningKey)
    .values({ organizationId, id, publicKeyMultibase, sealedSecretKey }).orIgnore().execute();
  return ctx.manager.findOneByOrFail(OrganizationSigningKey, { organizationId });
}

function verificationMethodOf(ctx: RequestContext, key: OrganizationSigningKey): VerificationMethod {
  const urls = badgeUrls(ctx.deps.config.publicUrl, key.organizationId);
  return { id: urls.verificationMethod(key.id), type: 'Multikey', controller: urls.issuer, publicKeyMultibase: key.publicKeyMultibase };
}

/** The organization's verification methods (one key today), creating its key on first use. */
export async function verificationMethods(ctx: RequestContext): Promise<VerificationMethod[]> {
  return [verificationMethodOf(ctx, await ensureKey(ctx))];
}

/** A signer with the organization's secret key, for one signing. */
export async function organizationSigner(ctx: RequestContext): Promise<VcSigner> {
  const key = await ensureKey(ctx);
  const secretKeyMultibase = openSecret(ctx.deps.serverSecret, key.sealedSecretKey, bindingOf(key));
  const pair = await vcStack().Ed25519Multikey.from({ '@context': MULTIKEY_CONTEXT, ...verificationMethodOf(ctx, key), secretKeyMultibase });
  return pair.signer();
}
