import { In } from 'typeorm';
import type { RequestContext } from '../../../shared/context';
import { msg } from '../../../shared/i18n/message';
import { newId } from '../../../shared/ids';
import { Role } from '../../../shared/permissions';
import { userError, UserErrorCode } from '../../../shared/payload';
import { isEmail } from '../../../shared/validate';
import { auditService } from '../../audit/audit.service';
import { EnrollmentSource } from '../../enrollment/enrollment.entity';
import { enroll } from '../../enrollment/enrollment.write';
import { AppUser, UserStatus } from '../../user/user.entity';
import { LtiPlatformError, platformFetch } from './platform-http';
import { accessToken, invalidateToken, SCOPES, type TokenRequest } from './token-client';
import { findLtiUsers, linkLtiUsers, ltiExternalId } from './user-link';

export const NRPS_MEDIA = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/** Pages of a roster followed at most (a platform that links pages in a loop stops here). */
export const MAX_ROSTER_PAGES = 200;
/** Members of one roster at most. */
export const MAX_ROSTER_MEMBERS = 20_000;

/** One member of an NRPS membership container, as far as the sync reads it. */
export interface NrpsMember {
  user_id: string;
  status: string;
  roles: string[];
  name: string | null;
  email: string | null;
}

/** What a roster sync did. */
export interface RosterSyncResult {
  /** Members the platform listed (each once). */
  members: number;
  usersCreated: number;
  /** Members who were Coursegraph users already (linked by issuer and sub, or by the external id the sync gives); inactive members count only when linked. */
  usersExisting: number;
  enrollmentsCreated: number;
  alreadyEnrolled: number;
  /** Members not enrolled: inactive or deleted in the LMS, not learners, deactivated here, or unusable (no user id). */
  skipped: number;
}

/** Learner, in any of the spellings LTI allows (full context role URI, short name, or a sub-role of Learner). */
export const isLearnerRole = (role: string): boolean =>
  role === 'Learner' || role.endsWith('/membership#Learner') || role.includes('/membership/Learner#');

