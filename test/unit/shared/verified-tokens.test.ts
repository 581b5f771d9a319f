import { decodeJwt } from 'jose';
import { loadConfig } from '../../../src/config';
import { JwtVerifier, mintDevToken } from '../../../src/shared/auth';

const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'verified-tokens-secret-0123456789abcdef', JWT_CLOCK_TOLERANCE_SEC: '0', LOG_LEVEL: 'silent' }).jwt;
const ORG = '0b6f3c1e-8a5b-4a51-9c1a-6f0e2d3b4c5d';

test('a bearer verified once is answered from memory with the same (frozen) claims', async () => {
  const verifier = new JwtVerifier(config);
  const token = await mintDevToken(config, { subject: 'learner-1', organization: ORG });
  const first = await verifier.verify(token);
  expect(first).toEqual({ subject: 'learner-1', organization: ORG });
  expect(await verifier.verify(token)).toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
});

test('a remembered bearer stops counting when it expires, and a changed one is verified (and refused) anew', async () => {
  const verifier = new JwtVerifier(config);
  const token = await mintDevToken(config, { subject: 'learner-2', organization: ORG }, 1);
  await expect(verifier.verify(token)).resolves.toEqual({ subject: 'learner-2', organization: ORG });
  const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
  await expect(verifier.verify(tampered)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  const expiresAt = decodeJwt(token).exp! * 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 20));
  await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
});
