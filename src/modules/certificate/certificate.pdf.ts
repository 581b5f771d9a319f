import PDFDocument from 'pdfkit';
import type * as fontkit from 'fontkit';
import QRCode from 'qrcode';
import type { Locale } from '../../shared/context';
import {
  certificateWords,
  courseTitleIn,
  formatCertificateDate,
  validUntilText,
  type CertificateDocument,
  type CertificateWords,
} from './certificate-document';
import { certificateFonts } from './certificate.fonts';

type Pdf = PDFKit.PDFDocument;

/** A4 landscape, in points. */
const PAGE = { width: 841.89, height: 595.28 };
/** Width of the centred text column. */
const COLUMN = 620;
const INK = '#1f2933';
const NAVY = '#1f3a5f';
const GOLD = '#b8963e';
const GREY = '#5f6b7a';
const QR = { size: 112, x: PAGE.width - 96 - 112, y: 400 };

/**
 * The certificate as a one-page PDF: organization, title, holder, course, dates, number, score
 * when there is one, and a QR code (drawn as vector squares) that opens the verify page, with the
 * URL under it. The same input gives the same bytes: the creation date is the issue date.
 */
export function renderCertificatePdf(doc: CertificateDocument, locale: Locale): Promise<Buffer> {
  const words = certificateWords(locale);
  const fonts = certificateFonts();
  const pdf = new PDFDocument({
    // Our font as the default spares pdfkit parsing Helvetica's metrics for every document.
    font: fontSource(fonts.regular),
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    lang: locale,
    displayTitle: true,
    info: { Title: `${words.title} ${doc.number}`, Author: doc.organizationName, Creator: 'Coursegraph', CreationDate: doc.issuedAt },
  });
  const done = collect(pdf);
  pdf.registerFont('regular', fontSource(fonts.regular));
  pdf.registerFont('bold', fontSource(fonts.bold));
  drawFrame(pdf);
  drawHeading(pdf, doc, words, locale);
  drawBody(pdf, doc, words, locale);
  drawDetails(pdf, doc, words, locale);
  drawVerification(pdf, doc.verificationUrl, words);
  pdf.end();
  return done;
}

/**
 * pdfkit takes a parsed fontkit font wherever it takes a font file (PDFFontFactory.open); its
 * types list only paths and bytes.
 */
function fontSource(font: fontkit.Font): string & Buffer {
  return font as unknown as string & Buffer;
}

function collect(pdf: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

function drawFrame(pdf: Pdf): void {
  pdf.lineWidth(3).strokeColor(NAVY).rect(22, 22, PAGE.width - 44, PAGE.height - 44).stroke();
  pdf.lineWidth(0.8).strokeColor(GOLD).rect(32, 32, PAGE.width - 64, PAGE.height - 64).stroke();
}

/**
 * One line of centred text, shrunk (down to `min`) to fit the column, and cut with an ellipsis if
 * even that is too long, so no name or title can push the page over.
 */
function centred(pdf: Pdf, text: string, y: number, font: 'regular' | 'bold', size: number, min = size): void {
  pdf.font(font).fontSize(size);
  const fitted = Math.max(min, Math.min(size, (size * COLUMN) / Math.max(1, pdf.widthOfString(text))));
  pdf.fontSize(fitted).text(text, (PAGE.width - COLUMN) / 2, y, {
    width: COLUMN,
    align: 'center',
    height: fitted * 1.5,
    ellipsis: true,
  });
}

function drawHeading(pdf: Pdf, doc: CertificateDocument, words: CertificateWords, locale: Locale): void {
  pdf.fillColor(NAVY);
  centred(pdf, doc.organizationName, 80, 'bold', 20, 12);
  const spacing = locale === 'zh-CN' ? 14 : 1;
  pdf.font('bold').fontSize(locale === 'zh-CN' ? 42 : 34);
  // Letter spacing adds after the last character too; shift by half of it to stay centred.
  pdf.text(words.title, spacing / 2, 126, { width: PAGE.width, align: 'center', characterSpacing: spacing });
  pdf.lineWidth(1).strokeColor(GOLD).moveTo(PAGE.width / 2 - 90, 194).lineTo(PAGE.width / 2 + 90, 194).stroke();
}

function drawBody(pdf: Pdf, doc: CertificateDocument, words: CertificateWords, locale: Locale): void {
  pdf.fillColor(GREY);
  centred(pdf, words.certifies, 214, 'regular', 14);
  pdf.fillColor(INK);
  centred(pdf, doc.holderName, 238, 'bold', 30, 14);
  pdf.fillColor(GREY);
  centred(pdf, words.completed, 292, 'regular', 14);
  pdf.fillColor(NAVY);
  centred(pdf, courseTitleIn(doc, locale), 316, 'bold', 24, 12);
}

function drawDetails(pdf: Pdf, doc: CertificateDocument, words: CertificateWords, locale: Locale): void {
  const rows: [string, string][] = [
    [words.number, doc.number],
    [words.courseCode, doc.courseCode],
    [words.issuedAt, formatCertificateDate(doc.issuedAt, locale)],
    [words.validUntil, validUntilText(doc, locale)],
  ];
  if (doc.score !== null) rows.push([words.score, `${formatScore(doc.score)} / 100`]);
  const x = 84;
  const labelWidth = locale === 'zh-CN' ? 70 : 120;
  rows.forEach(([label, value], i) => {
    const y = 404 + i * 22;
    pdf.font('regular').fontSize(11).fillColor(GREY).text(label, x, y, { width: labelWidth, lineBreak: false });
    pdf.font('regular').fontSize(11).fillColor(INK).text(value, x + labelWidth, y, { width: 300, height: 16, ellipsis: true });
  });
}

/** Scores are shown as given, to at most one decimal (87.5, not 87.49999). */
function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/** The QR code with its caption and the URL printed under it; both link to the verify page. */
function drawVerification(pdf: Pdf, url: string, words: CertificateWords): void {
  const centreX = QR.x + QR.size / 2;
  pdf.font('regular').fontSize(9).fillColor(GREY);
  pdf.text(words.scanToVerify, centreX - 110, QR.y - 18, { width: 220, align: 'center', lineBreak: false });
  drawQr(pdf, url, QR.x, QR.y, QR.size);
  pdf.link(QR.x, QR.y, QR.size, QR.size, url);
  // One line whatever its length, so the URL reads (and extracts) as one string.
  const maxWidth = 250;
  pdf.fontSize(7);
  const size = Math.min(7, (7 * maxWidth) / Math.max(1, pdf.widthOfString(url)));
  pdf.fontSize(size).fillColor(INK);
  const width = pdf.widthOfString(url);
  const x = Math.min(centreX - width / 2, PAGE.width - 40 - width);
  pdf.text(url, x, QR.y + QR.size + 6, { lineBreak: false, link: url });
}

/**
 * The QR modules as filled rectangles, one per run of dark modules in a row (smaller, and no
 * hairline seams between neighbours when rasterized). The page around it is white, which gives
 * the quiet zone a reader needs.
 */
function drawQr(pdf: Pdf, url: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const cell = size / modules.size;
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      pdf.rect(x + start * cell, y + row * cell, (col - start) * cell, cell);
    }
  }
  pdf.fillColor('#000000').fill();
}
