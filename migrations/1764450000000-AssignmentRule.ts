import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';

/**
 * Standing assignments (org unit subtree and/or job title → course), and `user.placed`: the
 * outbox event written whenever a user lands somewhere a rule could match (provisioned active,
 * moved to another unit or title, reactivated), whichever statement does it. The worker applies
 * the rules (src/jobs/assignment-rules.job.ts).
 */
export class AssignmentRule1764450000000 implements MigrationInterface {
  name = 'AssignmentRule1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "assignment_rule" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "org_unit_path" text NOT NULL DEFAULT '', "job_title" text NOT NULL DEFAULT '', "due_at" TIMESTAMP WITH TIME ZONE, "due_in_days" integer, "created_by" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "deactivated_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a1a42d4a811d0e8d41f441f18e0" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_assignment_rule_active" ON "assignment_rule"  ("organization_id", "course_id", "org_unit_path", "job_title") WHERE active`);
    await q.query(`ALTER TABLE "assignment_rule" ADD CONSTRAINT "FK_25407cd54694b5bf098622625bf" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assignment_rule" ADD CONSTRAINT "FK_5ff514c736214989bf154ce579c" FOREIGN KEY ("organization_id", "course_id") REFERENCES "course"("organization_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'assignment_rule');
    await grantAppAccess(q, 'assignment_rule', 'SELECT, INSERT, UPDATE');

    // One INSERT per statement however many users it wrote (transition tables), and only in
    // organizations that have an active rule. The shared advisory lock pairs with the exclusive
    // one a new rule takes (assignment-rule.service): a user written while a rule is being made is
    // either seen by the rule's own application or, once the rule has committed, gets the event.
    await q.query(`
      CREATE FUNCTION user_placed_event() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
      DECLARE org uuid;
      BEGIN
        FOR org IN SELECT DISTINCT n.organization_id FROM placed_rows n LOOP
          PERFORM pg_advisory_xact_lock_shared(hashtextextended('assignment_rule:' || org::text, 0));
        END LOOP;
        IF TG_OP = 'INSERT' THEN
          INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload)
          SELECT n.organization_id, gen_random_uuid(), 'user.placed', 'User', n.id, jsonb_build_object('userId', n.id)
            FROM placed_rows n
           WHERE n.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM assignment_rule r WHERE r.organization_id = n.organization_id AND r.active);
        ELSE
          INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload)
          SELECT n.organization_id, gen_random_uuid(), 'user.placed', 'User', n.id, jsonb_build_object('userId', n.id)
            FROM placed_rows n JOIN previous_rows o ON o.organization_id = n.organization_id AND o.id = n.id
           WHERE n.status = 'ACTIVE'
             AND (o.status <> 'ACTIVE' OR o.org_unit_path IS DISTINCT FROM n.org_unit_path OR o.job_title IS DISTINCT FROM n.job_title)
             AND EXISTS (SELECT 1 FROM assignment_rule r WHERE r.organization_id = n.organization_id AND r.active);
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`CREATE TRIGGER user_placed_event_on_insert AFTER INSERT ON app_user
      REFERENCING NEW TABLE AS placed_rows FOR EACH STATEMENT EXECUTE FUNCTION user_placed_event()`);
    await q.query(`CREATE TRIGGER user_placed_event_on_update AFTER UPDATE ON app_user
      REFERENCING OLD TABLE AS previous_rows NEW TABLE AS placed_rows FOR EACH STATEMENT EXECUTE FUNCTION user_placed_event()`);
    await q.query(`REVOKE ALL ON FUNCTION user_placed_event() FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER user_placed_event_on_update ON app_user`);
    await q.query(`DROP TRIGGER user_placed_event_on_insert ON app_user`);
    await q.query(`DROP FUNCTION user_placed_event()`);
    await disableTenantRls(q, 'assignment_rule');
    await q.query(`ALTER TABLE "assignment_rule" DROP CONSTRAINT "FK_5ff514c736214989bf154ce579c"`);
    await q.query(`ALTER TABLE "assignment_rule" DROP CONSTRAINT "FK_25407cd54694b5bf098622625bf"`);
    await q.query(`DROP INDEX "public"."uq_assignment_rule_active"`);
    await q.query(`DROP TABLE "assignment_rule"`);
  }
}
