import { PassThrough } from 'node:stream';
import { createDataSource } from '../../ormconfig';
import { buildServer } from '../../src/server';
import { Role } from '../../src/shared/permissions';
import { startTestApp, testConfig, type TestApp } from '../support/app';
import { seedOrg } from '../support/seed';

let t: TestApp;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  t = await startTestApp({ LOG_LEVEL: 'info' }, stream);
});
afterAll(() => t.close());

test('health and readiness', async () => {
  expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${t.url}/readyz`);
  expect(ready.status).toBe(200);
});

test('readiness fails when the database is unreachable', async () => {
  const dead = createDataSource('postgres://nobody:x@127.0.0.1:1/none');
  const app = await buildServer({ dataSource: dead, config: testConfig(), serverSecret: 'x' });
  const res = await app.inject({ url: '/readyz' });
  expect(res.statusCode).toBe(503);
  expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  await app.close();
});

test('metrics in Prometheus format count requests and GraphQL operations', async () => {
  await t.gql('{ viewer { id } }');
  const text = await (await fetch(`${t.url}/metrics`)).text();
  expect(text).toMatch(/# TYPE coursegraph_http_request_duration_seconds histogram/);
  expect(text).toMatch(/coursegraph_graphql_operations_total\{type="query",outcome="error"\} \d+/);
  expect(text).toMatch(/coursegraph_db_pool_connections\{state="total"\} \d+/);
  expect(text).toMatch(/process_cpu_seconds_total/);
});

test('structured logs carry the request id, which is echoed back; tokens are never logged', async () => {
  const org = await seedOrg(t.owner, 'ops');
  await org.user('admin', [Role.ORG_ADMIN]);
  const token = await t.token(org.id, 'ops-admin');
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'req-abc-123' },
    body: JSON.stringify({ query: '{ viewer { id } }' }),
  });
  expect(res.headers.get('x-request-id')).toBe('req-abc-123');
  const generated = await fetch(`${t.url}/healthz`);
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const mine = logs.filter((l) => l.reqId === 'req-abc-123');
  expect(mine.length).toBeGreaterThanOrEqual(2);
  expect(mine[0]).toEqual(expect.objectContaining({ level: 30, msg: 'incoming request' }));
  expect(JSON.stringify(logs)).not.toContain(token);
});

test('an unusable request id header is replaced', async () => {
  const res = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test('unknown routes answer 404 with a code', async () => {
  const res = await fetch(`${t.url}/nope`, { headers: { 'accept-language': 'en' } });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
});

test('each client is rate limited with a RATE_LIMITED code; health checks are not', async () => {
  const limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.gql('{ viewer { id } }', {}, { token: 'a.b.c' })).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    const res = await limited.gql('{ viewer { id } }', {}, { token: 'a.b.c' });
    expect(res.status).toBe(429);
    expect(res.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    // An unverified token is no identity: another garbage token is the same client (its address).
    expect((await limited.gql('{ viewer { id } }', {}, { token: 'other.client.token' })).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
  } finally {
    await limited.close();
  }
});
