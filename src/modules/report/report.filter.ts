import { Field, ID, InputType, Int } from 'type-graphql';
import { badInput } from '../../shared/errors';
import { idOf } from '../../shared/ids';
import { CertificateStatus } from '../certificate/certificate.entity';
import { COURSE_TYPE } from '../course/course.resolver';
import { normalizeOrgUnitPath } from '../user/user.service';
import { msg } from '../../shared/i18n/message';

export const MAX_EXPIRING_DAYS = 3650;
const MAX_ORG_UNIT = 500;

@InputType({ description: 'Filters of the certification report; the downloads take the same names as query parameters.' })
export class CertificationReportFilter {
  @Field(() => CertificateStatus, { nullable: true, description: 'Rows whose certificate has this status now (EXPIRED is derived).' })
  status?: CertificateStatus | null;

  @Field(() => ID, { nullable: true })
  courseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Employees in this org unit or below it, e.g. 杭州/萧山分公司.' })
  orgUnitPath?: string | null;

  @Field(() => Date, { nullable: true, description: 'Certificates issued at or after this moment.' })
  issuedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Certificates issued before this moment.' })
  issuedTo?: Date | null;

  @Field(() => Int, { nullable: true, description: `Valid now and ending within this many days (0–${MAX_EXPIRING_DAYS}).` })
  expiringWithinDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only overdue enrollments; false: none of them.' })
  overdue?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Also past enrollment cycles and superseded certificates (default: current ones only).' })
  includeHistory?: boolean | null;
}

/** A checked filter, with raw ids: what the query reads. */
export interface ReportFilter {
  status?: CertificateStatus;
  courseId?: string;
  orgUnitPath?: string;
  issuedFrom?: Date;
  issuedTo?: Date;
  expiringWithinDays?: number;
  overdue?: boolean;
  includeHistory: boolean;
}

/** Checks a filter; throws BAD_USER_INPUT naming the field at fault. */
export function checkFilter(input: CertificationReportFilter | null | undefined): ReportFilter {
  const f = input ?? {};
  const out: ReportFilter = { includeHistory: f.includeHistory ?? false };
  if (f.status) out.status = f.status;
  if (f.courseId) out.courseId = idOf(COURSE_TYPE, f.courseId);
  if (f.orgUnitPath !== undefined && f.orgUnitPath !== null) {
    if (f.orgUnitPath.length > MAX_ORG_UNIT) throw badInput(msg('orgUnitPath must be at most {max} characters', { max: MAX_ORG_UNIT }));
    out.orgUnitPath = normalizeOrgUnitPath(f.orgUnitPath);
  }
  for (const key of ['issuedFrom', 'issuedTo'] as const) {
    const d = f[key];
    if (d === undefined || d === null) continue;
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw badInput(msg('{key} must be a date-time', { key }));
    out[key] = d;
  }
  if (out.issuedFrom && out.issuedTo && out.issuedFrom.getTime() > out.issuedTo.getTime()) throw badInput('issuedFrom must not be after issuedTo');
  if (f.expiringWithinDays !== undefined && f.expiringWithinDays !== null) {
    const days = f.expiringWithinDays;
    if (!Number.isInteger(days) || days < 0 || days > MAX_EXPIRING_DAYS) throw badInput(msg('expiringWithinDays must be from 0 to {max}', { max: MAX_EXPIRING_DAYS }));
    out.expiringWithinDays = days;
  }
  if (f.overdue !== undefined && f.overdue !== null) out.overdue = f.overdue;
  return out;
}

type Raw = Record<string, unknown>;
const QUERY_KEYS = ['status', 'courseId', 'orgUnitPath', 'issuedFrom', 'issuedTo', 'expiringWithinDays', 'overdue', 'includeHistory'] as const;

function one(query: Raw, key: string): string | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badInput(msg('{key} must be given once', { key }));
  return v;
}

function parseBool(key: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badInput(msg('{key} must be true or false', { key }));
}

function parseDate(key: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) throw badInput(msg('{key} must be an ISO 8601 date or date-time', { key }));
  return d;
}

/** The same filter from a download's query string: unknown parameters and malformed values are refused. */
export function filterFromQuery(query: Raw): ReportFilter {
  const unknown = Object.keys(query).filter((k) => !(QUERY_KEYS as readonly string[]).includes(k));
  if (unknown.length) throw badInput(msg('unknown filter {unknown}; known: {known}', { unknown: unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', '), known: QUERY_KEYS.join(', ') }));
  const status = one(query, 'status');
  if (status !== undefined && !(Object.values(CertificateStatus) as string[]).includes(status)) {
    throw badInput(msg('status must be one of {statuses}', { statuses: Object.values(CertificateStatus).join(', ') }));
  }
  const days = one(query, 'expiringWithinDays');
  if (days !== undefined && !/^\d{1,5}$/.test(days)) throw badInput('expiringWithinDays must be a whole number of days');
  return checkFilter({
    status: status as CertificateStatus | undefined,
    courseId: one(query, 'courseId'),
    orgUnitPath: one(query, 'orgUnitPath'),
    issuedFrom: parseDate('issuedFrom', one(query, 'issuedFrom')),
    issuedTo: parseDate('issuedTo', one(query, 'issuedTo')),
    expiringWithinDays: days === undefined ? undefined : Number(days),
    overdue: parseBool('overdue', one(query, 'overdue')),
    includeHistory: parseBool('includeHistory', one(query, 'includeHistory')),
  });
}

/** The filter as the audit log keeps it (ids raw, dates ISO). */
export const filterForAudit = (f: ReportFilter): Record<string, unknown> =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));

/** A filter kept by filterForAudit (a background export's), back as the query reads it. */
export function filterFromStored(stored: Record<string, unknown>): ReportFilter {
  const out = { ...stored, includeHistory: stored.includeHistory === true } as ReportFilter & Record<string, unknown>;
  for (const key of ['issuedFrom', 'issuedTo'] as const) if (typeof stored[key] === 'string') out[key] = new Date(stored[key]);
  return out;
}
