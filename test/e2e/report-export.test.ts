import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { Client } from 'pg';
import { Role } from '../../src/shared/permissions';
import { RequestContext, type ContextDeps } from '../../src/shared/context';
import { signToken } from '../../src/shared/signed-token';
import { resolveCaller } from '../../src/modules/user/caller';
import { generateScale } from '../../src/demo/scale';
import { EXPORT_LINK } from '../../src/modules/report/report-export.link';
import { MAX_PENDING_EXPORTS } from '../../src/modules/report/report-export.service';
import { exportCleanupJob } from '../../src/jobs/export-cleanup.job';
import { startWorker, type WorkerHandle } from '../../src/jobs/worker';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { gqlOk, mutate, type GqlData } from '../support/catalog';
import { download, readCsv, readXlsx } from '../support/report';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let deps: ContextDeps;
let worker: WorkerHandle | null = null;
const tokens: Record<string, string> = {};
const logs = new PassThrough();
let logText = '';
const ROWS = 2000;

beforeAll(async () => {
  logs.on('data', (chunk: Buffer) => void (logText += chunk.toString()));
  t = await startTestApp({ LOG_LEVEL: 'info' }, logs);
  deps = { dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
  a = await seedOrg(t.owner, 'exp-a');
  b = await seedOrg(t.owner, 'exp-b');
  await a.user('hr', [Role.HR]);
  await a.user('learner', [Role.LEARNER]);
  await b.user('admin', [Role.ORG_ADMIN]);
  const db = new Client({ connectionString: t.db.ownerUrl });
  await db.connect();
  const { prefix } = await generateScale(db, a.id, { rows: ROWS });
  await db.end();
  tokens.hr = await t.token(a.id, 'exp-a-hr');
  tokens.learner = await t.token(a.id, 'exp-a-learner');
  // The first generated employee manages the first team of fifty.
  tokens.manager = await t.token(a.id, `${prefix}-1`);
  tokens.b = await t.token(b.id, 'exp-b-admin');
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await t.close();
});

const EXPORT_FIELDS = 'id state format rowsWritten totalRows byteSize requestedBy error startedAt finishedAt expiresAt downloadUrl';
const start = (token: string, input: Record<string, unknown>) =>
  mutate<GqlData>(t, token, 'startCertificationExport', 'StartCertificationExportInput', input, `export { ${EXPORT_FIELDS} }`);
const read = (token: string, id: string) => t.gql<GqlData>(`query($id: ID!) { certificationExport(id: $id) { ${EXPORT_FIELDS} } }`, { id }, { token });

/** Polls the export until it is finished, remembering every state it was seen in. */
async function finished(token: string, id: string, seen: string[] = []): Promise<GqlData> {
  for (let i = 0; i < 400; i++) {
    const e = (await read(token, id)).body.data!.certificationExport as GqlData;
    if (seen.at(-1) !== e.state) seen.push(e.state);
    if (e.state === 'DONE' || e.state === 'FAILED') return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`export ${id} did not finish`);
}

const fetchLink = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};
const exportFiles = () => {
  const dir = path.join(t.config.dataDir, 'exports', a.id);
  return existsSync(dir) ? readdirSync(dir) : [];
};

