import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/** Emails the service sends, one row per dedupe key, so that each goes out once. */
export class Notification1764330000000 implements MigrationInterface {
  name = 'Notification1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notification" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dedupe_key" text NOT NULL, "kind" text NOT NULL, "user_id" uuid, "recipient" text, "subject" text NOT NULL, "status" text NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "message_id" text, "sent_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18160cda53c3f2373daed1397c4" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_notification_user" ON "notification"("organization_id", "user_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_notification_dedupe_key" ON "notification"("organization_id", "dedupe_key")`);
    await q.query(`ALTER TABLE "notification" ADD CONSTRAINT "FK_203543da9a28e0d7bd87e66cd20" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "notification" ADD CONSTRAINT "FK_e14518bf64fa97a9f3ad3331c7d" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'notification');
    await grantAppAccess(q, 'notification', 'SELECT, INSERT, UPDATE');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'notification');
    await q.query(`DROP TABLE "notification"`);
  }
}
