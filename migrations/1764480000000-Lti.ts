import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

const TENANT_TABLES = ['lti_platform', 'lti_tool_key', 'lti_user_link', 'lti_login_state', 'lti_registration_token'];

/**
 * LTI 1.3: registered platforms, the tool's key pairs, platform users linked to Coursegraph users,
 * OIDC logins in flight, one-time dynamic-registration links, and the one narrow lookup a launch
 * needs before its tenant is known. (issuer, client id) is unique across the service among active
 * registrations (a deliberate index without organization_id: a launch names its registration by it).
 */
export class Lti1764480000000 implements MigrationInterface {
  name = 'Lti1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "lti_platform" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "issuer" text NOT NULL, "client_id" text NOT NULL, "deployment_ids" text array NOT NULL DEFAULT '{}', "auth_url" text NOT NULL, "token_url" text NOT NULL, "jwks_url" text NOT NULL, "max_role" text NOT NULL, "registered_via" text NOT NULL DEFAULT 'MANUAL', "active" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bd36fd3a5865fd77ae998f22738" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_lti_platform_org_client" ON "lti_platform"  ("organization_id", "issuer", "client_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_platform_client" ON "lti_platform"  ("issuer", "client_id") WHERE active`);
    await q.query(`CREATE TABLE "lti_tool_key" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "public_jwk" jsonb NOT NULL, "sealed_private_key" text NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_55dc94c89895dde80286ad85b0d" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_tool_key_current" ON "lti_tool_key"  ("organization_id") WHERE retired_at IS NULL`);
    await q.query(`CREATE TABLE "lti_user_link" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "platform_id" uuid NOT NULL, "issuer" text NOT NULL, "sub" text NOT NULL, "user_id" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d868a73ad4ec3bdf954b7100188" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_lti_user_link_user" ON "lti_user_link"  ("organization_id", "user_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_user_link_sub" ON "lti_user_link"  ("organization_id", "issuer", "sub") `);
    await q.query(`CREATE TABLE "lti_login_state" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "platform_id" uuid NOT NULL, "state_hash" text NOT NULL, "nonce" text NOT NULL, "target_link_uri" text NOT NULL, "storage_target" text, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_12e8d27ea8889feb68262b9b47d" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_lti_login_state_expires" ON "lti_login_state"  ("organization_id", "expires_at") `);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_login_nonce" ON "lti_login_state"  ("organization_id", "nonce") `);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_login_state" ON "lti_login_state"  ("organization_id", "state_hash") `);
    await q.query(`CREATE TABLE "lti_registration_token" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "token_hash" text NOT NULL, "max_role" text NOT NULL, "created_by" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c8141f037c2da07d49b559f72aa" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_registration_token" ON "lti_registration_token"  ("organization_id", "token_hash") `);
    await q.query(`ALTER TABLE "lti_platform" ADD CONSTRAINT "FK_f49c41d125771fc5f7a07366c5b" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_tool_key" ADD CONSTRAINT "FK_40e7fc4a3adda3b08e041603410" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_user_link" ADD CONSTRAINT "FK_23e4d358824c44a884f415bf7ef" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_user_link" ADD CONSTRAINT "FK_dfe6062f2bd02cf27ad84328a9f" FOREIGN KEY ("organization_id", "platform_id") REFERENCES "lti_platform"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_user_link" ADD CONSTRAINT "FK_7dd4293b855cf4c4398c745be7d" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_login_state" ADD CONSTRAINT "FK_3b463be2b84ff1a91f9adaddfc8" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_login_state" ADD CONSTRAINT "FK_fcb446fe143c5073ee4fd6d2690" FOREIGN KEY ("organization_id", "platform_id") REFERENCES "lti_platform"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "lti_registration_token" ADD CONSTRAINT "FK_83b38be888823d86882cb5423ca" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    for (const table of TENANT_TABLES) await enableTenantRls(q, table);
    await grantAppAccess(q, 'lti_platform', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'lti_tool_key', 'SELECT, INSERT, UPDATE, DELETE');
    await grantAppAccess(q, 'lti_user_link', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'lti_login_state', 'SELECT, INSERT, UPDATE, DELETE');
    await grantAppAccess(q, 'lti_registration_token', 'SELECT, INSERT, UPDATE');
    await this.createLookupFunction(q);
  }

  /**
   * The login initiation and the launch know only the platform's issuer and client id. This
   * SECURITY DEFINER function (owner, fixed search_path) sees lti_platform only through the policy
   * below, which admits the owner to the active registrations of the ONE issuer it was called
   * with, and returns the tenant and id of at most two of them (two: the caller refuses a login
   * without client id that is ambiguous). Everything else is read in that tenant's transaction.
   */
  async createLookupFunction(q: QueryRunner): Promise<void> {
    await q.query(`CREATE POLICY lti_lookup_by_issuer ON "lti_platform" FOR SELECT TO CURRENT_USER
      USING (active AND issuer = NULLIF(current_setting('app.lti_issuer', true), ''))`);
    await q.query(`
      CREATE FUNCTION lti_find_platform(p_issuer text, p_client_id text)
      RETURNS TABLE (organization_id uuid, platform_id uuid)
      LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, pg_temp
      SET app.lti_issuer = ''
      AS $fn$
      BEGIN
        PERFORM set_config('app.lti_issuer', p_issuer, true);
        RETURN QUERY
          SELECT p.organization_id, p.id FROM public.lti_platform p
           WHERE p.issuer = p_issuer AND p.active AND (p_client_id IS NULL OR p.client_id = p_client_id)
           ORDER BY p.created_at
           LIMIT 2;
      END
      $fn$`);
    await q.query('REVOKE ALL ON FUNCTION lti_find_platform(text, text) FROM PUBLIC');
    await q.query(`GRANT EXECUTE ON FUNCTION lti_find_platform(text, text) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION lti_find_platform(text, text)');
    await q.query('DROP POLICY lti_lookup_by_issuer ON "lti_platform"');
    for (const table of TENANT_TABLES) await disableTenantRls(q, table);
    await q.query(`ALTER TABLE "lti_registration_token" DROP CONSTRAINT "FK_83b38be888823d86882cb5423ca"`);
    await q.query(`ALTER TABLE "lti_login_state" DROP CONSTRAINT "FK_fcb446fe143c5073ee4fd6d2690"`);
    await q.query(`ALTER TABLE "lti_login_state" DROP CONSTRAINT "FK_3b463be2b84ff1a91f9adaddfc8"`);
    await q.query(`ALTER TABLE "lti_user_link" DROP CONSTRAINT "FK_7dd4293b855cf4c4398c745be7d"`);
    await q.query(`ALTER TABLE "lti_user_link" DROP CONSTRAINT "FK_dfe6062f2bd02cf27ad84328a9f"`);
    await q.query(`ALTER TABLE "lti_user_link" DROP CONSTRAINT "FK_23e4d358824c44a884f415bf7ef"`);
    await q.query(`ALTER TABLE "lti_tool_key" DROP CONSTRAINT "FK_40e7fc4a3adda3b08e041603410"`);
    await q.query(`ALTER TABLE "lti_platform" DROP CONSTRAINT "FK_f49c41d125771fc5f7a07366c5b"`);
    await q.query(`DROP INDEX "public"."uq_lti_registration_token"`);
    await q.query(`DROP TABLE "lti_registration_token"`);
    await q.query(`DROP INDEX "public"."uq_lti_login_state"`);
    await q.query(`DROP INDEX "public"."uq_lti_login_nonce"`);
    await q.query(`DROP INDEX "public"."ix_lti_login_state_expires"`);
    await q.query(`DROP TABLE "lti_login_state"`);
    await q.query(`DROP INDEX "public"."uq_lti_user_link_sub"`);
    await q.query(`DROP INDEX "public"."ix_lti_user_link_user"`);
    await q.query(`DROP TABLE "lti_user_link"`);
    await q.query(`DROP INDEX "public"."uq_lti_tool_key_current"`);
    await q.query(`DROP TABLE "lti_tool_key"`);
    await q.query(`DROP INDEX "public"."uq_lti_platform_client"`);
    await q.query(`DROP INDEX "public"."ix_lti_platform_org_client"`);
    await q.query(`DROP TABLE "lti_platform"`);
  }
}
