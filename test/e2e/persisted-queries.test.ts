import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAppSchema } from '../../src/schema';
import { PersistedQueryList, type PersistedQueryManifest } from '../../src/http/persisted-queries';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { generateManifest } from '../support/persisted-manifest';
import { seedOrg, type SeededOrg } from '../support/seed';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let dir: string;
let manifestFile: string;
let manifest: PersistedQueryManifest;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'coursegraph-pq-'));
  // The client test's operations, through Apollo's manifest generator (the one way the README shows).
  ({ file: manifestFile, manifest } = await generateManifest(['test/client/operations.ts'], dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const op = (name: string) => manifest.operations.find((o) => o.name === name)!;

/** A GraphQL POST with an optional persisted-query extension and optional query text. */
async function post(t: TestApp, token: string, body: { query?: string; hash?: string; variables?: Record<string, unknown> }) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      ...(body.query ? { query: body.query } : {}),
      variables: body.variables ?? {},
      ...(body.hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: body.hash } } } : {}),
    }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('the manifest', () => {
  it('is checked when loaded: format, ids and the schema', async () => {
    const schema = await buildAppSchema();
    expect(PersistedQueryList.fromManifest(manifest, schema).size).toBe(manifest.operations.length);
    expect(() => PersistedQueryList.fromManifest({ operations: [] }, schema)).toThrow(/not an Apollo persisted query manifest/);
    const tampered = { ...manifest, operations: [{ ...op('LaunchActivity'), body: op('LaunchActivity').body.replace('cmi', 'cmi entry') }] };
    expect(() => PersistedQueryList.fromManifest(tampered, schema)).toThrow(/LaunchActivity.*not the sha256/);
    const body = 'query Old { viewer { salary } }';
    expect(() => PersistedQueryList.fromManifest({ ...manifest, operations: [{ id: sha256(body), name: 'Old', type: 'query', body }] }, schema)).toThrow(/Old.*does not fit the schema/);
    expect(() => PersistedQueryList.load(path.join(dir, 'missing.json'), schema)).toThrow(/cannot read/);
  });
});

describe('PERSISTED_QUERIES=learners', () => {
  let t: TestApp;
  let a: SeededOrg;
  let learner: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ PERSISTED_QUERIES: 'learners', PERSISTED_QUERIES_FILE: manifestFile });
    a = await seedOrg(t.owner, 'pq-a');
    await a.user('learner', [Role.LEARNER]);
    await a.user('admin', [Role.ORG_ADMIN]);
    [learner, admin] = await Promise.all([t.token(a.id, 'pq-a-learner'), t.token(a.id, 'pq-a-admin')]);
  });
  afterAll(() => t.close());

  it('serves a learner an allowed operation by its id alone, or with its text', async () => {
    const byId = await post(t, learner, { hash: op('Catalog').id });
    expect(byId).toMatchObject({ status: 200, body: { data: { courses: { totalCount: 0, nodes: [] } } } });
    expect(byId.body.errors).toBeUndefined();
    const withText = await post(t, learner, { hash: op('Catalog').id, query: op('Catalog').body });
    expect(withText.body).toEqual(byId.body);
  });

  it('refuses a learner any other operation, even one sent with its own hash, and registers nothing', async () => {
    const query = '{ viewer { roles permissions } }';
    const free = await post(t, learner, { query });
    expect(free.status).toBe(403);
    expect(free.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(free.body.data).toBeUndefined();
    const selfHashed = await post(t, learner, { query, hash: sha256(query) });
    expect(selfHashed.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byHashLater = await post(t, learner, { hash: sha256(query) });
    expect(byHashLater.body.errors?.[0].message).toBe('PersistedQueryNotFound');
    const lying = await post(t, learner, { query, hash: op('Catalog').id });
    expect(lying.status).toBe(400);
    expect(lying.body.data).toBeUndefined();
  });

  it('leaves staff free to send any operation', async () => {
    const res = await post(t, admin, { query: '{ viewer { roles } }' });
    expect(res).toMatchObject({ status: 200, body: { data: { viewer: { roles: ['ORG_ADMIN'] } } } });
  });
});

describe('PERSISTED_QUERIES=all and configuration errors', () => {
  it('holds staff to the allowlist too', async () => {
    const t = await startTestApp({ PERSISTED_QUERIES: 'all', PERSISTED_QUERIES_FILE: manifestFile });
    try {
      const a = await seedOrg(t.owner, 'pq-all');
      await a.user('admin', [Role.ORG_ADMIN]);
      const admin = await t.token(a.id, 'pq-all-admin');
      expect((await post(t, admin, { query: '{ viewer { roles } }' })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await post(t, admin, { hash: op('Catalog').id })).body.data.courses.nodes).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('will not start with a mode but no manifest, or an unknown mode', async () => {
    await expect(startTestApp({ PERSISTED_QUERIES: 'learners' })).rejects.toThrow(/needs PERSISTED_QUERIES_FILE/);
    await expect(startTestApp({ PERSISTED_QUERIES: 'sometimes' })).rejects.toThrow(/PERSISTED_QUERIES must be one of off, learners, all/);
  });
});
