import { generateApiKey } from '../../src/shared/auth';
import { newId } from '../../src/shared/ids';
import { Permission, Role } from '../../src/shared/permissions';
import type { TestApp } from './app';
import type { SeededOrg } from './seed';
import { TEST_SERVER_SECRET } from './app';
import { seedLearnerCatalog } from '../../bench/catalog.scenario';

/**
 * Gives a tenant at least one row in every tenant table, so cross-tenant tests have real ids to
 * try. A module that adds tenant tables adds its rows here.
 */
export async function seedTenantData(t: TestApp, org: SeededOrg): Promise<void> {
  const admin = await org.user('admin', [Role.ORG_ADMIN]);
  const learner = await org.user('learner', [Role.LEARNER], { managerKey: 'admin', orgUnitPath: '总部/客服部', jobTitle: '客服' });
  const key = generateApiKey(org.id, TEST_SERVER_SECRET);
  await t.owner.query(`INSERT INTO api_key (organization_id, id, key_id, name, secret_hash, scopes) VALUES ($1, $2, $3, 'lms', $4, $5)`,
    [org.id, newId(), key.keyId, key.secretHash, [Permission.USERS_READ]]);
  await t.owner.query(`INSERT INTO scorm_package (organization_id, id, title, version, scos, file_count, total_bytes, uploaded_by) VALUES ($1, $2, 'pkg', 'SCORM_2004', '[]', 1, 1, 'test')`,
    [org.id, newId()]);
  await t.owner.query(`INSERT INTO audit_event (organization_id, id, actor, action, entity_type, entity_id) VALUES ($1, $2, $3, 'user.create', 'User', $4)`,
    [org.id, newId(), `user:${admin.externalId}`, admin.id]);
  // Catalog: a published course (revision, module, activity), the learner's enrollment, progress and an attempt.
  await seedLearnerCatalog(t.owner, org.id, learner.id, { courses: 1, modules: 1, activities: 1 });
  await t.owner.query(`INSERT INTO activity_attempt (organization_id, id, enrollment_id, activity_id, user_id, number)
    SELECT p.organization_id, gen_random_uuid(), p.enrollment_id, p.activity_id, $2, 1 FROM activity_progress p WHERE p.organization_id = $1`, [org.id, learner.id]);
  // Enrollment: a standing assignment rule of that course.
  await t.owner.query(`INSERT INTO assignment_rule (organization_id, id, course_id, org_unit_path, created_by)
    SELECT c.organization_id, gen_random_uuid(), c.id, '总部', 'test' FROM course c WHERE c.organization_id = $1 LIMIT 1`, [org.id]);
  // Certificates: one for the learner on that course (the counter row comes with it).
  await t.owner.query(`INSERT INTO certificate (organization_id, id, number, verification_code, status_list_index, user_id, course_id, revision_id,
      enrollment_id, cycle, holder_name, course_title, issued_at, valid_from, issued_by)
    SELECT e.organization_id, gen_random_uuid(), 'T-2026-000001', upper(substr(md5(random()::text), 1, 20)), 1, e.user_id, e.course_id, e.revision_id,
      e.id, e.cycle, 'learner', '{"zh-CN": "课程"}', now(), now(), 'test' FROM enrollment e WHERE e.organization_id = $1 LIMIT 1`, [org.id]);
  await t.owner.query(`INSERT INTO certificate_counter (organization_id, id, scope, last_value) VALUES ($1, $2, 'status-list', 1)`, [org.id, newId()]);
  // Assessments: the learner's attempt at that activity.
  await t.owner.query(`INSERT INTO assessment_attempt (organization_id, id, enrollment_id, activity_id, user_id, number, plan)
    SELECT p.organization_id, gen_random_uuid(), p.enrollment_id, p.activity_id, $2, 1, '{"questionIds": [], "optionOrder": {}}' FROM activity_progress p WHERE p.organization_id = $1`, [org.id, learner.id]);
  // Reports: a background export the admin started.
  await t.owner.query(`INSERT INTO report_export (organization_id, id, format, filter, scope, locale, requested_by) VALUES ($1, $2, 'CSV', '{"includeHistory": false}', '{"kind": "all"}', 'zh-CN', $3)`,
    [org.id, newId(), `user:${admin.externalId}`]);
  // LTI: a registered platform, the tool's key, the learner's link, a login in flight, a registration link.
  const platformId = newId();
  await t.owner.query(`INSERT INTO lti_platform (organization_id, id, name, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, max_role)
    VALUES ($1, $2, 'lms', $3, 'client-1', '{1}', 'https://lms.test/auth', 'https://lms.test/token', 'https://lms.test/jwks', 'LEARNER')`, [org.id, platformId, `https://${org.slug}.lms.test`]);
  await t.owner.query(`INSERT INTO lti_tool_key (organization_id, id, public_jwk, sealed_private_key) VALUES ($1, $2, '{}', 'sealed')`, [org.id, newId()]);
  await t.owner.query(`INSERT INTO lti_user_link (organization_id, id, platform_id, issuer, sub, user_id) VALUES ($1, $2, $3, 'https://lms.test', '7', $4)`, [org.id, newId(), platformId, learner.id]);
  await t.owner.query(`INSERT INTO lti_login_state (organization_id, id, platform_id, state_hash, nonce, target_link_uri, expires_at) VALUES ($1, $2, $3, 'h', 'n', 'x', now())`, [org.id, newId(), platformId]);
  await t.owner.query(`INSERT INTO lti_registration_token (organization_id, id, token_hash, max_role, created_by, expires_at) VALUES ($1, $2, 'h', 'LEARNER', 'test', now())`, [org.id, newId()]);
}
