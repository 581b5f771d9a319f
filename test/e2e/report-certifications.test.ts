import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Role } from '../../src/shared/permissions';
import { REPORT_COLUMNS } from '../../src/modules/report/report.columns';
import { startTestApp, type TestApp } from '../support/app';
import { assign, buildCourse, gqlOk, mutateOk, userGid, type GqlData } from '../support/catalog';
import { rawId } from '../support/certification';
import { download, readCsv, readXlsx, REPORT_FIELDS, savedFilename } from '../support/report';
import { seedOrg, type SeededOrg } from '../support/seed';

/** read-excel-file (an ES module with a CommonJS build): a reader that shares no code with exceljs. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readSheet } = require('read-excel-file/node') as { readSheet(input: Buffer, options?: { trim?: boolean }): Promise<unknown[][]> };

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
const tokens: Record<string, string> = {};
let courseA: string;
let courseB: string;
let courseOfB: string;

/** Names a spreadsheet would run, and cells a careless writer would break. */
const NAMES = { l1: '张三, "老三"\n第二行', l2: '=HYPERLINK("http://evil","点我")', rep: '李四' };
const REVOCATION = '@SUM(1)+cmd|calc';

const issue = async (token: string, userId: string, courseId: string, validUntil?: Date): Promise<string> =>
  (await mutateOk<GqlData>(t, token, 'issueCertificate', 'IssueCertificateInput',
    { userId, courseId, reason: '线下考核', validUntil: validUntil?.toISOString() }, 'certificate { id }')).certificate.id;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'rpt-a');
  b = await seedOrg(t.owner, 'rpt-b');
  await a.user('hr', [Role.HR, Role.AUTHOR], { orgUnitPath: '总部' });
  await a.user('manager', [Role.MANAGER], { orgUnitPath: '总部/一部' });
  await a.user('l1', [Role.LEARNER], { orgUnitPath: '总部/一部/一组', jobTitle: '营业员' });
  await a.user('l2', [Role.LEARNER], { orgUnitPath: '总部/二部' });
  await a.user('rep', [Role.LEARNER], { orgUnitPath: '总部/三部', managerKey: 'manager' });
  await b.user('admin', [Role.ORG_ADMIN]);
  await b.user('lb', [Role.LEARNER]);
  for (const [key, name] of Object.entries(NAMES)) await t.owner.query(`UPDATE app_user SET name = $1 WHERE id = $2`, [name, a.users[key].id]);
  for (const key of ['hr', 'manager', 'l1']) tokens[key] = await t.token(a.id, `rpt-a-${key}`);
  tokens.b = await t.token(b.id, 'rpt-b-admin');

  courseA = (await buildCourse(t, tokens.hr, 'RPT-A', [1])).id;
  courseB = (await buildCourse(t, tokens.hr, 'RPT-B', [1])).id;
  courseOfB = (await buildCourse(t, tokens.b, 'RPT-B', [1])).id;
  await assign(t, tokens.hr, courseA, [a.users.l1, a.users.l2, a.users.rep]);
  await t.owner.query(`UPDATE enrollment SET due_at = now() - interval '1 day' WHERE user_id = $1`, [a.users.l2.id]);
  // l1's first cycle is history; the open cycle 2 carries the certificate.
  await t.owner.query(`UPDATE enrollment SET closed_at = now() WHERE user_id = $1`, [a.users.l1.id]);
  await t.owner.query(`INSERT INTO enrollment (organization_id, id, user_id, course_id, source, assigned_by, cycle)
    VALUES ($1, gen_random_uuid(), $2, $3, 'RECERTIFICATION', 'system:test', 2)`, [a.id, a.users.l1.id, rawId(courseA)]);
  const l1Cert = await issue(tokens.hr, userGid(a.users.l1), courseA, new Date(Date.now() + 10 * 86_400_000));
  await t.owner.query(`UPDATE certificate SET issued_at = '2026-03-01T00:00:00Z' WHERE id = $1`, [rawId(l1Cert)]);
  const repCert = await issue(tokens.hr, userGid(a.users.rep), courseA);
  await mutateOk(t, tokens.hr, 'revokeCertificate', 'RevokeCertificateInput', { id: repCert, reason: REVOCATION }, 'certificate { id }');
  await issue(tokens.hr, userGid(a.users.l2), courseB);
  await issue(tokens.b, userGid(b.users.lb), courseOfB);
});
afterAll(() => t.close());

