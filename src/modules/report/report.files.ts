import { PassThrough, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { REPORT_COLUMNS, cellsOf, type ReportRow } from './report.columns';
import type { ExportFormat } from './report.service';

/** Called with the number of rows read so far. */
export type OnRow = (rows: number) => void;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** RFC 4180 with CRLF; papaparse quotes a field when it holds the delimiter, a quote or a line break. */
const CSV_OPTIONS: Papa.UnparseConfig = { newline: '\r\n', header: false };

/** A row's cells as CSV text takes them: dates as ISO 8601 instants (UTC), none as an empty field. */
const csvCells = (row: ReportRow): (string | number | null)[] => cellsOf(row).map((v) => (v instanceof Date ? v.toISOString() : v));

/** CSV text of `rows`, each record ended by CRLF. */
const csvText = (rows: (string | number | null)[][]): string => `${Papa.unparse(rows, CSV_OPTIONS)}\r\n`;

/**
 * Rows per CSV chunk: text of at most some 60 KB (Chinese text is two bytes a character in V8), under
 * the size V8 puts in its large-object space, which only a full collection frees. Each chunk is
 * encoded to a Buffer at once, so what waits for the socket is outside the JavaScript heap.
 */
const CSV_CHUNK = 100;

/** Batches of rows, as the report's cursor fetches them. */
export type RowBatches = AsyncIterable<ReportRow[]>;

/**
 * Writes `chunk`, waiting while `dest` is full; throws once `dest` has failed or closed (the
 * reader went away), so the caller stops reading rows.
 */
async function send(dest: Writable, chunk: string | Buffer, failed: () => unknown): Promise<void> {
  if (failed() || dest.destroyed) throw failed() ?? new Error('the reader went away before the end');
  if (!dest.write(chunk)) await drained(dest);
  if (failed() || dest.destroyed) throw failed() ?? new Error('the reader went away before the end');
}

/**
 * RFC 4180 CSV, UTF-8 with a BOM (so Excel reads Chinese): CRLF between records, fields quoted when
 * they hold a comma, quote or line break; dates as ISO 8601 instants (UTC), empty for none. Rows are
 * turned into text CSV_CHUNK at a time (papaparse's `unparse`): no stream machinery per row. The BOM
 * and header go out before the first row is fetched.
 *
 * papaparse rather than csv-stringify: measured on the report's rows (`npm run bench -- export`),
 * csv-stringify's synchronous API allocated some 12 KB of short-lived objects per row (a cast
 * context and tuples per field), about five times papaparse's, and the server's heap grew by
 * 96 MB on 100,000 rows and 176 MB on 1,000,000 during the export, against 50 and 70–89 MB now.
 */
export async function writeCsv(batches: RowBatches, dest: Writable, onRow?: OnRow): Promise<number> {
  let failure: unknown = null;
  dest.on('error', (err) => void (failure ??= err));
  const failed = (): unknown => failure;
  await send(dest, `\ufeff${csvText([REPORT_COLUMNS.map((c) => c.header)])}`, failed);
  let n = 0;
  for await (const batch of batches) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < batch.length; i += CSV_CHUNK) chunks.push(Buffer.from(csvText(batch.slice(i, i + CSV_CHUNK).map(csvCells))));
    for (const chunk of chunks) await send(dest, chunk, failed);
    onRow?.((n += batch.length));
  }
  dest.end();
  await finished(dest);
  return n;
}

/** Resolves when `dest` can take more, or has closed (the caller then sees it destroyed). */
function drained(dest: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      dest.off('drain', done);
      dest.off('close', done);
      resolve();
    };
    dest.on('drain', done);
    dest.on('close', done);
  });
}

/** The header row stays frozen; dates are date cells, numbers number cells, every column has a width. */
function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter): ExcelJS.Worksheet {
  const ws = wb.addWorksheet('Certifications', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = REPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: c.kind === 'date' ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

/**
 * XLSX through exceljs's streaming writer: each row is committed (written out) as it arrives, and no
 * row is read while `dest` is full, so a slow reader holds the cursor instead of filling memory.
 */
export async function writeXlsx(batches: RowBatches, dest: Writable, onRow?: OnRow): Promise<number> {
  const zip = new PassThrough();
  let failure: unknown = null;
  const sent = pipeline(zip, dest).catch((err: unknown) => {
    failure = err;
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: zip, useStyles: true, useSharedStrings: false });
  const ws = addSheet(wb);
  let n = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      if (failure || dest.destroyed) break;
      ws.addRow(cellsOf(row)).commit();
      onRow?.(++n);
      if (dest.writableNeedDrain) await drained(dest);
    }
  }
  if (!failure && !dest.destroyed) {
    ws.commit();
    await wb.commit();
  } else zip.destroy();
  await sent;
  if (failure || !dest.writableFinished) throw failure ?? new Error('the reader went away before the end');
  return n;
}

/** Writes the rows in `format` to `dest`; rejects when `dest` closes early (the rows read so far are counted in `onRow`). */
export const writeReport = (format: ExportFormat, batches: RowBatches, dest: Writable, onRow?: OnRow): Promise<number> =>
  format === 'csv' ? writeCsv(batches, dest, onRow) : writeXlsx(batches, dest, onRow);
