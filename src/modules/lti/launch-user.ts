import type { JWTPayload } from 'jose';
import type { RequestContext } from '../../shared/context';
import { forbidden } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Role } from '../../shared/permissions';
import { auditService } from '../audit/audit.service';
import { AppUser, UserStatus } from '../user/user.entity';
import { CLAIM, grantedRole, rolesAfterLaunch } from './lti.claims';
import { LtiUserLink, type LtiPlatform } from './lti.entity';
import { ltiExternalId } from './services/user-link';

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null);

/** The display name the claims give: name, else given + family name, else the platform's user id. */
function nameOf(payload: JWTPayload & Record<string, unknown>, sub: string): string {
  const given = [str(payload.given_name, 100), str(payload.family_name, 100)].filter(Boolean).join(' ');
  return str(payload.name, 200) ?? (given || sub);
}


const userView = (u: AppUser) => ({ externalId: u.externalId, name: u.name, email: u.email, roles: u.roles, status: u.status });

/**
 * The Coursegraph user a platform user launches as, keyed by (issuer, sub) through the link table:
 * created on the first launch, name and email refreshed from the claims, roles as the LTI roles
 * ask within the registration's ceiling (rolesAfterLaunch). A deactivated user is refused.
 */
export async function launchUser(ctx: RequestContext, platform: LtiPlatform, payload: JWTPayload & Record<string, unknown>, sub: string): Promise<AppUser> {
  const roles = Array.isArray(payload[CLAIM.roles]) ? (payload[CLAIM.roles] as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const granted = grantedRole(roles, platform.maxRole);
  const link = await ctx.manager.findOneBy(LtiUserLink, { organizationId: ctx.orgId, issuer: platform.issuer, sub });
  const externalId = ltiExternalId(platform.issuer, sub);
  const existing = link
    ? await ctx.manager.findOneBy(AppUser, { organizationId: ctx.orgId, id: link.userId })
    : await ctx.manager.findOneBy(AppUser, { organizationId: ctx.orgId, externalId });
  if (existing && existing.status !== UserStatus.ACTIVE) throw forbidden('Your Coursegraph account is deactivated');
  const before = existing && userView(existing);
  const user = existing ?? ctx.manager.create(AppUser, { organizationId: ctx.orgId, externalId, roles: [], orgUnitPath: '', status: UserStatus.ACTIVE });
  user.name = nameOf(payload, sub);
  user.email = str(payload.email, 320) ?? user.email ?? null;
  user.roles = rolesAfterLaunch(user.roles as Role[], granted, platform.maxRole);
  const saved = await ctx.manager.save(AppUser, user);
  if (JSON.stringify(before) !== JSON.stringify(userView(saved))) {
    await auditService.record(ctx, { action: existing ? 'user.update' : 'user.create', entityType: 'User', entityId: saved.id, before, after: { ...userView(saved), via: `lti:${platform.id}` } });
  }
  if (!link) await ctx.manager.insert(LtiUserLink, { organizationId: ctx.orgId, id: newId(), platformId: platform.id, issuer: platform.issuer, sub, userId: saved.id });
  else await ctx.manager.update(LtiUserLink, { organizationId: ctx.orgId, id: link.id }, { platformId: platform.id });
  return saved;
}
