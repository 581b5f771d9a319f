/**
 * The reference player as an LMS uses it, in Debian's chromium: embedded by a page of another
 * origin, running a two-SCO package whose SCOs navigate themselves, and closed under a running
 * SCO without `beforeunload`. Skipped where chromium is missing, except in CI.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../src/db/embedded';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { gqlOk, userGid } from '../support/catalog';
import { commit, launch, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { blankCmi2004, withValues } from '../support/cmi-fixtures';
import { seedOrg } from '../support/seed';
import { buildZip } from '../support/zip-builder';

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM && process.env.CI === 'true') throw new Error('chromium is required in CI (.ci/run installs it)');
const describeWithBrowser = CHROMIUM ? describe : describe.skip;


/** Two SCOs of one package, like the Golf samples' "one SCO per lesson" organizations. */
const TWO_SCOS = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cg.nav" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>导航</title>
    <item identifier="lesson1" identifierref="r1"><title>第一课</title></item>
    <item identifier="lesson2" identifierref="r2"><title>第二课</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="sco1.html"><file href="sco1.html"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" href="sco2.html"><file href="sco2.html"/></resource>
  </resources>
</manifest>`;

/** Minimum calls plus the SCO's own navigation: what it saw in request_valid, then its request and Terminate. */
const navigatingSco = (request: string) => `<!doctype html><meta charset="utf-8"><title>SCO</title><script>
  var api = window.parent.API_1484_11;
  api.Initialize('');
  var seen = ['continue', 'previous', '{target=lesson1}choice', '{target=lesson2}choice']
    .map(function (r) { return r + '=' + api.GetValue('adl.nav.request_valid.' + r.replace(/^\\{target=(\\w+)\\}choice$/, 'choice.{target=$1}')); });
  window.parent.parent.postMessage({ type: 'sco', seen: seen }, '*');
  api.SetValue('adl.nav.request', '${request}');
  api.Terminate('');
</script>`;

/** Like the Golf samples: pages set cmi.location without a Commit; only the SCO's own unload suspends. */
const PAGED_SCO = `<!doctype html><meta charset="utf-8"><title>SCO</title><p id="state">loading</p><script>
  var api = window.parent.API_1484_11;
  api.Initialize('');
  window.goTo = function (page) { api.SetValue('cmi.location', page); document.getElementById('state').textContent = 'at ' + page; };
  document.getElementById('state').textContent = api.GetValue('cmi.entry') + ' at ' + api.GetValue('cmi.location');
  window.addEventListener('unload', function () { api.SetValue('cmi.exit', 'suspend'); api.Terminate(''); });
