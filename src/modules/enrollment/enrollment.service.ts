import { In, type SelectQueryBuilder } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { afterCursorSql, keysetPage, paginate, type CursorColumn, type PageArgs } from '../../shared/pagination';
import { leanReader } from '../../db/lean';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Course, CourseStatus } from '../course/course.entity';
import { courseService } from '../course/course.service';
import { viewerEnrollmentByCourse } from '../catalog/catalog.loader';
import { endSessions } from '../scorm/scorm-session.service';
import { AppUser, UserStatus } from '../user/user.entity';
import { normalizeOrgUnitPath, orgUnitSubtree, userService } from '../user/user.service';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from './enrollment.entity';
import { enroll, enrollmentView, type EnrollTarget } from './enrollment.write';
import { assignmentRuleService, ruleDueAt } from './assignment-rule.service';
import { isUnfinished, overdueSql } from './enrollment.rules';
import { msg } from '../../shared/i18n/message';

export const MAX_ASSIGN_USERS = 1000;
export const MAX_ORG_UNIT_PATH = 500;
/** Longest relative due period a rule may give (ten years). */
export const MAX_DUE_IN_DAYS = 3650;

/** What an administrator assigns: users by id and/or a match, with a due policy. */
export interface AssignInput {
  userIds: string[];
  orgUnitPath?: string | null;
  jobTitle?: string | null;
  dueAt?: Date | null;
  dueInDays?: number | null;
  moveDueDates?: boolean | null;
}

/** A due date in the past, or two due policies at once, are refused. */
function checkDuePolicy(check: InputCheck, input: AssignInput): void {
  if (input.dueAt && input.dueInDays != null) check.add(UserErrorCode.INVALID, 'give dueAt or dueInDays, not both', ['input', 'dueInDays']);
  if (input.dueAt && input.dueAt.getTime() <= Date.now()) check.add(UserErrorCode.INVALID, 'dueAt is in the past', ['input', 'dueAt']);
  if (input.dueInDays != null && (input.dueInDays < 1 || input.dueInDays > MAX_DUE_IN_DAYS)) {
    check.add(UserErrorCode.INVALID, msg('dueInDays must be between 1 and {max}', { max: MAX_DUE_IN_DAYS }), ['input', 'dueInDays']);
  }
}

/** What HR and managers filter enrollment lists by. */
export interface EnrollmentListFilter {
  courseId?: string;
  userId?: string;
  status?: EnrollmentStatus;
  includePastCycles?: boolean;
  orgUnitPath?: string;
  dueAfter?: Date;
  dueBefore?: Date;
}

/** Adds the org unit subtree (on the learner alias `u`, joined) and the due range; bad input is BAD_USER_INPUT. */
function filterScope(qb: SelectQueryBuilder<Enrollment>, filter: EnrollmentListFilter): void {
  if (filter.orgUnitPath !== undefined) {
    if (filter.orgUnitPath.length > MAX_ORG_UNIT_PATH) throw badInput(msg('orgUnitPath is longer than {max} characters', { max: MAX_ORG_UNIT_PATH }));
    // A path of only slashes and spaces names no unit: no filter, as for courseStatistics.
    const unit = normalizeOrgUnitPath(filter.orgUnitPath);
    if (unit) qb.andWhere(orgUnitSubtree('u.org_unit_path', 'unit'), { unit });
  }
  if (filter.dueAfter && filter.dueBefore && filter.dueAfter.getTime() > filter.dueBefore.getTime()) throw badInput('dueAfter is later than dueBefore');
  if (filter.dueAfter) qb.andWhere('e.due_at >= :dueAfter', { dueAfter: filter.dueAfter });
  if (filter.dueBefore) qb.andWhere('e.due_at < :dueBefore', { dueBefore: filter.dueBefore });
}
/** A status filter on alias `e`, OVERDUE derived as enrollment.rules derives it; `bind` gives the status's placeholder. */
function statusSql(status: EnrollmentStatus, bind: () => string): string {
  if (status === EnrollmentStatus.OVERDUE) return overdueSql('e');
  return isUnfinished(status) ? `e.status = ${bind()} AND NOT ${overdueSql('e')}` : `e.status = ${bind()}`;
}

/** Adds a status filter (alias `e`). */
function filterStatus(qb: SelectQueryBuilder<Enrollment>, status: EnrollmentStatus | undefined): void {
  if (status) qb.andWhere(statusSql(status, () => ':status'), { status });
}

/** Due soonest first (no due date last), then by id. */
const ENROLLMENT_ORDER: CursorColumn<Enrollment>[] = [
  { sql: `COALESCE(date_trunc('milliseconds', e.due_at), 'infinity'::timestamptz)`, key: (e) => e.dueAt?.toISOString() ?? 'infinity', kind: 'timestamp' },
  { sql: 'e.id', key: (e) => e.id, kind: 'uuid' },
];

