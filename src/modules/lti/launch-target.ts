import type { RequestContext } from '../../shared/context';
import { badInput, notFound } from '../../shared/errors';
import { fromGlobalId, toGlobalId } from '../../shared/ids';
import { Activity } from '../course/content.entity';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { Course, CourseStatus } from '../course/course.entity';
import { COURSE_TYPE } from '../course/course.resolver';

/** What a resource link opens: a published course, and maybe one activity of its published revision. */
export interface LaunchTarget {
  course: Course;
  activity: Activity | null;
}

export const targetIds = (t: LaunchTarget) => ({ courseGid: toGlobalId(COURSE_TYPE, t.course.id), activityGid: t.activity ? toGlobalId(ACTIVITY_TYPE, t.activity.id) : null });

const decode = (value: string): { type: string; id: string } | null => {
  try {
    return fromGlobalId(value);
  } catch {
    return null;
  }
};

function published(course: Course | null): Course {
  if (!course) throw notFound('Course');
  if (course.status !== CourseStatus.PUBLISHED || !course.publishedRevisionId) throw badInput('The linked course is not published');
  return course;
}

/** A course by its code or global id, published. */
export async function courseNamed(ctx: RequestContext, value: string): Promise<Course> {
  const byCode = await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, code: value });
  if (byCode) return published(byCode);
  const gid = decode(value);
  return published(gid?.type === COURSE_TYPE ? await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, id: gid.id }) : null);
}

/** An activity by its global id, as it is in its course's published revision (the same key). */
export async function activityNamed(ctx: RequestContext, value: string): Promise<LaunchTarget> {
  const gid = decode(value);
  const named = gid?.type === ACTIVITY_TYPE ? await ctx.manager.findOneBy(Activity, { organizationId: ctx.orgId, id: gid.id }) : null;
  if (!named) throw notFound('Activity');
  const course = published(await ctx.manager.findOneBy(Course, { organizationId: ctx.orgId, id: named.courseId }));
  const activity = await ctx.manager.findOneBy(Activity, { organizationId: ctx.orgId, revisionId: course.publishedRevisionId!, key: named.key });
  if (!activity) throw notFound('Activity');
  return { course, activity };
}

/**
 * The target a resource link names in its custom parameters: `activity` (an Activity global id)
 * wins over `course` (a course code or Course global id).
 */
export async function launchTarget(ctx: RequestContext, custom: unknown): Promise<LaunchTarget> {
  const params = custom && typeof custom === 'object' ? (custom as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v.length <= 200 ? v.trim() : null);
  const activity = text(params.activity);
  if (activity) return activityNamed(ctx, activity);
  const course = text(params.course);
  if (course) return { course: await courseNamed(ctx, course), activity: null };
  throw badInput('The resource link names no Coursegraph course or activity (custom parameter course or activity)');
}
