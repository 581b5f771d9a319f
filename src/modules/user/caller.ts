import { escapeLiteral } from 'pg';
import type { DataSource } from 'typeorm';
import type { Principal, RequestContext } from '../../shared/context';
import { leanReader } from '../../db/lean';
import { isUuid } from '../../shared/ids';
import { apiKeyMatches } from '../../shared/auth';
import { unauthenticated } from '../../shared/errors';
import { Role } from '../../shared/permissions';
import { ApiKey } from '../api-key/api-key.entity';
import { PlatformAdmin } from '../organization/organization.entity';
import { AppUser, UserStatus } from './user.entity';

/**
 * Establishes who the caller is inside the request's tenant transaction: the user's roles come
 * from their membership row, an API key's from its scopes, a platform admin's from the platform
 * table. Unknown, deactivated or revoked callers are UNAUTHENTICATED.
 */
export async function resolveCaller(ctx: RequestContext): Promise<void> {
  const p = ctx.principal;
  switch (p.kind) {
    case 'anonymous':
      return;
    case 'user': {
      // PostgreSQL text holds no NUL, so no user has one in their id (and as a parameter it would be a database error).
      if (p.subject.includes('\0')) throw unauthenticated('Unknown or deactivated user');
      const preloaded = ctx.callerRows;
      const user = preloaded
        ? (leanReader(ctx.deps.dataSource, AppUser, 'u').hydrate(preloaded)[0] ?? null)
        : await ctx.manager.findOneBy(AppUser, { organizationId: p.organizationId, externalId: p.subject });
      if (!user || user.status !== UserStatus.ACTIVE) throw unauthenticated('Unknown or deactivated user');
      ctx.user = user;
      ctx.grant(user.roles);
      return;
    }
    case 'apiKey': {
      const key = await ctx.manager.findOneBy(ApiKey, { organizationId: p.organizationId, keyId: p.keyId });
      if (!key || key.revokedAt || !apiKeyMatches(ctx.deps.serverSecret, p.secret, key.secretHash)) {
        throw unauthenticated('Invalid or revoked API key');
      }
      ctx.apiKeyId = key.id;
      ctx.grant([], key.scopes);
      return;
    }
    case 'token':
      // A token grants its subject, which the route loads by id; no role, no permission.
      return;
    case 'system':
      ctx.grant(p.organizationId ? [Role.ORG_ADMIN] : [Role.PLATFORM_ADMIN]);
      return;
    case 'platform': {
      const admin = await ctx.manager.findOneBy(PlatformAdmin, { subject: p.subject });
      if (!admin) throw unauthenticated('Unknown platform admin');
      ctx.grant([Role.PLATFORM_ADMIN]);
      return;
    }
  }
}

/**
 * The user caller's row as a statement to send with BEGIN (ContextDeps.callerStatement): the
 * organization id is a checked uuid and the subject, from a verified token, is quoted by pg.
 */
export function callerStatement(ds: DataSource): (principal: Principal) => string | undefined {
  return (principal) => {
    // A NUL would end the statement text early in the simple query protocol: such subjects take the parameterized path.
    if (principal.kind !== 'user' || !isUuid(principal.organizationId) || principal.subject.includes('\0')) return undefined;
    const reader = leanReader(ds, AppUser, 'u');
    return `SELECT ${reader.columns} FROM app_user u WHERE u.organization_id = '${principal.organizationId}' AND u.external_id = ${escapeLiteral(principal.subject)}`;
  };
}
