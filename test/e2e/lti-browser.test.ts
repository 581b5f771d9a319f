/**
 * A whole LTI launch in Debian's chromium, inside an iframe of the LMS's page on another site: the
 * LMS embeds the login initiation URL with lti_storage_target, the tool keeps state and nonce in the
 * platform's client-side storage (postMessage), the platform's form post comes back without the
 * login cookie (another site's iframe), and the launch still lands on the learner view.
 * Skipped where chromium is missing, except in CI.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { buildCourse, gqlOk, mutateOk } from '../support/catalog';
import { LTI, TestPlatform } from '../support/lti-platform';
import { seedOrg } from '../support/seed';

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM && process.env.CI === 'true') throw new Error('chromium is required in CI (.ci/run installs it)');
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

describeWithBrowser('an LTI launch in the LMS iframe', () => {
  let t: TestApp;
  let platform: TestPlatform;
  let browser: Browser;
  let courseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await TestPlatform.start();
    const org = await seedOrg(t.owner, 'iframe-org');
    const admin = await t.token(org.id, (await org.user('admin', [Role.ORG_ADMIN])).externalId);
    courseId = (await buildCourse(t, admin, 'FRAME-1', [1])).id;
    await mutateOk(t, admin, 'registerLtiPlatform', 'RegisterLtiPlatformInput', { ...platform.registration, maxRole: 'LEARNER' }, 'platform { id }');
    platform.claimsFor = () => platform.resourceLinkClaims(`${t.url}/lti/launch`, { sub: '9001', name: 'Iframe Learner', [LTI.custom]: { course: 'FRAME-1' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await t?.close();
  });

  test.each([
    ['echoes lti_storage_target in its form post', '_parent'],
    ['names the storage frame only at login', null],
  ])('login initiation in the iframe reaches the landing redirect with a working token (the platform %s)', async (_label, echoed) => {
    platform.storageTarget = echoed;
    const page = await browser.newPage();
    const login = `${t.url}/lti/login?${new URLSearchParams({
      iss: platform.issuer, login_hint: '9001', target_link_uri: `${t.url}/lti/launch`, client_id: platform.clientId, lti_deployment_id: '1', lti_storage_target: '_parent',
    })}`;
    const landings: string[] = [];
    page.on('framenavigated', (f) => void (f.url().startsWith(`${t.url}/learn`) && landings.push(f.url())));
    await page.goto(`${platform.url}/course-page?login=${encodeURIComponent(login)}`);
    // The learner view takes the token out of the address at once (into sessionStorage, or memory
    // where the browser refuses storage to a third-party frame, as here: the LMS is another site).
    let learnFrame: Frame | undefined;
    for (let i = 0; i < 100 && !learnFrame; i++) {
      learnFrame = page.frames().find((f) => f.url().startsWith(`${t.url}/learn`));
      if (!learnFrame) await page.waitForTimeout(100);
    }
    // The outline is read over GraphQL with the token: the learner is in.
    await learnFrame!.locator('nav.outline').waitFor({ timeout: 15_000 });
    const url = new URL(learnFrame!.url());
    expect(url.searchParams.get('course')).toBe(courseId);
    expect(url.hash).toBe('');
    const landing = landings.find((u) => u.includes('#token='));
    expect(landing).toBeDefined();
    const token = decodeURIComponent(new URL(landing!).hash.replace(/^#token=/, ''));
    // The tool used the platform's storage for this login (state_ and nonce_ keys, from the tool's origin).
    const stored = (await page.evaluate('Object.keys(window.store)')) as string[];
    expect(stored.map((k) => k.replace(/_[\w-]{43}$/, '_…'))).toEqual([`${t.url}|state_…`, `${t.url}|nonce_…`]);
    expect((await gqlOk(t, '{ viewer { user { name } } }', {}, token)).viewer.user.name).toBe('Iframe Learner');
    await page.close();
  }, 30_000);
});
