import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { toGlobalId } from '../../src/shared/ids';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gqlOver } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { launch } from '../support/scorm-course';
import { seedScenario, sequencedCommit, storedLocations, type Scenario } from '../support/scenario';
import { killServices, ROOT, startService, until, type Service } from '../support/service';

/**
 * DESIGN §11: the API is stateless and scales by running copies. Two built API processes on one
 * database and a job worker of its own (the API processes run none): a SCORM session whose commits
 * alternate between them, a superseding launch on the other one, background work done by the
 * separate worker, the rate limit as a per-process budget, and a SIGTERM of one while the other serves.
 */
const RATE = 40;
let db: TestDatabase;
let contentDir: string;
const dataDirs = [0, 1, 2].map((n) => mkdtempSync(path.join(tmpdir(), `cg-multi-${n}-`)));
let worker: ChildProcess;
let a: Service;
let b: Service;
let s: Scenario;

beforeAll(async () => {
  db = await createTestDatabase();
  contentDir = mkdtempSync(path.join(tmpdir(), 'cg-multi-content-'));
  const shared = {
    DATABASE_URL: db.ownerUrl, APP_DB_PASSWORD: process.env.COURSEGRAPH_TEST_APP_PASSWORD, SERVER_SECRET: 'multi-process-server-secret-0123456789',
    CONTENT_DIR: contentDir, RATE_LIMIT_PER_MINUTE: String(RATE), LOG_LEVEL: 'warn', WORKER: 'off',
  };
  [a, b] = await Promise.all(dataDirs.slice(0, 2).map((dir) => startService({ ...shared, DATA_DIR: dir })));
  worker = spawn('node', ['dist/src/worker.js'], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'development', ...shared, DATA_DIR: dataDirs[2], WORKER_POLL_INTERVAL_MS: '500' } });
  s = await seedScenario(a.url, db.ownerUrl, 'multi', 2);
}, 120_000);

afterAll(async () => {
  await s?.owner.destroy();
  killServices();
  worker?.kill('SIGKILL');
  await db.drop();
  for (const dir of [contentDir, ...dataDirs]) rmSync(dir, { recursive: true, force: true });
});

/** The same URL on the other process. */
const on = (service: Service, url: string): string => url.replace(/^http:\/\/[^/]+/, service.url);

test('one SCORM session commits alternately through both processes; a launch on the other process supersedes it', async () => {
  const first = s.learners[0].launch;
  for (let seq = 1; seq <= 20; seq += 1) {
    const res = await sequencedCommit(on(seq % 2 ? a : b, first.commitUrl), seq);
    expect(res.body).toEqual({ result: true, errorCode: 0 });
  }
  expect(await storedLocations(s.owner, [first.attemptId])).toEqual([20]);

  const again = await launch({ url: b.url, gql: gqlOver(b.url) }, s.learners[0].token, s.activityId);
  const stale = await sequencedCommit(on(a, first.commitUrl), 21);
  expect(stale.body).toMatchObject({ result: false, reason: expect.stringMatching(/^SUPERSEDED/) });
  expect((await sequencedCommit(on(a, again.commitUrl), 22)).body).toEqual({ result: true, errorCode: 0 });
  console.log('multi-process: 20 commits alternating between two processes stored in order; the launch on the other process superseded the session');
}, 30_000);

test(`the rate limit is a budget per process: ${RATE} a minute on each`, async () => {
  const token = s.learners[1].token;
  const burst = async (service: Service): Promise<number[]> =>
    Promise.all(Array.from({ length: RATE + 10 }, async () => (await gqlOver(service.url)('{ viewer { roles } }', {}, { token })).status));
  const [onA, onB] = [await burst(a), await burst(b)];
  const ok = (codes: number[]) => codes.filter((c) => c === 200).length;
  console.log(`multi-process: ${ok(onA)} of ${onA.length} answered on A, ${ok(onB)} of ${onB.length} on B`);
  // B never saw this learner; A had counted the launch: the two budgets are separate.
  expect(ok(onB)).toBe(RATE);
  expect(ok(onA)).toBeLessThanOrEqual(RATE);
  expect(ok(onA) + ok(onB)).toBeGreaterThan(RATE);
  expect(onA.filter((c) => c !== 200).every((c) => c === 429)).toBe(true);
}, 30_000);

test('the background work an API process writes is done by the separate worker process', async () => {
  const [enrollment] = (await s.owner.query(`SELECT id FROM enrollment WHERE organization_id = $1 ORDER BY id LIMIT 1`, [s.organizationId])) as { id: string }[];
  const done = await gqlOver(a.url)('mutation($i: CompleteEnrollmentInput!) { completeEnrollment(input: $i) { errors { code } } }',
    { i: { id: toGlobalId('Enrollment', enrollment.id), reason: '线下培训已完成' } }, { token: s.admin });
  expect(done.body.data).toEqual({ completeEnrollment: { errors: [] } });
  const handled = async () => ((await s.owner.query(
    `SELECT count(*)::int AS n FROM outbox_event WHERE entity_id = $1 AND processed_at IS NOT NULL`, [enrollment.id])) as { n: number }[])[0].n === 1;
  await until(handled, 20_000, 'the worker to handle the completion');
  expect(await s.owner.query(`SELECT actor FROM audit_event WHERE action = 'enrollment.completed' AND entity_id = $1`, [enrollment.id]))
    .toEqual([{ actor: 'system:job:completion-audit' }]);
});

test('SIGTERM of one process while the other keeps serving', async () => {
  const commitUrl = s.learners[1].launch.commitUrl;
  let seq = 1;
  const onB: number[] = [];
  let running = true;
  // Paced like a player's autosave: the commit URL has a budget of RATE a minute on B, and an
  // unpaced loop would spend it while A shuts down (a 429 is B keeping its budget, not B failing).
  const loadOnB = (async () => {
    while (running) {
      const res = await sequencedCommit(on(b, commitUrl), seq);
      onB.push(res.status);
      if (res.body.result) seq += 1;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  await until(() => onB.length >= 5, 10_000, 'commits on B');
  const stopping = Date.now();
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  const exitMs = Date.now() - stopping;
  const afterA = onB.length;
  await until(() => onB.length >= afterA + 5, 10_000, 'commits on B after A stopped');
  running = false;
  await loadOnB;
  console.log(`multi-process: A exited 0 in ${exitMs} ms; B answered ${onB.length} commits meanwhile`);
  expect(onB.every((status) => status === 200)).toBe(true);
  expect(await storedLocations(s.owner, [s.learners[1].launch.attemptId])).toEqual([seq - 1]);
}, 30_000);
