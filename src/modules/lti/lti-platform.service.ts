import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../shared/context';
import { msg } from '../../shared/i18n/message';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission, Role } from '../../shared/permissions';
import { UserErrorCode, UserErrors, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { InputCheck } from '../../shared/validate';
import { auditService } from '../audit/audit.service';
import { Organization } from '../organization/organization.entity';
import { LTI_GRANTABLE_ROLES } from './lti.claims';
import { LtiPlatform, LtiRegistrationMethod, LtiRegistrationToken } from './lti.entity';
import type { CreateLtiRegistrationLinkInput, RegisterLtiPlatformInput, UpdateLtiPlatformInput } from './lti.inputs';
import { ltiUrls } from './lti.urls';
import { findPlatform } from './platform-lookup';
import { rotateToolKey } from './tool-key';

/** What a registration holds, checked. */
export interface PlatformSpec {
  name: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  maxRole: Role;
}

type SpecInput = Partial<Record<keyof PlatformSpec, unknown>>;

const view = (p: LtiPlatform): Record<string, unknown> => ({
  name: p.name, issuer: p.issuer, clientId: p.clientId, deploymentIds: p.deploymentIds, authUrl: p.authUrl, tokenUrl: p.tokenUrl,
  jwksUrl: p.jwksUrl, maxRole: p.maxRole, registeredVia: p.registeredVia, active: p.active,
});

/** An https URL (http too outside production, where test platforms run). */
export function checkUrl(ctx: RequestContext, check: InputCheck, value: unknown, path: string[]): string | null {
  const text = check.text(typeof value === 'string' ? value : null, path, 1000, true);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    check.add(UserErrorCode.INVALID, msg('{field} must be an absolute URL', { field: path.at(-1)! }), path);
    return null;
  }
  const allowed = ctx.deps.config.env === 'production' ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol) || url.username || url.password) {
    check.add(UserErrorCode.INVALID, msg('{field} must be an {schemes} URL', { field: path.at(-1)!, schemes: 'https' }), path);
    return null;
  }
  return text;
}

/** Checks a whole registration; payload errors on the fields at fault. */
export function checkSpec(ctx: RequestContext, input: SpecInput): PlatformSpec {
  const check = new InputCheck();
  const text = (v: unknown, field: string, max: number) => check.text(typeof v === 'string' ? v : null, ['input', field], max, true);
  const spec = {
    name: text(input.name, 'name', 200),
    issuer: checkUrl(ctx, check, input.issuer, ['input', 'issuer']),
    clientId: text(input.clientId, 'clientId', 255),
    authUrl: checkUrl(ctx, check, input.authUrl, ['input', 'authUrl']),
    tokenUrl: checkUrl(ctx, check, input.tokenUrl, ['input', 'tokenUrl']),
    jwksUrl: checkUrl(ctx, check, input.jwksUrl, ['input', 'jwksUrl']),
    maxRole: input.maxRole as Role,
    deploymentIds: [] as string[],
  };
  const ids = Array.isArray(input.deploymentIds) ? (input.deploymentIds as unknown[]) : [];
  if (check.count(ids, ['input', 'deploymentIds'], 50, 1)) {
    spec.deploymentIds = [...new Set(ids.map((d, i) => check.text(typeof d === 'string' ? d : null, ['input', 'deploymentIds', i], 255, true)).filter((d): d is string => d !== null))];
  }
  if (!LTI_GRANTABLE_ROLES.includes(spec.maxRole)) {
    check.add(UserErrorCode.INVALID, 'maxRole must be LEARNER, AUTHOR or ORG_ADMIN', ['input', 'maxRole']);
  }
  if (!check.ok) throw new UserErrors(check.errors);
  return spec as PlatformSpec;
}

