import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, seedPlatformAdmin } from '../support/seed';

let t: TestApp;
let platform: string;
const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
  organization { id slug name nameEn industry defaultLocale } errors { code path } } }`;
type Created = { createOrganization: { organization: { id: string; slug: string } | null; errors: { code: string; path: string[] }[] } };

beforeAll(async () => {
  t = await startTestApp();
  platform = await t.token(undefined, await seedPlatformAdmin(t.owner));
});
afterAll(() => t.close());

test('a platform admin creates an organization with its first org admin, who can then sign in', async () => {
  const res = await t.gql<Created>(CREATE, { input: { slug: 'new-co', name: '新公司', nameEn: 'New Co', industry: '零售', admin: { externalId: 'founder', name: '创始人' } } }, { token: platform });
  expect(res.body.data?.createOrganization.errors).toEqual([]);
  const org = res.body.data!.createOrganization.organization!;
  const token = await t.token('new-co', 'founder');
  const me = await t.gql<{ viewer: { roles: string[]; organization: { id: string } } }>('{ viewer { roles organization { id } } }', {}, { token });
  expect(me.body.data?.viewer).toEqual({ roles: ['ORG_ADMIN'], organization: { id: org.id } });
  const audit = await t.gql<{ auditEvents: { nodes: { action: string; actor: string }[] } }>('{ auditEvents { nodes { action actor } } }', {}, { token });
  expect(audit.body.data?.auditEvents.nodes).toEqual(expect.arrayContaining([{ action: 'organization.create', actor: 'platform:root' }, { action: 'user.create', actor: 'platform:root' }]));
  const list = await t.gql<{ organizations: { nodes: { slug: string }[] } }>('{ organizations { nodes { slug } } }', {}, { token: platform });
  expect(list.body.data?.organizations.nodes.map((o) => o.slug)).toContain('new-co');
});

test('bad slugs and taken slugs are payload errors that create nothing', async () => {
  const before = await t.owner.query('SELECT count(*)::int AS n FROM organization');
  for (const [slug, code] of [['Bad Slug', 'INVALID'], ['new-co', 'DUPLICATE'], ['', 'INVALID']]) {
    const res = await t.gql<Created>(CREATE, { input: { slug, name: 'x', industry: 'y' } }, { token: platform });
    expect(res.body.data?.createOrganization.errors[0]).toEqual({ code, path: ['input', 'slug'] });
  }
  expect(await t.owner.query('SELECT count(*)::int AS n FROM organization')).toEqual(before);
});

test('only platform admins create or list organizations', async () => {
  const org = await seedOrg(t.owner, 'plain');
  await org.user('admin', [Role.ORG_ADMIN]);
  const admin = await t.token(org.id, 'plain-admin');
  const res = await t.gql<Created>(CREATE, { input: { slug: 'sneaky', name: 'x', industry: 'y' } }, { token: admin });
  expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await t.gql('{ organizations { totalCount } }', {}, { token: admin })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const unknown = await t.token(undefined, 'not-a-platform-admin');
  expect((await t.gql('{ organizations { totalCount } }', {}, { token: unknown })).status).toBe(401);
});
