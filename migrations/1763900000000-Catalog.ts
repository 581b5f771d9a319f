import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

const TENANT_TABLES = ['course_revision', 'course', 'course_module', 'activity', 'enrollment', 'activity_attempt', 'activity_progress'];

/** Courses, revisions, modules, activities, shared templates, enrollments and the progress model. */
export class Catalog1763900000000 implements MigrationInterface {
  name = 'Catalog1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "course_template" ("id" uuid NOT NULL, "code" text NOT NULL, "title" jsonb NOT NULL, "description" jsonb, "tags" text array NOT NULL DEFAULT '{}', "latest_version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f2b0bd8e93358f6f4e1486a8e7c" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_course_template_code" ON "course_template" ("code")`);
    await q.query(`CREATE TABLE "course_template_version" ("id" uuid NOT NULL, "template_id" uuid NOT NULL, "version" integer NOT NULL, "content" jsonb NOT NULL, "published_by" text NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e017627030c37d61781b9064f99" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_course_template_version" ON "course_template_version" ("template_id", "version")`);
    await q.query(`CREATE TABLE "course_revision" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "number" integer NOT NULL, "status" text NOT NULL DEFAULT 'DRAFT', "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3cdf21f730c7b3ae0bfa435c7e8" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_course_revision_number" ON "course_revision" ("organization_id", "course_id", "number")`);
    await q.query(`CREATE TABLE "course" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" text NOT NULL, "status" text NOT NULL DEFAULT 'DRAFT', "title" jsonb NOT NULL, "description" jsonb, "tags" text array NOT NULL DEFAULT '{}', "estimated_minutes" integer, "cover_url" text, "self_enrollment" boolean NOT NULL DEFAULT false, "validity_days" integer, "source_template_id" uuid, "source_template_version" integer, "published_revision_id" uuid, "draft_revision_id" uuid, "published_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d69d3a35bb0a46e50e5e7df32e6" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_course_status" ON "course" ("organization_id", "status")`);
    await q.query(`CREATE UNIQUE INDEX "uq_course_code" ON "course" ("organization_id", "code")`);
    await q.query(`CREATE TABLE "course_module" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "revision_id" uuid NOT NULL, "key" uuid NOT NULL, "position" integer NOT NULL, "title" jsonb NOT NULL, "description" jsonb, CONSTRAINT "PK_e5fa5985a1d25dfc6373a14c646" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_course_module_key" ON "course_module" ("organization_id", "revision_id", "key")`);
    await q.query(`CREATE INDEX "ix_course_module_revision" ON "course_module" ("organization_id", "revision_id", "position")`);
    await q.query(`CREATE TABLE "activity" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "revision_id" uuid NOT NULL, "module_id" uuid NOT NULL, "key" uuid NOT NULL, "position" integer NOT NULL, "kind" text NOT NULL, "title" jsonb NOT NULL, "required" boolean NOT NULL DEFAULT true, "completion_kind" text NOT NULL, "completion_threshold" double precision, "content" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_9ae98a233b142645ec30ab76904" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_activity_revision_key" ON "activity" ("organization_id", "revision_id", "key")`);
    await q.query(`CREATE INDEX "ix_activity_module" ON "activity" ("organization_id", "module_id", "position")`);
    await q.query(`CREATE TABLE "enrollment" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "course_id" uuid NOT NULL, "revision_id" uuid, "source" text NOT NULL, "status" text NOT NULL DEFAULT 'NOT_STARTED', "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "assigned_by" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "withdrawn_at" TIMESTAMP WITH TIME ZONE, "progress_percent" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4e7532f34ab8d666423c81f1dbd" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_enrollment_course" ON "enrollment" ("organization_id", "course_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_enrollment_user_course" ON "enrollment" ("organization_id", "user_id", "course_id")`);
    await q.query(`CREATE TABLE "activity_attempt" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enrollment_id" uuid NOT NULL, "activity_id" uuid NOT NULL, "user_id" uuid NOT NULL, "number" integer NOT NULL, "status" text NOT NULL DEFAULT 'OPEN', "completion_status" text NOT NULL DEFAULT 'unknown', "success_status" text NOT NULL DEFAULT 'unknown', "score_scaled" double precision, "score_raw" double precision, "score_min" double precision, "score_max" double precision, "progress_measure" double precision, "location" text, "suspend_data" text, "total_time_seconds" double precision NOT NULL DEFAULT '0', "entry" text, "exit" text, "interactions" jsonb NOT NULL DEFAULT '[]', "objectives" jsonb NOT NULL DEFAULT '[]', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a5b199d289f3ec0d07c79ff4eec" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_activity_attempt_user" ON "activity_attempt" ("organization_id", "user_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_activity_attempt_number" ON "activity_attempt" ("organization_id", "enrollment_id", "activity_id", "number")`);
    await q.query(`CREATE TABLE "activity_progress" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enrollment_id" uuid NOT NULL, "activity_key" uuid NOT NULL, "activity_id" uuid NOT NULL, "completion_status" text NOT NULL DEFAULT 'unknown', "success_status" text NOT NULL DEFAULT 'unknown', "score_scaled" double precision, "score_raw" double precision, "score_min" double precision, "score_max" double precision, "progress_measure" double precision, "attempt_count" integer NOT NULL DEFAULT '0', "time_spent_seconds" double precision NOT NULL DEFAULT '0', "completed" boolean NOT NULL DEFAULT false, "completed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_812cc218cf5e33a128d947ca879" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_activity_progress_key" ON "activity_progress" ("organization_id", "enrollment_id", "activity_key")`);
    await q.query(`ALTER TABLE "course_template_version" ADD CONSTRAINT "FK_fce6e752c7f952812a258b42c0a" FOREIGN KEY ("template_id") REFERENCES "course_template"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course_revision" ADD CONSTRAINT "FK_c233727240d8997d211b54329df" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course_revision" ADD CONSTRAINT "FK_5964f1a0e903cd5636da6663a92" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course" ADD CONSTRAINT "FK_a689399339465273230b0fc2289" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course" ADD CONSTRAINT "FK_1e199883befa3e1547e8754811c" FOREIGN KEY ("source_template_id") REFERENCES "course_template"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course" ADD CONSTRAINT "FK_c7e005fef8722b16668315a4f06" FOREIGN KEY ("organization_id", "published_revision_id") REFERENCES "course_revision"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course" ADD CONSTRAINT "FK_42bec0d258baadab08408176e0c" FOREIGN KEY ("organization_id", "draft_revision_id") REFERENCES "course_revision"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course_module" ADD CONSTRAINT "FK_684a93c4cf9148b08e19c005a93" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course_module" ADD CONSTRAINT "FK_520292dfc45810b8e0ea4418f86" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "course_module" ADD CONSTRAINT "FK_02b67e6adf06631d0ad50c6dde2" FOREIGN KEY ("organization_id", "revision_id") REFERENCES "course_revision"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity" ADD CONSTRAINT "FK_15d2fc0dc8149ced879feb993bf" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity" ADD CONSTRAINT "FK_b739212ef5e0a72a979e02e7dc9" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity" ADD CONSTRAINT "FK_2a9c2f614ddd98b19f6580abbf0" FOREIGN KEY ("organization_id", "revision_id") REFERENCES "course_revision"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity" ADD CONSTRAINT "FK_1ce443328fa84ac4b790874db10" FOREIGN KEY ("organization_id", "module_id") REFERENCES "course_module"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "enrollment" ADD CONSTRAINT "FK_ed12dfd62dc1ae2855fb944c704" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "enrollment" ADD CONSTRAINT "FK_67da534b06dbde7669101ce2e25" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "enrollment" ADD CONSTRAINT "FK_589eff5843307365b225e37f835" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "enrollment" ADD CONSTRAINT "FK_b06eb6e1eca175512ecf4400a42" FOREIGN KEY ("organization_id", "revision_id") REFERENCES "course_revision"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_attempt" ADD CONSTRAINT "FK_9a39e6b0a9f38b571ce33001983" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_attempt" ADD CONSTRAINT "FK_0cf79511b694019206a12aa7fa5" FOREIGN KEY ("organization_id", "enrollment_id") REFERENCES "enrollment"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_attempt" ADD CONSTRAINT "FK_d7c5df9183171d54e21c38265ec" FOREIGN KEY ("organization_id", "activity_id") REFERENCES "activity"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_attempt" ADD CONSTRAINT "FK_9666d1fa857ca6e45a27cd4ffff" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_progress" ADD CONSTRAINT "FK_c04843ed3951f732e3d55e42201" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_progress" ADD CONSTRAINT "FK_ebe4ccd4d4a9a6a6aa6aa0ad93c" FOREIGN KEY ("organization_id", "enrollment_id") REFERENCES "enrollment"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activity_progress" ADD CONSTRAINT "FK_93b8b84c430e9941004104e0885" FOREIGN KEY ("organization_id", "activity_id") REFERENCES "activity"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);

    for (const table of TENANT_TABLES) await enableTenantRls(q, table);
    // Platform tables: every tenant reads the shared catalog; only platform admins write (checked in code).
    await grantAppAccess(q, 'course_template', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'course_template_version', 'SELECT, INSERT');
    await grantAppAccess(q, 'course', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'course_revision', 'SELECT, INSERT, UPDATE');
    // Draft modules and activities can be deleted; published ones are frozen by the code.
    await grantAppAccess(q, 'course_module');
    await grantAppAccess(q, 'activity');
    await grantAppAccess(q, 'enrollment', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'activity_attempt', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'activity_progress', 'SELECT, INSERT, UPDATE');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) await disableTenantRls(q, table);
    await q.query(`ALTER TABLE "activity_progress" DROP CONSTRAINT "FK_93b8b84c430e9941004104e0885"`);
    await q.query(`ALTER TABLE "activity_progress" DROP CONSTRAINT "FK_ebe4ccd4d4a9a6a6aa6aa0ad93c"`);
    await q.query(`ALTER TABLE "activity_progress" DROP CONSTRAINT "FK_c04843ed3951f732e3d55e42201"`);
    await q.query(`ALTER TABLE "activity_attempt" DROP CONSTRAINT "FK_9666d1fa857ca6e45a27cd4ffff"`);
    await q.query(`ALTER TABLE "activity_attempt" DROP CONSTRAINT "FK_d7c5df9183171d54e21c38265ec"`);
    await q.query(`ALTER TABLE "activity_attempt" DROP CONSTRAINT "FK_0cf79511b694019206a12aa7fa5"`);
    await q.query(`ALTER TABLE "activity_attempt" DROP CONSTRAINT "FK_9a39e6b0a9f38b571ce33001983"`);
    await q.query(`ALTER TABLE "enrollment" DROP CONSTRAINT "FK_b06eb6e1eca175512ecf4400a42"`);
    await q.query(`ALTER TABLE "enrollment" DROP CONSTRAINT "FK_589eff5843307365b225e37f835"`);
    await q.query(`ALTER TABLE "enrollment" DROP CONSTRAINT "FK_67da534b06dbde7669101ce2e25"`);
    await q.query(`ALTER TABLE "enrollment" DROP CONSTRAINT "FK_ed12dfd62dc1ae2855fb944c704"`);
    await q.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_1ce443328fa84ac4b790874db10"`);
    await q.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_2a9c2f614ddd98b19f6580abbf0"`);
    await q.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_b739212ef5e0a72a979e02e7dc9"`);
    await q.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_15d2fc0dc8149ced879feb993bf"`);
    await q.query(`ALTER TABLE "course_module" DROP CONSTRAINT "FK_02b67e6adf06631d0ad50c6dde2"`);
    await q.query(`ALTER TABLE "course_module" DROP CONSTRAINT "FK_520292dfc45810b8e0ea4418f86"`);
    await q.query(`ALTER TABLE "course_module" DROP CONSTRAINT "FK_684a93c4cf9148b08e19c005a93"`);
    await q.query(`ALTER TABLE "course" DROP CONSTRAINT "FK_42bec0d258baadab08408176e0c"`);
    await q.query(`ALTER TABLE "course" DROP CONSTRAINT "FK_c7e005fef8722b16668315a4f06"`);
    await q.query(`ALTER TABLE "course" DROP CONSTRAINT "FK_1e199883befa3e1547e8754811c"`);
    await q.query(`ALTER TABLE "course" DROP CONSTRAINT "FK_a689399339465273230b0fc2289"`);
    await q.query(`ALTER TABLE "course_revision" DROP CONSTRAINT "FK_5964f1a0e903cd5636da6663a92"`);
    await q.query(`ALTER TABLE "course_revision" DROP CONSTRAINT "FK_c233727240d8997d211b54329df"`);
    await q.query(`ALTER TABLE "course_template_version" DROP CONSTRAINT "FK_fce6e752c7f952812a258b42c0a"`);
    await q.query(`DROP INDEX "public"."uq_activity_progress_key"`);
    await q.query(`DROP TABLE "activity_progress"`);
    await q.query(`DROP INDEX "public"."uq_activity_attempt_number"`);
    await q.query(`DROP INDEX "public"."ix_activity_attempt_user"`);
    await q.query(`DROP TABLE "activity_attempt"`);
    await q.query(`DROP INDEX "public"."uq_enrollment_user_course"`);
    await q.query(`DROP INDEX "public"."ix_enrollment_course"`);
    await q.query(`DROP TABLE "enrollment"`);
    await q.query(`DROP INDEX "public"."ix_activity_module"`);
    await q.query(`DROP INDEX "public"."uq_activity_revision_key"`);
    await q.query(`DROP TABLE "activity"`);
    await q.query(`DROP INDEX "public"."ix_course_module_revision"`);
    await q.query(`DROP INDEX "public"."uq_course_module_key"`);
    await q.query(`DROP TABLE "course_module"`);
    await q.query(`DROP INDEX "public"."uq_course_code"`);
    await q.query(`DROP INDEX "public"."ix_course_status"`);
    await q.query(`DROP TABLE "course"`);
    await q.query(`DROP INDEX "public"."uq_course_revision_number"`);
    await q.query(`DROP TABLE "course_revision"`);
    await q.query(`DROP INDEX "public"."uq_course_template_version"`);
    await q.query(`DROP TABLE "course_template_version"`);
    await q.query(`DROP INDEX "public"."uq_course_template_code"`);
    await q.query(`DROP TABLE "course_template"`);
  }
}
