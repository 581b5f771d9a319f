import type { RequestContext } from '../../shared/context';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { Activity, ActivityKind, CompletionKind } from '../course/content.entity';
import { activityService } from '../course/activity.service';
import { ScormPackage } from './scorm-package.entity';
import type { ScormActivityContent } from './scorm-activity';

/** Adds one SCORM activity per launchable item of a package to a module of a draft revision. */
export async function addScormActivities(ctx: RequestContext, moduleId: string, packageId: string, required: boolean): Promise<Activity[]> {
  ctx.assert(Permission.COURSES_AUTHOR);
  const pkg = await getEntityOrThrow(ctx, ScormPackage, packageId, 'SCORM package');
  if (pkg.scos.length === 0) throw userError(UserErrorCode.INVALID, 'the package has nothing to launch', ['input', 'packageId']);
  const created: Activity[] = [];
  for (const sco of pkg.scos) {
    // A SCO with a passing score counts when passed; otherwise when completed.
    const graded = sco.scaledPassingScore !== undefined || sco.masteryScore !== undefined;
    const activity = await activityService.create(ctx, moduleId, {
      // A hidden item (isvisible="false") is the package's own plumbing: never a required activity.
      moduleId, kind: ActivityKind.SCORM, title: { zhCN: sco.title.slice(0, 200), en: sco.title.slice(0, 200) }, required: required && !sco.sequencing?.hidden,
      completion: { kind: graded ? CompletionKind.PASSED : CompletionKind.VIEWED },
    });
    const content: ScormActivityContent = { ...sco, packageId: pkg.id, version: pkg.version === 'SCORM_1.2' ? 'SCORM_1.2' : 'SCORM_2004' };
    await ctx.manager.update(Activity, { organizationId: ctx.orgId, id: activity.id }, { content: content as never });
    created.push(await getEntityOrThrow(ctx, Activity, activity.id, 'Activity'));
  }
  return created;
}
