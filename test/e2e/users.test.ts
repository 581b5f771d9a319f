import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let hr: string;
const UPSERT = `mutation($users: [UserInput!]!) { upsertUsers(input: { users: $users }) {
  users { id externalId employeeId name email orgUnitPath jobTitle roles manager { externalId } }
  errors { code message path } } }`;
type Upserted = { upsertUsers: { users: { id: string; externalId: string; roles: string[]; orgUnitPath: string; manager: { externalId: string } | null }[] | null; errors: { code: string; path: string[] }[] } };

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'users-a');
  await a.user('hr', [Role.HR]);
  await a.user('admin', [Role.ORG_ADMIN]);
  hr = await t.token(a.id, 'users-a-hr');
});
afterAll(() => t.close());

const count = async (): Promise<number> => ((await t.owner.query('SELECT count(*)::int AS n FROM app_user')) as { n: number }[])[0].n;

test('LMS provisioning creates users with managers from the same batch, then updates them by external id', async () => {
  const res = await t.gql<Upserted>(UPSERT, { users: [
    { externalId: 'e-2', name: '李娜', orgUnitPath: ' 杭州 / 萧山分公司/营业厅 ', jobTitle: '营业员', managerExternalId: 'e-1', employeeId: 'E002' },
    { externalId: 'e-1', name: '王建国', orgUnitPath: '杭州/萧山分公司/营业厅', jobTitle: '营业厅主任', roles: ['MANAGER', 'LEARNER'], email: 'wang@example.com' },
  ] }, { token: hr });
  expect(res.body.data?.upsertUsers.errors).toEqual([]);
  const [li, wang] = res.body.data!.upsertUsers.users!;
  expect(li).toMatchObject({ externalId: 'e-2', orgUnitPath: '杭州/萧山分公司/营业厅', roles: ['LEARNER'], manager: { externalId: 'e-1' } });
  expect(wang.roles).toEqual(['MANAGER', 'LEARNER']);

  const again = await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'e-2', name: '李娜娜', jobTitle: '高级营业员' }] }, { token: hr });
  expect(again.body.data!.upsertUsers.users![0]).toMatchObject({ id: li.id, manager: { externalId: 'e-1' }, roles: ['LEARNER'] });
  const audit = (await t.owner.query(`SELECT action, before->>'name' AS before, after->>'name' AS after FROM audit_event WHERE entity_id = $1 ORDER BY created_at`, [(await t.owner.query(`SELECT id FROM app_user WHERE external_id = 'e-2'`))[0].id])) as unknown[];
  expect(audit).toEqual([{ action: 'user.create', before: null, after: '李娜' }, { action: 'user.update', before: '李娜', after: '李娜娜' }]);
});

test('one bad user in a batch writes nothing and says which one and why', async () => {
  const before = await count();
  const res = await t.gql<Upserted>(UPSERT, { users: [
    { externalId: 'ok-1', name: '甲' },
    { externalId: 'ok-2', name: '乙', email: 'not-an-email' },
    { externalId: 'ok-3', name: '', managerExternalId: 'nobody' },
  ] }, { token: hr });
  const { errors, users } = res.body.data!.upsertUsers;
  expect(users).toBeNull();
  expect(errors).toEqual(expect.arrayContaining([
    expect.objectContaining({ code: 'INVALID', path: ['input', 'users', '1', 'email'] }),
    expect.objectContaining({ code: 'INVALID', path: ['input', 'users', '2', 'name'] }),
  ]));
  expect(await count()).toBe(before);
});

