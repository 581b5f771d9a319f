import { Role } from '../../src/shared/permissions';
import { toGlobalId } from '../../src/shared/ids';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg } from '../support/seed';

/*
 * Messages of coded errors follow Accept-Language (zh-CN by default, or en), as titles do: payload
 * errors, thrown refusals, validation errors and the errors of plain HTTP routes. Codes, paths and
 * extensions are the same in both languages.
 */

let t: TestApp;
let admin: string;
let learner: string;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000', AUTH_FAILURES_PER_MINUTE: '2' });
  const org = await seedOrg(t.owner, 'lang');
  await org.user('admin', [Role.ORG_ADMIN]);
  await org.user('learner');
  [admin, learner] = await Promise.all([t.token(org.id, 'lang-admin'), t.token(org.id, 'lang-learner')]);
});
afterAll(() => t.close());

type Errors = { message: string; path?: string[]; extensions?: Record<string, unknown> }[];

/** The same request in English, in Chinese, and with no Accept-Language at all. */
async function inEachLanguage(query: string, token: string, variables: Record<string, unknown> = {}) {
  const ask = async (headers: Record<string, string>) => (await t.gql<any>(query, variables, { token, headers })).body as { data?: any; errors: Errors };
  const [en, zh, none, other] = await Promise.all([
    ask({ 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' }), ask({ 'accept-language': 'zh-CN,zh;q=0.9' }), ask({ 'accept-language': '' }), ask({ 'accept-language': 'fr' }),
  ]);
  return { en, zh, none, other };
}

const withoutMessages = (errors: Errors | undefined) => errors?.map(({ message: _message, ...rest }) => rest);

test('a thrown permission refusal: the message names the missing permission in either language', async () => {
  const { en, zh, none, other } = await inEachLanguage('{ apiKeys(first: 1) { totalCount } }', learner);
  expect(en.errors).toEqual([expect.objectContaining({
    message: 'Not allowed: requires the API_KEYS_MANAGE permission', path: ['apiKeys'], extensions: { code: 'FORBIDDEN', missingPermission: 'API_KEYS_MANAGE' },
  })]);
  expect(zh.errors[0].message).toBe('无权执行此操作:需要 API_KEYS_MANAGE 权限');
  expect(withoutMessages(zh.errors)).toEqual(withoutMessages(en.errors));
  // The documented default is zh-CN, for no header and for a language the service does not speak.
  expect([none.errors[0].message, other.errors[0].message]).toEqual([zh.errors[0].message, zh.errors[0].message]);
});

test('a payload error: a course without activities cannot be published', async () => {
  const created = await t.gql<any>('mutation { createCourse(input: { code: "LANG1", title: { zhCN: "语言", en: "Language" } }) { course { id } } }', {}, { token: admin });
  const id = created.body.data.createCourse.course.id;
  const { en, zh } = await inEachLanguage('mutation($id: ID!) { publishCourse(input: { id: $id }) { course { id } errors { code message path } } }', admin, { id });
  expect(en.data.publishCourse.errors).toEqual([{ code: 'INVALID', message: 'a course needs at least one activity before it can be published', path: ['input', 'id'] }]);
  expect(zh.data.publishCourse.errors).toEqual([{ code: 'INVALID', message: '课程至少需要一个活动才能发布', path: ['input', 'id'] }]);
});

test('validation errors: payload ones with their parameters, and a thrown BAD_USER_INPUT and NOT_FOUND', async () => {
  const upsert = 'mutation($users: [UserInput!]!) { upsertUsers(input: { users: $users }) { users { id } errors { code message path } } }';
  const users = [{ externalId: 'v1', name: '名'.repeat(300), email: 'not-an-email' }];
  const { en, zh } = await inEachLanguage(upsert, admin, { users });
  expect(en.data.upsertUsers.errors.map((e: { message: string }) => e.message)).toEqual(['name must be at most 200 characters', 'email is not an email address']);
  expect(zh.data.upsertUsers.errors.map((e: { message: string }) => e.message)).toEqual(['name 最多 200 个字符', 'email 不是有效的电子邮件地址']);
  expect(zh.data.upsertUsers.errors.map((e: { code: string }) => e.code)).toEqual(en.data.upsertUsers.errors.map((e: { code: string }) => e.code));

  const malformed = await inEachLanguage('{ node(id: "garbage") { id } }', admin);
  expect([malformed.en.errors[0].message, malformed.zh.errors[0].message]).toEqual(['Malformed id', 'ID 格式错误']);
  expect(malformed.zh.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
  const missing = await inEachLanguage('query($id: ID!) { course(id: $id) { id } }', admin, { id: toGlobalId('Course', '00000000-0000-4000-8000-000000000000') });
  expect([missing.en.errors[0].message, missing.zh.errors[0].message]).toEqual(['Course not found', '课程不存在']);
});

test('plain HTTP routes answer in the language asked for too', async () => {
  const get = async (language: string) => (await (await fetch(`${t.url}/no-such-route`, { headers: { 'accept-language': language } })).json()) as { errors: Errors };
  expect([(await get('en')).errors, (await get('zh-CN')).errors]).toEqual([
    [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }], [{ message: '不存在', extensions: { code: 'NOT_FOUND' } }],
  ]);
});

test('refused credentials and the failed-authentication limit answer in the language asked for', async () => {
  const post = async (language: string) => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token', 'accept-language': language }, body: '{"query":"{ viewer { roles } }"}',
    });
    return { status: res.status, errors: ((await res.json()) as { errors: Errors }).errors };
  };
  expect([await post('en'), await post('zh-CN')]).toEqual([
    { status: 401, errors: [expect.objectContaining({ message: 'Invalid or expired token', extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] },
    { status: 401, errors: [expect.objectContaining({ message: '令牌无效或已过期', extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] },
  ]);
  const [en, zh] = [await post('en'), await post('zh-CN')];
  expect([en.status, en.errors[0].extensions?.code, zh.status, zh.errors[0].extensions?.code]).toEqual([429, 'RATE_LIMITED', 429, 'RATE_LIMITED']);
  expect(en.errors[0].message).toMatch(/^Too many failed authentication attempts from this address; retry in \d+ s$/);
  expect(zh.errors[0].message).toMatch(/^此地址认证失败次数过多,请 \d+ 秒后重试$/);
});
