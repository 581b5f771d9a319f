import { createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { unauthenticated } from './errors';
import { VerifiedCache } from './verified-cache';

/** Claims Coursegraph reads from a bearer token. */
export interface TokenClaims {
  subject: string;
  /** Organization id or slug; absent for platform admins. */
  organization?: string;
}

const ORG_CLAIM = 'org';

/** Issuer and audience of the session tokens the service mints itself (LTI launches). */
const SESSION_ISSUER = 'coursegraph';
const SESSION_AUDIENCE = 'coursegraph-session';

/** The HS256 key of service-issued session tokens: HKDF of the server secret, used for nothing else. */
function sessionKey(serverSecret: string): KeyObject {
  return createSecretKey(new Uint8Array(hkdfSync('sha256', serverSecret, 'coursegraph', 'coursegraph/session-token/v1', 32)));
}

/**
 * Mints a short-lived session token for a user of an organization (an LTI launch lands with one):
 * HS256 under a key derived from the server secret, its own issuer and audience, so /graphql
 * accepts it whatever identity provider the bearer JWTs otherwise come from.
 */
export async function mintSessionToken(serverSecret: string, claims: { organizationId: string; subject: string }, ttlSeconds = 2 * 3600): Promise<string> {
  return new SignJWT({ [ORG_CLAIM]: claims.organizationId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(sessionKey(serverSecret));
}

/** How many verified tokens a verifier remembers, and for how long at most (a key taken out of a JWKS stops counting within it). */
const VERIFIED_TOKENS = 10_000;
const VERIFIED_TTL_MS = 60_000;

/**
 * Verifies bearer JWTs: signature, issuer, audience, expiry, not-before and algorithm. Given the
 * server secret, it also accepts the service's own session tokens (mintSessionToken).
 *
 * A verified token is remembered for a minute at most, never past its expiry (plus the clock
 * tolerance, as jose allows): a front end sends every request of a session with the same bearer,
 * and verifying it again (two base64 decodes, two JSON parses, an HMAC or a signature check) was
 * about a sixth of the Node CPU of `{ viewer { id } }`. Only verified tokens are kept, by their
 * whole text; the caller's row is still read on every request, so a deactivated user is refused
 * at once.
 */
export class JwtVerifier {
  // Secrets as key objects made once: given bytes, jose makes one on every verification.
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly sessionKey: KeyObject | null;
  private readonly verified = new VerifiedCache<TokenClaims>(VERIFIED_TOKENS, VERIFIED_TTL_MS);

  constructor(private readonly config: Config['jwt'], serverSecret?: string) {
    if (config.jwksUrl) this.key = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (config.secret) this.key = createSecretKey(Buffer.from(config.secret, 'utf8'));
    else throw new Error('JWT_SECRET or JWT_JWKS_URL must be set');
    this.sessionKey = serverSecret ? sessionKey(serverSecret) : null;
  }

  async verify(token: string): Promise<TokenClaims> {
    const claims = await this.verified.get(token, async () => {
      const { claims: verified, expiresAt } = await this.verifyAnew(token);
      // Shared by every request that brings the token: frozen.
      return { value: Object.freeze(verified), expiresAt: (expiresAt + this.config.clockToleranceSec) * 1000 };
    });
    return claims!;
  }

  private async verifyAnew(token: string): Promise<{ claims: TokenClaims; expiresAt: number }> {
    if (this.sessionKey && isSessionToken(token)) return this.verifySession(token, this.sessionKey);
    let payload: JWTPayload;
    try {
      const options = {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.algorithms,
        clockTolerance: this.config.clockToleranceSec,
        requiredClaims: ['sub', 'exp'],
      };
      const result = typeof this.key === 'function'
        ? await jwtVerify(token, this.key, options)
        : await jwtVerify(token, this.key, options);
      payload = result.payload;
    } catch {
      throw unauthenticated('Invalid or expired token');
    }
    const org = payload[ORG_CLAIM];
    if (!payload.sub || (org !== undefined && typeof org !== 'string')) throw unauthenticated('Invalid token claims');
    return { claims: { subject: payload.sub, organization: org as string | undefined }, expiresAt: payload.exp! };
  }

  private async verifySession(token: string, key: KeyObject): Promise<{ claims: TokenClaims; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: SESSION_ISSUER, audience: SESSION_AUDIENCE, algorithms: ['HS256'], clockTolerance: this.config.clockToleranceSec, requiredClaims: ['sub', 'exp', ORG_CLAIM],
      });
      if (typeof payload[ORG_CLAIM] !== 'string' || !payload.sub) throw new Error('claims');
      return { claims: { subject: payload.sub, organization: payload[ORG_CLAIM] }, expiresAt: payload.exp! };
    } catch {
      throw unauthenticated('Invalid or expired token');
    }
  }
}

