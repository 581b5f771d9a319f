import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'input-a');
  await a.user('admin', [Role.ORG_ADMIN]);
  admin = await t.token(a.id, 'input-a-admin');
});
afterAll(() => t.close());

const users = async (): Promise<number> => ((await t.owner.query('SELECT count(*)::int AS n FROM app_user')) as { n: number }[])[0].n;
const UPSERT = 'mutation($users: [UserInput!]!) { upsertUsers(input: { users: $users }) { errors { code } } }';
const cursor = (values: unknown): string => Buffer.from(JSON.stringify(values)).toString('base64url');

async function raw(query: string, variables?: unknown): Promise<{ status: number; body: { errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'accept-language': 'en' }, body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('text PostgreSQL cannot hold is refused in one place, for every argument', () => {
  test.each([
    ['a NUL in a variable', UPSERT, { users: [{ externalId: 'n1', name: 'a\u0000b' }] }],
    ['a NUL in a nested variable key', UPSERT, { users: [{ externalId: 'n2', name: 'x', 'k\u0000': 1 }] }],
    ['an unpaired high surrogate in a variable', UPSERT, { users: [{ externalId: 'n3', name: 'a\ud800b' }] }],
    ['an unpaired low surrogate in a variable', UPSERT, { users: [{ externalId: 'n4', name: '\udc00' }] }],
    ['a NUL escape in a literal', 'mutation { upsertUsers(input: { users: [{ externalId: "n5", name: "a\\u0000b" }] }) { errors { code } } }', undefined],
    ['a raw NUL in a block string', 'mutation { upsertUsers(input: { users: [{ externalId: "n6", name: """a\u0000b""" }] }) { errors { code } } }', undefined],
    ['a NUL in a search filter', 'query($s: String) { users(filter: { search: $s }) { totalCount } }', { s: '\u0000' }],
    ['a NUL in an id', 'query($id: ID!) { node(id: $id) { id } }', { id: '\u0000' }],
  ])('%s is BAD_USER_INPUT and writes nothing', async (_label, query, variables) => {
    const before = await users();
    const res = await raw(query, variables);
    expect({ status: res.status, code: res.body.errors?.[0].extensions?.code }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(res.body.errors?.[0].message).toMatch(/NUL character or an unpaired surrogate/);
    expect(await users()).toBe(before);
  });

  test('paired surrogates (emoji) and other text pass', async () => {
    const res = await raw(UPSERT, { users: [{ externalId: 'emoji', name: '王😀' }] });
    expect(res.body).toEqual({ data: { upsertUsers: { errors: [] } } });
  });
});

describe('cursors that decode but carry wrong values are "malformed cursor"', () => {
  const AUDIT = 'query($after: String) { auditEvents(first: 1, after: $after) { nodes { id } } }';
  const USERS = 'query($after: String) { users(first: 1, after: $after) { nodes { id } } }';
  test.each([
    ['text in a timestamp', AUDIT, ['yesterday', '00000000-0000-0000-0000-000000000000']],
    ['an impossible date', AUDIT, ['2026-02-30T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']],
    ['a year PostgreSQL cannot hold', AUDIT, ['+275760-09-13T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']],
    ['year zero', AUDIT, ['0000-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']],
    ['text in a uuid', AUDIT, ['2026-01-01T00:00:00.000Z', 'not-a-uuid']],
    ['numbers', AUDIT, [1, 2]],
    ['nulls', USERS, [null, null]],
    ['objects', USERS, [{ a: 1 }, '00000000-0000-0000-0000-000000000000']],
    ['a NUL in text', USERS, ['a\u0000', '00000000-0000-0000-0000-000000000000']],
    ['too few values', USERS, ['a']],
  ])('%s', async (_label, query, values) => {
    const res = await raw(query, { after: cursor(values) });
    expect({ status: res.status, code: res.body.errors?.[0].extensions?.code, message: res.body.errors?.[0].message })
      .toEqual({ status: 200, code: 'BAD_USER_INPUT', message: 'Malformed cursor' });
  });

  test('a cursor the server handed out still pages', async () => {
    const first = await t.gql<{ users: { pageInfo: { endCursor: string } } }>('{ users(first: 1) { pageInfo { endCursor } } }', {}, { token: admin });
    const next = await raw(USERS, { after: first.body.data!.users.pageInfo.endCursor });
    expect(next.body.errors).toBeUndefined();
  });
});

test('a filter a query refuses (payload-style errors outside a payload) is BAD_USER_INPUT with its message, not a masked 500', async () => {
  for (const days of [-1, 2147483647]) {
    const res = await raw('query($days: Int) { certificates(filter: { expiringWithinDays: $days }) { totalCount } }', { days });
    expect({ code: res.body.errors?.[0].extensions?.code, message: res.body.errors?.[0].message }).toEqual({
      code: 'BAD_USER_INPUT', message: expect.stringMatching(/expiringWithinDays must be from 0 to/),
    });
  }
});
