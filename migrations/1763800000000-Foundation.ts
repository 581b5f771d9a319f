import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

const TENANT_TABLES = ['app_user', 'api_key', 'audit_event'];

/** Organizations, platform admins, users, API keys, the audit log; the app role and RLS. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
      END IF;
    END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);

    await q.query(`CREATE TABLE "organization" ("id" uuid NOT NULL, "slug" text NOT NULL, "name" text NOT NULL, "name_en" text, "industry" text NOT NULL, "default_locale" text NOT NULL DEFAULT 'zh-CN', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a08804baa7c5d5427067c49a31f" UNIQUE ("slug"), CONSTRAINT "PK_472c1f99a32def1b0abb219cd67" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "platform_admin" ("subject" text NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_64c8c69794521aef9d89e137557" PRIMARY KEY ("subject"))`);
    await q.query(`CREATE TABLE "app_user" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "external_id" text NOT NULL, "employee_id" text, "name" text NOT NULL, "email" text, "org_unit_path" text NOT NULL DEFAULT '', "job_title" text, "manager_id" uuid, "roles" text array NOT NULL DEFAULT '{LEARNER}', "status" text NOT NULL DEFAULT 'ACTIVE', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_baf91babb33fa4711e9ea258e67" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_app_user_manager" ON "app_user" ("organization_id", "manager_id")`);
    await q.query(`CREATE INDEX "ix_app_user_org_unit" ON "app_user" ("organization_id", "org_unit_path")`);
    await q.query(`CREATE UNIQUE INDEX "uq_app_user_employee_id" ON "app_user" ("organization_id", "employee_id") WHERE employee_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_app_user_external_id" ON "app_user" ("organization_id", "external_id")`);
    await q.query(`CREATE TABLE "api_key" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "key_id" text NOT NULL, "name" text NOT NULL, "secret_hash" text NOT NULL, "scopes" text array NOT NULL, "created_by" text, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d6198c8c0e4199284b281e39af6" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_api_key_key_id" ON "api_key" ("organization_id", "key_id")`);
    await q.query(`CREATE TABLE "audit_event" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" text NOT NULL, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text, "before" jsonb, "after" jsonb, "request_id" text, CONSTRAINT "PK_e35e3d957cb347be88662967c00" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_audit_event_created" ON "audit_event" ("organization_id", "created_at")`);
    await q.query(`CREATE INDEX "ix_audit_event_entity" ON "audit_event" ("organization_id", "entity_type", "entity_id")`);
    await q.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_c4c90a083fb10c1386782b5aac5" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_ebbc074335fac7e41404a3d38c2" FOREIGN KEY ("organization_id", "manager_id") REFERENCES "app_user"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_key" ADD CONSTRAINT "FK_f8bf75c998e043dc6ad022d28a8" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "audit_event" ADD CONSTRAINT "FK_6a01223fcf5d632690399f865de" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    for (const table of TENANT_TABLES) await enableTenantRls(q, table);
    await grantAppAccess(q, 'organization', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'platform_admin', 'SELECT');
    await grantAppAccess(q, 'app_user');
    await grantAppAccess(q, 'api_key', 'SELECT, INSERT, UPDATE');
    // The audit log is append-only for the application.
    await grantAppAccess(q, 'audit_event', 'SELECT, INSERT');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) await disableTenantRls(q, table);
    await q.query(`DROP TABLE "audit_event"`);
    await q.query(`DROP TABLE "api_key"`);
    await q.query(`DROP TABLE "app_user"`);
    await q.query(`DROP TABLE "platform_admin"`);
    await q.query(`DROP TABLE "organization"`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
  }
}
