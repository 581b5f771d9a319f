import type { Locale } from '../../shared/context';
import type { CertificateVerification } from './certificate.verify';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The HTML of the public verify page: the lead plugs cert-pdf's page renderer in here. This
 * stand-in shows "not found" or the number and status, escaped, and nothing else.
 */
export function renderVerifyPage(view: CertificateVerification | null, locale: Locale): string {
  const title = locale === 'en' ? 'Certificate verification' : '证书验证';
  const body = view ? `<p>${escapeHtml(view.number)}: ${escapeHtml(view.status)}</p>` : `<p>${locale === 'en' ? 'Not found' : '未找到'}</p>`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}
