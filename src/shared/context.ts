import type { DataSource, EntityManager } from 'typeorm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { forbidden, missingPermission, unauthenticated } from './errors';
import { Permission, Role, permissionsOf } from './permissions';
import { TenantTransaction } from './tenant-tx';
import type { AppUser } from '../modules/user/user.entity';

/** Who is calling, as established from the credentials before any database access. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; organizationId: string; subject: string }
  | { kind: 'platform'; subject: string }
  | { kind: 'apiKey'; organizationId: string; keyId: string; secret: string }
  /** Operator work (CLI, demo data, jobs): all permissions, in one tenant or on the platform. */
  | { kind: 'system'; organizationId: string | null; label: string }
  /** A verified signed token or public code (token-context.ts): no permissions, only its subject, in the tenant it names. */
  | { kind: 'token'; organizationId: string; purpose: string; subject: string };

export type Locale = 'zh-CN' | 'en';

/** What the context needs from the app: the data source and how to resolve a caller in a tenant. */
export interface ContextDeps {
  dataSource: DataSource;
  config: Config;
  /** Key for API key HMACs and signed tokens. */
  serverSecret: string;
  /** Loads the caller's user/roles inside the tenant transaction; throws UNAUTHENTICATED. */
  resolveCaller(ctx: RequestContext): Promise<void>;
  /** A statement that reads the caller's row, sent with BEGIN (see TenantTransaction.begin); `resolveCaller` reads its rows from `callerRows`. */
  callerStatement?(principal: Principal): string | undefined;
}

/**
 * Everything one request's work needs: the caller, their permissions, the tenant transaction's
 * EntityManager and the request's loaders. Services take it as their first argument.
 */
export class RequestContext {
  readonly loaders = new Map<unknown, unknown>();
  user: AppUser | null = null;
  /** The API key's row id, when an API key is calling. */
  apiKeyId: string | null = null;
  roles: Role[] = [];
  permissions = new Set<Permission>();
  private tx: TenantTransaction | null = null;
  /** The rows of `deps.callerStatement`, read with BEGIN; undefined when none was sent. */
  get callerRows(): object[] | undefined {
    return this.tx?.leadRows;
  }

  constructor(
    readonly deps: ContextDeps,
    readonly principal: Principal,
    readonly requestId: string,
    readonly log: FastifyBaseLogger,
    readonly locale: Locale = 'zh-CN',
  ) {}

  /** The tenant of this request, or null for platform and anonymous callers. */
  get organizationId(): string | null {
    return this.principal.kind === 'anonymous' || this.principal.kind === 'platform' ? null : this.principal.organizationId;
  }

  /** Same as organizationId, for code that only runs inside a tenant. */
  get orgId(): string {
    const id = this.organizationId;
    if (!id) throw forbidden('This operation needs an organization');
    return id;
  }

  get manager(): EntityManager {
    if (!this.tx) throw new Error('request transaction not started');
    return this.tx.manager;
  }

  get transaction(): TenantTransaction {
    if (!this.tx) throw new Error('request transaction not started');
    return this.tx;
  }

  get started(): boolean {
    return this.tx !== null;
  }

  /** SQL statements this request has sent. */
  get statementCount(): number {
    return this.tx?.statementCount ?? 0;
  }

  /** A label for audit records: the user's external id or the API key. */
  get actor(): string {
    if (this.user) return `user:${this.user.externalId}`;
    if (this.principal.kind === 'apiKey') return `apikey:${this.principal.keyId}`;
    if (this.principal.kind === 'platform') return `platform:${this.principal.subject}`;
    if (this.principal.kind === 'system') return `system:${this.principal.label}`;
    if (this.principal.kind === 'token') return `token:${this.principal.purpose}`;
    return 'anonymous';
  }

  /** Opens the request's tenant transaction and resolves the caller's roles in it. */
  async begin(readOnly: boolean): Promise<void> {
    this.tx = await TenantTransaction.begin(this.deps.dataSource, this.organizationId, readOnly, this.deps.callerStatement?.(this.principal));
    try {
      await this.deps.resolveCaller(this);
    } catch (err) {
      await this.finish(false);
      throw err;
    }
  }

  /** Grants the roles a caller holds. */
  grant(roles: Role[], extra: Permission[] = []): void {
    this.roles = roles;
    this.permissions = permissionsOf(roles);
    for (const p of extra) this.permissions.add(p);
  }

  /** Commits (or rolls back) and releases the connection; safe to call twice. */
  async finish(commit: boolean): Promise<void> {
    const tx = this.tx;
    if (!tx) return;
    if (commit) await tx.commit();
    else await tx.rollback();
  }

  /** Runs `fn` in a context of its own transaction (committed on success), as the given principal. */
  static run<T>(deps: ContextDeps, principal: Principal, log: FastifyBaseLogger, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
    return new RequestContext(deps, principal, `${principal.kind}-${Date.now()}`, log).runInTransaction(fn);
  }

  /** Opens this context's transaction, runs `fn`, commits on success and rolls back on error. */
  async runInTransaction<T>(fn: (ctx: RequestContext) => Promise<T>, readOnly = false): Promise<T> {
    await this.begin(readOnly);
    try {
      const result = await fn(this);
      await this.finish(true);
      return result;
    } catch (err) {
      await this.finish(false);
      throw err;
    }
  }

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  /** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN when the permission is missing. */
  assert(...required: Permission[]): void {
    if (this.principal.kind === 'anonymous') throw unauthenticated();
    for (const p of required) if (!this.permissions.has(p)) throw missingPermission(p);
  }
}
