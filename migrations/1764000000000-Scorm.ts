import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

const TABLES = ['scorm_package', 'scorm_session'];

/** Imported SCORM packages and run-time sessions. */
export class Scorm1764000000000 implements MigrationInterface {
  name = 'Scorm1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "scorm_package" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "title" text NOT NULL, "version" text NOT NULL, "edition" text, "scos" jsonb NOT NULL, "file_count" integer NOT NULL, "total_bytes" integer NOT NULL, "original_name" text, "uploaded_by" text NOT NULL, CONSTRAINT "PK_scorm_package" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`ALTER TABLE "scorm_package" ADD CONSTRAINT "FK_e61732d80e5a4a8876cee4bc31b" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`CREATE TABLE "scorm_session" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempt_id" uuid NOT NULL, "commit_sequence" integer NOT NULL DEFAULT '0', "superseded" boolean NOT NULL DEFAULT false, "finished_at" TIMESTAMP WITH TIME ZONE, "entry" text NOT NULL DEFAULT 'ab-initio', CONSTRAINT "PK_89fbaee81f741e6fb1782f3cd5b" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_scorm_session_attempt" ON "scorm_session" ("organization_id", "attempt_id")`);
    await q.query(`ALTER TABLE "scorm_session" ADD CONSTRAINT "FK_af492ed151457fc9fea162b3f46" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "scorm_session" ADD CONSTRAINT "FK_ca48d99a55b750bfd93ae3398dc" FOREIGN KEY ("organization_id", "attempt_id") REFERENCES "activity_attempt"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    for (const table of TABLES) await enableTenantRls(q, table);
    await grantAppAccess(q, 'scorm_package', 'SELECT, INSERT');
    await grantAppAccess(q, 'scorm_session', 'SELECT, INSERT, UPDATE');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await disableTenantRls(q, table);
    await q.query(`DROP TABLE "scorm_session"`);
    await q.query(`DROP TABLE "scorm_package"`);
  }
}
