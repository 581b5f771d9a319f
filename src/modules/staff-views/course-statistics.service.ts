import type { RequestContext } from '../../shared/context';
import { badInput } from '../../shared/errors';
import { Permission } from '../../shared/permissions';
import { getEntityOrThrow } from '../../shared/scoped';
import { CertificateStatus } from '../certificate/certificate.entity';
import { certificateStatusSql } from '../certificate/certificate.rules';
import { Course } from '../course/course.entity';
import { courseById } from '../course/course.loader';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { overdueSql } from '../enrollment/enrollment.rules';
import { MAX_ORG_UNIT_PATH } from '../enrollment/enrollment.service';
import { AppUser } from '../user/user.entity';
import { normalizeOrgUnitPath, orgUnitSubtree, userService } from '../user/user.service';
import type { CourseStatistics } from './course-statistics.types';
import { readsAllProgress } from './transcript.service';
import { msg } from '../../shared/i18n/message';

export const EXPIRING_DAYS = 30;

const S = EnrollmentStatus;
const validCertificate = `${certificateStatusSql('c')} = '${CertificateStatus.ACTIVE}'`;

/**
 * One row per learner in scope who has an open cycle of the course or a certificate for it: the
 * cycle's facts (status rules from enrollment.rules, certificate status from certificate.rules).
 */
function learnerRows(ctx: RequestContext, courseId: string, unit: string | null) {
  const qb = ctx.manager.createQueryBuilder().from(AppUser, 'u')
    .leftJoin(Enrollment, 'e', `e.organization_id = u.organization_id AND e.user_id = u.id AND e.course_id = :course AND e.closed_at IS NULL AND e.status <> '${S.WITHDRAWN}'`)
    .select('e.id', 'enrollment_id').addSelect('e.status', 'status').addSelect(`${overdueSql('e')}`, 'overdue')
    .addSelect('extract(epoch FROM e.completed_at - e.assigned_at)', 'seconds_to_complete')
    .addSelect('(SELECT avg(p.score_scaled) * 100 FROM activity_progress p WHERE p.organization_id = e.organization_id AND p.enrollment_id = e.id)', 'score')
    .addSelect(`EXISTS (SELECT 1 FROM certificate c WHERE c.organization_id = u.organization_id AND c.user_id = u.id AND c.course_id = :course AND ${validCertificate})`, 'certified')
    .addSelect(`EXISTS (SELECT 1 FROM certificate c WHERE c.organization_id = u.organization_id AND c.user_id = u.id AND c.course_id = :course AND ${validCertificate}
       AND c.valid_until IS NOT NULL AND c.valid_until <= now() + make_interval(days => ${EXPIRING_DAYS}))`, 'expiring')
    .where('u.organization_id = :org', { org: ctx.orgId, course: courseId })
    .andWhere(`u.id IN (SELECT x.user_id FROM enrollment x WHERE x.organization_id = :org AND x.course_id = :course AND x.closed_at IS NULL
       UNION SELECT c.user_id FROM certificate c WHERE c.organization_id = :org AND c.course_id = :course)`);
  if (unit) qb.andWhere(orgUnitSubtree('u.org_unit_path', 'unit'), { unit });
  if (!readsAllProgress(ctx) && !ctx.can(Permission.REPORTS_READ)) userService.scopeToTeam(ctx, qb);
  return qb.getQueryAndParameters();
}

const STATISTICS_SQL = (rows: string) => `
  SELECT count(r.enrollment_id)::int AS enrolled,
         count(*) FILTER (WHERE r.status = '${S.NOT_STARTED}' AND NOT r.overdue)::int AS "notStarted",
         count(*) FILTER (WHERE r.status = '${S.IN_PROGRESS}' AND NOT r.overdue)::int AS "inProgress",
         count(*) FILTER (WHERE r.status = '${S.COMPLETED}')::int AS completed,
         count(*) FILTER (WHERE r.overdue)::int AS overdue,
         count(*) FILTER (WHERE r.certified)::int AS certified,
         count(*) FILTER (WHERE r.expiring)::int AS "expiringWithin30Days",
         round(avg(r.score)::numeric, 2)::float8 AS "averageScore",
         percentile_cont(0.5) WITHIN GROUP (ORDER BY r.seconds_to_complete) FILTER (WHERE r.status = '${S.COMPLETED}') AS "medianSecondsToComplete"
    FROM (${rows}) r`;

export const courseStatisticsService = {
  /** HR and org admins: anyone; managers: their org unit subtree and direct reports. One statement for the numbers, whatever the size. */
  async forCourse(ctx: RequestContext, courseId: string, orgUnitPath: string | null): Promise<CourseStatistics> {
    if (!readsAllProgress(ctx) && !ctx.can(Permission.REPORTS_READ)) ctx.assert(Permission.PROGRESS_READ_TEAM);
    if (orgUnitPath !== null && orgUnitPath.length > MAX_ORG_UNIT_PATH) throw badInput(msg('orgUnitPath is longer than {max} characters', { max: MAX_ORG_UNIT_PATH }));
    const course = await getEntityOrThrow(ctx, Course, courseId, 'Course');
    courseById(ctx).prime(course.id, course);
    const unit = orgUnitPath === null ? null : normalizeOrgUnitPath(orgUnitPath) || null;
    const [rows, params] = learnerRows(ctx, course.id, unit);
    const [stats] = (await ctx.manager.query(STATISTICS_SQL(rows), params)) as Omit<CourseStatistics, 'courseId' | 'orgUnitPath'>[];
    return { ...stats, courseId: course.id, orgUnitPath: unit };
  },
};
