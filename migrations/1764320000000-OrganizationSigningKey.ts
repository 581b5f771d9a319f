import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/** Each organization's Open Badges signing key (Ed25519, secret sealed with the server secret). */
export class OrganizationSigningKey1764320000000 implements MigrationInterface {
  name = 'OrganizationSigningKey1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "organization_signing_key" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "public_key_multibase" text NOT NULL, "sealed_secret_key" text NOT NULL, CONSTRAINT "PK_8fc5f7860f55c98ffe7a7372da5" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_organization_signing_key_org" ON "organization_signing_key" ("organization_id")`);
    await q.query(`ALTER TABLE "organization_signing_key" ADD CONSTRAINT "FK_67ad66a2035f97f06eb828dba53" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'organization_signing_key');
    // Keys are written once and never changed by the application.
    await grantAppAccess(q, 'organization_signing_key', 'SELECT, INSERT');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'organization_signing_key');
    await q.query(`DROP TABLE "organization_signing_key"`);
  }
}
