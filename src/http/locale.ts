import type { Locale } from '../shared/context';

/** Picks zh-CN or en from an Accept-Language header by quality; zh-CN when neither is asked for. */
export function pickLocale(header: string | undefined, fallback: Locale = 'zh-CN'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q ? Number(q) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

/**
 * The locale of a page a person opens (the verify page): an explicit `?lang=` (`zh`, `zh-CN`,
 * `en`, `en-US`…) wins, so a link can switch language; otherwise Accept-Language decides.
 */
export function pickPageLocale(lang: unknown, acceptLanguage: string | undefined): Locale {
  if (typeof lang === 'string') {
    const tag = lang.trim().toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return pickLocale(acceptLanguage);
}
