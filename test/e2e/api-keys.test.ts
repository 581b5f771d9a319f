import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let adminToken: string;
const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id keyId scopes revokedAt } errors { code message path } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } errors { code } } }`;
const UPSERT = `mutation($users: [UserInput!]!) { upsertUsers(input: { users: $users }) { users { externalId } errors { code message } } }`;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'keys-a');
  const admin = await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('hr', [Role.HR]);
  adminToken = await t.token(a.id, admin.externalId);
});
afterAll(() => t.close());

type Created = { createApiKey: { key: string | null; apiKey: { id: string; keyId: string; scopes: string[] } | null; errors: { code: string }[] } };

async function createKey(scopes: string[], token = adminToken) {
  const res = await t.gql<Created>(CREATE, { input: { name: 'LMS back end', scopes } }, { token });
  return res.body.data!.createApiKey;
}

test('an API key is shown once, stored as an HMAC, and works with its scopes only', async () => {
  const created = await createKey(['USERS_WRITE', 'USERS_READ']);
  expect(created.errors).toEqual([]);
  expect(created.key).toMatch(/^cg_[0-9a-z]{42}_[A-Za-z0-9_-]{43}$/);
  const stored = (await t.owner.query(`SELECT secret_hash FROM api_key WHERE key_id = $1`, [created.apiKey!.keyId])) as { secret_hash: string }[];
  expect(stored[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(created.key).not.toContain(stored[0].secret_hash);

  const provisioned = await t.gql<{ upsertUsers: { users: { externalId: string }[] } }>(UPSERT, { users: [{ externalId: 'lms-1', name: '新员工' }] }, { apiKey: created.key! });
  expect(provisioned.body.data?.upsertUsers.users).toEqual([{ externalId: 'lms-1' }]);
  const viaHeader = await t.gql<{ viewer: { permissions: string[]; user: null } }>('{ viewer { permissions user { id } } }', {}, { headers: { 'x-api-key': created.key! } });
  expect(viaHeader.body.data?.viewer.user).toBeNull();
  expect([...viaHeader.body.data!.viewer.permissions].sort()).toEqual(['USERS_READ', 'USERS_WRITE']);
  const forbidden = await t.gql('{ apiKeys { totalCount } }', {}, { apiKey: created.key! });
  expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('a revoked key stops working on the next request, without a restart', async () => {
  const created = await createKey(['USERS_READ']);
  expect((await t.gql('{ users { totalCount } }', {}, { apiKey: created.key! })).status).toBe(200);
  const revoked = await t.gql<{ revokeApiKey: { apiKey: { revokedAt: string } } }>(REVOKE, { id: created.apiKey!.id }, { token: adminToken });
  expect(revoked.body.data?.revokeApiKey.apiKey.revokedAt).toBeTruthy();
  const after = await t.gql('{ users { totalCount } }', {}, { apiKey: created.key! });
  expect(after.status).toBe(401);
  const again = await t.gql<{ revokeApiKey: { errors: { code: string }[] } }>(REVOKE, { id: created.apiKey!.id }, { token: adminToken });
  expect(again.body.data?.revokeApiKey.errors).toEqual([{ code: 'CONFLICT' }]);
});

test('a wrong secret or a forged key id is rejected', async () => {
  const created = await createKey(['USERS_READ']);
  const key = created.key!;
  const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  expect((await t.gql('{ viewer { permissions } }', {}, { apiKey: wrongSecret })).status).toBe(401);
  const b = await seedOrg(t.owner, 'keys-b');
  const forgedOrg = `cg_${b.id.replace(/-/g, '')}${key.slice(35)}`;
  expect((await t.gql('{ viewer { permissions } }', {}, { apiKey: forgedOrg })).status).toBe(401);
  expect((await t.gql('{ viewer { permissions } }', {}, { apiKey: 'cg_short_bad' })).status).toBe(401);
});

test('a key cannot be given more than its creator holds', async () => {
  const hrToken = await t.token(a.id, 'keys-a-hr');
  const res = await t.gql<Created>(CREATE, { input: { name: 'too much', scopes: ['API_KEYS_MANAGE'] } }, { token: hrToken });
  expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const admin = await createKey(['PLATFORM_MANAGE']);
  expect(admin.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  expect(admin.key).toBeNull();
});

test('key creation and revocation are audited', async () => {
  const res = await t.gql<{ auditEvents: { nodes: { action: string; actor: string }[] } }>(`{ auditEvents(filter: { entityType: "ApiKey" }) { nodes { action actor } } }`, {}, { token: adminToken });
  const actions = res.body.data!.auditEvents.nodes.map((n) => n.action);
  expect(actions).toEqual(expect.arrayContaining(['apikey.create', 'apikey.revoke']));
  expect(res.body.data!.auditEvents.nodes[0].actor).toBe('user:keys-a-admin');
});

test('a key can be revoked only by someone who holds all its scopes', async () => {
  const wide = await createKey(['USERS_WRITE', 'USERS_READ', 'AUDIT_READ']);
  const narrow = await createKey(['API_KEYS_MANAGE', 'USERS_READ']);
  const res = await t.gql<{ revokeApiKey: { errors: { code: string }[] } }>(REVOKE, { id: wide.apiKey!.id }, { apiKey: narrow.key! });
  expect(res.body.data?.revokeApiKey.errors).toEqual([{ code: 'FORBIDDEN' }]);
  expect((await t.gql('{ viewer { permissions } }', {}, { apiKey: wide.key! })).status).toBe(200);
  const smaller = await createKey(['USERS_READ']);
  const allowed = await t.gql<{ revokeApiKey: { errors: { code: string }[] } }>(REVOKE, { id: smaller.apiKey!.id }, { apiKey: narrow.key! });
  expect(allowed.body.data?.revokeApiKey.errors).toEqual([]);
});
