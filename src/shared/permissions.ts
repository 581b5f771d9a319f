import { registerEnumType } from 'type-graphql';

/** Roles inside an organization (DESIGN §5); PLATFORM_ADMIN is platform-wide. */
export enum Role {
  LEARNER = 'LEARNER',
  MANAGER = 'MANAGER',
  AUTHOR = 'AUTHOR',
  HR = 'HR',
  ORG_ADMIN = 'ORG_ADMIN',
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
}
registerEnumType(Role, { name: 'Role', description: 'A role held in an organization, or on the platform.' });

/**
 * What a caller may do. Roles grant sets of permissions; API keys carry permissions directly as
 * their scopes, so a key never holds more than it was created with.
 */
export enum Permission {
  ORG_READ = 'ORG_READ',
  USERS_READ = 'USERS_READ',
  USERS_WRITE = 'USERS_WRITE',
  API_KEYS_MANAGE = 'API_KEYS_MANAGE',
  /** Register LMSs (LTI 1.3 platforms), mint dynamic-registration links, rotate the tool's keys. */
  LTI_MANAGE = 'LTI_MANAGE',
  AUDIT_READ = 'AUDIT_READ',
  CATALOG_READ = 'CATALOG_READ',
  COURSES_AUTHOR = 'COURSES_AUTHOR',
  ENROLLMENTS_MANAGE = 'ENROLLMENTS_MANAGE',
  PROGRESS_READ_ALL = 'PROGRESS_READ_ALL',
  PROGRESS_READ_TEAM = 'PROGRESS_READ_TEAM',
  LEARN = 'LEARN',
  CERTIFICATES_MANAGE = 'CERTIFICATES_MANAGE',
  REPORTS_READ = 'REPORTS_READ',
  PLATFORM_MANAGE = 'PLATFORM_MANAGE',
}
registerEnumType(Permission, { name: 'Permission', description: 'An action a role or API key scope allows.' });

const P = Permission;
const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.LEARNER]: [P.ORG_READ, P.CATALOG_READ, P.LEARN],
  [Role.MANAGER]: [P.ORG_READ, P.CATALOG_READ, P.LEARN, P.USERS_READ, P.PROGRESS_READ_TEAM],
  [Role.AUTHOR]: [P.ORG_READ, P.CATALOG_READ, P.LEARN, P.COURSES_AUTHOR],
  [Role.HR]: [
    P.ORG_READ, P.CATALOG_READ, P.LEARN, P.USERS_READ, P.USERS_WRITE, P.ENROLLMENTS_MANAGE,
    P.PROGRESS_READ_ALL, P.PROGRESS_READ_TEAM, P.CERTIFICATES_MANAGE, P.REPORTS_READ,
  ],
  [Role.ORG_ADMIN]: Object.values(Permission).filter((p) => p !== P.PLATFORM_MANAGE),
  [Role.PLATFORM_ADMIN]: [P.PLATFORM_MANAGE],
};

/** The union of the permissions the given roles grant. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

/** Roles that can be granted inside an organization (not PLATFORM_ADMIN). */
export const ORG_ROLES: readonly Role[] = [Role.LEARNER, Role.MANAGER, Role.AUTHOR, Role.HR, Role.ORG_ADMIN];

/** What every member of an organization holds (a learner's permissions). */
const MEMBER_BASELINE: ReadonlySet<Permission> = new Set(ROLE_PERMISSIONS[Role.LEARNER]);

/**
 * Whether a caller holding `held` may grant `role`, or change (edit, demote, deactivate) someone who
 * holds it: an organization role whose every permission beyond the member baseline the caller
 * holds too, so HR manages learners and HR but never an org admin. Needs USERS_WRITE.
 */
export function mayGrant(held: ReadonlySet<Permission>, role: Role): boolean {
  if (!ORG_ROLES.includes(role) || !held.has(Permission.USERS_WRITE)) return false;
  return ROLE_PERMISSIONS[role].every((p) => MEMBER_BASELINE.has(p) || held.has(p));
}

/** Whether a caller holding `held` may hand out, or revoke, an API key with `scopes`. */
export function mayGrantScopes(held: ReadonlySet<Permission>, scopes: readonly Permission[]): boolean {
  return scopes.every((p) => held.has(p));
}