test('a caller may have a few exports waiting at once; bad input changes nothing', async () => {
  const ids: string[] = [];
  for (let i = 0; i < MAX_PENDING_EXPORTS; i++) {
    const p = await start(tokens.hr, { format: 'CSV', filter: { status: 'REVOKED' } });
    expect(p.errors).toEqual([]);
    expect(p.export).toMatchObject({ state: 'QUEUED', format: 'CSV', rowsWritten: 0, requestedBy: 'user:exp-a-hr', downloadUrl: null });
    ids.push(p.export.id);
  }
  const over = await start(tokens.hr, { format: 'CSV' });
  expect(over.errors).toEqual([expect.objectContaining({ code: 'LIMIT_REACHED' })]);
  const bad = [
    [`{ format: PDF }`, 'BAD_USER_INPUT'],
    [`{ format: CSV, filter: { issuedFrom: "2026-05-01T00:00:00Z", issuedTo: "2026-01-01T00:00:00Z" } }`, 'BAD_USER_INPUT'],
    [`{ format: CSV, filter: { colour: "red" } }`, 'BAD_USER_INPUT'],
    [`{ format: CSV, filter: { expiringWithinDays: 99999 } }`, 'BAD_USER_INPUT'],
  ];
  for (const [input, code] of bad) {
    const r = await t.gql(`mutation { startCertificationExport(input: ${input}) { export { id } errors { code } } }`, {}, { token: tokens.hr });
    expect({ input, code: r.body.errors?.[0].extensions?.code }).toEqual({ input, code });
  }
  const learner = await t.gql(`mutation { startCertificationExport(input: { format: CSV }) { export { id } errors { code } } }`, {}, { token: tokens.learner });
  expect(learner.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const [{ n }] = (await t.owner.query(`SELECT count(*)::int AS n FROM report_export`)) as { n: number }[];
  expect(n).toBe(MAX_PENDING_EXPORTS);
  // The worker picks the queued ones up once it runs.
  worker = await startWorker(deps, pino({ level: 'silent' }), { connectionString: t.db.ownerUrl, concurrency: 1, pollIntervalMs: 200, rescueIntervalMs: 60_000 });
  for (const id of ids) expect((await finished(tokens.hr, id)).state).toBe('DONE');
}, 60_000);

test('HR exports the whole organization as CSV in the background: progress, then a signed link with the rows of the streamed download', async () => {
  const p = await start(tokens.hr, { format: 'CSV' });
  const seen: string[] = [];
  const e = await finished(tokens.hr, p.export.id, seen);
  expect(e).toMatchObject({ state: 'DONE', rowsWritten: ROWS, totalRows: ROWS, error: null });
  expect(seen.filter((s) => !['QUEUED', 'RUNNING', 'DONE'].includes(s))).toEqual([]);
  expect(new Date(e.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
  expect(e.downloadUrl).toMatch(new RegExp(`^${t.url}/reports/exports/[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
  // No bearer: the link is the credential.
  const file = await fetchLink(e.downloadUrl);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(file.headers.get('cache-control')).toBe('private, no-store');
  expect(Number(file.headers.get('content-length'))).toBe(e.byteSize);
  expect(file.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const streamed = await download(t, 'csv', {}, { token: tokens.hr });
  const fromJob = readCsv(file.body);
  expect(fromJob.rows).toHaveLength(ROWS);
  expect(fromJob.rows).toEqual(readCsv(streamed.body).rows);
  // The same audit as a download, naming who started it and the export.
  const audits = (await t.owner.query(`SELECT actor, entity_id, after FROM audit_event WHERE action = 'report.export' AND entity_id = $1`, [fromGid(e.id)])) as GqlData[];
  expect(audits).toEqual([{ actor: 'user:exp-a-hr', entity_id: fromGid(e.id), after: { format: 'csv', filter: { includeHistory: false }, rows: ROWS, complete: true } }]);
  // The link's token never reaches the log.
  const token = e.downloadUrl.split('/').pop();
  expect(logText).toContain('/reports/exports/[redacted]');
  expect(logText).not.toContain(token);
}, 60_000);

const fromGid = (gid: string): string => Buffer.from(gid, 'base64url').toString().split(':')[1];

test('XLSX with a filter; a manager\'s export holds their team only and is theirs and HR\'s to see', async () => {
  const hr = await finished(tokens.hr, (await start(tokens.hr, { format: 'XLSX', filter: { status: 'REVOKED', includeHistory: true } })).export.id);
  const revoked = await gqlOk<GqlData>(t, `{ certificationReport(filter: { status: REVOKED, includeHistory: true }) { totalCount } }`, {}, tokens.hr);
  expect(hr.rowsWritten).toBe(revoked.certificationReport.totalCount);
  const sheet = await readXlsx((await fetchLink(hr.downloadUrl)).body);
  expect(sheet.rows).toHaveLength(hr.rowsWritten);
  expect(new Set(sheet.rows.map((r) => r['Certificate status']))).toEqual(new Set(['REVOKED']));

  const mine = await finished(tokens.manager, (await start(tokens.manager, { format: 'CSV' })).export.id);
  const team = await gqlOk<GqlData>(t, `{ certificationReport { totalCount } }`, {}, tokens.manager);
  expect(team.certificationReport.totalCount).toBeLessThan(ROWS);
  expect(mine.rowsWritten).toBe(team.certificationReport.totalCount);
  expect(readCsv((await fetchLink(mine.downloadUrl)).body).rows).toHaveLength(team.certificationReport.totalCount);
  expect((await read(tokens.hr, mine.id)).body.data?.certificationExport.state).toBe('DONE');
  expect((await read(tokens.manager, hr.id)).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await read(tokens.learner, mine.id)).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
}, 60_000);

test('another tenant\'s export is NOT_FOUND; forged, re-targeted and expired links are refused', async () => {
  const e = await finished(tokens.hr, (await start(tokens.hr, { format: 'CSV', filter: { overdue: true } })).export.id);
  expect((await read(tokens.b, e.id)).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const node = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: e.id }, { token: tokens.b });
  expect(node.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  const url: string = e.downloadUrl;
  const [head, claims, sig] = url.split('/').pop()!.split('.');
  const claimed = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, string>;
  const base = `${t.url}/reports/exports/`;
  const status = async (token: string) => (await fetchLink(base + token)).status;
  // A flipped signature, a token signed with another secret, and B's tenant signed into a genuine-looking token.
  expect(await status(`${head}.${claims}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`)).toBe(404);
  expect(await status(await signToken('another-secret-another-secret-0123', EXPORT_LINK, claimed, 60))).toBe(404);
  expect(await status(await signToken(TEST_SERVER_SECRET, EXPORT_LINK, { ...claimed, o: b.id }, 60))).toBe(404);
  expect(await status(await signToken(TEST_SERVER_SECRET, 'scorm-player', claimed, 60))).toBe(404);
  expect(await status('not-a-token')).toBe(404);
  const expired = await fetchLink(base + (await signToken(TEST_SERVER_SECRET, EXPORT_LINK, claimed, -5)));
  expect(expired.status).toBe(410);
  expect(JSON.parse(expired.body.toString())).toEqual({ errors: [{ message: expect.stringMatching(/expired/), extensions: { code: 'NOT_FOUND', reason: 'EXPIRED' } }] });
});

test('the cleanup job removes the files of expired exports; their links answer 410', async () => {
  const e = await finished(tokens.hr, (await start(tokens.hr, { format: 'XLSX' })).export.id);
  const before = exportFiles();
  await t.owner.query(`UPDATE report_export SET expires_at = now() - interval '1 second' WHERE id = $1`, [fromGid(e.id)]);
  const cleanup = () => RequestContext.run(deps, { kind: 'system', organizationId: a.id, label: 'job:export-cleanup' }, pino({ level: 'silent' }), (ctx) => exportCleanupJob.run(ctx, new Date()));
  await cleanup();
  await cleanup();
  const after = exportFiles();
  expect(before.length - after.length).toBe(1);
  expect(after.every((f) => !f.startsWith(fromGid(e.id)))).toBe(true);
  expect((await read(tokens.hr, e.id)).body.data?.certificationExport).toMatchObject({ state: 'EXPIRED', downloadUrl: null });
  expect((await fetchLink(e.downloadUrl)).status).toBe(410);
});
