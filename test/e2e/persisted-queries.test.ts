import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAppSchema } from '../../src/schema';
import { PersistedQueryList, buildManifest, type PersistedQueryManifest } from '../../src/http/persisted-queries';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

const OPERATIONS = path.join(__dirname, '../../schema/learner-operations.graphql');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let dir: string;
let manifestFile: string;
let manifest: PersistedQueryManifest;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'coursegraph-pq-'));
  manifest = buildManifest([{ name: OPERATIONS, text: readFileSync(OPERATIONS, 'utf8') }], await buildAppSchema());
  manifestFile = path.join(dir, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
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
  it('holds every named operation of the learner operations file with the fragments it uses, by the sha256 of its text', () => {
    expect(manifest.operations.map((o) => [o.name, o.type])).toEqual([['LearnerCatalog', 'query'], ['LaunchActivity', 'mutation'], ['RecordActivityProgress', 'mutation']]);
    for (const o of manifest.operations) expect(o.id).toBe(sha256(o.body));
    expect(op('LearnerCatalog').body).toContain('fragment ProgressFields on ActivityProgress');
    expect(op('LaunchActivity').body).not.toContain('fragment');
  });

  it('refuses operations without a name, twice defined, unknown fragments or fields the schema lacks', async () => {
    const schema = await buildAppSchema();
    const build = (text: string) => () => buildManifest([{ name: 'x.graphql', text }], schema);
    expect(build('{ viewer { id } }')).toThrow(/needs a name/);
    expect(build('query A { viewer { id } } query A { viewer { roles } }')).toThrow(/defined twice/);
    expect(build('query A { viewer { ...Missing } }')).toThrow(/fragment Missing is not defined/);
    expect(build('query A { viewer { salary } }')).toThrow(/does not fit the schema/);
    expect(build('query A {')).toThrow(/does not parse/);
  });

  it('is checked when loaded: format, ids and the schema', async () => {
    const schema = await buildAppSchema();
    expect(PersistedQueryList.fromManifest(manifest, schema).size).toBe(3);
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
    const byId = await post(t, learner, { hash: op('LearnerCatalog').id });
    expect(byId).toMatchObject({ status: 200, body: { data: { viewer: { enrollments: { nodes: [] } } } } });
    expect(byId.body.errors).toBeUndefined();
    const withText = await post(t, learner, { hash: op('LearnerCatalog').id, query: op('LearnerCatalog').body });
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
    const lying = await post(t, learner, { query, hash: op('LearnerCatalog').id });
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
      expect((await post(t, admin, { hash: op('LearnerCatalog').id })).body.data.viewer.enrollments.nodes).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('will not start with a mode but no manifest, or an unknown mode', async () => {
    await expect(startTestApp({ PERSISTED_QUERIES: 'learners' })).rejects.toThrow(/needs PERSISTED_QUERIES_FILE/);
    await expect(startTestApp({ PERSISTED_QUERIES: 'sometimes' })).rejects.toThrow(/PERSISTED_QUERIES must be one of off, learners, all/);
  });
});
