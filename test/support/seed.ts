import type { DataSource } from 'typeorm';
import { newId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';

export interface SeededUser {
  id: string;
  externalId: string;
  roles: Role[];
}

/** A seeded organization with a fluent way to add people; writes as the owner (bypasses RLS). */
export class SeededOrg {
  readonly users: Record<string, SeededUser> = {};
  constructor(private readonly owner: DataSource, readonly id: string, readonly slug: string) {}

  /** Adds a user keyed `key` (external id `<slug>-<key>`). */
  async user(key: string, roles: Role[] = [Role.LEARNER], fields: { orgUnitPath?: string; managerKey?: string; jobTitle?: string } = {}): Promise<SeededUser> {
    const id = newId();
    const externalId = `${this.slug}-${key}`;
    await this.owner.query(
      `INSERT INTO app_user (organization_id, id, external_id, name, email, org_unit_path, job_title, manager_id, roles)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [this.id, id, externalId, `${key} of ${this.slug}`, `${key}@${this.slug}.test`, fields.orgUnitPath ?? '', fields.jobTitle ?? null,
        fields.managerKey ? this.users[fields.managerKey].id : null, roles],
    );
    this.users[key] = { id, externalId, roles };
    return this.users[key];
  }
}

/** Creates an organization with the given slug. */
export async function seedOrg(owner: DataSource, slug: string): Promise<SeededOrg> {
  const id = newId();
  await owner.query(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, $2, $3, 'testing')`, [id, slug, `Org ${slug}`]);
  return new SeededOrg(owner, id, slug);
}

/** Registers a platform admin subject. */
export async function seedPlatformAdmin(owner: DataSource, subject = 'root'): Promise<string> {
  await owner.query(`INSERT INTO platform_admin (subject, name) VALUES ($1, $1) ON CONFLICT DO NOTHING`, [subject]);
  return subject;
}
