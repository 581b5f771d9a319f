import { compileQuery } from 'graphql-jit';
import { buildSchema, parse } from 'graphql';
import { jitExecutor } from '../../src/http/jit-executor';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg } from '../support/seed';

// The real compiler, watched: the test below counts compilations.
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof import('graphql-jit')>('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  const org = await seedOrg(t.owner, 'jit-a');
  await org.user('admin', [Role.ORG_ADMIN]);
  admin = await t.token(org.id, org.users.admin.externalId);
});
afterAll(() => t.close());

async function post(query: string, variables: Record<string, unknown>): Promise<{ status: number; errors?: { message: string; path?: unknown; extensions?: { code?: string } }[] }> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] }) };
}

test('an operation keeps its error shapes once compiled: the same answer on every run', async () => {
  const refused = 'query($days: Int) { certificates(filter: { expiringWithinDays: $days }) { totalCount } }';
  const wrongType = 'query($n: Int) { users(first: $n) { totalCount } }';
  for (let run = 0; run < 3; run++) {
    // A resolver's own error keeps its code and message (graphql-jit's errors carry no extensions of their own).
    expect(await post(refused, { days: -1 })).toMatchObject({
      status: 200, errors: [{ message: expect.stringMatching(/expiringWithinDays must be from 0 to/), path: ['certificates'], extensions: { code: 'BAD_USER_INPUT' } }],
    });
    // A variable that does not coerce is the client's mistake, a 400 with graphql-js's message.
    expect(await post(wrongType, { n: 'ten' })).toMatchObject({
      status: 400, errors: [{ message: expect.stringContaining('Variable "$n" got invalid value "ten"'), extensions: { code: 'BAD_USER_INPUT' } }],
    });
  }
});

test('an operation is compiled once, on its second run, and then runs compiled', async () => {
  const schema = buildSchema('type Query { hello(name: String!): String }');
  schema.getQueryType()!.getFields().hello.resolve = (_root, args: { name: string }) => `hi ${args.name}`;
  const compile = jest.mocked(compileQuery);
  compile.mockClear();
  const execute = jitExecutor(schema);
  const document = parse('query($name: String!) { hello(name: $name) }');
  const run = (name: unknown) => execute({ document, operationName: null, request: { variables: { name } }, context: {} } as unknown as Parameters<typeof execute>[0]);
  expect(await run('a')).toEqual({ data: { hello: 'hi a' } });
  // Sent once, an operation runs on graphql-js; from its second run on, compiled.
  expect(compile).not.toHaveBeenCalled();
  expect(await run('b')).toEqual({ data: { hello: 'hi b' } });
  expect(await run('c')).toEqual({ data: { hello: 'hi c' } });
  expect(compile).toHaveBeenCalledTimes(1);
  const bad = await run(3);
  expect(bad.data).toBeUndefined();
  expect(bad.errors?.[0].nodes?.[0].kind).toBe('VariableDefinition');
});
