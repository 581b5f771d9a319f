import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';
import { disableTenantRls, enableTenantRls, grantAppAccess } from '../src/db/rls';
import { OUTBOX_TASK } from '../src/jobs/queue-names';

/**
 * The transactional outbox (DESIGN §10): events, the handlers' delivery ledger, the trigger that
 * turns each event into a graphile-worker job in the same transaction (the queue's schema is
 * installed by the migrate step, before these migrations), and the enrollment trigger that writes
 * `enrollment.completed` whichever statement completes an enrollment.
 */
export class Outbox1764300000000 implements MigrationInterface {
  name = 'Outbox1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "outbox_event" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "type" text NOT NULL, "entity_type" text NOT NULL, "entity_id" uuid NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8200bfa7eaae5da1eed03762164" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE INDEX "ix_outbox_event_entity" ON "outbox_event" ("organization_id", "entity_type", "entity_id")`);
    await q.query(`CREATE TABLE "outbox_delivery" ("organization_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "event_id" uuid NOT NULL, "handler" text NOT NULL, CONSTRAINT "PK_4c396e4ce6d0add45e0203d8182" PRIMARY KEY ("organization_id", "id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_outbox_delivery" ON "outbox_delivery" ("organization_id", "event_id", "handler")`);
    await q.query(`ALTER TABLE "outbox_event" ADD CONSTRAINT "FK_f537100bc3c7fc0c4e81b4e2e7b" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "outbox_delivery" ADD CONSTRAINT "FK_5567a6dba065ed2e10ac7032c2b" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "outbox_delivery" ADD CONSTRAINT "FK_18d20204af75fb09d7633b9a1ba" FOREIGN KEY ("organization_id", "event_id") REFERENCES "outbox_event"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await enableTenantRls(q, 'outbox_event');
    await enableTenantRls(q, 'outbox_delivery');
    await grantAppAccess(q, 'outbox_event', 'SELECT, INSERT, UPDATE');
    await grantAppAccess(q, 'outbox_delivery', 'SELECT, INSERT');

    // One job per event, keyed by the event id (a re-enqueue replaces rather than doubles it), added
    // by one add_jobs call per statement. SECURITY DEFINER with a fixed search path: the application
    // role has no rights on the queue (its tables keep RLS on with no policy); this trigger and the
    // stats function below are its only ways in, and neither takes an argument from it.
    await q.query(`
      CREATE FUNCTION outbox_event_enqueue() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
      BEGIN
        PERFORM graphile_worker.add_jobs(ARRAY(
          SELECT ROW('${OUTBOX_TASK}', json_build_object('organizationId', i.organization_id, 'eventId', i.id), NULL::text, NULL::timestamptz,
                     NULL::smallint, 'outbox:' || i.id::text, NULL::smallint, NULL::text[])::graphile_worker.job_spec
            FROM inserted i));
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE FUNCTION job_queue_stats(OUT pending bigint, OUT running bigint, OUT retrying bigint, OUT failed bigint)
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
      BEGIN
        SELECT count(*) FILTER (WHERE j.locked_at IS NULL AND j.attempts < j.max_attempts),
               count(*) FILTER (WHERE j.locked_at IS NOT NULL),
               count(*) FILTER (WHERE j.locked_at IS NULL AND j.attempts > 0 AND j.attempts < j.max_attempts),
               count(*) FILTER (WHERE j.attempts >= j.max_attempts)
          INTO pending, running, retrying, failed
          FROM graphile_worker._private_jobs j;
      END
      $fn$`);
    await q.query(`GRANT EXECUTE ON FUNCTION job_queue_stats() TO ${APP_ROLE}`);
    await q.query(`CREATE TRIGGER outbox_event_enqueue AFTER INSERT ON outbox_event REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_enqueue()`);

    // An enrollment is completed when completed_at is first set (enrollment.rules completionRecorded):
    // the roll-up in record_activity_progress (SCORM commits, assessments, native progress, asset
    // launches) and the administrator's override both set it once; reactivation keeps it.
    await q.query(`
      CREATE FUNCTION enrollment_completed_event() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
      BEGIN
        INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload)
        VALUES (NEW.organization_id, gen_random_uuid(), 'enrollment.completed', 'Enrollment', NEW.id, jsonb_build_object('enrollmentId', NEW.id));
        RETURN NULL;
      END
      $fn$`);
    await q.query(`CREATE TRIGGER enrollment_completed_event AFTER UPDATE ON enrollment FOR EACH ROW
      WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL) EXECUTE FUNCTION enrollment_completed_event()`);
    await q.query(`CREATE TRIGGER enrollment_completed_event_on_insert AFTER INSERT ON enrollment FOR EACH ROW
      WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION enrollment_completed_event()`);
    for (const fn of ['outbox_event_enqueue()', 'job_queue_stats()', 'enrollment_completed_event()']) await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER enrollment_completed_event_on_insert ON enrollment`);
    await q.query(`DROP TRIGGER enrollment_completed_event ON enrollment`);
    await q.query(`DROP FUNCTION enrollment_completed_event()`);
    await q.query(`DROP TRIGGER outbox_event_enqueue ON outbox_event`);
    await q.query(`DROP FUNCTION outbox_event_enqueue()`);
    await q.query(`DROP FUNCTION job_queue_stats()`);
    await disableTenantRls(q, 'outbox_delivery');
    await disableTenantRls(q, 'outbox_event');
    await q.query(`DROP TABLE "outbox_delivery"`);
    await q.query(`DROP TABLE "outbox_event"`);
  }
}
