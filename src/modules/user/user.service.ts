import { Brackets, In } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { forbidden } from '../../shared/errors';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission, Role, mayGrant } from '../../shared/permissions';
import { UserErrorCode, UserErrors } from '../../shared/payload';
import { InputCheck, isEmail } from '../../shared/validate';
import { getEntityOrThrow } from '../../shared/scoped';
import { auditService } from '../audit/audit.service';
import { AppUser, UserStatus } from './user.entity';
import type { UserFilter, UserInput } from './user.inputs';
import { msg } from '../../shared/i18n/message';

export const MAX_UPSERT_USERS = 500;

/** Normalizes an org unit path: trimmed segments joined by "/", no empty segments. */
export function normalizeOrgUnitPath(path: string): string {
  return path.split('/').map((s) => s.trim()).filter(Boolean).join('/');
}

/**
 * SQL condition for "in org unit `path` or below it" on column `column`. "Below" is a byte-order
 * range (`path/` up to `path0`, "0" being the character after "/"), compared in the C collation
 * whatever the database's, so the ix_app_user_org_unit_prefix index answers it.
 */
export function orgUnitSubtree(column: string, param: string): string {
  return `(${column} = :${param} OR (${column} COLLATE "C" >= (:${param} || '/') AND ${column} COLLATE "C" < (:${param} || '0')))`;
}

const SNAPSHOT_FIELDS = ['externalId', 'employeeId', 'name', 'email', 'orgUnitPath', 'jobTitle', 'managerId', 'roles', 'status'] as const;
const snapshot = (u: AppUser): Record<string, unknown> => Object.fromEntries(SNAPSHOT_FIELDS.map((k) => [k, u[k]]));

/** A caller may grant a role only when they hold every permission it carries (no escalation). */
const canGrant = (ctx: RequestContext, role: Role): boolean => mayGrant(ctx.permissions, role);

