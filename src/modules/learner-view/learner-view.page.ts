import type { Locale } from '../../shared/context';
import { escapeHtml } from '../../shared/html';
import { LEARNER_VIEW_OPERATIONS } from './learner-view.operations';
import { LEARNER_TEXTS } from './learner-view.texts';

/** Where the page's script and style are served. */
export const LEARNER_ASSETS = {
  /** In the order they run: the assessment taker, then the view, which calls it. */
  scripts: ['assessment.js', 'learner-view.js'],
  style: '/learn/assets/learner-view.css',
};

/** JSON that is safe inside a `<script type="application/json">` block: no `</script>`, no comments. */
function dataJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The learner view's shell: the help page for a learner without a credential (shown by the
 * script when no token came), a live region, the main area the script fills, and the script's
 * data (words of the page's language, the operations with their ids) as an inert JSON block.
 */
export function learnerViewPage(locale: Locale): string {
  const t = LEARNER_TEXTS[locale];
  const data = { locale, texts: t, operations: Object.fromEntries(LEARNER_VIEW_OPERATIONS.map((op) => [op.name, { id: op.id, body: op.body }])) };
  return `<!doctype html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.appName)}</title>
<link rel="stylesheet" href="${LEARNER_ASSETS.style}">
<script type="application/json" id="cg-data">${dataJson(data)}</script>
${LEARNER_ASSETS.scripts.map((name) => `<script src="/learn/assets/${name}" defer></script>`).join('\n')}
</head><body>
<a class="skip" href="#main">${escapeHtml(t.skip)}</a>
<main id="main" tabindex="-1">
<section id="help" hidden aria-labelledby="help-title"><h1 id="help-title">${escapeHtml(t.noTokenTitle)}</h1><p id="help-body">${escapeHtml(t.noTokenBody)}</p></section>
<div id="view"><p>${escapeHtml(t.loading)}</p></div>
<noscript><p>${escapeHtml(t.noTokenBody)}</p></noscript>
</main>
<div id="live" class="visually-hidden" role="status" aria-live="polite"></div>
</body></html>`;
}

/**
 * The page's headers: a strict CSP (script and style only from this origin, no inline code; the
 * SCORM player in a frame of the content origin; page content may show https images and video)
 * and the same `frame-ancestors` as the reference player (`PLAYER_FRAME_ANCESTORS`), so the LMS
 * that embeds the player may embed the learner view.
 */
export function learnerViewHeaders(options: { contentOrigin: string; frameAncestors: string }): Record<string, string> {
  const csp = [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
    "img-src 'self' data: https:", "media-src https:", `frame-src ${options.contentOrigin}`,
    "base-uri 'none'", "form-action 'none'", `frame-ancestors ${options.frameAncestors}`,
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}