test('duplicates, unknown managers, oversized and control-character input are payload errors', async () => {
  const cases: [unknown[], string][] = [
    [[{ externalId: 'd', name: 'x' }, { externalId: 'd', name: 'y' }], 'DUPLICATE'],
    [[{ externalId: 'm', name: 'x', managerExternalId: 'ghost' }], 'NOT_FOUND'],
    [[{ externalId: 'self', name: 'x', managerExternalId: 'self' }], 'INVALID'],
    [[{ externalId: 'long', name: '长'.repeat(201) }], 'TOO_LARGE'],
    [[{ externalId: 'ctl', name: 'a\u0007b' }], 'INVALID'],
    [[{ externalId: 'emp', name: 'x', employeeId: 'E-TAKEN' }], 'DUPLICATE'],
    [[{ externalId: 'emp-1', name: 'x', employeeId: 'E-NEW' }, { externalId: 'emp-2', name: 'y', employeeId: 'E-NEW' }], 'DUPLICATE'],
    [[], 'INVALID'],
    [Array.from({ length: 501 }, (_, i) => ({ externalId: `bulk-${i}`, name: 'x' })), 'TOO_LARGE'],
  ];
  await t.owner.query(`UPDATE app_user SET employee_id = 'E-TAKEN' WHERE external_id = 'users-a-admin'`);
  const before = await count();
  for (const [users, code] of cases) {
    const res = await t.gql<Upserted>(UPSERT, { users }, { token: hr });
    expect({ users: JSON.stringify(users).slice(0, 60), codes: res.body.data?.upsertUsers.errors.map((e) => e.code) }).toEqual({ users: JSON.stringify(users).slice(0, 60), codes: expect.arrayContaining([code]) });
  }
  expect(await count()).toBe(before);
});

test('nobody can grant a role with more than they hold', async () => {
  const res = await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'climber', name: 'x', roles: ['ORG_ADMIN'] }] }, { token: hr });
  expect(res.body.data!.upsertUsers.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
  const platform = await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'root', name: 'x', roles: ['PLATFORM_ADMIN'] }] }, { token: await t.token(a.id, 'users-a-admin') });
  expect(platform.body.data!.upsertUsers.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
});

describe('role matrix: who may change whom', () => {
  const rolesOf = async (externalId: string): Promise<{ roles: string[]; status: string; name: string }> =>
    ((await t.owner.query('SELECT roles, status, name FROM app_user WHERE external_id = $1', [externalId])) as { roles: string[]; status: string; name: string }[])[0];
  const codes = (res: { body: { data?: Upserted | null } }) => res.body.data!.upsertUsers.errors.map((e) => e.code);

  beforeAll(async () => {
    await a.user('boss', [Role.ORG_ADMIN]);
    await a.user('peer-hr', [Role.HR, Role.LEARNER]);
    await a.user('plain', [Role.LEARNER]);
  });

  test.each([
    ['demote the org admin', { roles: ['LEARNER'] }],
    ['deactivate the org admin', { status: 'DEACTIVATED' }],
    ['rename the org admin', { name: 'renamed by HR' }],
  ])('HR cannot %s, and nothing changes', async (_label, change) => {
    const before = await rolesOf('users-a-boss');
    const res = await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'users-a-plain', name: 'plain of users-a' }, { externalId: 'users-a-boss', name: before.name, email: 'boss@users-a.test', ...change }] }, { token: hr });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.body.data!.upsertUsers.errors[0].path).toEqual(['input', 'users', '1']);
    expect(await rolesOf('users-a-boss')).toEqual(before);
  });

  test('an unchanged org admin row in an HR sync passes (an LMS sends everyone)', async () => {
    const res = await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'users-a-boss', name: 'boss of users-a', email: 'boss@users-a.test' }] }, { token: hr });
    expect(codes(res)).toEqual([]);
  });

  test('HR changes learners and HR peers; an org admin changes the org admin', async () => {
    const hrChanges = await t.gql<Upserted>(UPSERT, { users: [
      { externalId: 'users-a-plain', name: 'plain', status: 'DEACTIVATED' },
      { externalId: 'users-a-peer-hr', name: 'peer', roles: ['LEARNER'] },
    ] }, { token: hr });
    expect(codes(hrChanges)).toEqual([]);
    expect(await rolesOf('users-a-peer-hr')).toMatchObject({ roles: ['LEARNER'] });
    const adminChanges = await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'users-a-boss', name: 'boss', roles: ['ORG_ADMIN', 'LEARNER'] }] }, { token: await t.token(a.id, 'users-a-admin') });
    expect(codes(adminChanges)).toEqual([]);
  });

  test('an API key with USERS_WRITE provisions learners but cannot demote the org admin', async () => {
    const created = await t.gql<{ createApiKey: { key: string } }>('mutation { createApiKey(input: { name: "lms", scopes: [USERS_WRITE, USERS_READ] }) { key } }', {}, { token: await t.token(a.id, 'users-a-admin') });
    const apiKey = created.body.data!.createApiKey.key;
    expect(codes(await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'key-made', name: 'x', roles: ['LEARNER'] }] }, { apiKey }))).toEqual([]);
    expect(codes(await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'users-a-boss', name: 'boss', roles: ['LEARNER'] }] }, { apiKey }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql<Upserted>(UPSERT, { users: [{ externalId: 'users-a-hr', name: 'hr', status: 'DEACTIVATED' }] }, { apiKey }))).toEqual(['FORBIDDEN']);
    expect(await rolesOf('users-a-boss')).toMatchObject({ roles: ['ORG_ADMIN', 'LEARNER'], status: 'ACTIVE' });
  });
});

