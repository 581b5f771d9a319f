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

/** Records that (issuer, sub) is `userId` in the context's organization (the latest link wins). */
export async function linkLtiUser(ctx: RequestContext, issuer: string, sub: string, userId: string): Promise<void> {
  await ctx.manager.query(
    `INSERT INTO lti_user_link (organization_id, issuer, sub, user_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (organization_id, issuer, sub) DO UPDATE SET user_id = EXCLUDED.user_id`,
    [ctx.orgId, issuer, sub, userId],
  );
}

/** Records many links of one issuer at once (roster sync): sub → user id. */
export async function linkLtiUsers(ctx: RequestContext, issuer: string, links: ReadonlyMap<string, string>): Promise<void> {
  if (links.size === 0) return;
  await ctx.manager.query(
    `INSERT INTO lti_user_link (organization_id, issuer, sub, user_id) SELECT $1, $2, l.sub, l.user_id FROM unnest($3::text[], $4::uuid[]) AS l(sub, user_id)
     ON CONFLICT (organization_id, issuer, sub) DO UPDATE SET user_id = EXCLUDED.user_id`,
    [ctx.orgId, issuer, [...links.keys()], [...links.values()]],
  );
}

/**
 * The external id a user created for a platform user gets when nothing else names them: stable
 * per (issuer, sub), readable, unique in the organization.
 */
export function ltiExternalId(issuer: string, sub: string): string {
  let host = issuer;
  try {
    host = new URL(issuer).host;
  } catch {
    // an issuer that is not a URL: used as it is
  }
  return `lti:${host}:${sub}`.slice(0, 200);
}
