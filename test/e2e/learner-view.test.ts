/**
 * The learner view (GET /learn) in Debian's chromium, as an LMS shows it: inside an iframe of a
 * page of another origin, the credential in the fragment, driven by the keyboard alone. Skipped
 * where chromium is missing, except in CI.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { freePort } from '../../src/db/embedded';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { addPage, assign, buildCourse, mutateOk, userGid } from '../support/catalog';
import { buildAppSchema } from '../../src/schema';
import { PersistedQueryList } from '../../src/http/persisted-queries';
import { LEARNER_VIEW_OPERATIONS } from '../../src/modules/learner-view/learner-view.operations';
import { learnerViewUrl } from '../../src/modules/learner-view/learner-view.url';
import { EVERY_KIND, SECRET, assessmentCourse, gradedDocument, saveAnswers, startAttempt } from '../support/assessment';
import { manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { seedOrg } from '../support/seed';

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM && process.env.CI === 'true') throw new Error('chromium is required in CI (.ci/run installs it)');
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

test('the view\'s operations fit the schema and join a persisted-query allowlist', async () => {
  const empty = { format: 'apollo-persisted-query-manifest', version: 1, operations: [] };
  const list = PersistedQueryList.fromManifest(empty, await buildAppSchema(), LEARNER_VIEW_OPERATIONS);
  expect(list.size).toBe(LEARNER_VIEW_OPERATIONS.length);
  expect(LEARNER_VIEW_OPERATIONS.map((op) => op.name)).toEqual(expect.arrayContaining(['LearnCourse', 'LearnStartAttempt', 'LearnSaveAnswers', 'LearnSubmitAttempt', 'LearnLaunch', 'LearnRecordProgress']));
});

/** A title that would be markup if it were not escaped. */
const HOSTILE = '<img src=x id=injected onerror="window.pwned=1">读我';

/** A SCO that completes itself and ends without a navigation request (the player hands back). */
const SELF_COMPLETING_SCO = `<!doctype html><meta charset="utf-8"><title>SCO</title><p>SCO</p><script>
  var api = window.parent.API_1484_11;
  api.Initialize('');
  api.SetValue('cmi.completion_status', 'completed');
  api.SetValue('cmi.success_status', 'passed');
  setTimeout(function () { api.Terminate(''); }, 300);
</script>`;

