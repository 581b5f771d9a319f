import { execFileSync, spawnSync } from 'node:child_process';
import { PNG } from 'pngjs';

/**
 * Poppler's command-line tools (Debian's poppler-utils) read PDFs back as a viewer would.
 * `.ci/run` installs them; without them PDF tests are skipped on a developer machine and fail
 * loudly in CI.
 */
const available = ['pdftotext', 'pdftoppm'].every((tool) => spawnSync(tool, ['-v']).error === undefined);
if (!available && process.env.CI) throw new Error('pdftotext and pdftoppm (poppler-utils) are required in CI; .ci/run installs them');
export const describeWithPoppler = available ? describe : describe.skip;

/** The text of a PDF as pdftotext extracts it, in reading order (`\f` between pages). */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
}

/** A word pdftotext found and where (points from the top left). */
export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** The words of a PDF's first page with their boxes. */
export function pdfWords(pdf: Buffer): PdfWord[] {
  const xml = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', '-l', '1', '-', '-'], { input: pdf, encoding: 'utf8' });
  const words: PdfWord[] = [];
  const pattern = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of xml.matchAll(pattern)) {
    const unescaped = m[5].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    words.push({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: unescaped });
  }
  return words;
}

/** The first page rendered by pdftoppm at `dpi`, as RGBA pixels. */
export function pdfPage(pdf: Buffer, dpi: number): PNG {
  return PNG.sync.read(execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-singlefile', '-'], { input: pdf, maxBuffer: 64 << 20 }));
}

/** How many pages pdftotext sees. */
export function pdfPageCount(pdf: Buffer): number {
  return pdfText(pdf).split('\f').length - 1;
}

/** The share of pixels in a box (in points) darker than mid-grey: ink actually drawn there. */
export function inkIn(page: PNG, dpi: number, box: Omit<PdfWord, 'text'>): number {
  const px = (pt: number): number => Math.round((pt * dpi) / 72);
  let dark = 0;
  let total = 0;
  for (let y = px(box.yMin); y < Math.min(page.height, px(box.yMax)); y++) {
    for (let x = px(box.xMin); x < Math.min(page.width, px(box.xMax)); x++) {
      const i = (y * page.width + x) * 4;
      total++;
      if (page.data[i] + page.data[i + 1] + page.data[i + 2] < 3 * 128) dark++;
    }
  }
  return total ? dark / total : 0;
}
