import type { RequestContext } from '../../shared/context';
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
      const user = await ctx.manager.findOneBy(AppUser, { organizationId: p.organizationId, externalId: p.subject });
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
