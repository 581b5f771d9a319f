import type { RequestContext } from '../../shared/context';
import { recordLaunchServices as recordForServices, type LaunchServices } from './services/launch-services';

export type { LaunchServices };

/**
 * Called once per successful resource-link launch that enrolled the learner, inside the launch's
 * tenant transaction (ctx: the launch's narrow token principal): the grade (AGS) and roster (NRPS)
 * services record what they need to post scores and sync rosters (services/launch-services.ts).
 */
export function recordLaunchServices(ctx: RequestContext, launch: LaunchServices): Promise<void> {
  return recordForServices(ctx, launch);
}
