/**
 * The certificate PDF read back as a reader would: poppler extracts its text (the Chinese comes
 * out), renders the page (the text is actually drawn: pdfkit given a WOFF2 font embeds text that
 * extracts but never paints) and the QR code in the rendered image decodes to the verify URL.
 */
import PDFDocument from 'pdfkit';
import jsQR from 'jsqr';
import type { PNG } from 'pngjs';
import { renderCertificatePdf } from '../../../src/modules/certificate/certificate.pdf';
import type { CertificateDocument } from '../../../src/modules/certificate/certificate-document';
import { describeWithPoppler, inkIn, pdfPage, pdfPageCount, pdfText, pdfWords, type PdfWord } from '../../support/poppler';
import { DOC, HOSTILE } from './fixtures';

/** Enough resolution for a reader to decode the QR code off the whole page. */
const DPI = 100;

/** The box around the words that make up `text` (which pdftotext may split at spaces). */
function boxOf(words: PdfWord[], text: string): PdfWord {
  const hits = words.filter((w) => text.includes(w.text));
  if (!hits.length) throw new Error(`"${text}" is not on the page`);
  return {
    text,
    xMin: Math.min(...hits.map((w) => w.xMin)),
    yMin: Math.min(...hits.map((w) => w.yMin)),
    xMax: Math.max(...hits.map((w) => w.xMax)),
    yMax: Math.max(...hits.map((w) => w.yMax)),
  };
}

/** A PDF whose text is extracted but not visibly drawn, as with the WOFF2 trap (white on white). */
function invisibleTextPdf(text: string): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', layout: 'landscape' });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  pdf.fontSize(30).fillColor('#ffffff').text(text, 100, 100);
  pdf.end();
  return done;
}

/** Each PDF rasterized once, however many tests look at it. */
const pages = new Map<Buffer, PNG>();
function pageOf(pdf: Buffer): PNG {
  if (!pages.has(pdf)) pages.set(pdf, pdfPage(pdf, DPI));
  return pages.get(pdf)!;
}

function qrIn(pdf: Buffer): string | undefined {
  const page = pageOf(pdf);
  return jsQR(new Uint8ClampedArray(page.data), page.width, page.height, { inversionAttempts: 'dontInvert' })?.data;
}

describeWithPoppler('certificate PDF', () => {
  let zh: Buffer;
  let en: Buffer;

  beforeAll(async () => {
    [zh, en] = await Promise.all([renderCertificatePdf(DOC, 'zh-CN'), renderCertificatePdf(DOC, 'en')]);
  });

  test('zh-CN: one small page whose text extracts, Chinese included, dates in China time', () => {
    const text = pdfText(zh);
    for (const expected of ['中国电信杭州分公司', '结业证书', '张伟', '客户服务礼仪与沟通技巧', 'HZTEL-2026-000123', 'CS-101', '2026年12月2日', '2027年12月2日', '92.5 / 100', DOC.verificationUrl]) {
      expect(text).toContain(expected);
    }
    expect(pdfPageCount(zh)).toBe(1);
    expect(zh.length).toBeLessThan(100 * 1024);
  });

  test('en: English labels, title and dates; the Chinese names still render', () => {
    const text = pdfText(en);
    for (const expected of ['Certificate of Completion', 'Customer Service Etiquette', '张伟', '中国电信杭州分公司', 'Issued', '2 December 2026', 'Valid until', '2 December 2027', 'Score', DOC.verificationUrl]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('客户服务礼仪');
    expect(en.length).toBeLessThan(100 * 1024);
  });

  test('the text is drawn where pdftotext finds it, and a blank box measures blank', async () => {
    const page = pageOf(zh);
    const words = pdfWords(zh);
    for (const text of ['中国电信杭州分公司', '结业证书', '张伟', '客户服务礼仪与沟通技巧', 'HZTEL-2026-000123']) {
      expect({ text, inked: inkIn(page, DPI, boxOf(words, text)) > 0.05 }).toEqual({ text, inked: true });
    }
    const holder = boxOf(words, '张伟');
    expect(inkIn(page, DPI, { ...holder, yMin: holder.yMin + 300, yMax: holder.yMax + 250 })).toBe(0);
    // The measure catches text that extracts but is not painted (what a WOFF2 font gives).
    const ghost = await invisibleTextPdf('Ghost text');
    expect(pdfText(ghost)).toContain('Ghost text');
    expect(inkIn(pageOf(ghost), DPI, boxOf(pdfWords(ghost), 'Ghost text'))).toBe(0);
  });

  test.each([['zh-CN', () => zh], ['en', () => en]])('%s: the QR code in the rendered page opens the verify URL', (_locale, pdf) => {
    expect(qrIn(pdf())).toBe(DOC.verificationUrl);
  });

  test('the same certificate gives the same bytes', async () => {
    expect((await renderCertificatePdf(DOC, 'zh-CN')).equals(zh)).toBe(true);
    expect(zh.equals(en)).toBe(false);
  });

  test('no score, no expiry, no English title: no score line, "no expiry", the Chinese title', async () => {
    const doc: CertificateDocument = { ...DOC, score: null, validUntil: null, courseTitle: { 'zh-CN': '商品陈列规范' } };
    const [zhText, enText] = [pdfText(await renderCertificatePdf(doc, 'zh-CN')), pdfText(await renderCertificatePdf(doc, 'en'))];
    expect(zhText).toContain('长期有效');
    expect(zhText).not.toContain('成绩');
    expect(enText).toContain('No expiry');
    expect(enText).toContain('商品陈列规范');
    expect(enText).not.toContain('Score');
  });

  test('markup and very long names stay text and stay on one page', async () => {
    const long = '超长的课程名称'.repeat(60);
    const doc: CertificateDocument = { ...DOC, ...HOSTILE, courseTitle: { 'zh-CN': long }, organizationName: `${HOSTILE.organizationName} ${'分公司'.repeat(50)}` };
    const pdf = await renderCertificatePdf(doc, 'zh-CN');
    const text = pdfText(pdf);
    expect(pdfPageCount(pdf)).toBe(1);
    expect(text).toContain(HOSTILE.holderName);
    expect(text).toContain(HOSTILE.number);
    expect(text).toContain('超长的课程名称');
  });
});
