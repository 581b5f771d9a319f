/**
 * The learner view's style sheet, served as `/learn/assets/learner-view.css` (CSP `style-src 'self'`).
 * Focus is always visible; nothing relies on colour alone.
 */
export const LEARNER_VIEW_CSS = `:root { --ink: #1d2430; --muted: #4a5363; --accent: #0b5cad; --ok: #1b6e32; --bad: #a4262c; --line: #c9ced6; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; outline: none; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; }
h3 { font-size: 1.1rem; margin: 1rem 0 .25rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a400; outline-offset: 2px; }
[tabindex="-1"]:focus { outline: none; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.layout { display: grid; grid-template-columns: minmax(14rem, 22rem) 1fr; gap: 2rem; align-items: start; }
@media (max-width: 48rem) { .layout { grid-template-columns: 1fr; } }
.outline ol { list-style: none; padding: 0; margin: 0; }
.outline .activities li { padding: .35rem 0; border-bottom: 1px solid var(--line); }
.outline [aria-current="page"] { font-weight: 700; }
.outline .kind, .outline .status, .module-progress, .due, .meta { color: var(--muted); font-size: .9rem; }
.status-Completed .status, .status-Passed .status { color: var(--ok); }
.status-Failed .status { color: var(--bad); }
.progress { display: flex; align-items: center; gap: .5rem; }
progress { width: 12rem; height: 1rem; }
.courses { padding-left: 1.25rem; }
.courses li { margin-bottom: 1rem; }
.crumbs { margin: .25rem 0; font-size: .95rem; }
.page-content img, video { max-width: 100%; }
iframe.player { width: 100%; height: 70vh; border: 1px solid var(--line); }
.question { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
.question legend { font-weight: 600; padding: 0 .25rem; }
.choice { padding: .2rem 0; }
.choice input { margin-right: .5rem; }
.scale .choices { display: flex; gap: 1rem; flex-wrap: wrap; }
.ordering li { padding: .25rem 0; }
.ordering button { min-width: 2.5rem; }
.match { padding: .25rem 0; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 4px; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
input[type="text"], select { font: inherit; padding: .3rem; }
.timer { font-weight: 600; }
.error, [role="alert"] { color: var(--bad); }
.correctness-CORRECT > p:nth-child(2) { color: var(--ok); }
.correctness-INCORRECT > p:nth-child(2) { color: var(--bad); }
`;
