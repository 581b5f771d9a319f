import { loadDemoData } from '../../src/demo/load';
import { DEMO_CATALOG } from '../../src/demo/content';
import { DEMO_CERTIFICATES } from '../../src/demo/certificates';
import { certificateStatusSql } from '../../src/modules/certificate/certificate.rules';
import { resolveCaller } from '../../src/modules/user/caller';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { gqlOk } from '../support/catalog';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await loadDemoData({ dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller }, t.app.log);
}, 120_000);
afterAll(async () => {
  await t.close();
});

const orgId = async (slug: string): Promise<string> => (await t.owner.query('SELECT id FROM organization WHERE slug = $1', [slug]))[0].id;

test('the etiquette course is one platform template adopted (as separate copies) by all three tenants', async () => {
  const [template] = await t.owner.query(`SELECT id, latest_version FROM course_template WHERE code = 'service-etiquette'`);
  expect(template.latest_version).toBe(1);
  const copies = await t.owner.query(`SELECT organization_id, status, source_template_version FROM course WHERE source_template_id = $1`, [template.id]);
  expect(new Set(copies.map((c: { organization_id: string }) => c.organization_id)).size).toBe(3);
  expect(copies.every((c: { status: string; source_template_version: number }) => c.status === 'PUBLISHED' && c.source_template_version === 1)).toBe(true);
});

test("each tenant has its own published course from its document, in modules ending with the course quiz", async () => {
  for (const [slug, plan] of Object.entries(DEMO_CATALOG)) {
    const rows = await t.owner.query(
      `SELECT m.position, m.title->>'zh-CN' AS module, a.kind, a.title->>'zh-CN' AS title FROM course c
         JOIN course_module m ON m.organization_id = c.organization_id AND m.revision_id = c.published_revision_id
         JOIN activity a ON a.organization_id = m.organization_id AND a.module_id = m.id
        WHERE c.organization_id = $1 AND c.code = $2 AND c.status = 'PUBLISHED' ORDER BY m.position, a.position`,
      [await orgId(slug), plan.own.code],
    );
    expect(new Set(rows.map((r: { module: string }) => r.module)).size).toBe(plan.own.modules.length);
    expect(rows.at(-1)).toMatchObject({ kind: 'ASSESSMENT', title: '课程测验' });
    expect(rows.filter((r: { kind: string }) => r.kind === 'PAGE').length).toBeGreaterThanOrEqual(8);
  }
});

test('demo learners are enrolled with due dates, some overdue, and see their catalog with progress', async () => {
  const overdue = await t.owner.query(`SELECT DISTINCT organization_id FROM enrollment WHERE due_at < now() AND status IN ('NOT_STARTED', 'IN_PROGRESS')`);
  expect(overdue).toHaveLength(3);
  const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM enrollment WHERE due_at IS NULL`);
  expect(n).toBe(0);
  const token = await t.token(await orgId('unicom-xiaoshan'), 'unicom-xiaoshan-learner');
  const data = await gqlOk(t, '{ viewer { enrollments { nodes { status progressPercent course { code modules { activities { progress { completed } } } } } } } }', {}, token);
  const nodes = data.viewer.enrollments.nodes as { status: string; progressPercent: number; course: { code: string } }[];
  expect(nodes.map((e) => e.course.code).sort()).toEqual(['service-etiquette', 'unicom-service-values']);
  expect(nodes.find((e) => e.course.code === 'service-etiquette')?.status).toBe('OVERDUE');
  expect(nodes.find((e) => e.course.code === 'unicom-service-values')?.progressPercent).toBeGreaterThan(0);
});

test('each tenant holds certified learners in every state, the expiring one with its recertification open', async () => {
  for (const slug of Object.keys(DEMO_CATALOG)) {
    const org = await orgId(slug);
    const rows = (await t.owner.query(
      `SELECT u.external_id, ${certificateStatusSql('c')} AS status, c.revocation_reason, c.valid_until, c.recertification_enrollment_id,
              e.due_at AS recert_due
         FROM certificate c JOIN app_user u ON u.organization_id = c.organization_id AND u.id = c.user_id
         LEFT JOIN enrollment e ON e.organization_id = c.organization_id AND e.id = c.recertification_enrollment_id
        WHERE c.organization_id = $1`, [org])) as Record<string, any>[];
    const byPerson = new Map(rows.map((r) => [r.external_id.slice(slug.length + 1), r]));
    for (const spec of DEMO_CERTIFICATES) expect({ slug, person: spec.person, status: byPerson.get(spec.person)?.status }).toEqual({ slug, person: spec.person, status: spec.state === 'VALID' || spec.state === 'EXPIRING' ? 'ACTIVE' : spec.state });
    const expiring = byPerson.get('learner')!;
    expect(expiring.valid_until.getTime() - Date.now()).toBeLessThan(30 * 86_400_000);
    expect(expiring.recert_due.getTime()).toBeLessThanOrEqual(expiring.valid_until.getTime());
    expect(byPerson.get('learner-4')!.revocation_reason).toMatch(/撤销/);
    expect(rows.filter((r) => r.recertification_enrollment_id).length).toBe(1);
  }
});
