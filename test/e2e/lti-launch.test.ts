import { createLocalJWKSet, generateKeyPair, jwtVerify } from 'jose';
import * as launchServices from '../../src/modules/lti/launch-services';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { buildCourse, gqlOk, mutateOk, type BuiltCourse } from '../support/catalog';
import { LTI, ROLE, TestPlatform } from '../support/lti-platform';
import { postLaunch, startLogin } from '../support/lti-flow';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let platform: TestPlatform;
let org: SeededOrg;
let admin: string;
let course: BuiltCourse;
let launchUrl: string;

beforeAll(async () => {
  t = await startTestApp();
  platform = await TestPlatform.start();
  launchUrl = `${t.url}/lti/launch`;
  org = await seedOrg(t.owner, 'lms-org');
  const other = await seedOrg(t.owner, 'other-org');
  await other.user('x');
  admin = await t.token(org.id, (await org.user('admin', [Role.ORG_ADMIN])).externalId);
  course = await buildCourse(t, admin, 'CS-1', [2]);
  await buildCourse(t, admin, 'DRAFT-1', [1], { publish: false });
  await mutateOk(t, admin, 'registerLtiPlatform', 'RegisterLtiPlatformInput', { ...platform.registration, maxRole: 'AUTHOR' }, 'platform { id }');
});
afterAll(async () => {
  await platform.close();
  await t.close();
});

/** Rows a launch creates, to prove a refusal created none. */
const created = async () => (await t.owner.query(`SELECT
  (SELECT count(*)::int FROM app_user WHERE organization_id = $1) AS users,
  (SELECT count(*)::int FROM lti_user_link) AS links,
  (SELECT count(*)::int FROM enrollment WHERE organization_id = $1) AS enrollments`, [org.id]))[0] as Record<string, number>;

const claims = (over: Record<string, unknown> = {}) => platform.resourceLinkClaims(launchUrl, { [LTI.custom]: { course: 'CS-1' }, ...over });

/** A whole login and launch as a browser with cookies; `token` builds the id_token from the login's nonce. */
async function launch(token: (nonce: string) => Promise<string>, loginOver: Record<string, string> = {}) {
  const login = await startLogin(t, platform, loginOver);
  expect(login.status).toBe(302);
  const res = await postLaunch(t, { id_token: await token(login.nonce), state: login.state }, { cookie: login.cookie });
  return { res, login };
}

const withClaims = (over: Record<string, unknown> = {}) => (nonce: string) => platform.idToken({ ...claims(over), nonce });

