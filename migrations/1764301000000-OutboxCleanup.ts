import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/db/app-role';

/** The nightly outbox-cleanup job forgets handled events (their ledger rows cascade): the application role may delete them. */
export class OutboxCleanup1764301000000 implements MigrationInterface {
  name = 'OutboxCleanup1764301000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT DELETE ON "outbox_event" TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON "outbox_event" FROM ${APP_ROLE}`);
  }
}
