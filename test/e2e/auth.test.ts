import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { Role } from '../../src/shared/permissions';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { watchQueries } from '../support/pg-spy';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
const VIEWER = '{ viewer { roles user { externalId } organization { slug } } }';
const secret = new TextEncoder().encode(TEST_JWT_SECRET);

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'auth-a');
  b = await seedOrg(t.owner, 'auth-b');
  await a.user('learner');
  await a.user('admin', [Role.ORG_ADMIN]);
  await b.user('learner');
});
afterAll(() => t.close());

function signed(claims: Record<string, unknown>, mutate: (jwt: SignJWT) => SignJWT = (j) => j, key: Uint8Array = secret): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(t.config.jwt.issuer).setAudience(t.config.jwt.audience).setIssuedAt(now).setExpirationTime(now + 600);
  return mutate(jwt).sign(key);
}

async function expectUnauthenticated(token: string): Promise<void> {
  const res = await t.gql(VIEWER, {}, { token });
  expect(res.status).toBe(401);
  expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.body.data ?? null).toBeNull();
}

describe('bearer JWTs', () => {
  test('a valid token gets the roles stored for the user, whatever the token claims', async () => {
    const token = await signed({ sub: 'auth-a-learner', org: a.id, roles: ['ORG_ADMIN'] });
    const res = await t.gql<{ viewer: { roles: string[]; organization: { slug: string } } }>(VIEWER, {}, { token });
    expect(res.body.data?.viewer).toMatchObject({ roles: ['LEARNER'], organization: { slug: 'auth-a' } });
  });

  test('the org claim may be the slug', async () => {
    const res = await t.gql<{ viewer: { roles: string[] } }>(VIEWER, {}, { token: await signed({ sub: 'auth-a-admin', org: 'auth-a' }) });
    expect(res.body.data?.viewer.roles).toEqual(['ORG_ADMIN']);
  });

  test('alg "none" is rejected', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthenticated(`${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'auth-a-admin', org: a.id, iss: t.config.jwt.issuer, aud: t.config.jwt.audience, exp: now + 600 })}.`);
  });

  test.each([
    ['wrong issuer', (j: SignJWT) => j.setIssuer('someone-else')],
    ['wrong audience', (j: SignJWT) => j.setAudience('another-api')],
    ['expired beyond the clock tolerance', (j: SignJWT) => j.setExpirationTime(Math.floor(Date.now() / 1000) - 120)],
    ['not valid yet', (j: SignJWT) => j.setNotBefore(Math.floor(Date.now() / 1000) + 600)],
  ])('%s is rejected', async (_name, mutate) => {
    await expectUnauthenticated(await signed({ sub: 'auth-a-admin', org: a.id }, mutate));
  });

  test('a token expired within the clock tolerance is still accepted', async () => {
    const token = await signed({ sub: 'auth-a-admin', org: a.id }, (j) => j.setExpirationTime(Math.floor(Date.now() / 1000) - 5));
    expect((await t.gql(VIEWER, {}, { token })).status).toBe(200);
  });

  test('a tampered payload is rejected', async () => {
    const [h, , s] = (await signed({ sub: 'auth-a-learner', org: a.id })).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'auth-a-admin', org: a.id, iss: t.config.jwt.issuer, aud: t.config.jwt.audience, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    await expectUnauthenticated(`${h}.${forged}.${s}`);
  });

  test('a token signed with an unknown key is rejected', async () => {
    await expectUnauthenticated(await signed({ sub: 'auth-a-admin', org: a.id }, (j) => j, new TextEncoder().encode('not-the-server-secret-0123456789')));
  });

  test('an algorithm that is not allowed is rejected', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'auth-a-admin', org: a.id }).setProtectedHeader({ alg: 'RS256' }).setIssuer(t.config.jwt.issuer).setAudience(t.config.jwt.audience).setExpirationTime(now + 600).sign(privateKey);
    await expectUnauthenticated(token);
  });

  test("a token naming another organization than the user's is rejected", async () => {
    await expectUnauthenticated(await signed({ sub: 'auth-a-admin', org: b.id }));
    await expectUnauthenticated(await signed({ sub: 'auth-a-admin', org: 'no-such-org' }));
  });

  test('a deactivated user is rejected', async () => {
    await a.user('leaver');
    await t.owner.query(`UPDATE app_user SET status = 'DEACTIVATED' WHERE external_id = 'auth-a-leaver'`);
    await expectUnauthenticated(await signed({ sub: 'auth-a-leaver', org: a.id }));
  });

  test('a bearer already verified (and remembered) is refused as soon as its user is deactivated, and their roles change at once', async () => {
    await a.user('mover');
    const token = await signed({ sub: 'auth-a-mover', org: a.id });
    const roles = async () => (await t.gql<{ viewer: { roles: string[] } }>(VIEWER, {}, { token })).body.data?.viewer.roles;
    expect(await roles()).toEqual(['LEARNER']);
    await t.owner.query(`UPDATE app_user SET roles = '{HR}' WHERE external_id = 'auth-a-mover'`);
    expect(await roles()).toEqual(['HR']);
    await t.owner.query(`UPDATE app_user SET status = 'DEACTIVATED' WHERE external_id = 'auth-a-mover'`);
    await expectUnauthenticated(token);
  });

  test('malformed Authorization headers are rejected, no credentials means anonymous', async () => {
    const res = await t.gql(VIEWER, {}, { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    const anon = await t.gql(VIEWER);
    expect(anon.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('JWKS', () => {
  let jwks: Server;
  let other: TestApp;
  let privateKey: KeyLike;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    other = await startTestApp({ JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`, JWT_SECRET: '' });
    const org = await seedOrg(other.owner, 'jwks');
    await org.user('admin', [Role.ORG_ADMIN]);
  });
  afterAll(async () => {
    await other.close();
    jwks.close();
  });

  test('keys come from the JWKS URL; HS256 tokens are then refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = await new SignJWT({ sub: 'jwks-admin', org: 'jwks' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(other.config.jwt.issuer).setAudience(other.config.jwt.audience).setExpirationTime(now + 600).sign(privateKey);
    const res = await other.gql<{ viewer: { roles: string[] } }>(VIEWER, {}, { token: good });
    expect(res.body.data?.viewer.roles).toEqual(['ORG_ADMIN']);
    const hs = await new SignJWT({ sub: 'jwks-admin', org: 'jwks' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(other.config.jwt.issuer).setAudience(other.config.jwt.audience).setExpirationTime(now + 600).sign(secret);
    expect((await other.gql(VIEWER, {}, { token: hs })).status).toBe(401);
  });
});

describe('the caller is read with BEGIN, in one round trip', () => {
  test('a request spends one round trip on BEGIN, the tenant and the caller, and one on COMMIT', async () => {
    const token = await t.token(a.id, a.users.learner.externalId);
    const { sent, result } = await watchQueries(() => t.gql('{ viewer { roles user { externalId } } }', {}, { token }));
    expect(result.body.data).toMatchObject({ viewer: { user: { externalId: a.users.learner.externalId } } });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^START TRANSACTION READ ONLY; SELECT set_config\(.*\); SELECT .* FROM app_user u WHERE/);
    // Still counted as the two statements it is.
    expect(result.statements).toBe(3);
  });

  test('subjects with quotes, backslashes or a NUL find their user or nobody, never another or a 500', async () => {
    const odd = ["o'brien", "x' OR '1'='1", 'back\\slash\\', "'; DROP TABLE app_user; --", '黄\'s'];
    for (const subject of odd) {
      await t.owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) VALUES ($1, gen_random_uuid(), $2, 'odd', '{LEARNER}')`, [a.id, subject]);
      const res = await t.gql(VIEWER, {}, { token: await t.token(a.id, subject) });
      expect(res.body.data).toMatchObject({ viewer: { user: { externalId: subject } } });
    }
    await expectUnauthenticated(await t.token(a.id, "nobody' OR external_id <> '"));
    const nul = await t.gql(VIEWER, {}, { token: await t.token(a.id, 'nul\u0000byte') });
    expect(nul.status).toBeLessThan(500);
    expect(nul.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
