import type { RequestContext } from '../../shared/context';
import { Permission } from '../../shared/permissions';
import { CourseStatus, type Course } from './course.entity';

/** Authors and enrollment managers see every course of their organization, drafts included. */
export function seesAllCourses(ctx: RequestContext): boolean {
  return ctx.can(Permission.COURSES_AUTHOR) || ctx.can(Permission.ENROLLMENTS_MANAGE);
}

/**
 * SQL condition (course alias `c`) for what anyone else sees: published courses that allow
 * self-enrollment or that they are enrolled in (not withdrawn). Callers without a user (API keys)
 * see published courses. Uses the `:me` parameter when there is a user.
 */
export function learnerVisibility(ctx: RequestContext): { sql: string; params: Record<string, unknown> } {
  if (!ctx.user) return { sql: `c.status = '${CourseStatus.PUBLISHED}'`, params: {} };
  return {
    sql: `c.status = '${CourseStatus.PUBLISHED}' AND (c.self_enrollment OR EXISTS (
      SELECT 1 FROM enrollment e WHERE e.organization_id = c.organization_id AND e.course_id = c.id
        AND e.user_id = :me AND e.status <> 'WITHDRAWN'))`,
    params: { me: ctx.user.id },
  };
}

/** The same rule for one course already loaded, given whether the caller holds an active enrollment. */
export function canSeeCourse(ctx: RequestContext, course: Course, activelyEnrolled: boolean): boolean {
  if (seesAllCourses(ctx)) return true;
  if (course.status !== CourseStatus.PUBLISHED) return false;
  return !ctx.user || course.selfEnrollment || activelyEnrolled;
}
