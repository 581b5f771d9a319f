import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/** Certification reports exported in the background, with their progress and file. */
export class ReportExport1764420000000 implements MigrationInterface {
  name = 'ReportExport1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "report_export" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "format" text NOT NULL, "filter" jsonb NOT NULL, "scope" jsonb NOT NULL, "locale" text NOT NULL, "requested_by" text NOT NULL, "state" text NOT NULL DEFAULT 'QUEUED', "rows_written" integer NOT NULL DEFAULT '0', "total_rows" integer, "byte_size" bigint, "file_name" text, "error" text, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f11089049d8c36f5ad61c9bdbc0" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_report_export_expires" ON "report_export" ("organization_id", "expires_at")`);
    await q.query(`ALTER TABLE "report_export" ADD CONSTRAINT "FK_d17b4e7dfdc651de454bf3811a5" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'report_export');
    await grantAppAccess(q, 'report_export', 'SELECT, INSERT, UPDATE, DELETE');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'report_export');
    await q.query(`DROP TABLE "report_export"`);
  }
}
