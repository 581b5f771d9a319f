import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission, Role } from '../../shared/permissions';
import { UserErrorCode, UserErrors } from '../../shared/payload';
import { InputCheck } from '../../shared/validate';
import { AppUser } from '../user/user.entity';
import { auditService } from '../audit/audit.service';
import { Organization } from './organization.entity';
import type { CreateOrganizationInput } from './organization.inputs';
import { msg } from '../../shared/i18n/message';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/;
const slugCache = new Map<string, string>();

export const organizationService = {
  /** The caller's organization. */
  async current(ctx: RequestContext): Promise<Organization> {
    const org = await ctx.manager.findOneBy(Organization, { id: ctx.orgId });
    if (!org) throw notFound('Organization');
    return org;
  },

  /** Platform admins: every organization. */
  async list(ctx: RequestContext, page: PageArgs) {
    ctx.assert(Permission.PLATFORM_MANAGE);
    const qb = ctx.manager.createQueryBuilder(Organization, 'o');
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: 'o.slug', key: (o) => o.slug, kind: 'text' },
      { sql: 'o.id', key: (o) => o.id, kind: 'uuid' },
    ]);
  },

  /** Platform admins: a new organization, optionally with its first org admin. */
  async create(ctx: RequestContext, input: CreateOrganizationInput): Promise<Organization> {
    ctx.assert(Permission.PLATFORM_MANAGE);
    const check = new InputCheck();
    const slug = check.text(input.slug, ['input', 'slug'], 40, true);
    if (slug && !SLUG.test(slug)) check.add(UserErrorCode.INVALID, 'slug must be lower-case letters, digits and dashes', ['input', 'slug']);
    const name = check.text(input.name, ['input', 'name'], 200, true);
    const nameEn = check.text(input.nameEn, ['input', 'nameEn'], 200);
    const industry = check.text(input.industry, ['input', 'industry'], 200, true);
    const locale = input.defaultLocale ?? 'zh-CN';
    if (!['zh-CN', 'en'].includes(locale)) check.add(UserErrorCode.INVALID, 'defaultLocale must be zh-CN or en', ['input', 'defaultLocale']);
    const adminExt = input.admin ? check.text(input.admin.externalId, ['input', 'admin', 'externalId'], 200, true) : null;
    const adminName = input.admin ? check.text(input.admin.name, ['input', 'admin', 'name'], 200, true) : null;
    if (slug && (await ctx.manager.existsBy(Organization, { slug }))) check.add(UserErrorCode.DUPLICATE, msg('slug {slug} is taken', { slug }), ['input', 'slug']);
    if (!check.ok) throw new UserErrors(check.errors);
    const org = ctx.manager.create(Organization, { slug: slug!, name: name!, nameEn, industry: industry!, defaultLocale: locale });
    await ctx.manager.insert(Organization, org);
    await ctx.transaction.asTenant(org.id, async () => {
      await auditService.record(ctx, { organizationId: org.id, action: 'organization.create', entityType: 'Organization', entityId: org.id, after: { slug: org.slug, name: org.name } });
      if (!adminExt || !adminName) return;
      const admin = ctx.manager.create(AppUser, { organizationId: org.id, externalId: adminExt, name: adminName, email: input.admin?.email ?? null, roles: [Role.ORG_ADMIN] });
      await ctx.manager.insert(AppUser, admin);
      await auditService.record(ctx, { organizationId: org.id, action: 'user.create', entityType: 'User', entityId: admin.id, after: { externalId: adminExt, roles: admin.roles } });
    });
    return (await ctx.manager.findOneBy(Organization, { id: org.id }))!;
  },

  /** Organization id for a token's `org` claim (id or slug); slugs are cached, they never change. */
  async resolveClaim(ds: DataSource, claim: string): Promise<string | null> {
    if (isUuid(claim)) return claim;
    const cached = slugCache.get(claim);
    if (cached) return cached;
    const org = await ds.manager.findOneBy(Organization, { slug: claim });
    if (org) slugCache.set(claim, org.id);
    return org?.id ?? null;
  },
};
