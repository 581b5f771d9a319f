import type { RequestContext } from '../../../shared/context';
import { badInput, forbidden, notFound } from '../../../shared/errors';
import { isUuid } from '../../../shared/ids';
import { openBadgeCredential, xsdDateTime, type BadgeSubject } from './open-badge.credential';
import { badgeUrls, STATUS_LIST_LENGTH } from './open-badge.urls';
import { organizationSigner, verificationMethods, type VerificationMethod } from './signing-key.service';
import { bundledContextLoader, DID_V1_CONTEXT, MULTIKEY_CONTEXT, OB_V3_CONTEXT, vcStack } from './vc-stack';
import { msg } from '../../../shared/i18n/message';

const isStatusIndex = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) < STATUS_LIST_LENGTH;

/** Signs a credential with the organization's key (Data Integrity, eddsa-rdfc-2022). */
async function sign(ctx: RequestContext, credential: object): Promise<Record<string, unknown>> {
  const { vc, DataIntegrityProof, cryptosuite } = vcStack();
  const suite = new DataIntegrityProof({ signer: await organizationSigner(ctx), cryptosuite });
  return vc.issue({ credential, suite, documentLoader: bundledContextLoader });
}

function assertSubject(ctx: RequestContext, subject: BadgeSubject): void {
  if (subject.organization.id !== ctx.orgId) throw forbidden('A badge is signed only in its own organization');
  if (!isUuid(subject.certificateId) || !isUuid(subject.course.id)) throw badInput('Certificate and course ids must be uuids');
  if (!subject.holderName.trim() || !subject.course.title.trim()) throw badInput('A badge needs the holder name and the course title');
  if (!isStatusIndex(subject.statusListIndex)) throw badInput(msg('statusListIndex must be an integer from 0 to {max}', { max: STATUS_LIST_LENGTH - 1 }));
  if (subject.validUntil && subject.validUntil <= subject.validFrom) throw badInput('validUntil must be after validFrom');
}

/**
 * The certificate as a signed Open Badges 3.0 `OpenBadgeCredential`, issued by the context's
 * organization. The caller has checked that its principal may download this certificate.
 */
export async function issueOpenBadge(ctx: RequestContext, subject: BadgeSubject): Promise<object> {
  assertSubject(ctx, subject);
  return sign(ctx, openBadgeCredential(subject, badgeUrls(ctx.deps.config.publicUrl, ctx.orgId)));
}

/**
 * The organization's signed `BitstringStatusListCredential` (purpose revocation), with the bits
 * of `revokedIndexes` set. The caller passes this organization's revoked certificates only.
 */
export async function signStatusList(ctx: RequestContext, revokedIndexes: number[]): Promise<object> {
  const bad = revokedIndexes.find((i) => !isStatusIndex(i));
  if (bad !== undefined) throw badInput(msg('Status list index {index} is outside 0..{max}', { index: bad, max: STATUS_LIST_LENGTH - 1 }));
  const { statusList } = vcStack();
  const urls = badgeUrls(ctx.deps.config.publicUrl, ctx.orgId);
  const list = await statusList.createList({ length: STATUS_LIST_LENGTH });
  for (const index of revokedIndexes) list.setStatus(index, true);
  const unsigned = await statusList.createCredential({ id: urls.statusList, list, statusPurpose: 'revocation' });
  return sign(ctx, { ...unsigned, issuer: urls.issuer, validFrom: xsdDateTime(new Date()) });
}

/** The last status list signed per list URL, reused while its revoked set is unchanged. */
const publishedLists = new Map<string, { revoked: string; document: object }>();

/**
 * The status list the public route serves: signed afresh only when the revoked set changed, as
 * signing costs about 20 ms of CPU and anyone may ask.
 */
export async function publishedStatusList(ctx: RequestContext, revokedIndexes: number[]): Promise<object> {
  const listUrl = badgeUrls(ctx.deps.config.publicUrl, ctx.orgId).statusList;
  const revoked = [...new Set(revokedIndexes)].sort((x, y) => x - y).join(',');
  const cached = publishedLists.get(listUrl);
  if (cached?.revoked === revoked) return cached.document;
  const document = await signStatusList(ctx, revokedIndexes);
  publishedLists.set(listUrl, { revoked, document });
  return document;
}

/**
 * The issuer profile: an Open Badges `Profile` that is also the controller document of the
 * organization's keys (`assertionMethod`). Its first context is the DID context so that verifiers
 * read `assertionMethod` without JSON-LD framing.
 */
export async function issuerProfile(ctx: RequestContext, organizationName: string): Promise<object> {
  const methods = await verificationMethods(ctx);
  return {
    '@context': [DID_V1_CONTEXT, MULTIKEY_CONTEXT, OB_V3_CONTEXT],
    id: badgeUrls(ctx.deps.config.publicUrl, ctx.orgId).issuer,
    type: 'Profile',
    name: organizationName,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

/** One public key as a Multikey document; another tenant's or an unknown key id is NOT_FOUND. */
export async function verificationMethodDocument(ctx: RequestContext, keyId: string): Promise<VerificationMethod & { '@context': string }> {
  const method = (await verificationMethods(ctx)).find((m) => m.id === badgeUrls(ctx.deps.config.publicUrl, ctx.orgId).verificationMethod(keyId));
  if (!method) throw notFound('Key');
  return { '@context': MULTIKEY_CONTEXT, ...method };
}