export const userService = {
  async findOne(ctx: RequestContext, id: string): Promise<AppUser> {
    const user = await getEntityOrThrow(ctx, AppUser, id, 'User');
    if (!(await this.visibleIds(ctx, [user.id])).has(user.id)) throw forbidden();
    return user;
  },

  /** Whom the caller may see: everyone (HR, admins), their team (managers), or themselves. */
  async visibleIds(ctx: RequestContext, ids: string[]): Promise<Set<string>> {
    if (ctx.can(Permission.USERS_WRITE) || ctx.can(Permission.PROGRESS_READ_ALL) || ctx.can(Permission.USERS_READ) && !ctx.can(Permission.PROGRESS_READ_TEAM)) {
      return new Set(ids);
    }
    const qb = ctx.manager.createQueryBuilder(AppUser, 'u').select('u.id', 'id').where('u.organization_id = :org AND u.id IN (:...ids)', { org: ctx.orgId, ids });
    this.scopeToTeam(ctx, qb);
    const rows = await qb.getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  },

  /** Restricts a user query (alias `u`) to what a manager or a plain learner may see. */
  scopeToTeam(ctx: RequestContext, qb: { andWhere: (where: Brackets) => unknown }): void {
    const me = ctx.user;
    if (!me) throw forbidden();
    qb.andWhere(new Brackets((w) => {
      w.where('u.id = :me', { me: me.id });
      if (ctx.can(Permission.PROGRESS_READ_TEAM)) {
        w.orWhere('u.manager_id = :me', { me: me.id });
        if (me.orgUnitPath) w.orWhere(orgUnitSubtree('u.org_unit_path', 'myUnit'), { myUnit: me.orgUnitPath });
      }
    }));
  },

  async list(ctx: RequestContext, filter: UserFilter = {}, page: PageArgs) {
    ctx.assert(Permission.USERS_READ);
    const qb = ctx.manager.createQueryBuilder(AppUser, 'u').where('u.organization_id = :org', { org: ctx.orgId });
    if (!ctx.can(Permission.USERS_WRITE) && !ctx.can(Permission.PROGRESS_READ_ALL)) this.scopeToTeam(ctx, qb);
    if (filter.search?.trim()) {
      const like = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(u.name ILIKE :like OR u.email ILIKE :like OR u.employee_id ILIKE :like OR u.external_id ILIKE :like)', { like });
    }
    if (filter.orgUnitPath) qb.andWhere(orgUnitSubtree('u.org_unit_path', 'unit'), { unit: normalizeOrgUnitPath(filter.orgUnitPath) });
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.jobTitle) qb.andWhere('u.job_title = :jobTitle', { jobTitle: filter.jobTitle });
    if (filter.status) qb.andWhere('u.status = :status', { status: filter.status });
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: 'u.name', key: (u) => u.name, kind: 'text' },
      { sql: 'u.id', key: (u) => u.id, kind: 'uuid' },
    ]);
  },

  /** Creates or updates users by external id; all or nothing. */
  async upsert(ctx: RequestContext, inputs: UserInput[]): Promise<AppUser[]> {
    ctx.assert(Permission.USERS_WRITE);
    const check = new InputCheck();
    if (!check.count(inputs, ['input', 'users'], MAX_UPSERT_USERS, 1)) throw new UserErrors(check.errors);
    const rows = inputs.map((input, i) => this.checkInput(ctx, check, input, ['input', 'users', i]));
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      if (!r) return;
      if (seen.has(r.externalId)) check.add(UserErrorCode.DUPLICATE, msg('externalId {externalId} appears twice', { externalId: r.externalId }), ['input', 'users', i, 'externalId']);
      seen.set(r.externalId, i);
    });
    if (!check.ok) throw new UserErrors(check.errors);
    const valid = rows as NonNullable<(typeof rows)[number]>[];

    const existing = await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, externalId: In(valid.map((r) => r.externalId)) });
    const byExternal = new Map(existing.map((u) => [u.externalId, u]));
    const users = valid.map((r) => {
      const before = byExternal.get(r.externalId);
      const user = Object.assign(new AppUser(), before ?? { organizationId: ctx.orgId, roles: [Role.LEARNER], status: UserStatus.ACTIVE, managerId: null }, r.fields, { externalId: r.externalId });
      if (r.roles) user.roles = r.roles;
      if (r.status) user.status = r.status;
      return { before, user };
    });
    const managerIds = await this.resolveManagers(ctx, check, inputs, users.map((u) => u.user));
    users.forEach(({ user }, i) => {
      if (inputs[i].managerExternalId !== undefined) user.managerId = managerIds[i];
    });
    this.checkAuthority(ctx, check, users);
    await this.checkEmployeeIds(ctx, check, valid);
    if (!check.ok) throw new UserErrors(check.errors);

    // New users go in without managers first, so managers within the batch exist for the FK.
    const fresh = users.filter((u) => !u.before).map((u) => ({ ...u.user, managerId: null }));
    if (fresh.length) await ctx.manager.insert(AppUser, fresh);
    await ctx.manager.query(
      `UPDATE app_user u SET name = v.name, employee_id = v.employee_id, email = v.email, org_unit_path = v.org_unit_path,
         job_title = v.job_title, manager_id = v.manager_id, roles = v.roles, status = v.status, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, name text, employee_id text, email text, org_unit_path text,
         job_title text, manager_id uuid, roles text[], status text)
       WHERE u.organization_id = $1 AND u.id = v.id`,
      [ctx.orgId, JSON.stringify(users.map(({ user: u }) => ({
        id: u.id, name: u.name, employee_id: u.employeeId, email: u.email, org_unit_path: u.orgUnitPath,
        job_title: u.jobTitle, manager_id: u.managerId, roles: u.roles, status: u.status,
      })))],
    );
    const changed = users.filter(({ before, user }) => !before || JSON.stringify(snapshot(before)) !== JSON.stringify(snapshot(user)));
    await auditService.record(ctx, changed.map(({ before, user }) => ({
      action: before ? 'user.update' : 'user.create',
      entityType: 'User',
      entityId: user.id,
      before: before ? snapshot(before) : null,
      after: snapshot(user),
    })));
    const saved = await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, id: In(users.map((u) => u.user.id)) });
    return users.map((u) => saved.find((f) => f.id === u.user.id) as AppUser);
  },

  checkInput(ctx: RequestContext, check: InputCheck, input: UserInput, path: (string | number)[]) {
    const before = check.errors.length;
    const externalId = check.text(input.externalId, [...path, 'externalId'], 200, true);
    const name = check.text(input.name, [...path, 'name'], 200, true);
    const employeeId = check.text(input.employeeId, [...path, 'employeeId'], 100);
    const email = check.text(input.email, [...path, 'email'], 320);
    if (email && !isEmail(email)) check.add(UserErrorCode.INVALID, 'email is not an email address', [...path, 'email']);
    const unit = check.text(input.orgUnitPath, [...path, 'orgUnitPath'], 500);
    const jobTitle = check.text(input.jobTitle, [...path, 'jobTitle'], 200);
    check.text(input.managerExternalId, [...path, 'managerExternalId'], 200);
    if (input.roles) {
      if (input.roles.length === 0) check.add(UserErrorCode.INVALID, 'a user needs at least one role', [...path, 'roles']);
      for (const role of input.roles) {
        if (!canGrant(ctx, role)) check.add(UserErrorCode.FORBIDDEN, msg('you cannot grant the role {role}', { role }), [...path, 'roles']);
      }
    }
    if (check.errors.length > before || !externalId || !name) return null;
    return {
      externalId,
      roles: input.roles ? [...new Set(input.roles)] : null,
      status: input.status ?? null,
      fields: { name, employeeId, email, orgUnitPath: unit ? normalizeOrgUnitPath(unit) : '', jobTitle },
    };
  },

  /**
   * An existing user is changed (edited, given other roles, deactivated) only by a caller who may
   * grant every role they hold now: HR cannot demote, deactivate or edit an org admin. Rows sent
   * unchanged (an LMS syncing everyone) pass.
   */
  checkAuthority(ctx: RequestContext, check: InputCheck, users: { before?: AppUser; user: AppUser }[]): void {
    users.forEach(({ before, user }, i) => {
      if (!before || JSON.stringify(snapshot(before)) === JSON.stringify(snapshot(user))) return;
      const above = before.roles.filter((role) => !canGrant(ctx, role));
      if (above.length) check.add(UserErrorCode.FORBIDDEN, msg('you cannot change a user who holds {roles}', { roles: above.join(', ') }), ['input', 'users', i]);
    });
  },

  /** Manager ids for each input, from this batch or already provisioned users. */
  async resolveManagers(ctx: RequestContext, check: InputCheck, inputs: UserInput[], batch: AppUser[]): Promise<(string | null)[]> {
    const idOf = new Map(batch.map((u) => [u.externalId, u.id]));
    const outside = [...new Set(inputs.map((i) => i.managerExternalId?.trim()).filter((m): m is string => !!m && !idOf.has(m)))];
    if (outside.length) {
      for (const u of await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, externalId: In(outside) })) idOf.set(u.externalId, u.id);
    }
    return inputs.map((input, i) => {
      const m = input.managerExternalId?.trim();
      if (!m) return null;
      const path = ['input', 'users', i, 'managerExternalId'];
      if (m === batch[i].externalId) check.add(UserErrorCode.INVALID, 'a user cannot be their own manager', path);
      else if (!idOf.has(m)) check.add(UserErrorCode.NOT_FOUND, msg('manager {manager} is not provisioned', { manager: m }), path);
      return idOf.get(m) ?? null;
    });
  },

  async checkEmployeeIds(ctx: RequestContext, check: InputCheck, rows: { externalId: string; fields: { employeeId: string | null } }[]): Promise<void> {
    const ids = rows.map((r) => r.fields.employeeId).filter((e): e is string => !!e);
    if (!ids.length) return;
    const holders = await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, employeeId: In(ids) });
    const batch = new Map<string, string>();
    rows.forEach((r, i) => {
      const emp = r.fields.employeeId;
      if (!emp) return;
      const holder = holders.find((h) => h.employeeId === emp && h.externalId !== r.externalId);
      const other = batch.get(emp);
      if (holder || (other && other !== r.externalId)) check.add(UserErrorCode.DUPLICATE, msg('employee id {employeeId} belongs to another user', { employeeId: emp }), ['input', 'users', i, 'employeeId']);
      batch.set(emp, r.externalId);
    });
  },
};
