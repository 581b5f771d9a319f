import type { RequestContext } from '../../shared/context';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import type { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Course, CourseStatus } from '../course/course.entity';
import { AppUser, UserStatus } from '../user/user.entity';
import { orgUnitSubtree } from '../user/user.service';
import { AssignmentRule } from './assignment-rule.entity';
import { EnrollmentSource } from './enrollment.entity';
import { enroll } from './enrollment.write';
import { msg } from '../../shared/i18n/message';

const DAY_MS = 86_400_000;

/** Whom a rule matches ('' for any) and the due date it gives. */
export interface RuleSpec {
  orgUnitPath: string;
  jobTitle: string;
  dueAt: Date | null;
  dueInDays: number | null;
}

/** The due date a rule gives a user it enrolls at `now`: its fixed date, or N days later. */
export const ruleDueAt = (rule: Pick<RuleSpec, 'dueAt' | 'dueInDays'>, now = Date.now()): Date | null =>
  rule.dueAt ?? (rule.dueInDays !== null ? new Date(now + rule.dueInDays * DAY_MS) : null);

const ruleView = (r: AssignmentRule): Record<string, unknown> => ({
  courseId: r.courseId, orgUnitPath: r.orgUnitPath, jobTitle: r.jobTitle, dueAt: r.dueAt?.toISOString() ?? null, dueInDays: r.dueInDays, active: r.active,
});

/**
 * A user write that lands while a rule is being made either commits before the rule's first
 * application (which then sees the user) or waits for the rule (and its trigger then writes the
 * `user.placed` event); the trigger takes this lock shared (migration AssignmentRule).
 */