describe('login and launch', () => {
  test('the login initiation redirects to the platform with the OIDC parameters and binds the state to the browser', async () => {
    const login = await startLogin(t, platform);
    expect(login.auth.origin + login.auth.pathname).toBe(`${platform.url}/auth`);
    expect(Object.fromEntries(login.auth.searchParams)).toEqual({
      scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: platform.clientId,
      redirect_uri: launchUrl, login_hint: '42', lti_message_hint: 'msg-hint', state: expect.stringMatching(/^[\w-]{43}$/), nonce: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(login.cookie).toBe(`cg_lti_${login.state}=1`);
    const posted = await startLogin(t, platform, {}, 'POST');
    expect(posted.status).toBe(302);
    expect(posted.state).not.toBe(login.state);
  });

  test('a login from an unknown platform, deployment or target is refused with a page', async () => {
    const variants: Record<string, string>[] = [{ iss: 'https://unknown.example' }, { lti_deployment_id: '99' }, { target_link_uri: 'https://evil.example/' }];
    for (const over of variants) {
      const res = await fetch(`${t.url}/lti/login?${new URLSearchParams({ iss: platform.issuer, login_hint: '1', target_link_uri: launchUrl, client_id: platform.clientId, ...over })}`, { redirect: 'manual' });
      expect([400, 403]).toContain(res.status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  test('a learner\'s launch creates the user, the link and the enrollment, and lands on the learner view with a token /graphql accepts', async () => {
    const { res } = await launch(withClaims());
    expect(res.status).toBe(302);
    const courseGid = course.id;
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}?${location.searchParams}`).toBe(`${t.url}/learn?course=${encodeURIComponent(courseGid)}`);
    const token = decodeURIComponent(/^#token=(.+)$/.exec(location.hash)![1]);
    const me = await gqlOk(t, '{ viewer { user { name email roles } } }', {}, token);
    expect(me.viewer.user).toEqual({ name: '王小明', email: 'xiaoming@moodle.test', roles: ['LEARNER'] });
    const rows = await t.owner.query(`SELECT u.name, l.sub, l.issuer, e.source, e.course_id FROM lti_user_link l JOIN app_user u ON u.id = l.user_id
      JOIN enrollment e ON e.user_id = u.id WHERE l.organization_id = $1`, [org.id]);
    expect(rows).toEqual([{ name: '王小明', sub: '42', issuer: platform.issuer, source: 'LTI', course_id: Buffer.from(courseGid, 'base64url').toString().split(':')[1] }]);
  });

  test('the same platform user launching an activity is the same user; the landing names the activity', async () => {
    const before = await created();
    const activityGid = course.activities[0][1];
    const { res } = await launch(withClaims({ [LTI.custom]: { activity: activityGid }, name: 'Wang Xiaoming', [LTI.launchPresentation]: { locale: 'en-US' } }));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    // The LMS's language for the learner comes along (launch_presentation.locale).
    expect(Object.fromEntries(location.searchParams)).toEqual({ course: course.id, activity: activityGid, lang: 'en' });
    expect(await created()).toEqual(before);
    expect(await t.owner.query(`SELECT name FROM app_user WHERE external_id LIKE 'lti:%'`)).toEqual([{ name: 'Wang Xiaoming' }]);
  });

  test('a learner\'s launch hands the AGS/NRPS services everything they need, once; an instructor\'s is not enrolled and hands nothing', async () => {
    const spy = jest.spyOn(launchServices, 'recordLaunchServices');
    try {
      expect((await launch(withClaims({ sub: '250' }))).res.status).toBe(302);
      const [user] = await t.owner.query(`SELECT l.user_id AS "userId", e.id AS "enrollmentId", e.course_id AS "courseId", p.id AS "platformId"
        FROM lti_user_link l JOIN enrollment e ON e.user_id = l.user_id JOIN lti_platform p ON p.id = l.platform_id WHERE l.sub = '250'`);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][1]).toEqual({
        organizationId: org.id, platformId: user.platformId, issuer: platform.issuer, clientId: platform.clientId, deploymentId: '1',
        tokenUrl: `${platform.url}/token`, contextId: '3', resourceLinkId: '7', userId: user.userId, sub: '250', enrollmentId: user.enrollmentId,
        courseId: user.courseId, activityId: null,
        ags: { lineitem: `${platform.url}/lineitems/9`, lineitems: `${platform.url}/lineitems`, scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'] },
        nrps: { contextMembershipsUrl: `${platform.url}/memberships` },
      });
      spy.mockClear();
      expect((await launch(withClaims({ sub: '251', [LTI.roles]: [ROLE.instructor] }))).res.status).toBe(302);
      expect(spy).not.toHaveBeenCalled();
      expect(await t.owner.query(`SELECT count(*)::int AS n FROM enrollment e JOIN lti_user_link l ON l.user_id = e.user_id WHERE l.sub = '251'`)).toEqual([{ n: 0 }]);
    } finally {
      spy.mockRestore();
    }
  });

  test('two launches of a new platform user at once make one user, and neither fails with a 500', async () => {
    const logins = await Promise.all([startLogin(t, platform), startLogin(t, platform)]);
    const tokens = await Promise.all(logins.map((l) => platform.idToken({ ...claims({ sub: '300' }), nonce: l.nonce })));
    const answers = await Promise.all(logins.map((l, i) => postLaunch(t, { id_token: tokens[i], state: l.state }, { cookie: l.cookie })));
    for (const res of answers) expect([302, 409]).toContain(res.status);
    expect(answers.some((res) => res.status === 302)).toBe(true);
    expect(await t.owner.query(`SELECT count(*)::int AS n FROM lti_user_link WHERE sub = '300'`)).toEqual([{ n: 1 }]);
  });

  test('a draft course or a link naming nothing is refused with nothing created', async () => {
    const before = await created();
    for (const custom of [{ course: 'DRAFT-1' }, {}, { activity: 'garbage' }]) {
      const { res } = await launch(withClaims({ sub: '77', [LTI.custom]: custom }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await created()).toEqual(before);
  });
});

describe('refusals: a clear page, a 4xx, nothing created', () => {
  let before: Record<string, number>;
  beforeEach(async () => {
    before = await created();
  });
  afterEach(async () => {
    expect(await created()).toEqual(before);
  });

  const refused = async (res: Response, status: number, text: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(text);
    expect(html).not.toMatch(/at .*\.ts:\d+/);
  };

  test('a replayed launch (same id_token and state) and a replayed nonce under a fresh login', async () => {
    const login = await startLogin(t, platform);
    const idToken = await platform.idToken({ ...claims({ sub: '500' }), nonce: login.nonce });
    const first = await postLaunch(t, { id_token: idToken, state: login.state }, { cookie: login.cookie });
    expect(first.status).toBe(302);
    before = await created();
    await refused(await postLaunch(t, { id_token: idToken, state: login.state }, { cookie: login.cookie }), 400, 'already used');
    const fresh = await startLogin(t, platform);
    await refused(await postLaunch(t, { id_token: idToken, state: fresh.state }, { cookie: fresh.cookie }), 400, 'nonce does not match');
  });

  test('a wrong audience', async () => {
    await refused((await launch((nonce) => platform.idToken({ ...claims({ sub: '501' }), nonce, aud: 'someone-else' }))).res, 403, 'not registered');
  });

  test('an unknown deployment', async () => {
    await refused((await launch(withClaims({ sub: '502', [LTI.deploymentId]: '99' }))).res, 403, 'deployment is not registered');
  });

  test('an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 600;
    await refused((await launch((nonce) => platform.idToken({ ...claims({ sub: '503' }), nonce }, { iat: past, expiresIn: past + 60 }))).res, 400, 'has expired');
  });

  test('a tampered signature: another key under the platform\'s kid, or a payload changed after signing', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await refused((await launch((nonce) => platform.idToken({ ...claims({ sub: '504' }), nonce }, { key: privateKey }))).res, 400, 'signature is invalid');
    await refused((await launch(async (nonce) => {
      const [h, p, s] = (await platform.idToken({ ...claims({ sub: '505' }), nonce })).split('.');
      const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), [LTI.roles]: [ROLE.admin] };
      return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    })).res, 400, 'signature is invalid');
  });

  test('a state mismatch: no cookie, or the cookie of another login', async () => {
    const login = await startLogin(t, platform);
    const idToken = await platform.idToken({ ...claims({ sub: '506' }), nonce: login.nonce });
    await refused(await postLaunch(t, { id_token: idToken, state: login.state }), 400, 'does not match a login started in this browser');
    const other = await startLogin(t, platform);
    await refused(await postLaunch(t, { id_token: idToken, state: login.state }, { cookie: other.cookie }), 400, 'does not match a login started in this browser');
    await refused(await postLaunch(t, { id_token: idToken, state: 'made-up' }, { cookie: 'cg_lti_made-up=1' }), 400, 'does not match a login');
    // The storage check's second post counts only from the tool's own origin.
    await refused(await postLaunch(t, { id_token: idToken, state: login.state, lti_storage_checked: '1' }, { origin: 'https://evil.example' }), 400, 'does not match a login');
  });

  test('a wrong LTI version or message type', async () => {
    await refused((await launch(withClaims({ sub: '507', [LTI.version]: '1.1' }))).res, 400, 'Only LTI version 1.3.0');
    await refused((await launch(withClaims({ sub: '508', [LTI.messageType]: 'LtiSubmissionReviewRequest' }))).res, 400, 'does not handle that LTI message type');
  });

  test('an azp that is not the tool, or not among the audiences', async () => {
    await refused((await launch((nonce) => platform.idToken({ ...claims({ sub: '509' }), nonce, aud: [platform.clientId, 'other-tool'], azp: 'other-tool' }))).res, 403, 'not registered');
    await refused((await launch((nonce) => platform.idToken({ ...claims({ sub: '510' }), nonce, aud: [platform.clientId], azp: 'third' }))).res, 400, 'authorized party (azp) is not one of its audiences');
    await refused((await launch((nonce) => platform.idToken({ ...claims({ sub: '511' }), nonce, aud: [platform.clientId, 'other-tool'] }))).res, 400, 'several audiences');
  });

  test('a target link other than the login asked for', async () => {
    await refused((await launch(withClaims({ sub: '512', [LTI.targetLinkUri]: `${launchUrl}?x=1` }))).res, 400, 'target link differs');
  });

  test('in the reader\'s language (zh-CN by default)', async () => {
    const login = await startLogin(t, platform);
    const res = await postLaunch(t, { id_token: await platform.idToken({ ...claims({ sub: '513', [LTI.version]: '1.0' }), nonce: login.nonce }), state: login.state }, { cookie: login.cookie, 'accept-language': 'zh-CN' });
    await refused(res, 400, '只支持 LTI 1.3.0 版本的启动');
  });
});

describe('roles', () => {
  const rolesOf = async (sub: string) => (await t.owner.query(`SELECT u.roles FROM app_user u JOIN lti_user_link l ON l.user_id = u.id WHERE l.sub = $1`, [sub]))[0]?.roles as string[];

  test('LTI roles map, never beyond the registration\'s ceiling (AUTHOR here)', async () => {
    expect((await launch(withClaims({ sub: '600', [LTI.roles]: [ROLE.admin, ROLE.instructor] }))).res.status).toBe(302);
    expect(await rolesOf('600')).toEqual(['AUTHOR']);
    expect((await launch(withClaims({ sub: '601', [LTI.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper'] }))).res.status).toBe(302);
    expect(await rolesOf('601')).toEqual(['AUTHOR']);
    expect((await launch(withClaims({ sub: '602', [LTI.roles]: [ROLE.learner] }))).res.status).toBe(302);
    expect(await rolesOf('602')).toEqual(['LEARNER']);
    expect((await launch(withClaims({ sub: '602', [LTI.roles]: [ROLE.instructor] }))).res.status).toBe(302);
    expect(await rolesOf('602')).toEqual(['LEARNER', 'AUTHOR']);
    expect((await launch(withClaims({ sub: '602', [LTI.roles]: [ROLE.learner] }))).res.status).toBe(302);
    expect(await rolesOf('602')).toEqual(['LEARNER', 'AUTHOR']);
  });

  test('a user who holds more than the ceiling is neither raised nor lowered by a launch', async () => {
    await t.owner.query(`UPDATE app_user SET roles = '{HR}' WHERE id = (SELECT user_id FROM lti_user_link WHERE sub = '600')`);
    for (const roles of [[ROLE.learner], [ROLE.admin]]) {
      expect((await launch(withClaims({ sub: '600', [LTI.roles]: roles }))).res.status).toBe(302);
      expect(await rolesOf('600')).toEqual(['HR']);
    }
  });

  test('a deactivated user is refused', async () => {
    await t.owner.query(`UPDATE app_user SET status = 'DEACTIVATED' WHERE id = (SELECT user_id FROM lti_user_link WHERE sub = '601')`);
    const { res } = await launch(withClaims({ sub: '601' }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('deactivated');
  });
});

describe('deep linking', () => {
  const dlClaims = (over: Record<string, unknown> = {}) => {
    const base = claims({ sub: '700', [LTI.roles]: [ROLE.instructor], [LTI.messageType]: 'LtiDeepLinkingRequest', ...over });
    delete base[LTI.resourceLink];
    delete base[LTI.custom];
    delete (base[LTI.ags] as Record<string, unknown>).lineitem;
    return { ...base, [LTI.dlSettings]: { deep_link_return_url: `${platform.url}/deep-link-return`, accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe', 'window'], data: 'opaque-moodle-data' } };
  };
  const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1].replace(/&#(\d+);/g, (_m, c) => String.fromCharCode(Number(c)));

  test('an instructor picks an activity; the platform verifies the signed response with the tool\'s JWKS and launches it', async () => {
    const { res } = await launch((nonce) => platform.idToken({ ...dlClaims(), nonce }));
    expect(res.status).toBe(200);
    const picker = await res.text();
    expect(picker).toContain('课程 CS-1 (en)');
    expect(picker).not.toContain('DRAFT-1');
    const ticket = field(picker, 'ticket')!;
    const activityGid = course.activities[0][0];
    expect(picker).toContain(`value="${activityGid}"`);
    const chosen = await fetch(`${t.url}/lti/deep-link`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, body: new URLSearchParams({ ticket, activity: activityGid }).toString() });
    expect(chosen.status).toBe(200);
    const form = await chosen.text();
    expect(form).toContain(`action="${platform.url}/deep-link-return"`);
    const jwt = field(form, 'JWT')!;
    const jwks = await (await fetch(`${t.url}/lti/lms-org/jwks`)).json();
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks as never), { issuer: platform.clientId, audience: platform.issuer });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: (jwks as { keys: { kid: string }[] }).keys[0].kid });
    expect(payload).toMatchObject({
      nonce: expect.any(String), [LTI.messageType]: 'LtiDeepLinkingResponse', [LTI.version]: '1.3.0', [LTI.deploymentId]: '1', [LTI.dlData]: 'opaque-moodle-data',
      [LTI.contentItems]: [{ type: 'ltiResourceLink', title: '第1节 (en)', url: launchUrl, lineItem: { scoreMaximum: 100, label: '第1节 (en)', resourceId: expect.any(String) }, custom: { activity: activityGid } }],
    });
    const item = (payload[LTI.contentItems] as { custom: Record<string, string> }[])[0];
    const launched = await launch(withClaims({ sub: '701', [LTI.custom]: item.custom }));
    expect(new URL(launched.res.headers.get('location')!).searchParams.get('activity')).toBe(activityGid);

    const wholeCourse = await fetch(`${t.url}/lti/deep-link`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ticket, course: course.id }).toString() });
    const courseItem = (await jwtVerify(field(await wholeCourse.text(), 'JWT')!, createLocalJWKSet(jwks as never))).payload[LTI.contentItems] as Record<string, unknown>[];
    expect(courseItem[0]).toMatchObject({ custom: { course: 'CS-1' }, lineItem: { scoreMaximum: 100 } });
  });

  test('a learner cannot deep link; a forged ticket is refused', async () => {
    const { res } = await launch((nonce) => platform.idToken({ ...dlClaims({ [LTI.roles]: [ROLE.learner] }), nonce }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Only instructors');
    const forged = await fetch(`${t.url}/lti/deep-link`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, body: 'ticket=abc&course=CS-1' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('selection has expired');
  });
});
