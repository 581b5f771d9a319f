import { CertificateStatus } from '../certificate/certificate.entity';
import { certificateStatusSql } from '../certificate/certificate.rules';
import { EnrollmentStatus } from '../enrollment/enrollment.entity';
import { overdueSql } from '../enrollment/enrollment.rules';
import { orgUnitSubtree } from '../user/user.service';
import type { ReportFilter } from './report.filter';

/** Whose rows a caller may read: everyone, or a manager's team (themselves, direct reports, their org unit subtree). */
export type ReportScope = { kind: 'all' } | { kind: 'team'; userId: string; orgUnitPath: string | null };

/** Where a keyset page starts: after this (employee name, row key). */
export type ReportCursor = [name: string, rowKey: string];

/** One report row as the database returns it (before the verification URL and title language are applied). */
export interface ReportDbRow {
  row_key: string;
  employee_id: string | null;
  name: string;
  email: string | null;
  org_unit_path: string;
  job_title: string | null;
  manager_name: string | null;
  course_code: string;
  course_title: { 'zh-CN': string; en?: string };
  revision: number | null;
  cycle: number | null;
  enrollment_status: EnrollmentStatus | null;
  assigned_at: Date | null;
  due_at: Date | null;
  completed_at: Date | null;
  score: number | null;
  attempts: number | null;
  time_spent_seconds: number | null;
  certificate_number: string | null;
  issued_at: Date | null;
  valid_until: Date | null;
  days_to_expiry: number | null;
  certificate_status: CertificateStatus | null;
  revocation_reason: string | null;
  verification_code: string | null;
}

/** Positional parameters collected while the SQL is written. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A user's report rows: one per enrollment cycle (the open one, or every cycle with history) with
 * the certificate it earned, or for the open cycle the learner's latest certificate of the course not
 * yet superseded (a running recertification still shows the certificate being renewed); plus
 * certificates issued by hand to someone never enrolled in the course. Lateral to the user (`u`), so
 * a page walks employees in name order through an index and reads only their rows.
 */
function rowsOfUserSql(org: string, history: boolean): string {
  return `SELECT e.id AS row_key, e.course_id, e.id AS enrollment_id, cur.id AS certificate_id
      FROM enrollment e
      LEFT JOIN LATERAL (
        SELECT c.id FROM certificate c
         WHERE c.organization_id = e.organization_id AND c.user_id = e.user_id AND c.course_id = e.course_id
           AND (c.enrollment_id = e.id OR (e.closed_at IS NULL AND c.status <> '${CertificateStatus.SUPERSEDED}'))
         ORDER BY (c.enrollment_id IS NOT DISTINCT FROM e.id) DESC, c.issued_at DESC, c.id DESC
         LIMIT 1) cur ON true
     WHERE e.organization_id = ${org} AND e.user_id = u.id${history ? '' : ' AND e.closed_at IS NULL'}
    UNION ALL
    SELECT c.id, c.course_id, NULL, c.id
      FROM certificate c
     WHERE c.organization_id = ${org} AND c.user_id = u.id AND c.enrollment_id IS NULL${history ? '' : ` AND c.status <> '${CertificateStatus.SUPERSEDED}'`}
       AND NOT EXISTS (SELECT 1 FROM enrollment x WHERE x.organization_id = c.organization_id AND x.user_id = c.user_id AND x.course_id = c.course_id)`;
}

const SELECT = `r.row_key, u.employee_id, u.name, u.email, u.org_unit_path, u.job_title, m.name AS manager_name,
    co.code AS course_code, co.title AS course_title, rev.number AS revision, e.cycle,
    CASE WHEN e.id IS NULL THEN NULL WHEN ${overdueSql('e')} THEN '${EnrollmentStatus.OVERDUE}' ELSE e.status END AS enrollment_status,
    e.assigned_at, e.due_at, e.completed_at,
    COALESCE(c.score, round((p.score * 100)::numeric, 2)::float8) AS score, p.attempts, round(p.seconds::numeric, 2)::float8 AS time_spent_seconds,
    c.number AS certificate_number, c.issued_at, c.valid_until,
    floor(extract(epoch FROM c.valid_until - now()) / 86400)::int AS days_to_expiry,
    CASE WHEN c.id IS NULL THEN NULL ELSE ${certificateStatusSql('c')} END AS certificate_status,
    c.revocation_reason, c.verification_code`;