type Row = Record<string, any>;
const report = async (token: string, filter: Record<string, unknown> = {}, first = 50, after?: string) =>
  (await gqlOk<GqlData>(t, `query($f: CertificationReportFilter, $first: Int, $after: String) {
    certificationReport(filter: $f, first: $first, after: $after) { totalCount nodes { ${REPORT_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
  { f: filter, first, after }, token)).certificationReport as { totalCount: number; nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
const keyOf = (r: Row): string => `${r.name ?? r.Name}|${r.courseCode ?? r['Course code']}|${r.cycle ?? r.Cycle ?? ''}`;

describe('the certification report', () => {
  test('HR sees every current row with the DESIGN §9 columns; history adds past cycles', async () => {
    const r = await report(tokens.hr);
    expect(r.totalCount).toBe(4);
    expect(r.nodes.map(keyOf).sort()).toEqual([`${NAMES.l1}|RPT-A|2`, `${NAMES.l2}|RPT-A|1`, `${NAMES.l2}|RPT-B|`, `${NAMES.rep}|RPT-A|1`].sort());
    const l1 = r.nodes.find((n) => n.name === NAMES.l1)!;
    expect(l1).toMatchObject({ email: 'l1@rpt-a.test', orgUnitPath: '总部/一部/一组', jobTitle: '营业员', courseTitle: '课程 RPT-A', revision: 1,
      enrollmentStatus: 'NOT_STARTED', certificateStatus: 'ACTIVE', issuedAt: '2026-03-01T00:00:00.000Z', attempts: null });
    expect(l1.daysToExpiry).toBe(9);
    expect(l1.certificateNumber).toMatch(/^RPTA-\d{4}-\d{6}$/);
    expect(l1.verificationUrl).toMatch(new RegExp(`^${t.url}/verify/[A-Z2-7]{20}$`));
    expect(r.nodes.find((n) => n.name === NAMES.rep)).toMatchObject({ manager: 'manager of rpt-a', certificateStatus: 'REVOKED', revocationReason: REVOCATION });
    expect(r.nodes.find((n) => n.name === NAMES.l2 && n.courseCode === 'RPT-A')).toMatchObject({ enrollmentStatus: 'OVERDUE', certificateNumber: null });
    const history = await report(tokens.hr, { includeHistory: true });
    expect(history.nodes.map(keyOf)).toContain(`${NAMES.l1}|RPT-A|1`);
    expect(history.totalCount).toBe(5);
  });

  test('keyset pages walk every row once, in a fixed number of statements whatever the page size', async () => {
    const all = (await report(tokens.hr, { includeHistory: true })).nodes.map(keyOf);
    const walked: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await report(tokens.hr, { includeHistory: true }, 2, after);
      walked.push(...page.nodes.map(keyOf));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(all);
    const q = `query($first: Int) { certificationReport(first: $first) { nodes { name certificateNumber } } }`;
    const small = await t.gql(q, { first: 1 }, { token: tokens.hr });
    const big = await t.gql(q, { first: 50 }, { token: tokens.hr });
    expect(small.statements).toBe(big.statements);
    const filtered = await t.gql(`{ certificationReport(first: 50, filter: { courseId: "${courseA}", status: ACTIVE }) { nodes { name } } }`, {}, { token: tokens.hr });
    expect(filtered.statements).toBe(big.statements + 1); // the course is checked to be the caller's
  });

  test('managers get their team only; learners get nothing', async () => {
    const r = await report(tokens.manager);
    expect(r.nodes.map((n) => n.name).sort()).toEqual([NAMES.l1, NAMES.rep].sort());
    const learner = await t.gql(`{ certificationReport { nodes { name } } }`, {}, { token: tokens.l1 });
    expect(learner.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await download(t, 'csv', {}, { token: tokens.l1 })).status).toBe(403);
    const mine = readCsv((await download(t, 'csv', {}, { token: tokens.manager })).body);
    expect(mine.rows.map((row) => row.Name).sort()).toEqual([NAMES.l1, NAMES.rep].sort());
    expect((await download(t, 'csv', {}, {})).status).toBe(401);
  });

  test('tenant B reads nothing of A, and A\'s course answers NOT_FOUND', async () => {
    const r = await report(tokens.b);
    expect(r.nodes.map((n) => n.name)).toEqual(['lb of rpt-b']);
    const foreign = await t.gql(`query($c: ID) { certificationReport(filter: { courseId: $c }) { nodes { name } } }`, { c: courseA }, { token: tokens.b });
    expect(foreign.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await download(t, 'csv', { courseId: courseA }, { token: tokens.b })).status).toBe(404);
    const csv = readCsv((await download(t, 'csv', {}, { token: tokens.b })).body);
    expect(csv.rows.map((row) => row.Name)).toEqual(['lb of rpt-b']);
  });
});

describe('downloads', () => {
  test('CSV: UTF-8 with BOM, RFC 4180 quoting, Chinese intact, formulas neutralized, a Chinese filename', async () => {
    const d = await download(t, 'csv', {}, { token: tokens.hr });
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...d.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(savedFilename(d.headers.get('content-disposition'))).toMatch(/^证书报表-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(d.headers.get('content-disposition')).toMatch(/^attachment; filename="certification-report-[\d-]+\.csv"; /);
    expect(d.body.toString('utf8')).toContain('\r\n');
    const { header, rows } = readCsv(d.body);
    expect(header).toEqual(REPORT_COLUMNS.map((c) => c.header));
    expect(rows.map((r) => r.Name).sort()).toEqual([NAMES.l1, `'${NAMES.l2}`, `'${NAMES.l2}`, NAMES.rep].sort());
    const rep = rows.find((r) => r.Name === NAMES.rep)!;
    expect(rep['Revocation reason']).toBe(`'${REVOCATION}`);
    expect(rep['Course title']).toBe('课程 RPT-A');
    const l1 = rows.find((r) => r.Name === NAMES.l1)!;
    expect(l1).toMatchObject({ 'Issued': '2026-03-01T00:00:00.000Z', 'Days to expiry': '9', 'Org unit': '总部/一部/一组', 'Cycle': '2' });
  });

  test('XLSX: typed cells, a frozen header row, column widths, neutralized formulas', async () => {
    const d = await download(t, 'xlsx', {}, { token: tokens.hr });
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(savedFilename(d.headers.get('content-disposition'))).toMatch(/^证书报表-[\d-]+\.xlsx$/);
    const { sheet, header, rows } = await readXlsx(d.body);
    expect(header).toEqual(REPORT_COLUMNS.map((c) => c.header));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(REPORT_COLUMNS.map((c, i) => sheet.getColumn(i + 1).width)).toEqual(REPORT_COLUMNS.map((c) => c.width));
    const l1 = rows.find((r) => r.Name === NAMES.l1)!;
    expect(l1.Issued).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(l1['Valid until']).toBeInstanceOf(Date);
    expect(l1['Days to expiry']).toBe(9);
    expect(l1.Revision).toBe(1);
    expect(l1['Course title']).toBe('课程 RPT-A');
    expect(rows.filter((r) => r.Name === `'${NAMES.l2}`)).toHaveLength(2);
    expect(rows.find((r) => r.Name === NAMES.rep)!['Revocation reason']).toBe(`'${REVOCATION}`);
    for (const row of rows) for (const v of Object.values(row)) expect(typeof v === 'object' && v !== null && !(v instanceof Date)).toBe(false);
  });

  test('XLSX read by another library (read-excel-file): dates as dates, numbers as numbers, Chinese and line breaks intact, formulas neutralized', async () => {
    const d = await download(t, 'xlsx', {}, { token: tokens.hr });
    const data = await readSheet(d.body, { trim: false });
    const [header, ...rest] = data;
    expect(header).toEqual(REPORT_COLUMNS.map((c) => c.header));
    const rows = rest.map((r) => Object.fromEntries(header.map((h, i) => [h as string, r[i] ?? null])));
    expect(rows).toHaveLength(4);
    const l1 = rows.find((r) => r.Name === NAMES.l1)!;
    expect(l1).toMatchObject({ 'Org unit': '总部/一部/一组', 'Job title': '营业员', 'Course title': '课程 RPT-A', 'Cycle': 2, 'Revision': 1, 'Days to expiry': 9 });
    expect(l1.Issued).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(l1['Valid until']).toBeInstanceOf(Date);
    expect(l1['Assigned']).toBeInstanceOf(Date);
    expect(l1['Certificate number']).toMatch(/^RPTA-\d{4}-\d{6}$/);
    // Formulas stay text: a leading apostrophe, never a formula or its result.
    expect(rows.filter((r) => r.Name === `'${NAMES.l2}`)).toHaveLength(2);
    expect(rows.find((r) => r.Name === NAMES.rep)!['Revocation reason']).toBe(`'${REVOCATION}`);
    for (const row of rows) {
      for (const column of REPORT_COLUMNS) {
        const v = row[column.header];
        const expected = { text: 'string', number: 'number', date: 'object' }[column.kind];
        if (v !== null) expect({ column: column.header, type: typeof v }).toEqual({ column: column.header, type: expected });
      }
    }
  });

  test('the downloads hold the rows of the connection for every filter', async () => {
    const filters: Record<string, string>[] = [
      {}, { includeHistory: 'true' }, { status: 'REVOKED' }, { status: 'ACTIVE' }, { courseId: courseB }, { orgUnitPath: '总部/一部' },
      { overdue: 'true' }, { overdue: 'false' }, { expiringWithinDays: '30' }, { issuedFrom: '2026-02-01', issuedTo: '2026-04-01' },
    ];
    for (const f of filters) {
      const gqlFilter = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v === 'true' || v === 'false' ? v === 'true' : k === 'expiringWithinDays' ? Number(v) : v]));
      if (gqlFilter.issuedFrom) Object.assign(gqlFilter, { issuedFrom: `${f.issuedFrom}T00:00:00Z`, issuedTo: `${f.issuedTo}T00:00:00Z` });
      const expected = (await report(tokens.hr, gqlFilter)).nodes.map((n) => [n.certificateNumber ?? '', n.courseCode, n.cycle ?? '']);
      const csv = readCsv((await download(t, 'csv', f, { token: tokens.hr })).body).rows.map((r) => [r['Certificate number'], r['Course code'], r.Cycle === '' ? '' : Number(r.Cycle)]);
      const xlsx = (await readXlsx((await download(t, 'xlsx', f, { token: tokens.hr })).body)).rows.map((r) => [r['Certificate number'] ?? '', r['Course code'], r.Cycle ?? '']);
      expect({ f, rows: csv }).toEqual({ f, rows: expected });
      expect({ f, rows: xlsx }).toEqual({ f, rows: expected });
    }
    expect((await report(tokens.hr, { status: 'REVOKED' })).nodes.map((n) => n.name)).toEqual([NAMES.rep]);
    expect((await report(tokens.hr, { overdue: true })).nodes.map((n) => n.name)).toEqual([NAMES.l2]);
    expect((await report(tokens.hr, { expiringWithinDays: 30 })).nodes.map((n) => n.name)).toEqual([NAMES.l1]);
    expect((await report(tokens.hr, { issuedFrom: '2026-02-01T00:00:00Z', issuedTo: '2026-04-01T00:00:00Z' })).nodes.map((n) => n.name)).toEqual([NAMES.l1]);
  });

  test('every export is audited: who, the filter, the format and the row count', async () => {
    await download(t, 'xlsx', { status: 'REVOKED' }, { token: tokens.hr });
    // Written as the response ends (with the row count), so it may land just after the client has the file.
    const latest = async () => (await t.owner.query(`SELECT actor, after FROM audit_event WHERE organization_id = $1 AND action = 'report.export' ORDER BY created_at DESC LIMIT 1`, [a.id])) as { actor: string; after: Row }[];
    let rows = await latest();
    for (let i = 0; i < 50 && rows[0]?.after.filter.status !== 'REVOKED'; i++) rows = await new Promise((r) => setTimeout(r, 50)).then(latest);
    expect(rows[0]).toEqual({ actor: 'user:rpt-a-hr', after: { format: 'xlsx', filter: { status: 'REVOKED', includeHistory: false }, rows: 1, complete: true } });
  });

  test('bad filters answer 400 / BAD_USER_INPUT and export nothing', async () => {
    const count = async () => (await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'report.export'`)) as { n: number }[];
    // Earlier downloads' audit entries land as their responses end: wait until none is in flight.
    let before = await count();
    for (let settled = 0; settled < 3; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await count();
      settled = now[0].n === before[0].n ? settled + 1 : 0;
      before = now;
    }
    const bad: [Record<string, string>, RegExp][] = [
      [{ colour: 'red' }, /unknown filter "colour"/],
      [{ issuedFrom: '2026-05-01', issuedTo: '2026-01-01' }, /issuedFrom must not be after issuedTo/],
      [{ issuedFrom: 'yesterday' }, /issuedFrom must be an ISO 8601/],
      [{ status: 'LOST' }, /status must be one of/],
      [{ expiringWithinDays: '99999' }, /expiringWithinDays must be from 0/],
      [{ overdue: 'yes' }, /overdue must be true or false/],
      [{ courseId: 'nonsense' }, /Malformed id/],
    ];
    for (const [query, message] of bad) {
      const d = await download(t, 'csv', query, { token: tokens.hr, headers: { 'accept-language': 'en' } });
      const body = JSON.parse(d.body.toString()) as { errors: { message: string; extensions: { code: string } }[] };
      expect({ query, status: d.status, code: body.errors[0].extensions.code }).toEqual({ query, status: 400, code: 'BAD_USER_INPUT' });
      expect(body.errors[0].message).toMatch(message);
    }
    expect((await download(t, 'pdf', {}, { token: tokens.hr })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    const after = await count();
    expect(after[0].n).toBe(before[0].n);
    const gqlBad = [
      `{ certificationReport(first: 1000) { nodes { name } } }`,
      `{ certificationReport(first: 0) { nodes { name } } }`,
      `{ certificationReport(after: "bm9wZQ") { nodes { name } } }`,
      `{ certificationReport(filter: { issuedFrom: "2026-05-01T00:00:00Z", issuedTo: "2026-01-01T00:00:00Z" }) { nodes { name } } }`,
      `{ certificationReport(filter: { expiringWithinDays: -1 }) { nodes { name } } }`,
    ];
    for (const q of gqlBad) expect({ q, code: (await t.gql(q, {}, { token: tokens.hr })).body.errors?.[0].extensions?.code }).toEqual({ q, code: 'BAD_USER_INPUT' });
  });
});

describe('the CLI', () => {
  test('report certifications writes the file with a progress bar and the row count, audited as the operator', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-report-'));
    const env = { PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: t.db.ownerUrl, APP_DB_PASSWORD: process.env.COURSEGRAPH_TEST_APP_PASSWORD,
      DATA_DIR: dir, JWT_SECRET: 'report-cli-secret-0123456789abcdef', LOG_LEVEL: 'error' };
    const cli = (...args: string[]) => promisify(execFile)('node', ['dist/src/cli/index.js', 'report', 'certifications', '--org', 'rpt-a', ...args], { cwd: path.resolve(__dirname, '../..'), env });
    const out = path.join(dir, '报表.xlsx');
    const run = await cli('--format', 'xlsx', '--out', out, '--course', 'RPT-A', '--include-history');
    expect(run.stdout).toBe(`4 rows written to ${out}\n`);
    expect(run.stderr).toMatch(/exporting .* 4\/4 rows/);
    const { rows } = await readXlsx(readFileSync(out));
    expect(rows.map((r) => r['Course code'])).toEqual(['RPT-A', 'RPT-A', 'RPT-A', 'RPT-A']);
    const audit = (await t.owner.query(`SELECT actor, after FROM audit_event WHERE organization_id = $1 AND action = 'report.export' ORDER BY created_at DESC LIMIT 1`, [a.id])) as { actor: string; after: Row }[];
    expect(audit[0]).toMatchObject({ actor: 'system:cli', after: { format: 'xlsx', rows: 4, complete: true } });
    const csvOut = path.join(dir, 'r.csv');
    await cli('--out', csvOut, '--status', 'revoked');
    expect(readCsv(readFileSync(csvOut)).rows.map((r) => r.Name)).toEqual([NAMES.rep]);
    await expect(cli('--out', csvOut, '--issued-from', 'soon')).rejects.toMatchObject({ stderr: expect.stringMatching(/issuedFrom must be an ISO 8601/) });
  }, 60_000);
});
