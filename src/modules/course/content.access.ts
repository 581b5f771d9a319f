import type { RequestContext } from '../../shared/context';
import { Permission } from '../../shared/permissions';
import { viewerEnrollmentByCourse } from '../catalog/catalog.loader';
import { EnrollmentStatus } from '../enrollment/enrollment.entity';
import { canSeeCourse } from './course.access';
import { RevisionStatus } from './course.entity';
import { courseById, revisionById } from './course.loader';

/**
 * Whether the caller may read a revision's modules and activities by id: authors always; anyone
 * else only published revisions of a course they may see (or are enrolled in, even once archived).
 */
export async function contentReadable(ctx: RequestContext, courseId: string, revisionId: string): Promise<boolean> {
  ctx.assert(Permission.CATALOG_READ);
  if (ctx.can(Permission.COURSES_AUTHOR)) return true;
  const [course, revision] = await Promise.all([courseById(ctx).load(courseId), revisionById(ctx).load(revisionId)]);
  if (!course || revision?.status !== RevisionStatus.PUBLISHED) return false;
  const enrollment = ctx.user ? await viewerEnrollmentByCourse(ctx).load(courseId) : null;
  const active = !!enrollment && enrollment.status !== EnrollmentStatus.WITHDRAWN;
  return active || canSeeCourse(ctx, course, active);
}
