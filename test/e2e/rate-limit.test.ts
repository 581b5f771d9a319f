import { randomBytes } from 'node:crypto';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { watchQueries } from '../support/pg-spy';
import { seedOrg, type SeededOrg } from '../support/seed';

const VIEWER = JSON.stringify({ query: '{ viewer { permissions } }' });
const post = (t: TestApp, headers: Record<string, string>): Promise<Response> =>
  fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: VIEWER });

/** A well-formed API key of organization `orgId` that was never issued. */
const randomKey = (orgId: string): string =>
  `cg_${orgId.replace(/-/g, '')}${randomBytes(5).toString('hex')}_${randomBytes(32).toString('base64url')}`;

describe('the rate limit is keyed on the verified caller', () => {
  let t: TestApp;
  let a: SeededOrg;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '6', AUTH_FAILURES_PER_MINUTE: '0' });
    a = await seedOrg(t.owner, 'rate-a');
    await a.user('one');
    await a.user('two');
    await a.user('admin', [Role.ORG_ADMIN]);
  });
  afterAll(() => t.close());

  test('an API key counts per key id once accepted; another key from the same address has its own bucket', async () => {
    const admin = await t.token(a.id, 'rate-a-admin');
    const create = async (): Promise<string> => (await t.gql<{ createApiKey: { key: string } }>('mutation { createApiKey(input: { name: "lms", scopes: [USERS_READ] }) { key } }', {}, { token: admin })).body.data!.createApiKey.key;
    const [first, second] = [await create(), await create()];
    const statuses: number[] = [];
    // The first request (not yet accepted) counts against the address; the next six against the key.
    for (let i = 0; i < 8; i++) statuses.push((await post(t, { 'x-api-key': first })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    expect([(await post(t, { authorization: `Bearer ${second}` })).status, (await post(t, { authorization: `bearer  ${second}` })).status]).toEqual([200, 200]);
  });

  test('case and spacing variants of "Bearer", and fresh tokens of the same user, share one bucket', async () => {
    const token = await t.token(a.id, 'rate-a-one');
    const again = await t.token(a.id, 'rate-a-one');
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER   ${token}`, `bEaReR\t${token}`, `Bearer ${again}`, `BeArEr  ${again}`];
    const statuses: number[] = [];
    for (const authorization of [...spellings, `bearer ${token}`]) statuses.push((await post(t, { authorization })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect((await post(t, { authorization: `Bearer ${await t.token(a.id, 'rate-a-two')}` })).status).toBe(200);
  });
});

describe('failed authentication is limited per address before it reaches the database', () => {
  let t: TestApp;
  let a: SeededOrg;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000', AUTH_FAILURES_PER_MINUTE: '5' });
    a = await seedOrg(t.owner, 'fail-a');
    await a.user('admin', [Role.ORG_ADMIN]);
  });
  afterAll(() => t.close());

  test('a refused key is remembered: asking again costs no SQL', async () => {
    const key = randomKey(a.id);
    const first = await watchQueries(() => post(t, { authorization: `Bearer ${key}` }));
    expect(first.result.status).toBe(401);
    expect(first.sent.length).toBeGreaterThan(0);
    const second = await watchQueries(() => post(t, { 'x-api-key': key }));
    expect({ status: second.result.status, sql: second.sent }).toEqual({ status: 401, sql: [] });
  });

  test('random well-formed keys hit the failed-auth limit and then cost no SQL; verified callers still pass', async () => {
    const statuses: number[] = [];
    const tail = await watchQueries(async () => {
      // Two failures so far (the test above); the limit is five.
      for (let i = 0; i < 3; i++) statuses.push((await post(t, { authorization: `Bearer ${randomKey(a.id)}` })).status);
      return null;
    });
    expect(statuses).toEqual([401, 401, 401]);
    expect(tail.sent.length).toBeGreaterThan(0);
    const flood = await watchQueries(async () => {
      const out: number[] = [];
      for (let i = 0; i < 50; i++) out.push((await post(t, { authorization: `Bearer ${randomKey(a.id)}` })).status);
      return out;
    });
    expect(new Set(flood.result)).toEqual(new Set([429]));
    expect(flood.sent).toEqual([]);
    const garbageJwt = await post(t, { authorization: 'Bearer not.a.jwt' });
    expect(garbageJwt.status).toBe(429);
    expect(garbageJwt.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await post(t, { authorization: `Bearer ${await t.token(a.id, 'fail-a-admin')}` })).status).toBe(200);
    expect((await post(t, {})).status).toBe(200);
  });
});
