import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SCORM learner comments and preferences, kept with the attempt and restored on resume. */
export class AttemptLearnerData1764150000000 implements MigrationInterface {
  name = 'AttemptLearnerData1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "activity_attempt" ADD "comments" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE "activity_attempt" ADD "learner_preference" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "activity_attempt" DROP COLUMN "learner_preference"`);
    await q.query(`ALTER TABLE "activity_attempt" DROP COLUMN "comments"`);
  }
}
