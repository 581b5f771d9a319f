import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { RequestContext } from '../../../shared/context';
import { LtiPlatformError, platformFetch } from './platform-http';
import { toolKey } from './tool-key';

/** The LTI Advantage scopes this tool asks for. */
export const SCOPES = {
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  lineitem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineitemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  membership: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

/** Where a token comes from: the platform's token endpoint and the client id it gave this tool. */
export interface TokenRequest {
  organizationId: string;
  tokenUrl: string;
  clientId: string;
  scopes: readonly string[];
}

/** A token is reused until this long before it expires. */
const EXPIRY_MARGIN_MS = 30_000;
/** Lifetime of the signed client assertion. */
const ASSERTION_SECONDS = 300;

interface Cached {
  token: string;
  expiresAt: number;
}

/** Access tokens by (organization, token URL, client id, scopes), in this process. */
const cache = new Map<string, Cached>();
/** Requests in flight, so concurrent jobs of one platform share one token request. */
const pending = new Map<string, Promise<Cached>>();

const keyOf = (r: TokenRequest): string => JSON.stringify([r.organizationId, r.tokenUrl, r.clientId, [...new Set(r.scopes)].sort()]);

/** Forgets the cached token of a request (the platform refused it: revoked, or its keys changed). */
export function invalidateToken(req: TokenRequest): void {
  cache.delete(keyOf(req));
}

/** Forgets every cached token (tests; a key rotation does not need it: tokens stay valid). */
export function clearTokenCache(): void {
  cache.clear();
  pending.clear();
}

/**
 * An access token for the platform's services: OAuth 2 client credentials with a signed JWT
 * client assertion (private_key_jwt, as LTI Advantage requires): iss = sub = the client id, aud =
 * the token URL, a fresh jti, RS256 with the organization's tool key (kid in the header). Cached
 * until shortly before it expires; a refusal throws LtiPlatformError.
 */
export async function accessToken(ctx: RequestContext, req: TokenRequest): Promise<string> {
  const key = keyOf(req);
  const hit = cache.get(key);
  if (hit && hit.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return hit.token;
  let inFlight = pending.get(key);
  if (!inFlight) {
    inFlight = requestToken(ctx, req).finally(() => pending.delete(key));
    pending.set(key, inFlight);
  }
  const fresh = await inFlight;
  cache.set(key, fresh);
  return fresh.token;
}

async function requestToken(ctx: RequestContext, req: TokenRequest): Promise<Cached> {
  const { kid, privateKey } = await toolKey(ctx, req.organizationId);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(req.clientId)
    .setSubject(req.clientId)
    .setAudience(req.tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ASSERTION_SECONDS}s`)
    .sign(privateKey);
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope: [...new Set(req.scopes)].join(' '),
  });
  const res = await platformFetch(req.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const json = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
  if (!json || typeof json.access_token !== 'string' || !json.access_token) {
    throw new LtiPlatformError(res.status, req.tokenUrl, 'invalid_token_response', 'no access_token in the answer');
  }
  const seconds = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
  return { token: json.access_token, expiresAt: Date.now() + seconds * 1000 };
}
