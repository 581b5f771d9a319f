import { hkdfSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { loadConfig } from '../../../src/config';
import { JwtVerifier, mintSessionToken } from '../../../src/shared/auth';

const SECRET = 'server-secret-for-session-tokens-0123456789';
const ORG = '0b6f3c1e-8a5b-4a51-9c1a-6f0e2d3b4c5d';

/** Bearer JWTs from an identity provider's JWKS (never fetched here): the service's own session tokens still pass. */
const idpConfig = loadConfig({ NODE_ENV: 'test', JWT_JWKS_URL: 'http://127.0.0.1:9/jwks', JWT_ISSUER: 'https://idp.example', LOG_LEVEL: 'silent' }).jwt;

test('a session token is accepted whatever the identity provider, with its organization and subject', async () => {
  const token = await mintSessionToken(SECRET, { organizationId: ORG, subject: 'lti:abc:42' });
  await expect(new JwtVerifier(idpConfig, SECRET).verify(token)).resolves.toEqual({ subject: 'lti:abc:42', organization: ORG });
});

test('a session token under another server secret, an expired one, or one without the server secret configured is refused', async () => {
  const verifier = new JwtVerifier(idpConfig, SECRET);
  await expect(verifier.verify(await mintSessionToken('another-secret-0123456789-0123456789', { organizationId: ORG, subject: 'x' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  await expect(verifier.verify(await mintSessionToken(SECRET, { organizationId: ORG, subject: 'x' }, -120))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  await expect(new JwtVerifier(idpConfig).verify(await mintSessionToken(SECRET, { organizationId: ORG, subject: 'x' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
});

test('a session token needs its organization claim', async () => {
  const key = new Uint8Array(hkdfSync('sha256', SECRET, 'coursegraph', 'coursegraph/session-token/v1', 32));
  const noOrg = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('coursegraph').setAudience('coursegraph-session').setExpirationTime('1h').sign(key);
  await expect(new JwtVerifier(idpConfig, SECRET).verify(noOrg)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
});
