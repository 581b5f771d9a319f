import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { Role } from '../../src/shared/permissions';
import { withTenant } from '../../src/shared/tenant-tx';
import { generateScale } from '../../src/demo/scale';
import { reportSql, type ReportScope } from '../../src/modules/report/report.query';
import type { ReportFilter } from '../../src/modules/report/report.filter';
import { startTestApp, type TestApp } from '../support/app';
import { gqlOk, type GqlData } from '../support/catalog';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let small: SeededOrg;
let big: SeededOrg;
let bigPrefix: string;
/** Enough rows that PostgreSQL's statistics make whole-table reads expensive, few enough to stay quick. */
const BIG_ROWS = 40_000;

beforeAll(async () => {
  t = await startTestApp();
  small = await seedOrg(t.owner, 'scale-small');
  big = await seedOrg(t.owner, 'scale-big');
  await small.user('hr', [Role.HR]);
  const db = new Client({ connectionString: t.db.ownerUrl });
  await db.connect();
  bigPrefix = (await generateScale(db, big.id, { rows: BIG_ROWS })).prefix;
  await db.end();
}, 120_000);
afterAll(() => t.close());

const count = async (sql: string, params: unknown[]) => ((await t.owner.query(sql, params)) as { n: number }[])[0].n;

test('demo scale fills a tenant with employees over a deep org tree, cycles and certificates in every state; the report reads them', async () => {
  const env = { PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: t.db.ownerUrl, APP_DB_PASSWORD: process.env.COURSEGRAPH_TEST_APP_PASSWORD,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-scale-')), JWT_SECRET: 'scale-cli-secret-0123456789abcdef', LOG_LEVEL: 'error' };
  const run = await promisify(execFile)('node', ['dist/src/cli/index.js', 'demo', 'scale', '--org', 'scale-small', '--rows', '2000'], { cwd: path.resolve(__dirname, '../..'), env });
  expect(run.stdout).toMatch(/^200 employees, 10 courses, 2000 report rows \(plus past cycles\) in [\d.]+ s; their external ids start with [0-9a-f]{12}-\n$/);
  expect(run.stderr).toMatch(/generating .* 2000\/2000 report rows/);
  const org = [small.id];
  expect(await count(`SELECT max(array_length(string_to_array(org_unit_path, '/'), 1)) AS n FROM app_user WHERE organization_id = $1`, org)).toBe(5);
  expect(await count(`SELECT count(DISTINCT manager_id)::int AS n FROM app_user WHERE organization_id = $1`, org)).toBe(4);
  const statuses = (await t.owner.query(`SELECT DISTINCT status FROM enrollment WHERE organization_id = $1 ORDER BY 1`, org)) as { status: string }[];
  expect(statuses.map((s) => s.status)).toEqual(['COMPLETED', 'IN_PROGRESS', 'NOT_STARTED', 'WITHDRAWN']);
  expect(await count(`SELECT count(*)::int AS n FROM enrollment WHERE organization_id = $1 AND closed_at IS NOT NULL`, org)).toBeGreaterThan(0);

  const hr = await t.token(small.id, 'scale-small-hr');
  const total = async (filter: Record<string, unknown>) =>
    (await gqlOk<GqlData>(t, `query($f: CertificationReportFilter) { certificationReport(filter: $f, first: 5) { totalCount } }`, { f: filter }, hr)).certificationReport.totalCount as number;
  expect(await total({})).toBe(2000);
  expect(await total({ includeHistory: true })).toBeGreaterThan(2000);
  const counts = await Promise.all([{ status: 'ACTIVE' }, { status: 'EXPIRED' }, { status: 'REVOKED' }, { status: 'SUPERSEDED', includeHistory: true },
    { overdue: true }, { expiringWithinDays: 30 }, { orgUnitPath: '总部/大区2/分公司1' }].map(total));
  for (const n of counts) expect(n).toBeGreaterThan(0);
  // The first page reads the generated names and titles as written.
  const page = await gqlOk<GqlData>(t, `{ certificationReport(first: 3) { nodes { name orgUnitPath courseTitle enrollmentStatus } } }`, {}, hr);
  expect(page.certificationReport.nodes[0]).toMatchObject({ orgUnitPath: expect.stringMatching(/^总部\/大区\d\/分公司\d\/营业厅\d\/班组\d$/), courseTitle: expect.stringMatching(/^合规课程 \d+$/) });
}, 60_000);

/** The plan nodes that read a whole big table. */
async function seqScans(filter: Partial<ReportFilter>, scope: ReportScope): Promise<string[]> {
  const q = reportSql(big.id, { includeHistory: false, ...filter }, scope, { limit: 21 });
  const plan = await withTenant(t.ds, big.id, (tx) => tx.manager.query(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.params), true) as { 'QUERY PLAN': unknown }[];
  const found: string[] = [];
  const walk = (node: Record<string, unknown>): void => {
    if (node['Node Type'] === 'Seq Scan' && ['app_user', 'enrollment', 'certificate'].includes(node['Relation Name'] as string)) found.push(`${node['Relation Name']} ${node.Alias}`);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((plan[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0].Plan);
  return found;
}

test('a filtered page of the report reads no big table whole (EXPLAIN on 40,000 generated rows, analyzed)', async () => {
  const [course] = (await t.owner.query(`SELECT id FROM course WHERE organization_id = $1 LIMIT 1`, [big.id])) as { id: string }[];
  const [manager] = (await t.owner.query(`SELECT id, org_unit_path FROM app_user WHERE organization_id = $1 AND external_id = $2`, [big.id, `${bigPrefix}-51`])) as { id: string; org_unit_path: string }[];
  const day = 86_400_000;
  const filters: Record<string, Partial<ReportFilter>> = {
    course: { courseId: course.id },
    orgUnit: { orgUnitPath: '总部/大区2/分公司1' },
    team: { orgUnitPath: '总部/大区2/分公司2/营业厅1/班组1' },
    status: { status: 'REVOKED' as ReportFilter['status'] },
    expiring: { expiringWithinDays: 30 },
    issued: { issuedFrom: new Date(Date.now() - 60 * day), issuedTo: new Date(Date.now() - 50 * day) },
    overdue: { overdue: true },
    history: { includeHistory: true, courseId: course.id },
  };
  const scopes: Record<string, ReportScope> = { all: { kind: 'all' }, manager: { kind: 'team', userId: manager.id, orgUnitPath: manager.org_unit_path } };
  const found: Record<string, string[]> = {};
  for (const [f, filter] of Object.entries(filters)) {
    for (const [s, scope] of Object.entries(scopes)) {
      const scans = await seqScans(filter, scope);
      if (scans.length) found[`${f} as ${s}`] = scans;
    }
  }
  expect(found).toEqual({});
});
