import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/**
 * LTI Advantage services (src/modules/lti/services): what a launch tells the tool about the
 * platform's services, kept per LMS context and per learner's resource link, and the
 * `lti.score_changed` outbox event that sends grades back (AGS) whichever statement changes a
 * score or a completion — but only for enrollments that have a grade link, so SCORM commits and
 * quiz submissions of everybody else pay one indexed probe and only when a score or status changed.
 *
 * `platform_id` names the LTI core's platform registration; no foreign key, the registration table
 * belongs to that part.
 */
export class LtiServices1764500000000 implements MigrationInterface {
  name = 'LtiServices1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // One LMS context (course) linked to one Coursegraph course, with its service endpoints.
    await q.query(`CREATE TABLE "lti_context" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "platform_id" uuid NOT NULL, "issuer" text NOT NULL, "client_id" text NOT NULL, "deployment_id" text NOT NULL, "context_id" text,
      "course_id" uuid NOT NULL, "token_url" text NOT NULL, "memberships_url" text, "lineitems_url" text, "ags_scopes" text array NOT NULL DEFAULT '{}',
      "last_synced_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_lti_context" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_context" ON "lti_context" ("organization_id", "platform_id", "deployment_id", (COALESCE("context_id", '')), "course_id")`);
    await q.query(`ALTER TABLE "lti_context" ADD CONSTRAINT "fk_lti_context_org" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "lti_context" ADD CONSTRAINT "fk_lti_context_course" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id", "id")`);

    // A learner's enrollment as graded through one resource link: where the score goes and what was sent last.
    await q.query(`CREATE TABLE "lti_grade_link" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "lti_context_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "user_id" uuid NOT NULL, "resource_link_id" text NOT NULL, "sub" text NOT NULL,
      "activity_id" uuid, "activity_key" uuid, "lineitem_url" text, "score_maximum" double precision NOT NULL DEFAULT 100,
      "last_sent_at" TIMESTAMP WITH TIME ZONE, "last_sent_score" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_lti_grade_link" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_lti_grade_link" ON "lti_grade_link" ("organization_id", "lti_context_id", "resource_link_id", "enrollment_id")`);
    // The triggers' probe: is this enrollment (and activity) graded through LTI?
    await q.query(`CREATE INDEX "ix_lti_grade_link_enrollment" ON "lti_grade_link" ("organization_id", "enrollment_id", "activity_key")`);
    await q.query(`ALTER TABLE "lti_grade_link" ADD CONSTRAINT "fk_lti_grade_link_org" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "lti_grade_link" ADD CONSTRAINT "fk_lti_grade_link_context" FOREIGN KEY ("organization_id", "lti_context_id") REFERENCES "lti_context"("organization_id", "id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "lti_grade_link" ADD CONSTRAINT "fk_lti_grade_link_enrollment" FOREIGN KEY ("organization_id", "enrollment_id") REFERENCES "enrollment"("organization_id", "id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "lti_grade_link" ADD CONSTRAINT "fk_lti_grade_link_user" FOREIGN KEY ("organization_id", "user_id") REFERENCES "app_user"("organization_id", "id")`);

    // The platform user (issuer, sub) a Coursegraph user is.
    for (const table of ['lti_context', 'lti_grade_link']) {
      await enableTenantRls(q, table);
      await grantAppAccess(q, table, 'SELECT, INSERT, UPDATE');
    }

    // Activity progress: a changed completion, success or score of a graded activity. Enrollment:
    // a changed status or share done of a course graded as a whole. The job reads the state anew
    // (`at`, the state's time, is for logs and diagnosis).
    await q.query(`
      CREATE FUNCTION lti_score_changed_event() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
      BEGIN
        IF TG_TABLE_NAME = 'activity_progress' THEN
          IF EXISTS (SELECT 1 FROM lti_grade_link l WHERE l.organization_id = NEW.organization_id AND l.enrollment_id = NEW.enrollment_id AND l.activity_key = NEW.activity_key) THEN
            INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload)
            VALUES (NEW.organization_id, gen_random_uuid(), 'lti.score_changed', 'Enrollment', NEW.enrollment_id,
                    jsonb_build_object('enrollmentId', NEW.enrollment_id, 'activityKey', NEW.activity_key, 'at', NEW.updated_at));
          END IF;
        ELSIF EXISTS (SELECT 1 FROM lti_grade_link l WHERE l.organization_id = NEW.organization_id AND l.enrollment_id = NEW.id AND l.activity_key IS NULL) THEN
          INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload)
          VALUES (NEW.organization_id, gen_random_uuid(), 'lti.score_changed', 'Enrollment', NEW.id,
                  jsonb_build_object('enrollmentId', NEW.id, 'activityKey', NULL, 'at', NEW.updated_at));
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`CREATE TRIGGER lti_score_changed_on_insert AFTER INSERT ON activity_progress FOR EACH ROW EXECUTE FUNCTION lti_score_changed_event()`);
    await q.query(`CREATE TRIGGER lti_score_changed_on_update AFTER UPDATE ON activity_progress FOR EACH ROW
      WHEN (OLD.completion_status IS DISTINCT FROM NEW.completion_status OR OLD.success_status IS DISTINCT FROM NEW.success_status
         OR OLD.score_scaled IS DISTINCT FROM NEW.score_scaled OR OLD.score_raw IS DISTINCT FROM NEW.score_raw
         OR OLD.score_max IS DISTINCT FROM NEW.score_max OR OLD.completed IS DISTINCT FROM NEW.completed)
      EXECUTE FUNCTION lti_score_changed_event()`);
    await q.query(`CREATE TRIGGER lti_score_changed_on_enrollment AFTER UPDATE ON enrollment FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.progress_percent IS DISTINCT FROM NEW.progress_percent OR OLD.completed_at IS DISTINCT FROM NEW.completed_at)
      EXECUTE FUNCTION lti_score_changed_event()`);
    await q.query(`REVOKE ALL ON FUNCTION lti_score_changed_event() FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER lti_score_changed_on_enrollment ON enrollment`);
    await q.query(`DROP TRIGGER lti_score_changed_on_update ON activity_progress`);
    await q.query(`DROP TRIGGER lti_score_changed_on_insert ON activity_progress`);
    await q.query(`DROP FUNCTION lti_score_changed_event()`);
    for (const table of ['lti_grade_link', 'lti_context']) {
      await disableTenantRls(q, table);
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
