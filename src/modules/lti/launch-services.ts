import type { RequestContext } from '../../shared/context';

/** What a successful resource-link launch tells the grade (AGS) and roster (NRPS) services. */
export interface LaunchServices {
  organizationId: string;
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  tokenUrl: string;
  contextId: string | null;
  resourceLinkId: string;
  userId: string;
  sub: string;
  enrollmentId: string;
  courseId: string;
  activityId: string | null;
  ags: { lineitem?: string; lineitems?: string; scope: string[] } | null;
  nrps: { contextMembershipsUrl: string } | null;
}

/**
 * Called once per successful resource-link launch that enrolled the learner, inside the launch's
 * tenant transaction (ctx: the launch's narrow token principal). The AGS/NRPS services
 * (src/modules/lti/services/) record here what they need to post scores and sync rosters.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function recordLaunchServices(ctx: RequestContext, launch: LaunchServices): Promise<void> {}
