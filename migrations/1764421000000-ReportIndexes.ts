import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a filtered page of the certification report needs to avoid reading whole tables: employees
 * in name order (the report's order, walked through an index), employees in an org unit subtree,
 * certificates issued without an enrollment by holder, and certificates by issue date.
 */
export class ReportIndexes1764421000000 implements MigrationInterface {
  name = 'ReportIndexes1764421000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_app_user_name" ON "app_user" ("organization_id", "name", "id")`);
    await q.query(`CREATE INDEX "ix_certificate_without_enrollment" ON "certificate" ("organization_id", "user_id", "course_id") WHERE enrollment_id IS NULL`);
    await q.query(`CREATE INDEX "ix_certificate_issued" ON "certificate" ("organization_id", "issued_at")`);
    // Org unit subtrees are byte-order ranges (user.service orgUnitSubtree): an index in the C collation.
    await q.query(`CREATE INDEX "ix_app_user_org_unit_prefix" ON "app_user" ("organization_id", "org_unit_path" COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_app_user_org_unit_prefix"`);
    await q.query(`DROP INDEX "public"."ix_certificate_issued"`);
    await q.query(`DROP INDEX "public"."ix_certificate_without_enrollment"`);
    await q.query(`DROP INDEX "public"."ix_app_user_name"`);
  }
}