function fromSql(org: string, history: boolean): string {
  return `FROM app_user u
    CROSS JOIN LATERAL (${rowsOfUserSql(org, history)}) r
    LEFT JOIN app_user m ON m.organization_id = ${org} AND m.id = u.manager_id
    JOIN course co ON co.organization_id = ${org} AND co.id = r.course_id
    LEFT JOIN enrollment e ON e.organization_id = ${org} AND e.id = r.enrollment_id
    LEFT JOIN certificate c ON c.organization_id = ${org} AND c.id = r.certificate_id
    LEFT JOIN course_revision rev ON rev.organization_id = ${org} AND rev.id = COALESCE(c.revision_id, e.revision_id, co.published_revision_id)
    LEFT JOIN LATERAL (
      SELECT avg(ap.score_scaled) AS score, sum(ap.attempt_count)::int AS attempts, sum(ap.time_spent_seconds) AS seconds
        FROM activity_progress ap WHERE ap.organization_id = ${org} AND ap.enrollment_id = e.id) p ON e.id IS NOT NULL`;
}

function conditions(p: Params, org: string, filter: ReportFilter, scope: ReportScope): string[] {
  const where: string[] = [`u.organization_id = ${org}`];
  if (scope.kind === 'team') {
    const me = p.add(scope.userId);
    const unit = scope.orgUnitPath ? ` OR ${orgUnitSubtree('u.org_unit_path', 'unit').replaceAll(':unit', p.add(scope.orgUnitPath))}` : '';
    where.push(`(u.id = ${me} OR u.manager_id = ${me}${unit})`);
  }
  if (filter.status) where.push(`c.id IS NOT NULL AND ${certificateStatusSql('c')} = ${p.add(filter.status)}`);
  if (filter.courseId) where.push(`r.course_id = ${p.add(filter.courseId)}`);
  if (filter.orgUnitPath) where.push(orgUnitSubtree('u.org_unit_path', 'unit').replaceAll(':unit', p.add(filter.orgUnitPath)));
  if (filter.issuedFrom) where.push(`c.issued_at >= ${p.add(filter.issuedFrom)}`);
  if (filter.issuedTo) where.push(`c.issued_at < ${p.add(filter.issuedTo)}`);
  if (filter.expiringWithinDays !== undefined) {
    // The same window as certificateService's expiringWithinDays filter.
    where.push(`c.status = '${CertificateStatus.ACTIVE}' AND c.valid_until > now() AND c.valid_until <= now() + make_interval(days => ${p.add(filter.expiringWithinDays)})`);
  }
  if (filter.overdue !== undefined) where.push(filter.overdue ? `e.id IS NOT NULL AND ${overdueSql('e')}` : `NOT (e.id IS NOT NULL AND ${overdueSql('e')})`);
  return where;
}

/**
 * The one statement behind the GraphQL connection, the downloads and the CLI: rows in employee-name
 * order (then row key), optionally after a keyset cursor and limited to a page.
 */
export function reportSql(orgId: string, filter: ReportFilter, scope: ReportScope, page: { after?: ReportCursor; limit?: number } = {}): { sql: string; params: unknown[] } {
  const p = new Params();
  const org = p.add(orgId);
  const where = conditions(p, org, filter, scope);
  if (page.after) where.push(`(u.name, r.row_key) > (${p.add(page.after[0])}, ${p.add(page.after[1])}::uuid)`);
  const limit = page.limit ? ` LIMIT ${p.add(page.limit)}` : '';
  const sql = `SELECT ${SELECT} ${fromSql(org, filter.includeHistory)} WHERE ${where.join(' AND ')} ORDER BY u.name, r.row_key${limit}`;
  return { sql, params: p.values };
}

/** The number of rows the same filter selects (for `totalCount` and the CLI's progress bar). */
export function reportCountSql(orgId: string, filter: ReportFilter, scope: ReportScope): { sql: string; params: unknown[] } {
  const p = new Params();
  const org = p.add(orgId);
  const where = conditions(p, org, filter, scope);
  return { sql: `SELECT count(*)::int AS n ${fromSql(org, filter.includeHistory)} WHERE ${where.join(' AND ')}`, params: p.values };
}
