import { startTestApp, type TestApp } from '../support/app';
import { seedOrg } from '../support/seed';
import { Role } from '../../src/shared/permissions';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test('viewer answers over HTTP for a seeded user', async () => {
  const org = await seedOrg(t.owner, 'acme');
  const admin = await org.user('admin', [Role.ORG_ADMIN]);
  const res = await t.gql<{ viewer: { roles: string[] } }>('{ viewer { roles user { externalId } } }', {}, { token: await t.token(org.id, admin.externalId) });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.viewer.roles).toEqual(['ORG_ADMIN']);
});