async function lockAgainstPlacements(ctx: RequestContext): Promise<void> {
  await ctx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('assignment_rule:' || $1::text, 0))`, [ctx.orgId]);
}

export const assignmentRuleService = {
  /** Refuses a unit no provisioned user is in or below, or a title nobody has (a typo such as 营业听 for 营业厅): NOT_FOUND on the field. */
  async checkKnown(ctx: RequestContext, check: InputCheck, unit: string | null, jobTitle: string | null): Promise<void> {
    const [row] = (await ctx.manager.query(
      `SELECT ($2::text IS NULL OR EXISTS (SELECT 1 FROM app_user u WHERE u.organization_id = $1 AND (u.org_unit_path = $2 OR starts_with(u.org_unit_path, $2 || '/')))) AS unit_known,
              ($3::text IS NULL OR EXISTS (SELECT 1 FROM app_user u WHERE u.organization_id = $1 AND u.job_title = $3)) AS title_known`,
      [ctx.orgId, unit, jobTitle],
    )) as { unit_known: boolean; title_known: boolean }[];
    if (!row.unit_known) check.add(UserErrorCode.NOT_FOUND, msg('no user is in the org unit {unit} or below it', { unit: unit ?? '' }), ['input', 'orgUnitPath']);
    if (!row.title_known) check.add(UserErrorCode.NOT_FOUND, msg('no user has the job title {jobTitle}', { jobTitle: jobTitle ?? '' }), ['input', 'jobTitle']);
  },

  /**
   * The active rule for the course and match, made or updated: a due policy given replaces the
   * rule's (for users matched from now on), none keeps it. Then the users it matches today.
   */
  async save(ctx: RequestContext, courseId: string, spec: RuleSpec): Promise<{ rule: AssignmentRule; userIds: string[] }> {
    await lockAgainstPlacements(ctx);
    const match = { organizationId: ctx.orgId, courseId, orgUnitPath: spec.orgUnitPath, jobTitle: spec.jobTitle, active: true };
    const existing = await ctx.manager.findOneBy(AssignmentRule, match);
    const rule = existing ?? Object.assign(new AssignmentRule(), match, { createdBy: ctx.actor, dueAt: null, dueInDays: null });
    const before = existing && ruleView(existing);
    if (!existing || spec.dueAt || spec.dueInDays !== null) Object.assign(rule, { dueAt: spec.dueAt, dueInDays: spec.dueInDays });
    const saved = await ctx.manager.save(AssignmentRule, rule);
    if (JSON.stringify(before) !== JSON.stringify(ruleView(saved))) {
      await auditService.record(ctx, { action: existing ? 'assignmentRule.update' : 'assignmentRule.create', entityType: 'AssignmentRule', entityId: saved.id, before: before ?? null, after: ruleView(saved) });
    }
    return { rule: saved, userIds: await this.matchingUsers(ctx, spec) };
  },

  async matchingUsers(ctx: RequestContext, spec: Pick<RuleSpec, 'orgUnitPath' | 'jobTitle'>): Promise<string[]> {
    const qb = ctx.manager.createQueryBuilder(AppUser, 'u').select('u.id', 'id')
      .where('u.organization_id = :org AND u.status = :active', { org: ctx.orgId, active: UserStatus.ACTIVE });
    if (spec.orgUnitPath) qb.andWhere(orgUnitSubtree('u.org_unit_path', 'unit'), { unit: spec.orgUnitPath });
    if (spec.jobTitle) qb.andWhere('u.job_title = :jobTitle', { jobTitle: spec.jobTitle });
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  },

  async list(ctx: RequestContext, filter: { courseId?: string; includeInactive: boolean }, page: PageArgs) {
    ctx.assert(Permission.ENROLLMENTS_MANAGE);
    if (filter.courseId) await getEntityOrThrow(ctx, Course, filter.courseId, 'Course');
    const qb = ctx.manager.createQueryBuilder(AssignmentRule, 'r').where('r.organization_id = :org', { org: ctx.orgId });
    if (filter.courseId) qb.andWhere('r.course_id = :courseId', { courseId: filter.courseId });
    if (!filter.includeInactive) qb.andWhere('r.active');
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: "date_trunc('milliseconds', r.created_at)", key: (r) => r.createdAt.toISOString(), kind: 'timestamp' },
      { sql: 'r.id', key: (r) => r.id, kind: 'uuid' },
    ]);
  },

  async findOne(ctx: RequestContext, id: string): Promise<AssignmentRule> {
    ctx.assert(Permission.ENROLLMENTS_MANAGE);
    return getEntityOrThrow(ctx, AssignmentRule, id, 'AssignmentRule');
  },

  /** Stops a rule: nobody new is enrolled by it; the enrollments it made stay. */
  async deactivate(ctx: RequestContext, id: string): Promise<AssignmentRule> {
    const rule = await this.findOne(ctx, id);
    if (!rule.active) throw userError(UserErrorCode.CONFLICT, 'the rule is already inactive', ['input', 'id']);
    const before = ruleView(rule);
    Object.assign(rule, { active: false, deactivatedAt: new Date() });
    const saved = await ctx.manager.save(AssignmentRule, rule);
    await auditService.record(ctx, { action: 'assignmentRule.deactivate', entityType: 'AssignmentRule', entityId: id, before, after: ruleView(saved) });
    return saved;
  },

  /**
   * Applies the active rules to one user who was provisioned, moved or reactivated (the
   * `user.placed` job): a course they have no open enrollment in is assigned, due by the first
   * matching rule of it. Open enrollments, withdrawn ones included, are left alone; so a second
   * run does nothing.
   */
  async applyToUser(ctx: RequestContext, userId: string): Promise<void> {
    const rules = (await ctx.manager.query(
      `SELECT DISTINCT ON (r.course_id) r.course_id AS "courseId", r.due_at AS "dueAt", r.due_in_days AS "dueInDays", r.created_by AS "createdBy"
         FROM assignment_rule r
         JOIN app_user u ON u.organization_id = r.organization_id AND u.id = $2 AND u.status = '${UserStatus.ACTIVE}'
         JOIN course c ON c.organization_id = r.organization_id AND c.id = r.course_id AND c.status = '${CourseStatus.PUBLISHED}'
        WHERE r.organization_id = $1 AND r.active
          AND (r.org_unit_path = '' OR u.org_unit_path = r.org_unit_path OR starts_with(u.org_unit_path, r.org_unit_path || '/'))
          AND (r.job_title = '' OR u.job_title = r.job_title)
          AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.organization_id = r.organization_id AND e.user_id = u.id AND e.course_id = r.course_id AND e.closed_at IS NULL)
        ORDER BY r.course_id, r.created_at, r.id`,
      [ctx.orgId, userId],
    )) as { courseId: string; dueAt: Date | null; dueInDays: number | null; createdBy: string }[];
    for (const rule of rules) {
      await enroll(ctx, rule.courseId, [{ userId, source: EnrollmentSource.RULE, dueAt: ruleDueAt(rule) }], { assignedBy: rule.createdBy });
    }
  },
};
