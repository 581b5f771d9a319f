import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { Role } from '../../src/shared/permissions';
import { toolSigningKey } from '../../src/modules/lti/tool-key';
import { startTestApp, type TestApp } from '../support/app';
import { gqlOk, mutate } from '../support/catalog';
import { asSystem } from '../support/certification';
import { TestPlatform } from '../support/lti-platform';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let platform: TestPlatform;
let orgA: SeededOrg;
let orgB: SeededOrg;
let adminA: string;
let adminB: string;
let authorA: string;

const FIELDS = 'platform { id name issuer clientId deploymentIds authUrl tokenUrl jwksUrl maxRole registeredVia active }';
const register = (token: string, input: Record<string, unknown>) => mutate(t, token, 'registerLtiPlatform', 'RegisterLtiPlatformInput', input, FIELDS);

beforeAll(async () => {
  t = await startTestApp();
  platform = await TestPlatform.start();
  orgA = await seedOrg(t.owner, 'lti-a');
  orgB = await seedOrg(t.owner, 'lti-b');
  adminA = await t.token(orgA.id, (await orgA.user('admin', [Role.ORG_ADMIN])).externalId);
  authorA = await t.token(orgA.id, (await orgA.user('author', [Role.AUTHOR])).externalId);
  adminB = await t.token(orgB.id, (await orgB.user('admin', [Role.ORG_ADMIN])).externalId);
});
afterAll(async () => {
  await platform.close();
  await t.close();
});

describe('registration over GraphQL', () => {
  let platformId: string;

  test('an org admin registers a platform; bad input is refused field by field with nothing stored', async () => {
    const bad = await register(adminA, { ...platform.registration, issuer: 'not a url', clientId: '  ', deploymentIds: [], jwksUrl: 'ftp://x/keys', maxRole: 'HR' });
    expect(bad.platform).toBeNull();
    expect(bad.errors.map((e) => [e.code, e.path.join('.')]).sort()).toEqual([
      ['INVALID', 'input.clientId'], ['INVALID', 'input.deploymentIds'], ['INVALID', 'input.issuer'], ['INVALID', 'input.jwksUrl'], ['INVALID', 'input.maxRole'],
    ]);
    expect(await t.owner.query('SELECT count(*)::int AS n FROM lti_platform')).toEqual([{ n: 0 }]);

    const ok = await register(adminA, { ...platform.registration, maxRole: 'AUTHOR' });
    expect(ok.errors).toEqual([]);
    expect(ok.platform).toMatchObject({ issuer: platform.issuer, clientId: platform.clientId, deploymentIds: ['1'], maxRole: 'AUTHOR', registeredVia: 'MANUAL', active: true });
    platformId = ok.platform.id;
  });

  test('(issuer, client id) is unique across the service: another organization gets DUPLICATE', async () => {
    const again = await register(adminB, { ...platform.registration, name: 'copy', maxRole: 'LEARNER' });
    expect(again.errors).toEqual([expect.objectContaining({ code: 'DUPLICATE', path: ['input', 'clientId'] })]);
    const sameOrg = await register(adminA, { ...platform.registration, maxRole: 'LEARNER' });
    expect(sameOrg.errors[0].code).toBe('DUPLICATE');
  });

  test('only LTI_MANAGE may register or list; another tenant neither sees nor changes the registration', async () => {
    const res = await t.gql(`mutation($input: RegisterLtiPlatformInput!) { registerLtiPlatform(input: $input) { errors { code } } }`,
      { input: { ...platform.registration, clientId: 'other', maxRole: 'LEARNER' } }, { token: authorA });
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const list = await gqlOk(t, '{ ltiPlatforms { totalCount nodes { id } } }', {}, adminB);
    expect(list.ltiPlatforms).toEqual({ totalCount: 0, nodes: [] });
    const node = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: platformId }, { token: adminB });
    expect(node.body.data?.node).toBeNull();
    const deactivate = await t.gql(`mutation($input: DeactivateLtiPlatformInput!) { deactivateLtiPlatform(input: $input) { errors { code } } }`, { input: { id: platformId } }, { token: adminB });
    expect(deactivate.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await gqlOk(t, '{ ltiPlatforms { nodes { id } } }', {}, adminA)).ltiPlatforms.nodes).toEqual([{ id: platformId }]);
  });

  test('update and deactivate; a deactivated pair can be registered elsewhere', async () => {
    const updated = await mutate(t, adminA, 'updateLtiPlatform', 'UpdateLtiPlatformInput', { id: platformId, deploymentIds: ['1', '2'], name: 'Moodle 4.5' }, FIELDS);
    expect(updated.platform).toMatchObject({ deploymentIds: ['1', '2'], name: 'Moodle 4.5', clientId: platform.clientId });
    const badUpdate = await mutate(t, adminA, 'updateLtiPlatform', 'UpdateLtiPlatformInput', { id: platformId, authUrl: 'nope' }, FIELDS);
    expect(badUpdate.errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'authUrl'] });
    const off = await mutate(t, adminA, 'deactivateLtiPlatform', 'DeactivateLtiPlatformInput', { id: platformId }, FIELDS);
    expect(off.platform.active).toBe(false);
    const inB = await register(adminB, { ...platform.registration, maxRole: 'LEARNER' });
    expect(inB.errors).toEqual([]);
    const back = await mutate(t, adminA, 'updateLtiPlatform', 'UpdateLtiPlatformInput', { id: platformId, active: true }, FIELDS);
    expect(back.errors[0].code).toBe('DUPLICATE');
    await mutate(t, adminB, 'deactivateLtiPlatform', 'DeactivateLtiPlatformInput', { id: inB.platform.id }, FIELDS);
  });

  test('the tool configuration lists the URLs an LMS admin needs', async () => {
    const data = await gqlOk(t, '{ ltiToolConfiguration { loginUrl launchUrl deepLinkingUrl jwksUrl dynamicRegistrationUrl } }', {}, adminA);
    expect(data.ltiToolConfiguration).toEqual({
      loginUrl: `${t.url}/lti/login`, launchUrl: `${t.url}/lti/launch`, deepLinkingUrl: `${t.url}/lti/launch`,
      jwksUrl: `${t.url}/lti/lti-a/jwks`, dynamicRegistrationUrl: `${t.url}/lti/lti-a/register`,
    });
  });
});

