import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Auth, TestApp } from './app';

/** A download of the certification report over HTTP. */
export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function download(t: TestApp, format: string, query: Record<string, string>, auth: Auth): Promise<Download> {
  const headers: Record<string, string> = { ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers.authorization = `Bearer ${auth.apiKey}`;
  const res = await fetch(`${t.url}/reports/certifications.${format}?${new URLSearchParams(query).toString()}`, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** Parses a CSV download as a spreadsheet user's reader would: BOM dropped, RFC 4180 quoting. */
export function readCsv(body: Buffer): { header: string[]; rows: Record<string, string>[] } {
  const records = parse(body, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...rest] = records;
  return { header, rows: rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** Reads an XLSX download with exceljs's reader: the sheet, its header and typed cell values by header. */
export async function readXlsx(body: Buffer): Promise<{ sheet: ExcelJS.Worksheet; header: string[]; rows: Record<string, unknown>[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value ?? null])));
  });
  return { sheet, header, rows };
}

/** The filename a browser saves: RFC 5987 `filename*` when present. */
export function savedFilename(disposition: string | null): string | null {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  return star ? decodeURIComponent(star[1]) : null;
}

export const REPORT_FIELDS = `employeeId name email orgUnitPath jobTitle manager courseCode courseTitle revision cycle enrollmentStatus
  assignedAt dueAt completedAt score attempts timeSpentSeconds certificateNumber issuedAt validUntil daysToExpiry certificateStatus
  revocationReason verificationUrl`;