/** True when the (unverified) token says it is a service session token; verification decides the rest. */
function isSessionToken(token: string): boolean {
  try {
    const aud = decodeJwt(token).aud;
    return aud === SESSION_AUDIENCE || (Array.isArray(aud) && aud.includes(SESSION_AUDIENCE));
  } catch {
    return false;
  }
}

/** Mints an HS256 development token (CLI `token`, demo, tests). */
export async function mintDevToken(
  config: Config['jwt'],
  claims: TokenClaims,
  ttlSeconds = 8 * 3600,
): Promise<string> {
  if (!config.secret) throw new Error('JWT_SECRET is not set; development tokens need it');
  const jwt = new SignJWT(claims.organization ? { [ORG_CLAIM]: claims.organization } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  return jwt.sign(new TextEncoder().encode(config.secret));
}

/** A parsed `cg_<keyId>_<secret>` API key. The key id starts with the organization id (hex). */
export interface ApiKeyCredential {
  organizationId: string;
  keyId: string;
  secret: string;
}

const API_KEY = /^cg_([0-9a-f]{32}[0-9a-z]{10})_([A-Za-z0-9_-]{43})$/;

export function parseApiKey(raw: string): ApiKeyCredential | null {
  const m = API_KEY.exec(raw);
  if (!m) return null;
  const hex = m[1].slice(0, 32);
  const organizationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { organizationId, keyId: m[1], secret: m[2] };
}

/** A new API key for an organization: what to show once, and what to store. */
export function generateApiKey(organizationId: string, serverSecret: string): { key: string; keyId: string; secretHash: string } {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const suffix = Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('');
  const keyId = organizationId.replace(/-/g, '') + suffix;
  const secret = randomBytes(32).toString('base64url');
  return { key: `cg_${keyId}_${secret}`, keyId, secretHash: hashApiKeySecret(serverSecret, secret) };
}

/** HMAC-SHA256 of a key secret under the server secret. */
export function hashApiKeySecret(serverSecret: string, secret: string): string {
  return createHmac('sha256', serverSecret).update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with the stored HMAC. */
export function apiKeyMatches(serverSecret: string, secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKeySecret(serverSecret, secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Credentials found on a request, before they are checked. */
export type Credentials = { kind: 'jwt'; token: string } | { kind: 'apiKey'; key: ApiKeyCredential } | { kind: 'none' };

/** Reads `Authorization: Bearer <jwt | api key>` or `X-Api-Key`. Malformed headers are rejected. */
export function readCredentials(headers: Record<string, string | string[] | undefined>): Credentials {
  const apiKeyHeader = headers['x-api-key'];
  const authorization = headers.authorization;
  const raw = typeof apiKeyHeader === 'string'
    ? apiKeyHeader
    : typeof authorization === 'string'
      ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1]
      : undefined;
  if (raw === undefined) {
    if (authorization !== undefined) throw unauthenticated('Malformed Authorization header');
    return { kind: 'none' };
  }
  if (raw.startsWith('cg_')) {
    const key = parseApiKey(raw);
    if (!key) throw unauthenticated('Malformed API key');
    return { kind: 'apiKey', key };
  }
  return { kind: 'jwt', token: raw };
}
