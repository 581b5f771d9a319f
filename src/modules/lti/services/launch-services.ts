import type { RequestContext } from '../../../shared/context';
import { emitEvent } from '../../../jobs/outbox';

/** What a verified LTI launch tells the services part (the LTI core calls recordLaunchServices with it). */
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

/** The event type written when a graded learner's score or completion may have changed. */
export const SCORE_CHANGED = 'lti.score_changed';

/**
 * Keeps what the Advantage services need after a launch, in the launch's transaction: the
 * (issuer, sub) → user link, the LMS context (token URL, memberships and line items URLs, scopes)
 * for the course, and — when the platform offers grade passback — the learner's grade link for
 * this resource link (where scores go). Repeating a launch updates the same rows. A grade link
 * made for progress that already exists sends it at once.
 */
export async function recordLaunchServices(ctx: RequestContext, launch: LaunchServices): Promise<void> {
  if (ctx.orgId !== launch.organizationId) throw new Error('recordLaunchServices: the launch is of another organization than the context');
  const [context] = (await ctx.manager.query(
    `INSERT INTO lti_context AS c (organization_id, id, platform_id, issuer, client_id, deployment_id, context_id, course_id, token_url, memberships_url, lineitems_url, ags_scopes)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (organization_id, platform_id, deployment_id, (COALESCE(context_id, '')), course_id) DO UPDATE SET
       issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, token_url = EXCLUDED.token_url,
       memberships_url = COALESCE(EXCLUDED.memberships_url, c.memberships_url),
       lineitems_url = COALESCE(EXCLUDED.lineitems_url, c.lineitems_url),
       ags_scopes = CASE WHEN cardinality(EXCLUDED.ags_scopes) > 0 THEN EXCLUDED.ags_scopes ELSE c.ags_scopes END,
       updated_at = now()
     RETURNING id`,
    [ctx.orgId, launch.platformId, launch.issuer, launch.clientId, launch.deploymentId, launch.contextId, launch.courseId, launch.tokenUrl,
      launch.nrps?.contextMembershipsUrl ?? null, launch.ags?.lineitems ?? null, launch.ags?.scope ?? []],
  )) as { id: string }[];

  if (!launch.ags || (!launch.ags.lineitem && !launch.ags.lineitems)) return;
  let activityKey: string | null = null;
  if (launch.activityId) {
    const [activity] = (await ctx.manager.query(`SELECT key FROM activity WHERE organization_id = $1 AND id = $2`, [ctx.orgId, launch.activityId])) as { key: string }[];
    if (!activity) throw new Error('recordLaunchServices: the launch names an activity that does not exist');
    activityKey = activity.key;
  }
  const [link] = (await ctx.manager.query(
    `INSERT INTO lti_grade_link AS l (organization_id, id, lti_context_id, enrollment_id, user_id, resource_link_id, sub, activity_id, activity_key, lineitem_url)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (organization_id, lti_context_id, resource_link_id, enrollment_id) DO UPDATE SET
       user_id = EXCLUDED.user_id, sub = EXCLUDED.sub, activity_id = EXCLUDED.activity_id, activity_key = EXCLUDED.activity_key,
       lineitem_url = COALESCE(EXCLUDED.lineitem_url, l.lineitem_url), updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [ctx.orgId, context.id, launch.enrollmentId, launch.userId, launch.resourceLinkId, launch.sub, launch.activityId, activityKey, launch.ags.lineitem ?? null],
  )) as { created: boolean }[];

  if (!link.created) return;
  // Progress made before this link (the learner started elsewhere): send it now.
  const [state] = (await ctx.manager.query(
    activityKey
      ? `SELECT updated_at AS at FROM activity_progress WHERE organization_id = $1 AND enrollment_id = $2 AND activity_key = $3`
      : `SELECT updated_at AS at FROM enrollment WHERE organization_id = $1 AND id = $2 AND status <> 'NOT_STARTED' AND $3::uuid IS NULL`,
    [ctx.orgId, launch.enrollmentId, activityKey],
  )) as { at: Date }[];
  if (state) {
    await emitEvent(ctx, { type: SCORE_CHANGED, entityType: 'Enrollment', entityId: launch.enrollmentId,
      payload: { enrollmentId: launch.enrollmentId, activityKey, at: state.at.toISOString() } });
  }
}
