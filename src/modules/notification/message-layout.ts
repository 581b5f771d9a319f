import type { Locale } from '../../shared/context';
import { escapeHtml } from '../../shared/html';

/** What an email says, before it is laid out as text and as HTML (both from the same parts). */
export interface MessageParts {
  locale: Locale;
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Label and value rows: course, number, dates. */
  facts: [label: string, value: string][];
  link: { label: string; url: string };
  footer: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** Dates in emails: the day as the organization lives it. */
export const MAIL_TIME_ZONE = 'Asia/Shanghai';

/** A day in the reader's language, e.g. 2026年12月31日 or December 31, 2026. */
export function formatDay(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: MAIL_TIME_ZONE }).format(date);
}

/** A value fit for a one-line header: control characters and line breaks become spaces, long values are cut. */
export function oneLine(value: string, max = 120): string {
  const flat = value.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Only web links go into an href (never javascript: or data:). */
function webUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('a link in an email must be http(s)');
  return parsed.toString();
}

function text(m: MessageParts, url: string): string {
  const colon = m.locale === 'zh-CN' ? '：' : ': ';
  const facts = m.facts.map(([label, value]) => `${label}${colon}${value}`);
  const link = `${m.link.label}${colon}${url}`;
  return [m.greeting, '', ...m.paragraphs.flatMap((p) => [p, '']), ...facts, '', link, '', '--', m.footer, ''].join('\n');
}

const FONTS = "-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif";

function html(m: MessageParts, url: string): string {
  const e = escapeHtml;
  const row = ([label, value]: [string, string]) =>
    `<tr><td style="padding:4px 16px 4px 0;color:#666">${e(label)}</td><td style="padding:4px 0">${e(value)}</td></tr>`;
  return [
    `<!DOCTYPE html><html lang="${e(m.locale)}"><head><meta charset="utf-8"><title>${e(m.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;font-family:${FONTS};font-size:15px;line-height:1.6;color:#222">`,
    `<p>${e(m.greeting)}</p>`,
    ...m.paragraphs.map((p) => `<p>${e(p)}</p>`),
    `<table style="border-collapse:collapse;margin:16px 0">${m.facts.map(row).join('')}</table>`,
    `<p><a href="${e(url)}" style="color:#1a56db">${e(m.link.label)}</a></p>`,
    `<p style="margin-top:32px;color:#888;font-size:12px">${e(m.footer)}</p>`,
    '</body></html>',
  ].join('\n');
}

/** The subject, the text part and the HTML part of a message; every value is escaped in the HTML. */
export function render(m: MessageParts): RenderedMessage {
  const url = webUrl(m.link.url);
  return { subject: oneLine(m.subject, 200), text: text(m, url), html: html(m, url) };
}