/** The `next` target of an HTTP Link header, or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2])) return m[1];
  }
  return null;
}

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

/** The members of a page, normalized; members without a user id are dropped. */
function membersOf(body: unknown): NrpsMember[] | null {
  const members = (body as { members?: unknown } | null)?.members;
  if (!Array.isArray(members)) return null;
  const out: NrpsMember[] = [];
  for (const m of members as Record<string, unknown>[]) {
    if (!m || typeof m !== 'object') continue;
    const userId = text(m.user_id, 255);
    if (!userId) continue;
    const given = text(m.given_name, 100);
    const family = text(m.family_name, 100);
    const email = text(m.email, 320);
    out.push({
      user_id: userId,
      status: text(m.status, 20) ?? 'Active',
      roles: Array.isArray(m.roles) ? (m.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [],
      name: text(m.name, 200) ?? ([given, family].filter(Boolean).join(' ') || null),
      email: email && isEmail(email) ? email : null,
    });
  }
  return out;
}

interface ContextRow {
  id: string;
  platform_id: string;
  issuer: string;
  client_id: string;
  token_url: string;
  memberships_url: string | null;
  course_id: string;
}

/** Every page of the roster, following `Link: <…>; rel="next"`. */
async function fetchRoster(ctx: RequestContext, context: ContextRow, url: string): Promise<NrpsMember[]> {
  const req: TokenRequest = { organizationId: ctx.orgId, tokenUrl: context.token_url, clientId: context.client_id, scopes: [SCOPES.membership] };
  const byId = new Map<string, NrpsMember>();
  let next: string | null = url;
  for (let page = 0; next && page < MAX_ROSTER_PAGES; page++) {
    const token = await accessToken(ctx, req);
    let res: Response;
    try {
      res = await platformFetch(next, { headers: { accept: NRPS_MEDIA, authorization: `Bearer ${token}` } });
    } catch (err) {
      if (err instanceof LtiPlatformError && err.status === 401) invalidateToken(req);
      throw err;
    }
    const members = membersOf(await res.json().catch(() => null));
    if (!members) throw new LtiPlatformError(res.status, next, 'invalid_membership_container', 'the answer is not a membership container');
    for (const m of members) byId.set(m.user_id, m);
    if (byId.size > MAX_ROSTER_MEMBERS) throw userError(UserErrorCode.TOO_LARGE, msg('the roster has more than {max} members', { max: MAX_ROSTER_MEMBERS }), ['input', 'contextId']);
    next = nextLink(res.headers.get('link'));
    if (next) {
      const target = new URL(next, res.url || url);
      // The access token goes only to the roster's own origin.
      if (target.origin !== new URL(url).origin) throw new LtiPlatformError(res.status, url, 'next_link_other_origin', 'the next page is on another origin');
      next = target.toString();
    }
  }
  return [...byId.values()];
}

/**
 * Names and Role Provisioning: reads the LMS context's roster and makes its members users of the
 * organization (keyed by issuer and sub; new users are LEARNERs whatever their LTI roles, named
 * and mailed as the LMS says) and enrolls its active learners in the context's course. Running it
 * again changes nothing that is already so. The caller is checked by the resolver.
 */
export async function syncContextMembers(ctx: RequestContext, ltiContextId: string): Promise<RosterSyncResult> {
  const [context] = (await ctx.manager.query(
    `SELECT id, platform_id, issuer, client_id, token_url, memberships_url, course_id FROM lti_context WHERE organization_id = $1 AND id = $2`,
    [ctx.orgId, ltiContextId],
  )) as ContextRow[];
  if (!context) throw userError(UserErrorCode.NOT_FOUND, msg('{what} not found', { what: 'LTI context' }), ['input', 'contextId']);
  if (!context.memberships_url) throw userError(UserErrorCode.INVALID, 'the LMS offered no roster service (NRPS) for this context', ['input', 'contextId']);

  let members: NrpsMember[];
  try {
    members = await fetchRoster(ctx, context, context.memberships_url);
  } catch (err) {
    if (!(err instanceof LtiPlatformError)) throw err;
    ctx.log.warn({ err: err.message }, 'LTI roster request failed');
    throw userError(UserErrorCode.PLATFORM_ERROR, err.status
      ? msg('the LMS did not give the roster: it answered HTTP {status} {code}', { status: err.status, code: err.code ?? '' })
      : 'the LMS did not give the roster: it could not be reached or its answer was not a roster', ['input', 'contextId']);
  }

  const linked = await findLtiUsers(ctx, context.issuer, members.map((m) => m.user_id));
  // Members inactive or deleted in the LMS are not made users (those who are keep their user).
  const unlinked = members.filter((m) => !linked.has(m.user_id) && m.status === 'Active');
  // A user with the external id the sync gives may exist (made by an earlier sync whose link was replaced): reuse it.
  const externalIds = unlinked.map((m) => ltiExternalId(context.issuer, m.user_id));
  const existing = new Map((await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, externalId: In(externalIds) })).map((u) => [u.externalId, u.id]));
  const fresh = unlinked.filter((m) => !existing.has(ltiExternalId(context.issuer, m.user_id))).map((m) => ({
    member: m,
    user: Object.assign(new AppUser(), {
      organizationId: ctx.orgId, id: newId(), externalId: ltiExternalId(context.issuer, m.user_id), employeeId: null,
      name: m.name ?? m.user_id, email: m.email, orgUnitPath: '', jobTitle: null, managerId: null, roles: [Role.LEARNER], status: UserStatus.ACTIVE,
    }),
  }));
  if (fresh.length) {
    await ctx.manager.insert(AppUser, fresh.map((f) => f.user));
    await auditService.record(ctx, fresh.map(({ user }) => ({
      action: 'user.create', entityType: 'User', entityId: user.id, before: null,
      after: { externalId: user.externalId, name: user.name, email: user.email, roles: user.roles, status: user.status, source: 'lti-nrps' },
    })));
  }
  const created = new Map(fresh.map((f) => [f.member.user_id, f.user.id]));
  const newLinks = new Map(unlinked.map((m) => [m.user_id, existing.get(ltiExternalId(context.issuer, m.user_id)) ?? created.get(m.user_id)!]));
  await linkLtiUsers(ctx, context.platform_id, context.issuer, newLinks);
  const userOf = new Map([...linked, ...newLinks]);

  const learners = members.filter((m) => m.status === 'Active' && m.roles.some(isLearnerRole) && userOf.has(m.user_id));
  const active = new Set((await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, id: In(learners.map((m) => userOf.get(m.user_id)!)), status: UserStatus.ACTIVE })).map((u) => u.id));
  const targets = learners.map((m) => userOf.get(m.user_id)!).filter((id) => active.has(id));
  const enrolled = await enroll(ctx, context.course_id, targets.map((userId) => ({ userId, source: EnrollmentSource.ADMIN })));
  await ctx.manager.query(`UPDATE lti_context SET last_synced_at = now() WHERE organization_id = $1 AND id = $2`, [ctx.orgId, context.id]);
  return {
    members: members.length,
    usersCreated: fresh.length,
    usersExisting: userOf.size - fresh.length,
    enrollmentsCreated: enrolled.created,
    alreadyEnrolled: enrolled.alreadyEnrolled + enrolled.skippedCompleted,
    skipped: members.length - targets.length,
  };
}
