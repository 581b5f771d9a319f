import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { certifiedCourse } from '../support/certification';
import { SERVICE_JWT_SECRET, startService, type Service } from '../support/service';
import { loadConfig } from '../../src/config';
import { mintDevToken } from '../../src/shared/auth';

/**
 * Exactly once under faults: enrollments of a certified course complete while `node
 * dist/src/worker.js` processes are SIGKILLed at random points and restarted, and then while the
 * API server itself (which runs the worker inside) is SIGKILLed under requests; every completion's
 * event is handled once and every completed cycle holds exactly one certificate. `npm test` builds
 * dist first.
 */
const root = path.resolve(__dirname, '../..');
const COMPLETIONS = 300;
const KILLS = 6;
let t: TestApp;
let org: SeededOrg;

beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.owner, 'faults');
  await org.user('admin', [Role.ORG_ADMIN]);
  await t.owner.query(
    `INSERT INTO app_user (organization_id, id, external_id, name, roles)
     SELECT $1, gen_random_uuid(), 'faults-l' || i, 'learner ' || i, '{LEARNER}' FROM generate_series(1, $2) i`,
    [org.id, COMPLETIONS],
  );
});
afterAll(() => t.close());

interface WorkerProcess {
  child: ChildProcess;
  output: string[];
}

