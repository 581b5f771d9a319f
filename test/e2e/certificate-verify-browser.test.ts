/**
 * The verify page in a real browser (Debian's chromium, driven by playwright-core) under the CSP
 * it is served with: its style applies, nothing is blocked or run, hostile values stay text, and
 * the language links switch language. A control with a wrong style hash shows the check can fail.
 * `.ci/run` installs chromium; without it this file is skipped, except in CI where it fails.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Locale } from '../../src/shared/context';
import { pickPageLocale } from '../../src/http/locale';
import type { PublicCertificateView } from '../../src/modules/certificate/certificate-document';
import { renderVerifyPage, verifyPageHeaders } from '../../src/modules/certificate/verify.page';
import { HOSTILE, VIEW } from '../unit/certificate/fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM && process.env.CI) throw new Error('chromium is required in CI (.ci/run installs it)');
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

const ORIGIN = 'https://verify.coursegraph.test';

interface Served {
  view: PublicCertificateView | null;
  nonce?: string;
  /** Replaces the CSP header (for the control). */
  csp?: string;
}

/** Serves the page as a route would: locale from ?lang= or Accept-Language, the page's own headers. */
async function open(browser: Browser, served: Served, path = '/verify/7Q2M4K9X'): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ locale: 'en-US' });
  const problems: string[] = [];
  // A 404 (not found, the favicon) is logged as a failed load; anything else is a problem.
  page.on('console', (m) => !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/favicon.ico') return route.fulfill({ status: 404 });
    const locale: Locale = pickPageLocale(url.searchParams.get('lang') ?? undefined, route.request().headers()['accept-language']);
    const headers = verifyPageHeaders({ nonce: served.nonce });
    if (served.csp) headers['content-security-policy'] = served.csp;
    await route.fulfill({ status: served.view ? 200 : 404, headers, body: renderVerifyPage(served.view, locale, { nonce: served.nonce }) });
  });
  await page.goto(ORIGIN + path);
  return { page, problems };
}

/** The badge's background colour as the browser computed it (a string: the DOM types are not loaded here). */
const badgeColour = (page: Page): Promise<string> => page.evaluate<string>("getComputedStyle(document.querySelector('[role=status]')).backgroundColor");

describeWithBrowser('certificate verify page in chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  test('styled under its CSP with or without a nonce, nothing blocked; the language links switch', async () => {
    for (const nonce of [undefined, 'bm9uY2UtdmFsdWU']) {
      const { page, problems } = await open(browser, { view: VIEW, nonce });
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await badgeColour(page)).toBe('rgb(30, 123, 69)');
      await page.getByRole('link', { name: '中文' }).click();
      await page.waitForURL(/lang=zh-CN$/);
      expect(await page.locator('[role=status]').textContent()).toBe('有效');
      expect(await badgeColour(page)).toBe('rgb(30, 123, 69)');
      expect(problems).toEqual([]);
      await page.close();
    }
  }, 30_000);

  test('control: with a CSP that does not allow its style, the style is blocked and that shows', async () => {
    const { page, problems } = await open(browser, { view: VIEW, csp: "default-src 'none'; style-src 'sha256-AAAA'" });
    expect(await badgeColour(page)).toBe('rgba(0, 0, 0, 0)');
    expect(problems.join('\n')).toMatch(/Content Security Policy/);
    await page.close();
  }, 30_000);

  test('hostile values are shown as text and run nothing; not found is a 404 page with one line', async () => {
    const { page, problems } = await open(browser, { view: { ...VIEW, ...HOSTILE, status: 'REVOKED', revokedAt: new Date('2027-03-15T02:00:00Z') } });
    expect(await page.title()).toBe(`Certificate verification · ${HOSTILE.number}`);
    expect(await page.locator('dd').first().textContent()).toBe(HOSTILE.holderName);
    expect(await page.locator('[role=status]').textContent()).toBe('Revoked');
    expect(await page.locator('script, img, b, style:not(head style)').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();

    const missing = await open(browser, { view: null });
    expect(await missing.page.locator('body').innerText()).toBe('Certificate not found');
    expect(missing.problems).toEqual([]);
    await missing.page.close();
  }, 30_000);
});
