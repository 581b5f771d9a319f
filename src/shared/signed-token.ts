import { SignJWT, jwtVerify } from 'jose';

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