function startWorkerProcess(): WorkerProcess {
  const env = {
    PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: t.db.ownerUrl, APP_DATABASE_URL: t.db.appUrl,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-worker-')), LOG_LEVEL: 'info', SERVER_SECRET: 'faults',
    WORKER_CONCURRENCY: '3', WORKER_POLL_INTERVAL_MS: '500', WORKER_RESCUE_INTERVAL_MS: '500',
  };
  const w: WorkerProcess = { child: spawn('node', ['dist/src/worker.js'], { cwd: root, env }), output: [] };
  w.child.stdout!.on('data', (d: Buffer) => w.output.push(d.toString()));
  w.child.stderr!.on('data', (d: Buffer) => w.output.push(d.toString()));
  return w;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (w: WorkerProcess) => new Promise<void>((resolve) => (w.child.exitCode !== null || w.child.signalCode !== null ? resolve() : w.child.once('exit', () => resolve())));
const count = async (sql: string, params: unknown[] = []) => ((await t.owner.query(sql, params)) as { n: number }[])[0].n;

type Work = { enrollment: string; activity: string; key: string; revision: string };

/** Completes enrollments through record_activity_progress, as the application role, one transaction each. */
async function complete(work: Work[]): Promise<void> {
  for (const w of work) {
    await t.ds.transaction(async (m) => {
      await m.query(`SELECT set_config('app.organization_id', $1, true)`, [org.id]);
      await m.query(`SELECT record_activity_progress($1, $2, $3, $4, $5, 'completed', 'unknown', NULL, NULL, NULL, NULL, 1, 1, 5, true)`,
        [org.id, w.enrollment, w.key, w.activity, w.revision]);
    });
  }
}

test(`${COMPLETIONS} completions with worker processes killed ${KILLS} times: every event handled exactly once`, async () => {
  const started = Date.now();
  const admin = await t.token(org.id, org.users.admin.externalId);
  await certifiedCourse(t, admin, 'FAULTS', { validityKind: 'MONTHS', validityMonths: 12 }, 1);
  await t.owner.query(
    `INSERT INTO enrollment (organization_id, id, user_id, course_id, revision_id, source, assigned_by)
     SELECT $1, gen_random_uuid(), u.id, c.id, c.published_revision_id, 'ADMIN', 'test' FROM app_user u, course c
      WHERE u.organization_id = $1 AND c.organization_id = $1 AND u.external_id LIKE 'faults-l%'`, [org.id]);
  const work = (await t.owner.query(
    `SELECT e.id AS enrollment, a.id AS activity, a.key, a.revision_id AS revision
       FROM enrollment e JOIN course c ON c.id = e.course_id JOIN activity a ON a.revision_id = c.published_revision_id
      WHERE e.organization_id = $1`, [org.id])) as { enrollment: string; activity: string; key: string; revision: string }[];
  expect(work).toHaveLength(COMPLETIONS);

  // Bursts of completions, each followed after a random moment by a SIGKILL of a random worker:
  // some die starting up, some between taking a job and finishing it, some idle.
  let workers = [startWorkerProcess(), startWorkerProcess()];
  const all = [...workers];
  while (!workers.some((w) => w.output.join('').includes('job worker started'))) await sleep(100);
  const burst = Math.ceil(COMPLETIONS / KILLS);
  for (let kill = 0; kill < KILLS; kill++) {
    await complete(work.slice(kill * burst, (kill + 1) * burst));
    await sleep(Math.random() * 300);
    const victim = workers[Math.floor(Math.random() * workers.length)];
    victim.child.kill('SIGKILL');
    await exited(victim);
    const fresh = startWorkerProcess();
    all.push(fresh);
    workers = workers.map((w) => (w === victim ? fresh : w));
    await sleep(Math.random() * 300);
  }
  const deadline = Date.now() + 60_000;
  const pending = () => count(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`);
  while ((await pending()) > 0 && Date.now() < deadline) await sleep(250);
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(all.map(exited));

  const events = await count(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'enrollment.completed'`);
  const distinctEvents = await count(`SELECT count(DISTINCT entity_id)::int AS n FROM outbox_event WHERE type = 'enrollment.completed'`);
  const deliveries = await count(`SELECT count(*)::int AS n FROM outbox_delivery WHERE handler = 'completion-audit'`);
  const audits = await count(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'enrollment.completed'`);
  const distinctAudits = await count(`SELECT count(DISTINCT entity_id)::int AS n FROM audit_event WHERE action = 'enrollment.completed'`);
  const rescues = all.flatMap((w) => w.output).join('').split('unlocked the jobs of workers that died').length - 1;
  process.stdout.write(`outbox faults: ${COMPLETIONS} completions, ${KILLS} SIGKILLs, ${all.length} worker processes, ` +
    `${events} events, ${deliveries} deliveries, ${audits} audit rows, ${rescues} rescues of dead workers' jobs, ${Date.now() - started} ms\n`);
  expect({ events, distinctEvents, deliveries, audits, distinctAudits, unprocessed: await pending() })
    .toEqual({ events: COMPLETIONS, distinctEvents: COMPLETIONS, deliveries: COMPLETIONS, audits: COMPLETIONS, distinctAudits: COMPLETIONS, unprocessed: 0 });
  expect(await count(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`)).toBe(0);
  await expectOneCertificatePerCompletedCycle('FAULTS', COMPLETIONS);
}, 120_000);

/** Every completed cycle of the course has exactly one certificate, and numbers are unique. */
async function expectOneCertificatePerCompletedCycle(courseCode: string, expected: number): Promise<void> {
  const rows = (await t.owner.query(
    `SELECT count(*)::int AS completed, count(DISTINCT c.id)::int AS certified,
            (SELECT count(*)::int FROM certificate x JOIN course k ON k.id = x.course_id WHERE k.code = $1) AS certificates,
            (SELECT count(DISTINCT x.number)::int FROM certificate x JOIN course k ON k.id = x.course_id WHERE k.code = $1) AS numbers
       FROM enrollment e JOIN course k ON k.id = e.course_id LEFT JOIN certificate c ON c.organization_id = e.organization_id AND c.enrollment_id = e.id
      WHERE k.code = $1 AND e.status = 'COMPLETED'`, [courseCode])) as { completed: number; certified: number; certificates: number; numbers: number }[];
  process.stdout.write(`certificates of ${courseCode}: ${JSON.stringify(rows[0])}\n`);
  expect(rows[0]).toEqual({ completed: expected, certified: expected, certificates: expected, numbers: expected });
}

const SERVER_LEARNERS = 60;
const SERVER_KILLS = 2;

test(`${SERVER_LEARNERS} completions over HTTP while the server is killed ${SERVER_KILLS} times: one certificate per completed cycle`, async () => {
  const admin = await t.token(org.id, org.users.admin.externalId);
  const course = await certifiedCourse(t, admin, 'FAULTS-HTTP', { validityKind: 'NONE' }, 1);
  const learners = (await t.owner.query(
    `SELECT id, external_id FROM app_user WHERE organization_id = $1 AND external_id LIKE 'faults-l%' ORDER BY external_id LIMIT $2`,
    [org.id, SERVER_LEARNERS])) as { id: string; external_id: string }[];
  await t.owner.query(
    `INSERT INTO enrollment (organization_id, id, user_id, course_id, source, assigned_by)
     SELECT $1, gen_random_uuid(), u, k.id, 'ADMIN', 'test' FROM unnest($2::uuid[]) u, course k WHERE k.organization_id = $1 AND k.code = 'FAULTS-HTTP'`,
    [org.id, learners.map((l) => l.id)]);
  const jwt = { ...loadConfig({ JWT_SECRET: SERVICE_JWT_SECRET }).jwt };
  const env = { DATABASE_URL: t.db.ownerUrl, APP_DATABASE_URL: t.db.appUrl, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-faults-http-')), SERVER_SECRET: 'faults', RATE_LIMIT_PER_MINUTE: '0', WORKER_POLL_INTERVAL_MS: '500', WORKER_RESCUE_INTERVAL_MS: '1000' };
  const record = async (service: Service, externalId: string): Promise<boolean> => {
    const token = await mintDevToken(jwt, { subject: externalId, organization: org.id });
    const res = await fetch(`${service.url}/graphql`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($a: ID!) { recordActivityProgress(input: { activityId: $a, completed: true }) { errors { code } } }', variables: { a: course.activities[0][0] } }),
    }).catch(() => null);
    return res?.status === 200 && ((await res.json()) as { data?: { recordActivityProgress?: { errors: unknown[] } } }).data?.recordActivityProgress?.errors.length === 0;
  };
  // Requests in flight when the server dies fail; the learner's front end sends them again.
  let todo = learners.map((l) => l.external_id);
  for (let round = 0; todo.length > 0 && round < 10; round++) {
    const service = await startService(env);
    const kill = round < SERVER_KILLS ? sleep(100 + Math.random() * 400).then(() => service.child.kill('SIGKILL')) : Promise.resolve();
    const results = await Promise.all(todo.map((id) => record(service, id)));
    await kill;
    todo = todo.filter((_, i) => !results[i]);
    if (round >= SERVER_KILLS) {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await count(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`)) > 0) await sleep(250);
    }
    service.child.kill('SIGTERM');
    await service.exited;
  }
  expect(todo).toEqual([]);
  await expectOneCertificatePerCompletedCycle('FAULTS-HTTP', SERVER_LEARNERS);
}, 180_000);
