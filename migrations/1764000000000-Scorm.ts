import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/** Imported SCORM packages. */
export class Scorm1764000000000 implements MigrationInterface {
  name = 'Scorm1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "scorm_package" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "title" text NOT NULL, "version" text NOT NULL, "edition" text, "scos" jsonb NOT NULL, "file_count" integer NOT NULL, "total_bytes" integer NOT NULL, "original_name" text, "uploaded_by" text NOT NULL, CONSTRAINT "PK_scorm_package" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`ALTER TABLE "scorm_package" ADD CONSTRAINT "FK_e61732d80e5a4a8876cee4bc31b" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'scorm_package');
    await grantAppAccess(q, 'scorm_package', 'SELECT, INSERT');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'scorm_package');
    await q.query(`DROP TABLE "scorm_package"`);
  }
}
