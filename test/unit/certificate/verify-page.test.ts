/**
 * The public verify page, parsed as a browser parses it (jsdom): what it says for every status in
 * both languages, that "not found" says nothing else, that hostile values stay text, and that its
 * CSP allows exactly its own style.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../../../src/shared/context';
import type { PublicCertificateView } from '../../../src/modules/certificate/certificate-document';
import { renderVerifyPage, verifyPageCsp, verifyPageHeaders } from '../../../src/modules/certificate/verify.page';
import { pickPageLocale } from '../../../src/http/locale';
import { parsePages, type ParsedPage } from '../../support/html-document';
import { HOSTILE, VIEW } from './fixtures';

/** Status, what makes it so, and the sentence each language must say. */
const STATUSES: [PublicCertificateView['status'], Partial<PublicCertificateView>, string, string][] = [
  ['ACTIVE', {}, '有效', 'Valid'],
  ['EXPIRED', { validUntil: new Date('2026-06-30T17:00:00Z') }, '已于 2026年7月1日 过期', 'Expired on 1 July 2026'],
  ['REVOKED', { revokedAt: new Date('2027-03-15T02:00:00Z') }, '已于 2027年3月15日 撤销', 'Revoked on 15 March 2027'],
  ['SUPERSEDED', {}, '已由续期证书取代', 'Superseded by a renewal'],
];
const LOCALES: Locale[] = ['zh-CN', 'en'];
const cases = STATUSES.flatMap(([status, change, zh, en]) => LOCALES.map((locale) => ({ status, view: { ...VIEW, ...change, status }, locale, sentence: locale === 'en' ? en : zh })));
const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'h1', 'p', 'dl', 'dt', 'dd', 'nav', 'a']);

describe('certificate verify page', () => {
  let parsed: ParsedPage[];
  let notFound: ParsedPage[];
  let hostile: ParsedPage[];
  let noExpiry: ParsedPage[];
  const hostileView: PublicCertificateView = { ...VIEW, ...HOSTILE };

  beforeAll(() => {
    const pages = [
      ...cases.map((c) => renderVerifyPage(c.view, c.locale)),
      ...LOCALES.map((l) => renderVerifyPage(null, l)),
      ...LOCALES.map((l) => renderVerifyPage(hostileView, l, { nonce: 'bm9uY2UtdmFs' })),
      ...LOCALES.map((l) => renderVerifyPage({ ...VIEW, validUntil: null }, l)),
    ];
    // One parser process for every page: starting jsdom is the slow part.
    const all = parsePages(pages);
    parsed = all.slice(0, cases.length);
    [notFound, hostile, noExpiry] = [0, 1, 2].map((k) => all.slice(cases.length + 2 * k, cases.length + 2 * k + 2));
  });

  test.each(cases.map((c, i) => [c.status, c.locale, i] as const))('%s in %s: holder, organization, course, dates and the status in words', (status, locale, i) => {
    const page = parsed[i];
    const { sentence } = cases[i];
    expect(page.lang).toBe(locale);
    expect(page.badge?.status).toBe(status.toLowerCase());
    expect(page.badge?.text).toBeTruthy();
    if (locale === 'zh-CN') {
      expect(page.title).toBe('证书验证 · HZTEL-2026-000123');
      expect(page.fields).toEqual({
        持证人: '张伟', 颁发机构: '中国电信杭州分公司', 课程: '客户服务礼仪与沟通技巧 (CS-101)', 证书编号: 'HZTEL-2026-000123',
        颁发日期: '2026年12月2日', 有效期至: cases[i].view.validUntil === VIEW.validUntil ? '2027年12月2日' : '2026年7月1日', 状态: sentence,
      });
    } else {
      expect(page.fields).toMatchObject({ Holder: '张伟', 'Issued by': '中国电信杭州分公司', Course: 'Customer Service Etiquette (CS-101)', Issued: '2 December 2026', Status: sentence });
    }
    expect(page.tags.filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  });

  test('the badge names the status in each language', () => {
    expect(parsed.map((p) => p.badge?.text)).toEqual(['有效', 'Valid', '已过期', 'Expired', '已撤销', 'Revoked', '已被取代', 'Superseded']);
  });

  test('a certificate without end says so', () => {
    const [zh, en] = noExpiry;
    expect(zh.fields['有效期至']).toBe('长期有效');
    expect(en.fields['Valid until']).toBe('No expiry');
  });

  test('not found says that and nothing else', () => {
    expect(notFound.map((p) => [p.lang, p.title, p.bodyText])).toEqual([
      ['zh-CN', '未找到该证书', '未找到该证书'],
      ['en', 'Certificate not found', 'Certificate not found'],
    ]);
    expect(notFound.flatMap((p) => p.tags).filter((t) => !['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'h1'].includes(t))).toEqual([]);
  });

  test('hostile names, titles and numbers come out as the same text, with no markup of their own', () => {
    const [zh, en] = hostile;
    expect(zh.fields).toMatchObject({ 持证人: HOSTILE.holderName, 颁发机构: HOSTILE.organizationName, 证书编号: HOSTILE.number, 课程: `${HOSTILE.courseTitle['zh-CN']} (${HOSTILE.courseCode})` });
    expect(en.fields.Course).toBe(`${HOSTILE.courseTitle.en} (${HOSTILE.courseCode})`);
    expect(zh.title).toBe(`证书验证 · ${HOSTILE.number}`);
    for (const page of hostile) {
      expect(page.tags.filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
      expect(page.tags.filter((t) => t === 'style')).toHaveLength(1);
      expect(page.handlers).toEqual([]);
    }
    expect(renderVerifyPage(hostileView, 'en')).not.toMatch(/<script|<img|<\/title>&|<!--/);
  });

  test('the CSP allows only the page\'s own style, by hash or by nonce', () => {
    const html = renderVerifyPage(VIEW, 'zh-CN');
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
    expect(verifyPageCsp()).toBe(`default-src 'none'; style-src ${hash}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    expect(renderVerifyPage(VIEW, 'zh-CN', { nonce: 'bm9uY2UtdmFs' })).toContain('<style nonce="bm9uY2UtdmFs">');
    expect(verifyPageCsp({ nonce: 'bm9uY2UtdmFs' })).toContain(`style-src ${hash} 'nonce-bm9uY2UtdmFs';`);
    expect(verifyPageHeaders()).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-security-policy': verifyPageCsp() });
    expect(() => verifyPageCsp({ nonce: "x'; script-src *" })).toThrow(/nonce/);
    expect(() => renderVerifyPage(VIEW, 'en', { nonce: '"><script>' })).toThrow(/nonce/);
  });
});

describe('pickPageLocale', () => {
  test.each([
    ['en', 'zh-CN,zh;q=0.9', 'en'],
    ['zh', 'en-US', 'zh-CN'],
    ['EN-us', undefined, 'en'],
    [undefined, 'en-GB,en;q=0.8', 'en'],
    ['fr', 'en', 'en'],
    [['en', 'zh'], 'zh-CN', 'zh-CN'],
    [undefined, undefined, 'zh-CN'],
  ])('?lang=%j with Accept-Language %j picks %s', (lang, header, expected) => {
    expect(pickPageLocale(lang, header)).toBe(expected);
  });
});
