/**
 * The reference player in a real browser (Debian's chromium, driven by playwright-core): a small
 * SCO built here talks to scorm-again through the player, the tab is closed, and the final commit
 * (a beacon sent on pagehide) must be stored. `.ci/run` installs chromium; on a machine without it
 * this file is skipped, except in CI where a missing browser fails the run.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { userGid } from '../support/catalog';
import { launch, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { seedOrg } from '../support/seed';

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM && process.env.CI === 'true') throw new Error('chromium is required in CI (.ci/run installs it)');
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

const SCO = `<!doctype html><meta charset="utf-8"><title>SCO</title><p id="state">loading</p><script>
  var api = window.parent.API_1484_11;
  api.Initialize('');
  api.SetValue('cmi.location', 'browser-page-2');
  api.SetValue('cmi.suspend_data', 'browser:状态😀');
  api.SetValue('cmi.progress_measure', '1');
  api.SetValue('cmi.score.scaled', '0.9');
  api.SetValue('cmi.exit', 'suspend');
  document.getElementById('state').textContent = api.Commit('') === 'true' ? 'ready' : 'commit failed ' + api.GetLastError();
</script>`;

describeWithBrowser('reference player in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let learner: string;
  let activityId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const org = await seedOrg(t.owner, 'browser');
    await org.user('author', [Role.AUTHOR]);
    await org.user('admin', [Role.ORG_ADMIN]);
    const lu = await org.user('learner');
    const [author, admin] = await Promise.all([t.token(org.id, 'browser-author'), t.token(org.id, 'browser-admin')]);
    learner = await t.token(org.id, 'browser-learner');
    activityId = (await scormCourse(t, author, admin, await scormZip(manifest2004({ completionThreshold: 0.8 }), SCO), 'BROWSER', [userGid(lu)])).activityIds[0];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  test('a SCO commits through the player, and closing the tab sends the final commit', async () => {
    const l = await launch(t, learner, activityId);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(l.playerUrl);
    await page.frameLocator('#sco').locator('#state').filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 });
    const attemptId = Buffer.from(l.attemptId, 'base64url').toString().split(':')[1];
    const row = async () => ((await t.owner.query('SELECT * FROM activity_attempt WHERE id = $1', [attemptId])) as Record<string, any>[])[0];
    expect(await row()).toMatchObject({ status: 'OPEN', location: 'browser-page-2', suspend_data: 'browser:状态😀', completion_status: 'completed' });

    await page.close({ runBeforeUnload: true });
    const deadline = Date.now() + 10_000;
    while ((await row()).status === 'OPEN' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await row()).toMatchObject({ status: 'SUSPENDED', exit: 'suspend', suspend_data: 'browser:状态😀' });
    expect(problems).toEqual([]);
  }, 60_000);
});