describe('dynamic registration', () => {
  const link = async (token: string, maxRole = 'LEARNER') =>
    (await mutate<{ url: string }>(t, token, 'createLtiRegistrationLink', 'CreateLtiRegistrationLinkInput', { maxRole }, 'url expiresAt')).url;
  const openAsLms = (url: string) => fetch(`${url}&openid_configuration=${encodeURIComponent(`${platform.url}/.well-known/openid-configuration`)}&registration_token=reg-token-123`, { headers: { 'accept-language': 'en' } });

  test('without an admin\'s link the register URL refuses and registers nothing', async () => {
    const res = await fetch(`${t.url}/lti/lti-b/register?openid_configuration=${encodeURIComponent(`${platform.url}/.well-known/openid-configuration`)}&registration_token=reg-token-123`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('needs a registration link');
    expect(platform.registrations).toHaveLength(0);
    const forged = await fetch(`${t.url}/lti/lti-b/register?cg_token=forged&openid_configuration=x`);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('注册链接无效');
  });

  test('an admin\'s one-time link: the LMS fetches it, the tool registers with the platform and stores the same record; the link works once', async () => {
    const url = await link(adminB, 'AUTHOR');
    expect(url).toMatch(new RegExp(`^${t.url}/lti/lti-b/register\\?cg_token=`));
    const res = await openAsLms(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("postMessage({subject:'org.imsglobal.lti.close'}");
    const [sent] = platform.registrations;
    expect(sent.authorization).toBe('Bearer reg-token-123');
    expect(sent.body).toMatchObject({
      initiate_login_uri: `${t.url}/lti/login`, redirect_uris: [`${t.url}/lti/launch`], jwks_uri: `${t.url}/lti/lti-b/jwks`, token_endpoint_auth_method: 'private_key_jwt',
      'https://purl.imsglobal.org/spec/lti-tool-configuration': expect.objectContaining({ target_link_uri: `${t.url}/lti/launch`, messages: [expect.objectContaining({ type: 'LtiDeepLinkingRequest' })] }),
    });
    const list = await gqlOk(t, '{ ltiPlatforms { nodes { issuer clientId deploymentIds authUrl tokenUrl jwksUrl maxRole registeredVia active } } }', {}, adminB);
    expect(list.ltiPlatforms.nodes).toContainEqual({ ...platform.registration, name: undefined, maxRole: 'AUTHOR', registeredVia: 'DYNAMIC', active: true });
    const again = await openAsLms(url);
    expect(again.status).toBe(403);
  });

  test('a configuration whose issuer is not its URL\'s origin is refused, and the link stays unspent', async () => {
    await mutate(t, adminB, 'deactivateLtiPlatform', 'DeactivateLtiPlatformInput', {
      id: (await gqlOk(t, '{ ltiPlatforms { nodes { id active } } }', {}, adminB)).ltiPlatforms.nodes.find((n: { active: boolean }) => n.active).id,
    }, FIELDS);
    const url = await link(adminB);
    const wrongOrigin = platform.url.replace('localhost', '127.0.0.1');
    const before = platform.registrations.length;
    const res = await fetch(`${url}&openid_configuration=${encodeURIComponent(`${wrongOrigin}/.well-known/openid-configuration`)}&registration_token=reg-token-123`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('issuer does not match');
    expect(platform.registrations).toHaveLength(before);
    expect((await openAsLms(url)).status).toBe(200);
  });

  test('minting a link needs LTI_MANAGE', async () => {
    const res = await t.gql(`mutation { createLtiRegistrationLink(input: { maxRole: LEARNER }) { url } }`, {}, { token: authorA });
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('tool keys', () => {
  const jwks = async (org: string) => {
    const res = await fetch(`${t.url}/lti/${org}/jwks`);
    expect(res.status).toBe(200);
    return (await res.json()) as { keys: Record<string, unknown>[] };
  };
  const sign = async (orgId: string) => asSystem(t, orgId, async (ctx) => {
    const { kid, privateKey } = await toolSigningKey(ctx);
    return new SignJWT({ hello: 'platform' }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer('x').setExpirationTime('5m').sign(privateKey);
  });

  test('each organization has its RS256 key at a stable JWKS URL (slug or id), and signatures verify with it', async () => {
    const a = await jwks('lti-a');
    expect(a.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' })]);
    expect(a.keys[0]).not.toHaveProperty('d');
    expect(await jwks(orgA.id)).toEqual(a);
    expect((await jwks('lti-b')).keys[0].kid).not.toBe(a.keys[0].kid);
    const signed = await sign(orgA.id);
    await expect(jwtVerify(signed, createLocalJWKSet(a as never))).resolves.toBeTruthy();
    expect((await fetch(`${t.url}/lti/nobody/jwks`)).status).toBe(404);
    const sealed = (await t.owner.query('SELECT sealed_private_key AS s FROM lti_tool_key WHERE organization_id = $1', [orgA.id])) as { s: string }[];
    expect(sealed[0].s).not.toContain('PRIVATE KEY');
  });

  test('rotation: the new key signs, the old one is still served for the overlap, then dropped', async () => {
    const before = await jwks('lti-a');
    const oldToken = await sign(orgA.id);
    const rotated = await gqlOk(t, 'mutation { rotateLtiToolKey { kid errors { code } } }', {}, adminA);
    const after = await jwks('lti-a');
    expect(after.keys.map((k) => k.kid)).toEqual([rotated.rotateLtiToolKey.kid, before.keys[0].kid]);
    const newToken = await sign(orgA.id);
    const set = createLocalJWKSet(after as never);
    await expect(jwtVerify(oldToken, set)).resolves.toBeTruthy();
    await expect(jwtVerify(newToken, set)).resolves.toBeTruthy();
    expect(JSON.parse(Buffer.from(newToken.split('.')[0], 'base64url').toString()).kid).toBe(rotated.rotateLtiToolKey.kid);
    // Two hours later the old key's tokens cannot be in flight: it is no longer served, and the next rotation deletes it.
    await t.owner.query(`UPDATE lti_tool_key SET retired_at = now() - interval '2 hours' WHERE organization_id = $1 AND retired_at IS NOT NULL`, [orgA.id]);
    expect((await jwks('lti-a')).keys.map((k) => k.kid)).toEqual([rotated.rotateLtiToolKey.kid]);
    await gqlOk(t, 'mutation { rotateLtiToolKey { kid } }', {}, adminA);
    expect(await t.owner.query('SELECT count(*)::int AS n FROM lti_tool_key WHERE organization_id = $1', [orgA.id])).toEqual([{ n: 2 }]);
    const refused = await t.gql('mutation { rotateLtiToolKey { kid } }', {}, { token: authorA });
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
