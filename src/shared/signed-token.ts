import { SignJWT, jwtVerify } from 'jose';
import { VerifiedCache } from './verified-cache';

/**
 * Short-lived tokens the server signs for itself (content URLs, SCORM commit URLs), as compact
 * HS256 JWTs under the server secret. They carry their purpose, so one kind can never stand in for
 * another, and are URL-safe so they can sit in a path.
 */
export async function signToken(secret: string, purpose: string, claims: Record<string, string | number>, ttlSeconds: number): Promise<string> {
  return new SignJWT({ ...claims, pur: purpose })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/** The claims of a valid, unexpired token of this purpose, or null. */
export async function verifyToken(secret: string, purpose: string, token: string): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    return payload.pur === purpose ? payload : null;
  } catch {
    return null;
  }
}

/**
 * Verified tokens of one purpose under one secret, kept until they expire (`VerifiedCache`): hot
 * routes (a SCORM session commits with the same token every few seconds) skip the signature check
 * on repeats. Only valid tokens are kept.
 */
export class VerifiedTokens<T> {
  private readonly cache: VerifiedCache<T>;

  constructor(
    private readonly secret: string,
    private readonly purpose: string,
    /** The token's meaning, or null when its claims are not what this purpose needs. */
    private readonly read: (claims: Record<string, unknown>) => T | null,
    capacity = 10_000,
  ) {
    this.cache = new VerifiedCache(capacity);
  }

  verify(token: string): Promise<T | null> {
    return this.cache.get(token, async () => {
      const claims = await verifyToken(this.secret, this.purpose, token);
      const value = claims && typeof claims.exp === 'number' ? this.read(claims) : null;
      return value === null ? null : { value, expiresAt: (claims!.exp as number) * 1000 };
    });
  }
}
