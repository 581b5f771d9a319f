import type { QueryRunner } from 'typeorm';
import { APP_ROLE } from './app-role';

/** The expression every tenant policy compares `organization_id` with (DESIGN §4). */
export const TENANT_SETTING = `NULLIF(current_setting('app.organization_id', true), '')::uuid`;

/**
 * Row-level security for a tenant table, used by migrations: enabled, forced (so even the owner
 * obeys it), one policy for reads and writes on the request's tenant.
 */
export async function enableTenantRls(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY tenant_isolation ON "${table}" USING (organization_id = ${TENANT_SETTING}) WITH CHECK (organization_id = ${TENANT_SETTING})`,
  );
}

/** Reverses enableTenantRls. */
export async function disableTenantRls(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(`DROP POLICY IF EXISTS tenant_isolation ON "${table}"`);
  await queryRunner.query(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
}

/** Grants the application role data access (no DDL) on a table. */
export async function grantAppAccess(queryRunner: QueryRunner, table: string, privileges = 'SELECT, INSERT, UPDATE, DELETE'): Promise<void> {
  await queryRunner.query(`GRANT ${privileges} ON "${table}" TO ${APP_ROLE}`);
}