describe('listing users', () => {
  beforeAll(async () => {
    await a.user('mgr', [Role.MANAGER, Role.LEARNER], { orgUnitPath: '华东/杭州' });
    await a.user('in-team', [Role.LEARNER], { orgUnitPath: '华东/杭州/营业厅', jobTitle: '营业员' });
    await a.user('report', [Role.LEARNER], { orgUnitPath: '华北/北京', managerKey: 'mgr' });
    await a.user('outsider', [Role.LEARNER], { orgUnitPath: '华东/杭州湾', jobTitle: '营业员' });
  });
  const LIST = `query($filter: UserFilter, $first: Int, $after: String) { users(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { externalId } } }`;
  type List = { users: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { externalId: string }[] } };
  const ids = (res: { body: { data?: List | null } }) => res.body.data!.users.nodes.map((n) => n.externalId).sort();

  test('filters by org unit subtree (not by prefix), job title, role and text', async () => {
    expect(ids(await t.gql<List>(LIST, { filter: { orgUnitPath: '华东/杭州' } }, { token: hr }))).toEqual(['users-a-in-team', 'users-a-mgr']);
    expect(ids(await t.gql<List>(LIST, { filter: { jobTitle: '营业员', role: 'LEARNER' } }, { token: hr }))).toEqual(['users-a-in-team', 'users-a-outsider']);
    expect(ids(await t.gql<List>(LIST, { filter: { search: 'OUTSIDER' } }, { token: hr }))).toEqual(['users-a-outsider']);
    expect(ids(await t.gql<List>(LIST, { filter: { search: '%' } }, { token: hr }))).toEqual([]);
  });

  test('pages with cursors and a total', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const res = await t.gql<List>(LIST, { first: 3, after }, { token: hr });
      const page = res.body.data!.users;
      total = page.totalCount;
      seen.push(...page.nodes.map((n) => n.externalId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  test('a manager sees their org unit subtree and direct reports; a learner cannot list', async () => {
    const mgr = await t.token(a.id, 'users-a-mgr');
    expect(ids(await t.gql<List>(LIST, {}, { token: mgr }))).toEqual(['users-a-in-team', 'users-a-mgr', 'users-a-report']);
    const learner = await t.gql<List>(LIST, {}, { token: await t.token(a.id, 'users-a-in-team') });
    expect(learner.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('page size is capped and bad cursors are refused', async () => {
    const res = await t.gql<List>(LIST, { first: 0 }, { token: hr });
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await t.gql<List>(LIST, { after: 'garbage' }, { token: hr });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
