import { createHash } from 'node:crypto';
import type { RequestContext } from '../../../shared/context';

/**
 * The one lookup of a platform user: the Coursegraph user (id) that (issuer, sub) is in the
 * context's organization, or null. The launch and the roster sync both go through here.
 */
export async function findLtiUser(ctx: RequestContext, issuer: string, sub: string): Promise<string | null> {
  const rows = (await ctx.manager.query(
    `SELECT user_id FROM lti_user_link WHERE organization_id = $1 AND issuer = $2 AND sub = $3`,
    [ctx.orgId, issuer, sub],
  )) as { user_id: string }[];
  return rows[0]?.user_id ?? null;
}

/** The users of many subs of one issuer at once (roster sync): sub → user id. */
export async function findLtiUsers(ctx: RequestContext, issuer: string, subs: readonly string[]): Promise<Map<string, string>> {
  if (subs.length === 0) return new Map();
  const rows = (await ctx.manager.query(
    `SELECT sub, user_id FROM lti_user_link WHERE organization_id = $1 AND issuer = $2 AND sub = ANY($3::text[])`,
    [ctx.orgId, issuer, subs],
  )) as { sub: string; user_id: string }[];
  return new Map(rows.map((r) => [r.sub, r.user_id]));
}

/**
 * Records that each (issuer, sub) is the given user in the context's organization (the latest link
 * wins), for the platform registration the subs came through: sub → user id.
 */
export async function linkLtiUsers(ctx: RequestContext, platformId: string, issuer: string, links: ReadonlyMap<string, string>): Promise<void> {
  if (links.size === 0) return;
  await ctx.manager.query(
    `INSERT INTO lti_user_link (organization_id, id, platform_id, issuer, sub, user_id)
     SELECT $1, gen_random_uuid(), $2, $3, l.sub, l.user_id FROM unnest($4::text[], $5::uuid[]) AS l(sub, user_id)
     ON CONFLICT (organization_id, issuer, sub) DO UPDATE SET user_id = EXCLUDED.user_id, platform_id = EXCLUDED.platform_id, updated_at = now()`,
    [ctx.orgId, platformId, issuer, [...links.keys()], [...links.values()]],
  );
}

/**
 * The external id of a user made for a platform user (by a launch or a roster sync): stable per
 * (issuer, sub), apart from the ids the LMS's own provisioning uses, unique in the organization.
 */
export const ltiExternalId = (issuer: string, sub: string): string =>
  `lti:${createHash('sha256').update(issuer).digest('hex').slice(0, 16)}:${sub}`.slice(0, 200);
