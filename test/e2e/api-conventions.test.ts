import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'conv-a');
  await a.user('admin', [Role.ORG_ADMIN]);
  admin = await t.token(a.id, 'conv-a-admin');
});
afterAll(() => t.close());

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...headers }, body });
  return { status: res.status, json: (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('errors', () => {
  test('a refusal names the missing permission in extensions', async () => {
    await a.user('learner');
    const learner = await t.token(a.id, 'conv-a-learner');
    const res = await t.gql('{ apiKeys(first: 1) { totalCount } }', {}, { token: learner });
    expect(res.body.errors).toEqual([expect.objectContaining({
      message: '无权执行此操作:需要 API_KEYS_MANAGE 权限', path: ['apiKeys'], extensions: { code: 'FORBIDDEN', missingPermission: 'API_KEYS_MANAGE' },
    })]);
  });
});

describe('global ids and node', () => {
  test('node(id) fetches by global id; malformed ids are bad input', async () => {
    const me = await t.gql<{ viewer: { user: { id: string } } }>('{ viewer { user { id } } }', {}, { token: admin });
    const id = me.body.data!.viewer.user.id;
    const node = await t.gql<{ node: { __typename: string; id: string; externalId: string } }>('query($id: ID!) { node(id: $id) { __typename id ... on User { externalId } } }', { id }, { token: admin });
    expect(node.body.data?.node).toEqual({ __typename: 'User', id, externalId: 'conv-a-admin' });
    const bad = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: 'not-an-id' }, { token: admin });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('errors', () => {
  test('a database error is masked: no SQL, table or constraint name, and nothing is written', async () => {
    await t.owner.query(`ALTER TABLE app_user ADD CONSTRAINT no_boom_names CHECK (name <> 'boom')`);
    try {
      const res = await t.gql('mutation { upsertUsers(input: { users: [{ externalId: "b1", name: "fine" }, { externalId: "b2", name: "boom" }] }) { errors { code } } }', {}, { token: admin });
      const text = JSON.stringify(res.body);
      expect(res.body.errors?.[0]).toEqual(expect.objectContaining({ message: '服务器内部错误', extensions: { code: 'INTERNAL_SERVER_ERROR' } }));
      for (const leak of ['no_boom_names', 'app_user', 'INSERT', 'UPDATE', 'violates', 'constraint', 'stack', '.ts:']) expect(text).not.toContain(leak);
      expect(await t.owner.query(`SELECT count(*)::int AS n FROM app_user WHERE external_id IN ('b1', 'b2')`)).toEqual([{ n: 0 }]);
    } finally {
      await t.owner.query('ALTER TABLE app_user DROP CONSTRAINT no_boom_names');
    }
  });

  test('every error code a client sees belongs to the closed set', async () => {
    const closed = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR'];
    const bodies = [
      await post('{"query":"{ nope }"}'),
      await post('{"query":"{ viewer { "}'),
      await post('{"query":"query($n: Int) { users(first: $n) { totalCount } }","variables":{"n":"many"}}'),
      await post('{"query":"{ organizations { totalCount } }"}'),
      await post('{"query":"{ viewer { id } }"}', { authorization: 'Bearer x.y.z' }),
    ];
    for (const { json } of bodies) for (const e of json.errors ?? []) expect(closed).toContain(e.extensions?.code);
  });
});

describe('bad input changes nothing and gets a 4xx with a code', () => {
  test.each([
    ['malformed JSON', '{"query": "{ viewer { id } }"', 400],
    ['an unknown field', '{"query":"{ viewer { id shoeSize } }"}', 400],
    ['a wrong variable type', '{"query":"query($f: Int) { users(first: $f) { totalCount } }","variables":{"f":"ten"}}', 400],
    ['an unknown input field', '{"query":"mutation { upsertUsers(input: { users: [{ externalId: \\"x\\", name: \\"y\\", shoe: 1 }] }) { errors { code } } }"}', 400],
    ['no query', '{}', 400],
  ])('%s', async (_label, body, status) => {
    const before = await t.owner.query('SELECT count(*)::int AS n FROM app_user');
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.json.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await t.owner.query('SELECT count(*)::int AS n FROM app_user')).toEqual(before);
  });

  test('an oversized body is refused with 413', async () => {
    const res = await post(JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(t.config.limits.bodyBytes) } }));
    expect(res.status).toBe(413);
    expect(res.json.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('query limits', () => {
  test('too many tokens', async () => {
    const res = await post(JSON.stringify({ query: `{ ${'viewer { id } '.repeat(2000)} }` }));
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].message).toMatch(/token/i);
  });

  test('too deep', async () => {
    const deep = `{ viewer { user { ${'manager { '.repeat(15)}id${' }'.repeat(15)} } } }`;
    const res = await post(JSON.stringify({ query: deep }));
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].message).toMatch(/depth/i);
  });

  test('too many aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    const res = await post(JSON.stringify({ query: `{ ${aliases} }` }));
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].message).toMatch(/alias/i);
  });

  test('too costly', async () => {
    const wide = Array.from({ length: 25 }, (_, i) => `u${i}: users(first: 100) { nodes { id name email manager { id name manager { id name } } } }`).join(' ');
    const res = await post(JSON.stringify({ query: `{ ${wide} }` }));
    expect(res.status).toBe(400);
    expect(res.json.errors?.map((e) => e.message).join(' ')).toMatch(/cost|alias/i);
  });
});

describe('production mode', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => prod.close());

  test('no introspection, no suggestions, no landing page, no SQL count header', async () => {
    const intro = await prod.gql('{ __schema { types { name } } }');
    expect(intro.status).toBe(400);
    expect(JSON.stringify(intro.body)).not.toContain('"types"');
    const typo = await prod.gql('{ viewr { id } }');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/i);
    const page = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/<html/i);
    expect(intro.headers.get('x-sql-statements')).toBeNull();
  });

  test('development mode does suggest', async () => {
    const typo = await t.gql('{ viewr { id } }', {}, { token: admin });
    expect(JSON.stringify(typo.body)).toMatch(/Did you mean/i);
  });
});
