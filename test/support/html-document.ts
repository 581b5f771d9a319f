import { execFileSync } from 'node:child_process';

/** What a browser's parser makes of a whole HTML page. */
export interface ParsedPage {
  lang: string;
  title: string;
  /** Every element's tag name, in document order. */
  tags: string[];
  /** Attributes whose name starts with "on" (event handlers), as `tag@name`. */
  handlers: string[];
  /** The text of the body, whitespace collapsed. */
  bodyText: string;
  /** `<dt>` text → `<dd>` text. */
  fields: Record<string, string>;
  /** Text of the element with role=status, and its data-status. */
  badge: { text: string; status: string } | null;
}

/** Runs in a plain Node process (jsdom is an ES module jest cannot load). */
const SCRIPT = `
const { JSDOM } = require('jsdom');
const pages = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(pages.map((html) => {
  const doc = new JSDOM(html).window.document;
  const all = [...doc.querySelectorAll('*')];
  const fields = {};
  for (const dt of doc.querySelectorAll('dt')) fields[dt.textContent] = dt.nextElementSibling ? dt.nextElementSibling.textContent : null;
  const badge = doc.querySelector('[role=status]');
  return {
    lang: doc.documentElement.lang,
    title: doc.title,
    tags: all.map((el) => el.tagName.toLowerCase()),
    handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => el.tagName.toLowerCase() + '@' + a.name)),
    bodyText: doc.body.textContent.replace(/\\s+/g, ' ').trim(),
    fields,
    badge: badge ? { text: badge.textContent, status: badge.getAttribute('data-status') } : null,
  };
})));
`;

/** Parses whole HTML pages as a browser would. */
export function parsePages(htmls: string[]): ParsedPage[] {
  const out = execFileSync(process.execPath, ['-e', SCRIPT], { input: JSON.stringify(htmls), cwd: __dirname, encoding: 'utf8' });
  return JSON.parse(out) as ParsedPage[];
}
