import type { Locale } from '../../shared/context';
import { verificationUrlOf } from '../certificate/certificate.rules';
import { pickText } from '../course/localized';
import type { ReportDbRow } from './report.query';

/** One row of the certification report, as every output shows it. */
export interface ReportRow {
  employeeId: string | null;
  name: string;
  email: string | null;
  orgUnitPath: string;
  jobTitle: string | null;
  manager: string | null;
  courseCode: string;
  courseTitle: string;
  revision: number | null;
  cycle: number | null;
  enrollmentStatus: string | null;
  assignedAt: Date | null;
  dueAt: Date | null;
  completedAt: Date | null;
  score: number | null;
  attempts: number | null;
  timeSpentSeconds: number | null;
  certificateNumber: string | null;
  issuedAt: Date | null;
  validUntil: Date | null;
  daysToExpiry: number | null;
  certificateStatus: string | null;
  revocationReason: string | null;
  verificationUrl: string | null;
}

export type ColumnKind = 'text' | 'number' | 'date';

/** A column of the files: its key, header, cell type and spreadsheet width (characters). */
export interface ReportColumn {
  key: keyof ReportRow;
  header: string;
  kind: ColumnKind;
  width: number;
}

/** The DESIGN §9 columns, in file order. */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { key: 'employeeId', header: 'Employee ID', kind: 'text', width: 14 },
  { key: 'name', header: 'Name', kind: 'text', width: 18 },
  { key: 'email', header: 'Email', kind: 'text', width: 28 },
  { key: 'orgUnitPath', header: 'Org unit', kind: 'text', width: 30 },
  { key: 'jobTitle', header: 'Job title', kind: 'text', width: 18 },
  { key: 'manager', header: 'Manager', kind: 'text', width: 18 },
  { key: 'courseCode', header: 'Course code', kind: 'text', width: 14 },
  { key: 'courseTitle', header: 'Course title', kind: 'text', width: 32 },
  { key: 'revision', header: 'Revision', kind: 'number', width: 10 },
  { key: 'cycle', header: 'Cycle', kind: 'number', width: 7 },
  { key: 'enrollmentStatus', header: 'Enrollment status', kind: 'text', width: 16 },
  { key: 'assignedAt', header: 'Assigned', kind: 'date', width: 18 },
  { key: 'dueAt', header: 'Due', kind: 'date', width: 18 },
  { key: 'completedAt', header: 'Completed', kind: 'date', width: 18 },
  { key: 'score', header: 'Score', kind: 'number', width: 8 },
  { key: 'attempts', header: 'Attempts', kind: 'number', width: 10 },
  { key: 'timeSpentSeconds', header: 'Time spent (s)', kind: 'number', width: 13 },
  { key: 'certificateNumber', header: 'Certificate number', kind: 'text', width: 22 },
  { key: 'issuedAt', header: 'Issued', kind: 'date', width: 18 },
  { key: 'validUntil', header: 'Valid until', kind: 'date', width: 18 },
  { key: 'daysToExpiry', header: 'Days to expiry', kind: 'number', width: 13 },
  { key: 'certificateStatus', header: 'Certificate status', kind: 'text', width: 17 },
  { key: 'revocationReason', header: 'Revocation reason', kind: 'text', width: 28 },
  { key: 'verificationUrl', header: 'Verification URL', kind: 'text', width: 48 },
];

/** Builds report rows from database rows, in the reader's language. */
export function rowMapper(publicUrl: string, locale: Locale): (r: ReportDbRow) => ReportRow {
  return (r) => ({
    employeeId: r.employee_id, name: r.name, email: r.email, orgUnitPath: r.org_unit_path, jobTitle: r.job_title,
    manager: r.manager_name, courseCode: r.course_code, courseTitle: pickText(r.course_title, locale),
    revision: r.revision, cycle: r.cycle, enrollmentStatus: r.enrollment_status,
    assignedAt: r.assigned_at, dueAt: r.due_at, completedAt: r.completed_at,
    score: r.score, attempts: r.attempts, timeSpentSeconds: r.time_spent_seconds,
    certificateNumber: r.certificate_number, issuedAt: r.issued_at, validUntil: r.valid_until, daysToExpiry: r.days_to_expiry,
    certificateStatus: r.certificate_status, revocationReason: r.revocation_reason,
    verificationUrl: r.verification_code ? verificationUrlOf(publicUrl, r.verification_code) : null,
  });
}

/** What a spreadsheet reads as the start of a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet would evaluate gets a leading apostrophe, so it shows as typed and never runs. */
export const neutralize = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** A row's cell values in column order, typed for the files: text neutralized, numbers and dates as they are. */
export function cellsOf(row: ReportRow): (string | number | Date | null)[] {
  return REPORT_COLUMNS.map((c) => {
    const v = row[c.key];
    return typeof v === 'string' ? neutralize(v) : v;
  });
}