/** Refuses an (issuer, client id) that an active registration of any organization already has (but `self`). */
async function assertUnique(ctx: RequestContext, spec: Pick<PlatformSpec, 'issuer' | 'clientId'>, self: string | null): Promise<void> {
  const found = await findPlatform(ctx.deps, spec.issuer, spec.clientId);
  if (found && found.platformId !== self) {
    throw userError(UserErrorCode.DUPLICATE, 'this issuer and client id are already registered', ['input', 'clientId']);
  }
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const ltiPlatformService = {
  async list(ctx: RequestContext, page: PageArgs) {
    ctx.assert(Permission.LTI_MANAGE);
    const qb = ctx.manager.createQueryBuilder(LtiPlatform, 'p').where('p.organization_id = :org', { org: ctx.orgId });
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: "date_trunc('milliseconds', p.created_at)", key: (p) => p.createdAt.toISOString(), kind: 'timestamp' },
      { sql: 'p.id', key: (p) => p.id, kind: 'uuid' },
    ]);
  },

  async findOne(ctx: RequestContext, id: string): Promise<LtiPlatform> {
    ctx.assert(Permission.LTI_MANAGE);
    return getEntityOrThrow(ctx, LtiPlatform, id, 'LtiPlatform');
  },

  /** Stores a checked registration (also what dynamic registration calls); audited. */
  async create(ctx: RequestContext, spec: PlatformSpec, via: LtiRegistrationMethod): Promise<LtiPlatform> {
    await assertUnique(ctx, spec, null);
    const saved = await ctx.manager.save(LtiPlatform, ctx.manager.create(LtiPlatform, { ...spec, organizationId: ctx.orgId, registeredVia: via, active: true }));
    await auditService.record(ctx, { action: 'ltiPlatform.register', entityType: 'LtiPlatform', entityId: saved.id, before: null, after: view(saved) });
    return saved;
  },

  async register(ctx: RequestContext, input: RegisterLtiPlatformInput): Promise<LtiPlatform> {
    ctx.assert(Permission.LTI_MANAGE);
    return this.create(ctx, checkSpec(ctx, { ...input }), LtiRegistrationMethod.MANUAL);
  },

  async update(ctx: RequestContext, id: string, input: UpdateLtiPlatformInput): Promise<LtiPlatform> {
    const platform = await this.findOne(ctx, id);
    const before = view(platform);
    const given = Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'id' && k !== 'active' && v !== null && v !== undefined));
    const spec = checkSpec(ctx, { ...before, ...given });
    const active = input.active ?? platform.active;
    if (active && (!platform.active || spec.issuer !== platform.issuer || spec.clientId !== platform.clientId)) await assertUnique(ctx, spec, platform.id);
    Object.assign(platform, spec, { active });
    const saved = await ctx.manager.save(LtiPlatform, platform);
    await auditService.record(ctx, { action: 'ltiPlatform.update', entityType: 'LtiPlatform', entityId: id, before, after: view(saved) });
    return saved;
  },

  /** Refuses every later launch from the platform; its users, links and enrollments stay. */
  async deactivate(ctx: RequestContext, id: string): Promise<LtiPlatform> {
    const platform = await this.findOne(ctx, id);
    if (!platform.active) throw userError(UserErrorCode.CONFLICT, 'the registration is already inactive', ['input', 'id']);
    const before = view(platform);
    platform.active = false;
    const saved = await ctx.manager.save(LtiPlatform, platform);
    await auditService.record(ctx, { action: 'ltiPlatform.deactivate', entityType: 'LtiPlatform', entityId: id, before, after: view(saved) });
    return saved;
  },

  /** A one-time dynamic-registration link; only its hash is stored. */
  async createRegistrationLink(ctx: RequestContext, input: CreateLtiRegistrationLinkInput): Promise<{ url: string; expiresAt: Date }> {
    ctx.assert(Permission.LTI_MANAGE);
    const check = new InputCheck();
    if (!LTI_GRANTABLE_ROLES.includes(input.maxRole)) check.add(UserErrorCode.INVALID, 'maxRole must be LEARNER, AUTHOR or ORG_ADMIN', ['input', 'maxRole']);
    const hours = input.validHours ?? 24;
    if (!Number.isInteger(hours) || hours < 1 || hours > 168) check.add(UserErrorCode.INVALID, msg('{field} must be between {min} and {max}', { field: 'validHours', min: 1, max: 168 }), ['input', 'validHours']);
    if (!check.ok) throw new UserErrors(check.errors);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + hours * 3600_000);
    const row = await ctx.manager.save(LtiRegistrationToken, ctx.manager.create(LtiRegistrationToken, {
      organizationId: ctx.orgId, tokenHash: hashToken(token), maxRole: input.maxRole, createdBy: ctx.actor, expiresAt, usedAt: null,
    }));
    await auditService.record(ctx, { action: 'ltiRegistrationLink.create', entityType: 'LtiRegistrationToken', entityId: row.id, before: null, after: { maxRole: input.maxRole, expiresAt: expiresAt.toISOString() } });
    const org = await ctx.manager.findOneByOrFail(Organization, { id: ctx.orgId });
    return { url: `${ltiUrls(ctx.deps.config.publicUrl, org.slug).register}?cg_token=${token}`, expiresAt };
  },

  /** Takes a dynamic-registration token (once): the role ceiling it was minted with, or null. */
  async consumeRegistrationToken(ctx: RequestContext, token: string): Promise<Role | null> {
    const rows = (await ctx.manager.query(
      `UPDATE lti_registration_token SET used_at = now() WHERE organization_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > now() RETURNING max_role`,
      [ctx.orgId, hashToken(token)],
    )) as [{ max_role: Role }[], number];
    return rows[0][0]?.max_role ?? null;
  },

  /** Rotates the organization's tool key (tool-key.ts); audited. Returns the new kid. */
  async rotateKey(ctx: RequestContext): Promise<string> {
    ctx.assert(Permission.LTI_MANAGE);
    const kid = await rotateToolKey(ctx);
    await auditService.record(ctx, { action: 'ltiToolKey.rotate', entityType: 'LtiToolKey', entityId: kid, before: null, after: { kid } });
    return kid;
  },

  async toolConfiguration(ctx: RequestContext) {
    ctx.assert(Permission.LTI_MANAGE);
    const org = await ctx.manager.findOneByOrFail(Organization, { id: ctx.orgId });
    const urls = ltiUrls(ctx.deps.config.publicUrl, org.slug);
    return { loginUrl: urls.login, launchUrl: urls.launch, deepLinkingUrl: urls.launch, jwksUrl: urls.jwks, dynamicRegistrationUrl: urls.register };
  },
};