function pageOf(ctx: RequestContext, qb: SelectQueryBuilder<Enrollment>, page: PageArgs) {
  return paginate(qb, page, ctx.deps.config.limits.pageSize, ENROLLMENT_ORDER);
}

/**
 * The caller's open enrollments, a page in `ENROLLMENT_ORDER`: what every learner dashboard asks
 * first, so read with one prepared statement and the lean reader rather than a query builder and
 * TypeORM's hydration.
 */
function viewerPage(ctx: RequestContext, userId: string, status: EnrollmentStatus | undefined, page: PageArgs) {
  const reader = leanReader(ctx.deps.dataSource, Enrollment, 'e');
  const params: unknown[] = [ctx.orgId, userId];
  const where = `e.organization_id = $1 AND e.user_id = $2 AND e.closed_at IS NULL${status ? ` AND ${statusSql(status, () => `$${params.push(status)}`)}` : ''}`;
  return keysetPage(page, ctx.deps.config.limits.pageSize, ENROLLMENT_ORDER, async (limit, after) => {
    const values = [...params];
    const cursor = after ? ` AND ${afterCursorSql(ENROLLMENT_ORDER, after, 'ASC', (v) => `$${values.push(v)}`)}` : '';
    const rows = await ctx.transaction.preparedArrays(
      `SELECT ${reader.tenantColumns} FROM enrollment e WHERE ${where}${cursor} ORDER BY ${ENROLLMENT_ORDER.map((c) => c.sql).join(', ')} LIMIT $${values.push(limit)}`,
      values,
    );
    return reader.fromArrays(rows, ctx.orgId);
  }, async () => {
    const [{ count }] = (await ctx.transaction.prepared(`SELECT count(*)::int AS count FROM enrollment e WHERE ${where}`, params)) as [{ count: number }];
    return count;
  });
}