describeWithBrowser('the learner view', () => {
  let t: TestApp;
  let browser: Browser;
  let lms: Server;
  let lmsOrigin: string;
  let learner: string;
  let courseId: string;
  let pageId: string;
  let quizId: string;
  let scorm: { courseId: string; activityIds: string[] };
  let video: { courseId: string; activityId: string };
  let scoreOnly: { courseId: string; activityId: string };
  const problems: string[] = [];

  beforeAll(async () => {
    // The LMS: a page of its own origin that embeds whatever URL it is given.
    const lmsPort = await freePort();
    lmsOrigin = `http://127.0.0.1:${lmsPort}`;
    lms = createServer((req, res) => {
      const src = new URL(req.url ?? '/', lmsOrigin).searchParams.get('src') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>LMS</title>
        <iframe id="tool" src="${src.replace(/"/g, '&quot;')}" style="width:1000px;height:900px"></iframe>`);
    });
    await new Promise<void>((resolve) => lms.listen(lmsPort, '127.0.0.1', resolve));
    t = await startTestApp({ PLAYER_FRAME_ANCESTORS: lmsOrigin });
    const org = await seedOrg(t.owner, 'lview');
    await org.user('author', [Role.AUTHOR]);
    await org.user('admin', [Role.ORG_ADMIN]);
    const lu = await org.user('learner');
    const [author, admin] = await Promise.all([t.token(org.id, 'lview-author'), t.token(org.id, 'lview-admin')]);
    learner = await t.token(org.id, 'lview-learner');

    const course = await mutateOk(t, author, 'createCourse', 'CreateCourseInput', { code: 'LV', title: { zhCN: '服务礼仪', en: 'Service etiquette' } }, 'course { id }');
    courseId = course.course.id;
    const mod = await mutateOk(t, author, 'createModule', 'CreateModuleInput', { courseId, title: { zhCN: '第一章', en: 'Chapter 1' } }, 'module { id }');
    pageId = await addPage(t, author, mod.module.id, HOSTILE, '<h3>第一印象</h3><p>First impressions count.</p>');
    const quiz = await mutateOk(t, author, 'createActivity', 'CreateActivityInput', { moduleId: mod.module.id, kind: 'ASSESSMENT', title: { zhCN: '课程测验', en: 'Course quiz' } }, 'activity { id }');
    quizId = quiz.activity.id;
    await mutateOk(t, author, 'setAssessment', 'SetAssessmentInput', {
      activityId: quizId,
      assessment: gradedDocument({ shuffleQuestions: false, shuffleOptions: false, timeLimitSeconds: 900, reviewPolicy: { show: 'FEEDBACK', when: 'IMMEDIATELY' } }, EVERY_KIND),
    }, 'assessment { activityId }');
    await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
    await assign(t, admin, courseId, [lu]);
    const videoCourse = await buildCourse(t, author, 'LVVIDEO', [0], { publish: false });
    const clip = await mutateOk(t, author, 'createActivity', 'CreateActivityInput',
      { moduleId: videoCourse.modules[0], kind: 'VIDEO', title: { zhCN: '示范视频', en: 'Demo video' }, video: { url: 'https://media.example.com/demo.webm', durationSeconds: 60 } }, 'activity { id }');
    await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: videoCourse.id }, 'course { id }');
    await assign(t, admin, videoCourse.id, [lu]);
    video = { courseId: videoCourse.id, activityId: clip.activity.id };
    scoreOnly = await assessmentCourse(t, author, 'LVSCORE', gradedDocument(
      { shuffleQuestions: false, shuffleOptions: false, attemptsAllowed: 1, reviewPolicy: { show: 'SCORE', when: 'IMMEDIATELY' } }, [EVERY_KIND[0], EVERY_KIND[2]]));
    await assign(t, admin, scoreOnly.courseId, [lu]);
    scorm = await scormCourse(t, author, admin, await scormZip(manifest2004(), SELF_COMPLETING_SCO), 'LVSCORM', [userGid(lu)]);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => lms?.close(resolve));
    await t?.close();
  });

  /** The LMS page with the learner view at `path` (and the credential in the fragment) in its iframe. */
  async function inLms(path: string, token: string | null, locale = 'en-US'): Promise<{ page: Page; frame: Frame }> {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    const src = `${t.url}${path}${token ? `#token=${encodeURIComponent(token)}` : ''}`;
    await page.goto(`${lmsOrigin}/course?src=${encodeURIComponent(src)}`);
    const handle = await page.waitForSelector('#tool');
    const frame = (await handle.contentFrame())!;
    await frame.waitForLoadState();
    return { page, frame };
  }

  /** Presses Tab (Shift+Tab when the target comes before the focus) until the focused element in the frame matches `selector`. */
  async function tabTo(page: Page, frame: Frame, selector: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const where = await frame.evaluate((s) => {
        const target = (globalThis as any).document.querySelector(s);
        const active = (globalThis as any).document.activeElement;
        if (!target || !active || active === (globalThis as any).document.body) return 'after';
        if (active.matches(s)) return 'here';
        return active.compareDocumentPosition(target) & 2 /* DOCUMENT_POSITION_PRECEDING */ ? 'before' : 'after';
      }, selector);
      if (where === 'here') return;
      await page.keyboard.press(where === 'before' ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  const statusOf = (frame: Frame, activityId: string) => frame.locator(`[data-status="${activityId}"]`).innerText();

  test('in an LMS iframe: the outline with progress, a page read, a quiz of every kind taken with the keyboard alone, result and review, the outline updated', async () => {
    // Entered as a launch enters it (learnerViewUrl: the credential in the fragment).
    const entry = new URL(learnerViewUrl(t.url, { courseId, lang: 'en' }, learner));
    expect(entry.hash).toBe(`#token=${learner}`);
    const { page, frame } = await inLms(`${entry.pathname}${entry.search}`, learner);
    await frame.locator('nav.outline').waitFor();
    // The credential left the address at once and lives in sessionStorage.
    expect(await frame.evaluate(() => (globalThis as any).location.href)).not.toMatch(/token/);
    expect(await frame.evaluate(() => (globalThis as any).sessionStorage.getItem('coursegraph.learner.token'))).toBe(learner);
    expect(await frame.locator('#view h1').innerText()).toBe('Service etiquette');
    expect(await frame.locator('nav.outline .percent').innerText()).toBe('0% complete');
    expect(await frame.locator('nav.outline .module-progress').innerText()).toBe('0 of 2 required done');
    expect(await statusOf(frame, pageId)).toContain('Not started');
    // The page's title is shown as text, never as markup.
    expect(await frame.locator(`[data-activity="${pageId}"]`).innerText()).toBe(`${HOSTILE} (en)`);
    expect(await frame.locator('#injected').count()).toBe(0);

    // Into the frame and to the page with the keyboard.
    await tabTo(page, frame, `a[data-activity="${pageId}"]`);
    await page.keyboard.press('Enter');
    await frame.locator('.page-content h3').waitFor();
    expect(await frame.locator('.page-content').innerText()).toContain('First impressions count.');
    await frame.locator(`[data-status="${pageId}"]`).filter({ hasText: 'Completed' }).waitFor();
    await frame.locator('nav.outline .percent').filter({ hasText: '50% complete' }).waitFor();
    expect(await frame.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('activity-title');

    // The quiz: start it.
    await tabTo(page, frame, `a[data-activity="${quizId}"]`);
    await page.keyboard.press('Enter');
    await frame.locator('.quiz button').waitFor();
    expect(await frame.locator('.facts').innerText()).toMatch(/7 questions[\s\S]*Passing score: 60%[\s\S]*Time limit: 15 min[\s\S]*Attempts left: 2/);
    await tabTo(page, frame, '.quiz button');
    await page.keyboard.press('Space');
    await frame.locator('form.attempt').waitFor();
    expect(await frame.locator('.timer').innerText()).toMatch(/^Time left: 1[45]:\d\d$/);

    // SINGLE_CHOICE: into the radio group, the arrow key picks the next option.
    await tabTo(page, frame, '[data-question="single"] input[type=radio]');
    await page.keyboard.press('ArrowDown');
    // MULTIPLE_CHOICE: Space ticks the focused box.
    await tabTo(page, frame, '[data-question="multi"] input[value="red"]');
    await page.keyboard.press('Space');
    await tabTo(page, frame, '[data-question="multi"] input[value="blue"]');
    await page.keyboard.press('Space');
    // TRUE_FALSE
    await tabTo(page, frame, '[data-question="tf"] input[value="true"]');
    await page.keyboard.press('Space');
    // FILL_IN
    await tabTo(page, frame, '[data-question="fill"] input[type=text]');
    await page.keyboard.type(SECRET.fillIn);
    // ORDERING: the learner sees the items shuffled; each goes up into its place, and the moves are announced.
    const correct = ['greet', 'listen', 'solve', 'thank'];
    const order = () => frame.locator('[data-question="order"] li').evaluateAll((lis) => lis.map((li) => (li as any).getAttribute('data-key')));
    for (const [place, key] of correct.entries()) {
      while ((await order()).indexOf(key) > place) {
        await tabTo(page, frame, `[data-question="order"] li[data-key="${key}"] button[data-move="up"]`);
        await page.keyboard.press('Enter');
        const now = (await order()).indexOf(key);
        await frame.locator('#live').filter({ hasText: `position ${now + 1} of 4` }).waitFor();
      }
    }
    expect(await order()).toEqual(correct);
    // MATCHING: a labelled select per item; the arrow keys choose.
    const pairs = { cat: 'meow', dog: 'woof', cow: 'moo' } as Record<string, string>;
    for (const [left, right] of Object.entries(pairs)) {
      const select = `[data-question="match"] select[data-left="${left}"]`;
      const presses = await frame.locator(`${select} option`).evaluateAll((os, r) => os.findIndex((o) => (o as any).value === r), right);
      await tabTo(page, frame, select);
      for (let i = 0; i < presses; i++) await page.keyboard.press('ArrowDown');
      expect(await frame.locator(select).inputValue()).toBe(right);
    }
    // SCALE
    await tabTo(page, frame, '[data-question="scale"] input[type=radio]');
    await page.keyboard.press('Space');
    // Every control has a name a screen reader reads.
    expect(await frame.evaluate(() => [...(globalThis as any).document.querySelectorAll('form.attempt input, form.attempt select')].filter((el) => !(el as any).labels?.length).length)).toBe(0);

    await tabTo(page, frame, 'form.attempt button[type=submit]');
    await page.keyboard.press('Enter');
    await frame.locator('[data-result="new"]').waitFor();
    expect(await frame.locator('[data-result="new"]').innerText()).toBe('You scored 100%. Passed.');
    await frame.locator('#live').filter({ hasText: 'You scored 100%' }).waitFor();
    expect(await frame.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('result-title');
    // The policy shows feedback at once: every graded question is reviewed with its explanation.
    expect(await frame.locator('[data-review].correctness-CORRECT').count()).toBe(6);
    expect(await frame.locator('[data-review="single"]').innerText()).toContain(`Explanation: ${SECRET.explanation} (en)`);
    expect(await frame.locator('[data-review="match"]').innerText()).toContain('Correct answer:');
    // One attempt of two left: the next can be started from here.
    expect(await frame.locator('.facts [data-fact="attempts"]').innerText()).toBe('Attempts left: 1');
    expect(await frame.locator('.quiz button[data-start]').innerText()).toBe('Try again');

    // The outline follows.
    await frame.locator('nav.outline .percent').filter({ hasText: '100% complete' }).waitFor();
    expect(await statusOf(frame, quizId)).toContain('Passed');
    expect(await frame.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(problems.filter((p) => /Refused|Content Security Policy|frame-ancestors/.test(p))).toEqual([]);
    await page.context().close();
  }, 90_000);

  test('an attempt in progress (started elsewhere) is continued with its saved answers and the server\'s deadline', async () => {
    const started = await startAttempt(t, learner, quizId);
    const attemptId = started.attempt!.id;
    await saveAnswers(t, learner, attemptId, [{ questionId: 'single', optionId: 'plum' }, { questionId: 'fill', text: '斑马' }]);
    const { page, frame } = await inLms(`/learn?course=${encodeURIComponent(courseId)}&activity=${encodeURIComponent(quizId)}&lang=en`, learner);
    const resume = frame.locator('.quiz button[data-start]');
    await resume.waitFor();
    expect(await resume.innerText()).toBe('Continue the quiz');
    await resume.click();
    await frame.locator('form.attempt').waitFor();
    expect(await frame.locator('[data-question="single"] input[value="plum"]').isChecked()).toBe(true);
    expect(await frame.locator('[data-question="fill"] input[type=text]').inputValue()).toBe('斑马');
    expect(await frame.locator('.timer').innerText()).toMatch(/^Time left: 1[45]:\d\d$/);
    await page.context().close();
  }, 30_000);

  test('a SCORM activity opened from the LMS runs in the reference player inside the view; its end refreshes the outline', async () => {
    const [activityId] = scorm.activityIds;
    const { page, frame } = await inLms(`/learn?course=${encodeURIComponent(scorm.courseId)}&activity=${encodeURIComponent(activityId)}&lang=en`, learner);
    await frame.locator('iframe.player').waitFor();
    expect(await frame.locator('iframe.player').getAttribute('title')).toBe('Lesson: 第一课');
    await frame.locator(`[data-status="${activityId}"]`).filter({ hasText: 'Passed' }).waitFor({ timeout: 20_000 });
    await frame.locator('#live').filter({ hasText: 'The lesson has ended' }).waitFor();
    await frame.locator('nav.outline .percent').filter({ hasText: '100% complete' }).waitFor();
    expect(problems.filter((p) => /Refused|Content Security Policy|frame-ancestors/.test(p))).toEqual([]);
    await page.context().close();
  }, 60_000);

  test('a VIDEO activity: the video with its controls and a link to it; watching to the end records the progress', async () => {
    const { page, frame } = await inLms(`/learn?course=${encodeURIComponent(video.courseId)}&activity=${encodeURIComponent(video.activityId)}&lang=en`, learner);
    const player = frame.locator('#activity video');
    await player.waitFor();
    expect(await player.getAttribute('src')).toBe('https://media.example.com/demo.webm');
    expect(await player.getAttribute('controls')).not.toBeNull();
    expect(await player.getAttribute('aria-labelledby')).toBe('activity-title');
    expect(await frame.locator('#activity a[href="https://media.example.com/demo.webm"]').innerText()).toBe('Open the video');
    // No network here: the media element's own end of playback stands for watching it through.
    await player.evaluate((v) => v.dispatchEvent(new (globalThis as any).Event('ended')));
    await frame.locator(`[data-status="${video.activityId}"]`).filter({ hasText: 'Completed' }).waitFor();
    await frame.locator('#live').filter({ hasText: 'Watched' }).waitFor();
    await page.context().close();
  }, 30_000);

  test('in zh-CN (the browser\'s language), a quiz whose policy shows the score only: the score, no review; once used up, the last result', async () => {
    const { page, frame } = await inLms(`/learn?course=${encodeURIComponent(scoreOnly.courseId)}&activity=${encodeURIComponent(scoreOnly.activityId)}`, learner, 'zh-CN');
    await frame.locator('.quiz button[data-start]').waitFor();
    expect(await frame.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await frame.locator('.facts').innerText()).toMatch(/共 2 题[\s\S]*及格分:60%[\s\S]*剩余次数:1/);
    expect(await frame.locator('.quiz button[data-start]').innerText()).toBe('开始测验');
    await frame.locator('.quiz button[data-start]').click();
    await frame.getByLabel('乙').check();
    await frame.getByLabel('对', { exact: true }).check();
    await frame.getByRole('button', { name: '提交答案' }).click();
    await frame.locator('[data-result="new"]').waitFor();
    expect(await frame.locator('[data-result="new"]').innerText()).toBe('您的得分为 100%。已通过。');
    expect(await frame.locator('[data-review]').count()).toBe(0);
    expect(await frame.locator('.quiz button[data-start]').count()).toBe(0);
    // The outline is read again after the submit: wait for it.
    await frame.locator(`[data-status="${scoreOnly.activityId}"]`).filter({ hasText: '已通过' }).waitFor();
    // Back to the quiz later: the last result, and no attempt left.
    await frame.locator(`a[data-activity="${scoreOnly.activityId}"]`).click();
    await frame.locator('[data-result="last"]').waitFor();
    expect(await frame.locator('[data-result="last"]').innerText()).toBe('您的得分为 100%。已通过。');
    expect(await frame.locator('.quiz').innerText()).toBe('您的作答次数已用完。');
    await page.context().close();
  }, 30_000);

  test('en and zh-CN: ?lang, else the browser language; titles and API messages follow', async () => {
    const zh = await inLms('/learn', learner, 'zh-CN');
    await zh.frame.locator('.courses').waitFor();
    expect(await zh.frame.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await zh.frame.locator('#view h1').innerText()).toBe('我的课程');
    expect(await zh.frame.locator('.course-link').allInnerTexts()).toEqual(expect.arrayContaining(['服务礼仪', 'SCORM LVSCORM', '课程 LVVIDEO']));
    await zh.page.context().close();

    const en = await inLms('/learn?lang=en', learner, 'zh-CN');
    await en.frame.locator('.courses').waitFor();
    expect(await en.frame.locator('#view h1').innerText()).toBe('My courses');
    expect(await en.frame.locator('.course-link').allInnerTexts()).toContain('Service etiquette');
    // A course that is not the learner's: the API's NOT_FOUND message, in the page's language.
    await en.frame.evaluate(() => (globalThis as any).history.pushState(null, '', '/learn?lang=en&course=Q291cnNlOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA'));
    await en.frame.evaluate(() => (globalThis as any).dispatchEvent(new (globalThis as any).PopStateEvent('popstate')));
    await en.frame.locator('[role=alert]').waitFor();
    expect(await en.frame.locator('[role=alert]').innerText()).toMatch(/[A-Za-z]/);
    expect(await en.frame.locator('[role=alert]').innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    await en.page.context().close();
  }, 60_000);

  test('without a credential: a page telling the learner to launch from their LMS', async () => {
    const en = await inLms('/learn?lang=en', null);
    await en.frame.locator('#help').waitFor();
    expect(await en.frame.locator('#help h1').innerText()).toBe('Open this course from your learning platform');
    expect(await en.frame.locator('#view').innerText()).toBe('');
    await en.page.context().close();
    const zh = await inLms('/learn', null, 'zh-CN');
    await zh.frame.locator('#help').waitFor();
    expect(await zh.frame.locator('#help h1').innerText()).toBe('请从您的学习平台打开本课程');
    await zh.page.context().close();
  }, 30_000);

  test('headers: a strict CSP, framable by the LMS origins as the player is; the player and content allow the view', async () => {
    const res = await fetch(`${t.url}/learn?course=x`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain(`frame-ancestors ${lmsOrigin}`);
    expect(csp).toContain(`frame-src ${new URL(t.config.contentBaseUrl).origin}`);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    // No inline code: the only scripts are the served file and an inert data block.
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script type="application/json" id="cg-data">',
      '<script src="/learn/assets/assessment.js" defer>', '<script src="/learn/assets/learner-view.js" defer>']);
    for (const name of ['assessment.js', 'learner-view.js']) {
      const js = await fetch(`${t.url}/learn/assets/${name}`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect(await js.text()).toMatch(/^\/\*/);
    }
  });

  test('under persisted-query safelisting (PERSISTED_QUERIES=learners, a manifest without the view\'s operations) the view still works', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coursegraph-lv-pq-'));
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [] }));
    const safe = await startTestApp({ PERSISTED_QUERIES: 'learners', PERSISTED_QUERIES_FILE: file });
    try {
      const org = await seedOrg(safe.owner, 'lvpq');
      await org.user('author', [Role.AUTHOR, Role.ORG_ADMIN]);
      const lu = await org.user('learner');
      const author = await safe.token(org.id, 'lvpq-author');
      const token = await safe.token(org.id, 'lvpq-learner');
      const built = await buildCourse(safe, author, 'PQ', [1]);
      await assign(safe, author, built.id, [lu]);
      // Safelisting is on for this learner: an operation of their own is refused.
      const adHoc = await safe.gql('{ viewer { id } }', {}, { token });
      expect(adHoc.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${safe.url}/learn?course=${encodeURIComponent(built.id)}&activity=${encodeURIComponent(built.activities[0][0])}#token=${encodeURIComponent(token)}`);
      await page.locator(`[data-status="${built.activities[0][0]}"]`).filter({ hasText: 'Completed' }).waitFor();
      await page.locator('nav.outline .percent').filter({ hasText: '100% complete' }).waitFor();
      await context.close();
    } finally {
      await safe.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