</script>`;

describeWithBrowser('the reference player in the field', () => {
  let t: TestApp;
  let browser: Browser;
  let learner: string;
  let nav: { courseId: string; activityIds: string[] };
  let paged: string;
  let lms: Server;
  let lmsOrigin: string;

  beforeAll(async () => {
    // The LMS: a page of its own origin that embeds the player and records what it is told.
    const lmsPort = await freePort();
    lmsOrigin = `http://127.0.0.1:${lmsPort}`;
    lms = createServer((req, res) => {
      const playerUrl = new URL(req.url ?? '/', lmsOrigin).searchParams.get('player') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>LMS</title>
        <script>window.told = []; addEventListener('message', function (e) { window.told.push(e.data); });</script>
        <iframe id="player" src="${playerUrl.replace(/"/g, '')}" style="width:800px;height:600px"></iframe>`);
    });
    await new Promise<void>((resolve) => lms.listen(lmsPort, '127.0.0.1', resolve));
    t = await startTestApp({ PLAYER_FRAME_ANCESTORS: lmsOrigin });
    const org = await seedOrg(t.owner, 'player');
    await org.user('author', [Role.AUTHOR]);
    await org.user('admin', [Role.ORG_ADMIN]);
    const lu = await org.user('learner');
    const [author, admin] = await Promise.all([t.token(org.id, 'player-author'), t.token(org.id, 'player-admin')]);
    learner = await t.token(org.id, 'player-learner');
    const zip = await buildZip([{ name: 'imsmanifest.xml', data: TWO_SCOS }, { name: 'sco1.html', data: navigatingSco('continue') }, { name: 'sco2.html', data: navigatingSco('exitAll') }]);
    nav = await scormCourse(t, author, admin, zip, 'NAV', [userGid(lu)]);
    paged = (await scormCourse(t, author, admin, await scormZip(manifest2004(), PAGED_SCO), 'PAGED', [userGid(lu)])).activityIds[0];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => lms?.close(resolve));
    await t?.close();
  });

  const attemptRows = async (activityGid: string) =>
    (await t.owner.query('SELECT * FROM activity_attempt WHERE activity_id = $1 ORDER BY number', [Buffer.from(activityGid, 'base64url').toString().split(':')[1]])) as Record<string, any>[];

  /** The LMS's page with the player embedded. */
  async function lmsPage(playerUrl: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${lmsOrigin}/course?player=${encodeURIComponent(playerUrl)}`);
    return page;
  }

  test('an LMS page of another origin embeds the player; the SCOs run, navigate to each other, complete, and hand back to the LMS', async () => {
    const l = await launch(t, learner, nav.activityIds[0]);
    const page = await lmsPage(l.playerUrl);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.waitForFunction(() => (globalThis as any).told.some((m: any) => m.type === 'coursegraph.scorm.exit'), undefined, { timeout: 20_000 });
    const told = await page.evaluate(() => (globalThis as any).told);
    expect(told).toEqual([
      { type: 'sco', seen: ['continue=true', 'previous=false', '{target=lesson1}choice=false', '{target=lesson2}choice=true'] },
      expect.objectContaining({ type: 'coursegraph.scorm.navigate', request: 'continue', activityId: nav.activityIds[0] }),
      { type: 'sco', seen: ['continue=false', 'previous=true', '{target=lesson1}choice=true', '{target=lesson2}choice=false'] },
      { type: 'coursegraph.scorm.exit', request: 'exitAll', activityId: nav.activityIds[1] },
    ]);
    expect(await page.frameLocator('#player').locator('#ended').count()).toBe(1);
    // Each SCO's final commit leaves as the page moves on (a keepalive request the server may still be storing on a loaded machine).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await Promise.all(nav.activityIds.map(attemptRows))).every((rows) => rows[0]?.status === 'FINISHED')) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const activityId of nav.activityIds) {
      expect(await attemptRows(activityId)).toEqual([expect.objectContaining({ status: 'FINISHED', completion_status: 'completed', success_status: 'passed' })]);
    }
    const course = await gqlOk<{ viewer: { enrollments: { nodes: { progressPercent: number; course: { code: string } }[] } } }>(t,
      '{ viewer { enrollments { nodes { progressPercent course { code } } } } }', {}, learner);
    expect(course.viewer.enrollments.nodes.find((n) => n.course.code === 'NAV')?.progressPercent).toBe(100);
    expect(problems.filter((p) => /Refused to (display|frame)|frame-ancestors/.test(p))).toEqual([]);
    await page.close();
  }, 60_000);

  test('resume, move on, close the tab without beforeunload: the relaunch is where the learner was', async () => {
    const first = await launch(t, learner, paged);
    await commit(first.commitUrl, withValues(blankCmi2004(), { location: 'page-2', exit: 'suspend', session_time: 'PT1M' }), 1, true);
    const resumed = await launch(t, learner, paged);
    expect(resumed).toMatchObject({ entry: 'resume', attemptId: first.attemptId });
    const page = await lmsPage(resumed.playerUrl);
    const sco = page.frameLocator('#player').frameLocator('#sco');
    await sco.locator('#state').filter({ hasText: 'resume at page-2' }).waitFor({ timeout: 15_000 });
    await sco.locator('body').evaluate(() => (globalThis as any).goTo('page-3'));
    // The learner reads page 3 for a moment; then the tab goes, running no beforeunload handler.
    await page.waitForTimeout(1500);
    await page.close();

    const deadline = Date.now() + 10_000;
    while ((await attemptRows(paged))[0].location !== 'page-3' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Whatever the closing tab still managed to send (the player's snapshot, the SCO's own unload), nothing ended the attempt.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await attemptRows(paged)).toEqual([expect.objectContaining({ status: expect.stringMatching(/^(OPEN|SUSPENDED)$/), location: 'page-3' })]);
    const again = await launch(t, learner, paged);
    expect(again).toMatchObject({ attemptId: first.attemptId, entry: 'resume' });
    expect(again.cmi).toMatchObject({ entry: 'resume', location: 'page-3' });
    expect((await attemptRows(paged))[0].total_time_seconds).toBeGreaterThan(61);
  }, 60_000);
});
