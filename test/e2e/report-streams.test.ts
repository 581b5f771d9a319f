import { once } from 'node:events';
import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { Role } from '../../src/shared/permissions';
import { FETCH_SIZE } from '../../src/modules/report/report.service';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

setFlagsFromString('--expose-gc');
/** A full collection, so what is measured is what the export holds, not garbage V8 has not collected yet. */
const gc = runInNewContext('gc') as () => void;

let t: TestApp;
let org: SeededOrg;
let token: string;
const USERS = 1000;
const COURSES = 100;
const ROWS = USERS * COURSES;

/** A large tenant straight in SQL: 1,000 employees × 100 courses = 100,000 open cycles, every 10th certified. */
async function generate(): Promise<void> {
  await t.owner.transaction(async (m) => {
    // Bulk load: row triggers (the completion outbox) have nothing to do for these rows.
    await m.query(`SET LOCAL session_replication_role = replica`);
    await m.query(`INSERT INTO app_user (organization_id, id, external_id, name, email, org_unit_path)
      SELECT $1, gen_random_uuid(), 'gen-' || g, '员工' || lpad(g::text, 5, '0'), 'e' || g || '@big.test', '总部/分部' || (g % 20)
        FROM generate_series(1, ${USERS}) g`, [org.id]);
    await m.query(`INSERT INTO course (organization_id, id, code, title, status)
      SELECT $1, gen_random_uuid(), 'BIG-' || g, jsonb_build_object('zh-CN', '课程' || g), 'PUBLISHED' FROM generate_series(1, ${COURSES}) g`, [org.id]);
    await m.query(`INSERT INTO enrollment (organization_id, id, user_id, course_id, source, assigned_by, due_at)
      SELECT $1, gen_random_uuid(), u.id, c.id, 'ADMIN', 'system:test', now() + interval '30 days'
        FROM app_user u CROSS JOIN course c WHERE u.organization_id = $1 AND c.organization_id = $1 AND u.external_id LIKE 'gen-%'`, [org.id]);
    await m.query(`INSERT INTO certificate (organization_id, id, number, verification_code, status_list_index, user_id, course_id,
        enrollment_id, cycle, holder_name, course_title, issued_at, valid_from, valid_until, issued_by)
      SELECT e.organization_id, gen_random_uuid(), 'BIG-2026-' || lpad(n::text, 6, '0'), upper(substr(md5(e.id::text), 1, 20)), n, e.user_id, e.course_id,
             e.id, 1, 'x', jsonb_build_object('zh-CN', 'x'), now(), now(), now() + interval '1 year', 'system:test'
        FROM (SELECT e.*, row_number() OVER () AS n FROM enrollment e WHERE e.organization_id = $1) e WHERE n % 10 = 0`, [org.id]);
  });
  await t.owner.query('ANALYZE');
}

beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.owner, 'big');
  await org.user('hr', [Role.HR]);
  token = await t.token(org.id, 'big-hr');
  await generate();
}, 120_000);
afterAll(() => t.close());

/** Counts the FETCHes the server sends to PostgreSQL (the in-process app shares this pg module). */
function countFetches(): { count: () => number; restore: () => void } {
  let n = 0;
  const send = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: any[]) {
    if (/^FETCH /.test(String(typeof args[0] === 'string' ? args[0] : args[0]?.text))) n++;
    return (send as (...a: any[]) => any).apply(this, args);
  });
  return { count: () => n, restore: () => spy.mockRestore() };
}

/** Other sessions inside a transaction, idle or running a statement (the export fetches one batch ahead). */
const openTransactions = async (): Promise<number> =>
  ((await t.owner.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`)) as { n: number }[])[0].n;

const lastAudit = async (): Promise<{ rows: number; complete: boolean; format: string } | undefined> =>
  ((await t.owner.query(`SELECT after FROM audit_event WHERE organization_id = $1 AND action = 'report.export' ORDER BY created_at DESC LIMIT 1`, [org.id])) as { after: { rows: number; complete: boolean; format: string } }[])[0]?.after;

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('100,000 rows stream as CSV in flat memory, the first byte at once', async () => {
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const sampler = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 1000);
  const started = Date.now();
  const res = await fetch(`${t.url}/reports/certifications.csv`, { headers: { authorization: `Bearer ${token}` } });
  const firstByte = Date.now() - started;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const byte of chunk) if (byte === 10) lines++;
  clearInterval(sampler);
  expect(res.status).toBe(200);
  expect(firstByte).toBeLessThan(1000);
  expect(lines).toBe(ROWS + 1);
  // The audit is written as the response ends.
  expect(await until(lastAudit, (a) => a?.rows === ROWS)).toEqual(expect.objectContaining({ rows: ROWS, complete: true }));
  // Held at any moment: a few batches. The whole export (about 25 MB of CSV, far more as objects) never is.
  expect((peakHeap - base.heapUsed) / 2 ** 20).toBeLessThan(30);
  expect((peakRss - base.rss) / 2 ** 20).toBeLessThan(100);
}, 120_000);

test('a slow reader holds the cursor (backpressure); a reader that goes away releases the transaction', async () => {
  const fetches = countFetches();
  // node:http honours a paused response (the socket stops being read), as a slow client does.
  const req = http.get(`${t.url}/reports/certifications.csv`, { headers: { authorization: `Bearer ${token}` } });
  try {
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    await once(res, 'readable');
    // Once the socket and stream buffers are full, no further batch is fetched while the reader waits.
    const paused = await until(async () => [fetches.count(), await new Promise((r) => setTimeout(r, 400)), fetches.count()] as const, ([x, , y]) => x === y);
    expect(paused[2]).toBe(paused[0]);
    expect(paused[0]).toBeLessThan(ROWS / FETCH_SIZE / 2);
    expect(await openTransactions()).toBe(1);
  } finally {
    req.destroy();
    fetches.restore();
  }
  const audit = await until(lastAudit, (a) => a?.complete === false);
  expect(audit).toEqual(expect.objectContaining({ format: 'csv', complete: false }));
  expect(audit!.rows).toBeLessThan(ROWS);
  expect(await until(openTransactions, (n) => n === 0)).toBe(0);
  // The pool has its connection back: the API still answers.
  const r = await t.gql(`{ certificationReport(first: 1) { nodes { name } } }`, {}, { token });
  expect(r.body.errors).toBeUndefined();
}, 60_000);
