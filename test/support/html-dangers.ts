import { execFileSync } from 'node:child_process';

/**
 * Runs in a plain Node process (jsdom is an ES module jest cannot load): parses each HTML string
 * like a browser (with scripting on and off) and lists everything that could run script.
 */
const SCRIPT = `
const { JSDOM } = require('jsdom');
const BAD_TAGS = ['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'base', 'meta', 'link', 'svg', 'math', 'template', 'noscript'];
const BAD_ATTRS = ['style', 'srcdoc', 'srcset', 'formaction', 'background', 'xlink:href'];
const SAFE_URL = /^(https?:|mailto:|(?!\\/\\/)[^:]*$)/i;
function dangers(html, runScripts) {
  const doc = new JSDOM('<body>' + html + '</body>', runScripts ? { runScripts: 'outside-only' } : {}).window.document;
  const found = [];
  for (const el of [doc.body, ...doc.body.querySelectorAll('*')]) {
    const tag = el.tagName.toLowerCase();
    if (BAD_TAGS.includes(tag)) found.push('<' + tag + '>');
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name) || BAD_ATTRS.includes(attr.name)) found.push(tag + '@' + attr.name);
      if (['href', 'src', 'action', 'cite'].includes(attr.name) && !SAFE_URL.test(attr.value.trim())) found.push(tag + '@' + attr.name + '=' + attr.value);
      if (tag === 'img' && attr.name === 'src' && /^\\s*http:/i.test(attr.value)) found.push('insecure image');
    }
  }
  return found;
}
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(input.map((html) => [...new Set([...dangers(html, false), ...dangers(html, true)])])));
`;

/** For each HTML string, what a browser would find dangerous in it (empty lists when safe). */
export function htmlDangers(htmls: string[]): string[][] {
  const out = execFileSync(process.execPath, ['-e', SCRIPT], { input: JSON.stringify(htmls), cwd: __dirname, encoding: 'utf8' });
  return JSON.parse(out) as string[][];
}
