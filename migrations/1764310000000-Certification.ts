import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';
import { certificateStatusSql } from '../src/modules/certificate/certificate.rules';

const TENANT_TABLES = ['certificate', 'certificate_counter'];

/**
 * Certification: enrollment cycles (one open cycle per user and course, past cycles kept), the
 * revision's certification rule, certificates with their per-organization counters, and the one
 * narrow public lookup by verification code.
 */
export class Certification1764310000000 implements MigrationInterface {
  name = 'Certification1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."uq_enrollment_user_course"`);
    await q.query(`CREATE TABLE "certificate" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "number" text NOT NULL, "verification_code" text NOT NULL, "status_list_index" integer NOT NULL, "user_id" uuid NOT NULL, "course_id" uuid NOT NULL, "revision_id" uuid, "enrollment_id" uuid, "cycle" integer, "holder_name" text NOT NULL, "course_title" jsonb NOT NULL, "score" double precision, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL DEFAULT 'ACTIVE', "issued_by" text NOT NULL, "issue_reason" text, "external_reference" text, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" text, "revocation_reason" text, "superseded_at" TIMESTAMP WITH TIME ZONE, "superseded_by_id" uuid, "recertification_window_days" integer, "recertification_enrollment_id" uuid, "expiry_reminded_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d10bd36f83bbc11fa85d349980f" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_certificate_valid_until" ON "certificate"  ("organization_id", "valid_until")`);
    await q.query(`CREATE INDEX "ix_certificate_user_course" ON "certificate"  ("organization_id", "user_id", "course_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_certificate_enrollment" ON "certificate"  ("organization_id", "enrollment_id") WHERE enrollment_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_certificate_status_list_index" ON "certificate"  ("organization_id", "status_list_index")`);
    await q.query(`CREATE INDEX "ix_certificate_verification_code" ON "certificate"  ("verification_code")`);
    await q.query(`CREATE UNIQUE INDEX "uq_certificate_verification_code" ON "certificate"  ("organization_id", "verification_code")`);
    await q.query(`CREATE UNIQUE INDEX "uq_certificate_number" ON "certificate"  ("organization_id", "number")`);
    await q.query(`CREATE TABLE "certificate_counter" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "scope" text NOT NULL, "last_value" integer NOT NULL, CONSTRAINT "PK_296365728482fb9fef1aa80268e" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_certificate_counter_scope" ON "certificate_counter"  ("organization_id", "scope")`);
    await q.query(`ALTER TABLE "course_revision" ADD "certification_rule" jsonb`);
    await q.query(`ALTER TABLE "enrollment" ADD "cycle" integer NOT NULL DEFAULT '1'`);
    await q.query(`ALTER TABLE "enrollment" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE UNIQUE INDEX "uq_enrollment_cycle" ON "enrollment"  ("organization_id", "user_id", "course_id", "cycle")`);
    await q.query(`CREATE UNIQUE INDEX "uq_enrollment_open_cycle" ON "enrollment"  ("organization_id", "user_id", "course_id") WHERE closed_at IS NULL`);
    await q.query(`ALTER TABLE "certificate" ADD CONSTRAINT "FK_3c150f88f50f4acfc635c9545fd" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "certificate" ADD CONSTRAINT "FK_420c39aaff32bf1e5800839672c" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "certificate" ADD CONSTRAINT "FK_cfd6adf38b5f8c9e15d1e7be756" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "certificate" ADD CONSTRAINT "FK_b200d6b5060d98527b1345fd184" FOREIGN KEY ("organization_id", "revision_id") REFERENCES "course_revision"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "certificate" ADD CONSTRAINT "FK_3712d996e21485345f4bd632a9a" FOREIGN KEY ("organization_id", "enrollment_id") REFERENCES "enrollment"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "certificate_counter" ADD CONSTRAINT "FK_4f424d6c776783467054e3839b2" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    for (const table of TENANT_TABLES) await enableTenantRls(q, table);
    await grantAppAccess(q, 'certificate', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'certificate_counter', 'SELECT, INSERT, UPDATE');
    await this.createVerifyFunction(q);
  }

  /**
   * The public verify page crosses tenants without opening RLS to the application: this SECURITY
   * DEFINER function runs as the migration owner, with a fixed search_path, and sees a certificate
   * only through the policy below, which admits the owner to the ONE row whose code the function
   * was called with (the setting is local to the call: the SET clause restores it on exit).
   * Only the application role may execute it; it returns public fields only.
   */
  async createVerifyFunction(q: QueryRunner): Promise<void> {
    await q.query(`CREATE POLICY verify_by_code ON "certificate" FOR SELECT TO CURRENT_USER
      USING (verification_code = NULLIF(current_setting('app.verification_code', true), ''))`);
    await q.query(`
      CREATE FUNCTION verify_certificate(p_code text)
      RETURNS TABLE (holder_name text, organization_name text, organization_name_en text, course_title jsonb, number text,
                     issued_at timestamptz, valid_from timestamptz, valid_until timestamptz, status text, revoked_at timestamptz)
      LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, pg_temp
      SET app.verification_code = ''
      AS $fn$
      BEGIN
        PERFORM set_config('app.verification_code', p_code, true);
        RETURN QUERY
          SELECT c.holder_name, o.name, o.name_en, c.course_title, c.number, c.issued_at, c.valid_from, c.valid_until,
                 ${certificateStatusSql('c')}, CASE WHEN c.status = 'REVOKED' THEN c.revoked_at END
            FROM public.certificate c JOIN public.organization o ON o.id = c.organization_id
           WHERE c.verification_code = p_code
           LIMIT 1;
      END
      $fn$`);
    await q.query('REVOKE ALL ON FUNCTION verify_certificate(text) FROM PUBLIC');
    await q.query(`GRANT EXECUTE ON FUNCTION verify_certificate(text) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION verify_certificate(text)');
    await q.query('DROP POLICY verify_by_code ON "certificate"');
    for (const table of TENANT_TABLES) await disableTenantRls(q, table);
    await q.query(`ALTER TABLE "certificate_counter" DROP CONSTRAINT "FK_4f424d6c776783467054e3839b2"`);
    await q.query(`ALTER TABLE "certificate" DROP CONSTRAINT "FK_3712d996e21485345f4bd632a9a"`);
    await q.query(`ALTER TABLE "certificate" DROP CONSTRAINT "FK_b200d6b5060d98527b1345fd184"`);
    await q.query(`ALTER TABLE "certificate" DROP CONSTRAINT "FK_cfd6adf38b5f8c9e15d1e7be756"`);
    await q.query(`ALTER TABLE "certificate" DROP CONSTRAINT "FK_420c39aaff32bf1e5800839672c"`);
    await q.query(`ALTER TABLE "certificate" DROP CONSTRAINT "FK_3c150f88f50f4acfc635c9545fd"`);
    await q.query(`DROP INDEX "public"."uq_enrollment_open_cycle"`);
    await q.query(`DROP INDEX "public"."uq_enrollment_cycle"`);
    await q.query(`ALTER TABLE "enrollment" DROP COLUMN "closed_at"`);
    await q.query(`ALTER TABLE "enrollment" DROP COLUMN "cycle"`);
    await q.query(`ALTER TABLE "course_revision" DROP COLUMN "certification_rule"`);
    await q.query(`DROP INDEX "public"."uq_certificate_counter_scope"`);
    await q.query(`DROP TABLE "certificate_counter"`);
    await q.query(`DROP INDEX "public"."uq_certificate_number"`);
    await q.query(`DROP INDEX "public"."uq_certificate_verification_code"`);
    await q.query(`DROP INDEX "public"."ix_certificate_verification_code"`);
    await q.query(`DROP INDEX "public"."uq_certificate_status_list_index"`);
    await q.query(`DROP INDEX "public"."uq_certificate_enrollment"`);
    await q.query(`DROP INDEX "public"."ix_certificate_user_course"`);
    await q.query(`DROP INDEX "public"."ix_certificate_valid_until"`);
    await q.query(`DROP TABLE "certificate"`);
    await q.query(`CREATE UNIQUE INDEX "uq_enrollment_user_course" ON "enrollment" ("organization_id", "user_id", "course_id")`);
  }
}