export const enrollmentService = {
  /** The caller's own enrollments (their open cycles). */
  async listForViewer(ctx: RequestContext, status: EnrollmentStatus | undefined, page: PageArgs) {
    ctx.assert(Permission.LEARN);
    if (!ctx.user) throw forbidden('Only users have enrollments');
    const result = await viewerPage(ctx, ctx.user.id, status, page);
    for (const e of result.nodes) viewerEnrollmentByCourse(ctx).prime(e.courseId, e);
    return result;
  },

  /** Enrollments of the organization (HR, admins) or of the caller's team (managers); open cycles unless asked for history. */
  async list(ctx: RequestContext, filter: EnrollmentListFilter, page: PageArgs) {
    const seesAll = ctx.can(Permission.ENROLLMENTS_MANAGE) || ctx.can(Permission.PROGRESS_READ_ALL);
    if (!seesAll) ctx.assert(Permission.PROGRESS_READ_TEAM);
    const qb = ctx.manager.createQueryBuilder(Enrollment, 'e').where('e.organization_id = :org', { org: ctx.orgId });
    if (!seesAll || filter.orgUnitPath !== undefined) qb.innerJoin(AppUser, 'u', 'u.organization_id = e.organization_id AND u.id = e.user_id');
    if (!seesAll) userService.scopeToTeam(ctx, qb);
    filterScope(qb, filter);
    if (filter.courseId) qb.andWhere('e.course_id = :courseId', { courseId: filter.courseId });
    if (filter.userId) qb.andWhere('e.user_id = :userId', { userId: filter.userId });
    if (!filter.includePastCycles) qb.andWhere('e.closed_at IS NULL');
    filterStatus(qb, filter.status);
    return pageOf(ctx, qb, page);
  },

  /** One enrollment: the learner's own, or any for those who manage or read progress. */
  async findOne(ctx: RequestContext, id: string): Promise<Enrollment> {
    ctx.assert();
    const e = await getEntityOrThrow(ctx, Enrollment, id, 'Enrollment');
    if (e.userId === ctx.user?.id || ctx.can(Permission.ENROLLMENTS_MANAGE) || ctx.can(Permission.PROGRESS_READ_ALL)) return e;
    if (ctx.can(Permission.PROGRESS_READ_TEAM) && (await userService.visibleIds(ctx, [e.userId])).has(e.userId)) return e;
    throw notFound('Enrollment');
  },

  /**
   * Assigns a published course to users and/or everyone matching an org unit subtree and job
   * title; a match becomes a standing rule (assignment-rule.service). All or nothing. Existing
   * enrollments keep their due date unless `moveDueDates` (never completed ones).
   */
  async assign(ctx: RequestContext, courseId: string, input: AssignInput) {
    ctx.assert(Permission.ENROLLMENTS_MANAGE);
    const course = await getEntityOrThrow(ctx, Course, courseId, 'Course');
    const check = new InputCheck();
    if (course.status !== CourseStatus.PUBLISHED) check.add(UserErrorCode.NOT_PUBLISHED, 'only published courses can be assigned', ['input', 'courseId']);
    check.count(input.userIds, ['input', 'userIds'], MAX_ASSIGN_USERS);
    const rawUnit = check.text(input.orgUnitPath, ['input', 'orgUnitPath'], MAX_ORG_UNIT_PATH);
    const unit = rawUnit ? normalizeOrgUnitPath(rawUnit) || null : null;
    const jobTitle = check.text(input.jobTitle, ['input', 'jobTitle'], 200);
    if (!input.userIds.length && !unit && !jobTitle) check.add(UserErrorCode.INVALID, 'give userIds, an orgUnitPath or a jobTitle', ['input']);
    checkDuePolicy(check, input);
    const named = await this.activeUsers(ctx, check, input.userIds);
    if (unit || jobTitle) await assignmentRuleService.checkKnown(ctx, check, unit, jobTitle);
    if (!check.ok) throw new UserErrors(check.errors);
    const policy = { dueAt: input.dueAt ?? null, dueInDays: input.dueInDays ?? null };
    const saved = unit || jobTitle ? await assignmentRuleService.save(ctx, course.id, { orgUnitPath: unit ?? '', jobTitle: jobTitle ?? '', ...policy }) : null;
    const targets = new Map<string, EnrollTarget>();
    for (const userId of saved?.userIds ?? []) targets.set(userId, { userId, source: EnrollmentSource.RULE, dueAt: ruleDueAt(saved!.rule) });
    for (const userId of named) targets.set(userId, { userId, source: EnrollmentSource.ADMIN, dueAt: ruleDueAt(policy) });
    return { ...(await enroll(ctx, course.id, [...targets.values()], { moveDueDates: input.moveDueDates ?? false })), rule: saved?.rule ?? null };
  },

  /** Checks that every id names an active user of the organization (errors point at the item). */
  async activeUsers(ctx: RequestContext, check: InputCheck, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const found = await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, id: In(ids) });
    ids.forEach((id, i) => {
      const user = found.find((u) => u.id === id);
      if (!user) check.add(UserErrorCode.NOT_FOUND, 'no such user', ['input', 'userIds', i]);
      else if (user.status !== UserStatus.ACTIVE) check.add(UserErrorCode.INVALID, 'the user is deactivated', ['input', 'userIds', i]);
    });
    return [...new Set(ids)];
  },

  /** The caller enrolls in a published course that allows it; enrolling again returns the enrollment. */
  async selfEnroll(ctx: RequestContext, courseId: string): Promise<Enrollment> {
    ctx.assert(Permission.LEARN);
    if (!ctx.user) throw forbidden('Only users can enroll');
    const course = await courseService.findVisible(ctx, courseId);
    const existing = await viewerEnrollmentByCourse(ctx).load(course.id);
    if (existing && existing.status !== EnrollmentStatus.WITHDRAWN) return existing;
    if (course.status !== CourseStatus.PUBLISHED) throw userError(UserErrorCode.NOT_PUBLISHED, 'the course is not published', ['input', 'courseId']);
    if (!course.selfEnrollment) throw userError(UserErrorCode.FORBIDDEN, 'this course does not allow self-enrollment', ['input', 'courseId']);
    const { enrollments } = await enroll(ctx, course.id, [{ userId: ctx.user.id, source: EnrollmentSource.SELF }]);
    return enrollments[0];
  },

  /** Withdraws an enrollment: managers any, learners their own self-enrollments. Progress is kept; open SCORM sessions end. */
  async withdraw(ctx: RequestContext, id: string): Promise<Enrollment> {
    if (!ctx.can(Permission.ENROLLMENTS_MANAGE)) ctx.assert(Permission.LEARN);
    const e = await getEntityOrThrow(ctx, Enrollment, id, 'Enrollment');
    if (!ctx.can(Permission.ENROLLMENTS_MANAGE)) {
      if (e.userId !== ctx.user?.id) throw notFound('Enrollment');
      if (e.source !== EnrollmentSource.SELF) throw userError(UserErrorCode.FORBIDDEN, 'an assigned course can only be withdrawn by an administrator', ['input', 'id']);
    }
    if (e.status === EnrollmentStatus.WITHDRAWN) throw userError(UserErrorCode.CONFLICT, 'the enrollment is already withdrawn', ['input', 'id']);
    if (e.closedAt) throw userError(UserErrorCode.CONFLICT, 'a past cycle cannot be withdrawn', ['input', 'id']);
    await ctx.manager.update(Enrollment, { organizationId: ctx.orgId, id }, { status: EnrollmentStatus.WITHDRAWN, withdrawnAt: new Date() });
    // An open SCORM player's commits are refused from now on (WITHDRAWN); what it reported so far counts.
    await endSessions(ctx, { enrollmentId: id });
    const after = await getEntityOrThrow(ctx, Enrollment, id, 'Enrollment');
    await auditService.record(ctx, { action: 'enrollment.withdraw', entityType: 'Enrollment', entityId: id, before: enrollmentView(e), after: enrollmentView(after) });
    return after;
  },
};
