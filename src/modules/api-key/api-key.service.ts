import type { RequestContext } from '../../shared/context';
import { generateApiKey } from '../../shared/auth';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission, mayGrantScopes } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { ApiKey } from './api-key.entity';
import { msg } from '../../shared/i18n/message';

const view = (k: ApiKey) => ({ keyId: k.keyId, name: k.name, scopes: k.scopes, revokedAt: k.revokedAt });

export const apiKeyService = {
  async list(ctx: RequestContext, page: PageArgs) {
    ctx.assert(Permission.API_KEYS_MANAGE);
    const qb = ctx.manager.createQueryBuilder(ApiKey, 'k').where('k.organization_id = :org', { org: ctx.orgId });
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: "date_trunc('milliseconds', k.created_at)", key: (k) => k.createdAt.toISOString(), kind: 'timestamp' },
      { sql: 'k.id', key: (k) => k.id, kind: 'uuid' },
    ]);
  },

  /** A new key; its secret is returned once and only its HMAC is stored. Scopes cannot exceed the caller's. */
  async create(ctx: RequestContext, name: string, scopes: Permission[]): Promise<{ apiKey: ApiKey; secret: string }> {
    ctx.assert(Permission.API_KEYS_MANAGE);
    const check = new InputCheck();
    const cleanName = check.text(name, ['input', 'name'], 200, true);
    check.count(scopes, ['input', 'scopes'], 50, 1);
    for (const scope of scopes) {
      if (!mayGrantScopes(ctx.permissions, [scope])) check.add(UserErrorCode.FORBIDDEN, msg('you cannot grant the scope {scope}', { scope }), ['input', 'scopes']);
    }
    if (!check.ok) throw new UserErrors(check.errors);
    const generated = generateApiKey(ctx.orgId, ctx.deps.serverSecret);
    const apiKey = ctx.manager.create(ApiKey, {
      organizationId: ctx.orgId, keyId: generated.keyId, name: cleanName!, secretHash: generated.secretHash,
      scopes: [...new Set(scopes)], createdBy: ctx.actor, revokedAt: null,
    });
    await ctx.manager.insert(ApiKey, apiKey);
    await auditService.record(ctx, { action: 'apikey.create', entityType: 'ApiKey', entityId: apiKey.id, after: view(apiKey) });
    return { apiKey: await getEntityOrThrow(ctx, ApiKey, apiKey.id, 'API key'), secret: generated.key };
  },

  /** Revokes a key at once; requests carrying it fail from the next one on. */
  async revoke(ctx: RequestContext, id: string): Promise<ApiKey> {
    ctx.assert(Permission.API_KEYS_MANAGE);
    const apiKey = await getEntityOrThrow(ctx, ApiKey, id, 'API key');
    if (apiKey.revokedAt) throw userError(UserErrorCode.CONFLICT, 'the key is already revoked', ['input', 'id']);
    // Revoking cuts off whoever uses the key: only a caller who could have granted all of it may.
    if (!mayGrantScopes(ctx.permissions, apiKey.scopes)) throw userError(UserErrorCode.FORBIDDEN, 'the key holds scopes you do not hold', ['input', 'id']);
    const before = view(apiKey);
    apiKey.revokedAt = new Date();
    await ctx.manager.update(ApiKey, { organizationId: ctx.orgId, id }, { revokedAt: apiKey.revokedAt });
    await auditService.record(ctx, { action: 'apikey.revoke', entityType: 'ApiKey', entityId: id, before, after: view(apiKey) });
    return apiKey;
  },
};
