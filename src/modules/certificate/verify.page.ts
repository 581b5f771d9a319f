import { createHash } from 'node:crypto';
import type { Locale } from '../../shared/context';
import { escapeHtml } from '../../shared/html';
import {
  certificateWords,
  courseTitleIn,
  formatCertificateDate,
  statusText,
  validUntilText,
  type CertificateStatus,
  type PublicCertificateView,
} from './certificate-document';

export interface VerifyPageOptions {
  /** A per-response CSP nonce, when the route sets one; the style is allowed by its hash anyway. */
  nonce?: string;
}

/** The page's only style sheet: inline, so the page needs nothing from anywhere. */
const CSS = `*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f5f8;color:#1f2933;
font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans SC",sans-serif}
main{background:#fff;max-width:40rem;width:calc(100% - 2rem);margin:1rem;padding:2rem;border-radius:12px;
border-top:6px solid #1f3a5f;box-shadow:0 2px 12px rgba(31,58,95,.12)}
h1{margin:0 0 1rem;font-size:1.4rem;color:#1f3a5f}
.badge{display:inline-block;margin:0 0 1.25rem;padding:.3rem .9rem;border-radius:999px;font-weight:700;color:#fff}
.active{background:#1e7b45}.expired{background:#a15c00}.revoked{background:#b42318}.superseded{background:#5f6b7a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.25rem;margin:0}
dt{color:#5f6b7a}dd{margin:0;overflow-wrap:anywhere}
nav{margin-top:1.5rem;font-size:.875rem;color:#5f6b7a}nav a{color:#1f3a5f}`;

const CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/** A nonce goes into a header and an attribute: only base64 characters are accepted. */
const NONCE = /^[A-Za-z0-9+/_=-]{8,128}$/;

function checkedNonce(nonce: string | undefined): string | undefined {
  if (nonce !== undefined && !NONCE.test(nonce)) throw new Error('a CSP nonce must be 8–128 base64 characters');
  return nonce;
}

/**
 * The Content-Security-Policy to send with the page: nothing may load or run, only its own
 * inline style applies (by hash, or by the nonce when one is given), and no site may frame it.
 */
export function verifyPageCsp(options: VerifyPageOptions = {}): string {
  const nonce = checkedNonce(options.nonce);
  const styles = nonce ? `${CSS_HASH} 'nonce-${nonce}'` : CSS_HASH;
  return `default-src 'none'; style-src ${styles}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * Every header the page wants: its CSP, no referrer (the URL carries the verification code), no
 * caching (a revocation must show at once) and no MIME sniffing.
 */
export function verifyPageHeaders(options: VerifyPageOptions = {}): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': verifyPageCsp(options),
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

const BADGES: Record<Locale, Record<CertificateStatus, string>> = {
  'zh-CN': { ACTIVE: '有效', EXPIRED: '已过期', REVOKED: '已撤销', SUPERSEDED: '已被取代' },
  en: { ACTIVE: 'Valid', EXPIRED: 'Expired', REVOKED: 'Revoked', SUPERSEDED: 'Superseded' },
};

/**
 * The public verify page of one certificate, or (for null) a page that says "not found" and
 * nothing else. Every value is escaped; the page is complete in itself (see verifyPageCsp).
 */
export function renderVerifyPage(view: PublicCertificateView | null, locale: Locale, options: VerifyPageOptions = {}): string {
  const words = certificateWords(locale);
  const nonce = checkedNonce(options.nonce);
  const style = `<style${nonce ? ` nonce="${nonce}"` : ''}>${CSS}</style>`;
  const head = (title: string): string =>
    `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>${style}</head>\n`;
  if (!view) return `${head(words.notFound)}<body><main><h1>${escapeHtml(words.notFound)}</h1></main></body></html>\n`;
  return `${head(`${words.verifyTitle} · ${view.number}`)}<body><main>\n${certificateSection(view, locale)}\n${languageLinks()}\n</main></body></html>\n`;
}

function certificateSection(view: PublicCertificateView, locale: Locale): string {
  const words = certificateWords(locale);
  const rows: [string, string][] = [
    [words.holder, view.holderName],
    [words.organization, view.organizationName],
    [words.course, view.courseCode ? `${courseTitleIn(view, locale)} (${view.courseCode})` : courseTitleIn(view, locale)],
    [words.number, view.number],
    [words.issuedAt, formatCertificateDate(view.issuedAt, locale)],
    [words.validUntil, validUntilText(view, locale)],
    [words.status, statusText(view, locale)],
  ];
  const list = rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n');
  const status = view.status.toLowerCase();
  return (
    `<h1>${escapeHtml(words.verifyTitle)}</h1>\n` +
    `<p class="badge ${status}" role="status" data-status="${status}">${escapeHtml(BADGES[locale][view.status])}</p>\n` +
    `<dl>\n${list}\n</dl>`
  );
}

/** Relative links keep the code in the path and switch only the language. */
function languageLinks(): string {
  return `<nav><a href="?lang=zh-CN" lang="zh-CN" hreflang="zh-CN">中文</a> · <a href="?lang=en" lang="en" hreflang="en">English</a></nav>`;
}
