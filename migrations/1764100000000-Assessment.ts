import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/** Assessment attempts: the plan, saved answers, deadline and grade of each learner's attempt. */
export class Assessment1764100000000 implements MigrationInterface {
  name = 'Assessment1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "assessment_attempt" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enrollment_id" uuid NOT NULL, "activity_id" uuid NOT NULL, "user_id" uuid NOT NULL, "number" integer NOT NULL, "status" text NOT NULL DEFAULT 'IN_PROGRESS', "plan" jsonb NOT NULL, "answers" jsonb NOT NULL DEFAULT '{}', "answered_at" jsonb NOT NULL DEFAULT '{}', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deadline_at" TIMESTAMP WITH TIME ZONE, "submitted_at" TIMESTAMP WITH TIME ZONE, "grade" jsonb, "score_raw" double precision, "score_scaled" double precision, "passed" boolean, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7b1ee8eb2e7108bb6fa29a29098" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_assessment_attempt_user" ON "assessment_attempt"("organization_id", "user_id", "activity_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_assessment_attempt_open" ON "assessment_attempt"("organization_id", "enrollment_id", "activity_id") WHERE status = 'IN_PROGRESS'`);
    await q.query(`CREATE UNIQUE INDEX "uq_assessment_attempt_number" ON "assessment_attempt"("organization_id", "enrollment_id", "activity_id", "number")`);
    await q.query(`ALTER TABLE "assessment_attempt" ADD CONSTRAINT "FK_1975dd3aee68999da223d3c32e1" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assessment_attempt" ADD CONSTRAINT "FK_8cbf9103a573e5a7698e67eefa8" FOREIGN KEY ("organization_id", "enrollment_id") REFERENCES "enrollment"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assessment_attempt" ADD CONSTRAINT "FK_4e0d1a4f55cb6e53afff98dba91" FOREIGN KEY ("organization_id", "activity_id") REFERENCES "activity"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assessment_attempt" ADD CONSTRAINT "FK_2177bb39a5eb57df60d14684c59" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'assessment_attempt');
    await grantAppAccess(q, 'assessment_attempt', 'SELECT, INSERT, UPDATE');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'assessment_attempt');
    await q.query(`DROP TABLE "assessment_attempt"`);
  }
}
