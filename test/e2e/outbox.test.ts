import pino from 'pino';
import { fromGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { RequestContext, type ContextDeps } from '../../src/shared/context';
import { resolveCaller } from '../../src/modules/user/caller';
import { emitEvent } from '../../src/jobs/outbox';
import { jobRegistry, type JobRegistry } from '../../src/jobs/registry';
import { runQueuedJobs, startWorker } from '../../src/jobs/worker';
import { LIVENESS_CLASS } from '../../src/jobs/liveness';
import { Client } from 'pg';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { assign, buildCourse, mutate } from '../support/catalog';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let admin: string;
let deps: ContextDeps;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'outbox-a');
  b = await seedOrg(t.owner, 'outbox-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('learner', [Role.LEARNER]);
  await b.user('learner', [Role.LEARNER]);
  admin = await t.token(a.id, a.users.admin.externalId);
  deps = { dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
});
afterAll(async () => {
  await t.close();
});

const runJobs = (registry: JobRegistry = jobRegistry) => runQueuedJobs(deps, log, t.db.ownerUrl, registry);
const eventsOf = async (entityId: string) =>
  (await t.owner.query(`SELECT id, type, entity_type, payload, processed_at IS NOT NULL AS processed FROM outbox_event WHERE entity_id = $1`, [entityId])) as
    { id: string; type: string; entity_type: string; payload: unknown; processed: boolean }[];
const queuedFor = async (eventId: string) =>
  ((await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [`outbox:${eventId}`])) as { n: number }[])[0].n;
const completionAudits = async (enrollmentId: string) =>
  (await t.owner.query(`SELECT actor, after FROM audit_event WHERE action = 'enrollment.completed' AND entity_id = $1`, [enrollmentId])) as { actor: string; after: Record<string, unknown> }[];
const record = (token: string, activityId: string) =>
  mutate(t, token, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId }, 'enrollment { status }');

test('completing an enrollment writes one event in the same transaction; the worker audits it once', async () => {
  const course = await buildCourse(t, admin, 'OUT-1', [2]);
  const [gid] = await assign(t, admin, course.id, [a.users.learner]);
  const enrollmentId = fromGlobalId(gid).id;
  const learner = await t.token(a.id, a.users.learner.externalId);
  await record(learner, course.activities[0][0]);
  expect(await eventsOf(enrollmentId)).toEqual([]);
  expect((await record(learner, course.activities[0][1])).enrollment).toEqual({ status: 'COMPLETED' });
  await record(learner, course.activities[0][0]);
  const [event, ...more] = await eventsOf(enrollmentId);
  expect(more).toEqual([]);
  expect(event).toMatchObject({ type: 'enrollment.completed', entity_type: 'Enrollment', payload: { enrollmentId }, processed: false });
  expect(await queuedFor(event.id)).toBe(1);

  await runJobs();
  expect(await queuedFor(event.id)).toBe(0);
  expect((await eventsOf(enrollmentId))[0].processed).toBe(true);
  const audits = await completionAudits(enrollmentId);
  expect(audits).toEqual([{ actor: 'system:job:completion-audit', after: expect.objectContaining({ status: 'COMPLETED', progressPercent: 100 }) }]);

  // The same job again (a worker that died before marking it done): the ledger skips the handler.
  await t.owner.query(`SELECT graphile_worker.add_job('outbox', json_build_object('organizationId', $1::uuid, 'eventId', $2::uuid))`, [a.id, event.id]);
  await runJobs();
  expect(await completionAudits(enrollmentId)).toHaveLength(1);
  expect(await t.owner.query(`SELECT handler FROM outbox_delivery WHERE event_id = $1 ORDER BY handler`, [event.id])).toEqual([{ handler: 'completion-audit' }, { handler: 'issue-certificate' }]);
});

test('a transaction that rolls back leaves neither an event nor a job', async () => {
  const course = await buildCourse(t, admin, 'OUT-2', [1]);
  const [gid] = await assign(t, admin, course.id, [a.users.learner]);
  const enrollmentId = fromGlobalId(gid).id;
  const jobsBefore = await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs`);
  await expect(t.ds.transaction(async (m) => {
    await m.query(`SELECT set_config('app.organization_id', $1, true)`, [a.id]);
    await m.query(`UPDATE enrollment SET status = 'COMPLETED', completed_at = now() WHERE id = $1`, [enrollmentId]);
    expect(await m.query(`SELECT type FROM outbox_event WHERE entity_id = $1`, [enrollmentId])).toEqual([{ type: 'enrollment.completed' }]);
    throw new Error('the mutation failed after completing');
  })).rejects.toThrow('the mutation failed');
  expect(await eventsOf(enrollmentId)).toEqual([]);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs`)).toEqual(jobsBefore);
});

test("a job runs as a system principal of the event's tenant: RLS shows that tenant only", async () => {
  const seen: { org: string; actor: string; users: string[]; requestId: string }[] = [];
  const registry: JobRegistry = {
    periodic: [],
    events: [{
      kind: 'probe',
      handles: ['probe.happened'],
      async run(ctx: RequestContext) {
        const users = (await ctx.manager.query('SELECT external_id FROM app_user ORDER BY 1')) as { external_id: string }[];
        seen.push({ org: ctx.orgId, actor: ctx.actor, users: users.map((u) => u.external_id), requestId: ctx.requestId });
      },
    }],
  };
  await RequestContext.run(deps, { kind: 'system', organizationId: b.id, label: 'test' }, log, (ctx) =>
    emitEvent(ctx, { type: 'probe.happened', entityType: 'User', entityId: b.users.learner.id }));
  await runJobs(registry);
  expect(seen).toEqual([{ org: b.id, actor: 'system:job:probe', users: ['outbox-b-learner'], requestId: expect.stringMatching(/^event:/) }]);
});

test('a periodic job fans out to one run per tenant, each in its own tenant', async () => {
  const runs: string[] = [];
  const registry: JobRegistry = {
    events: [],
    periodic: [{ kind: 'sweep', schedule: '0 3 * * *', async run(ctx) {
      const [row] = (await ctx.manager.query('SELECT count(*)::int AS n FROM app_user')) as { n: number }[];
      runs.push(`${ctx.orgId}:${row.n}:${ctx.actor}`);
    } }],
  };
  await t.owner.query(`SELECT graphile_worker.add_job('periodic:sweep', '{"_cron":{"ts":"2026-12-01T03:00:00.000Z"}}'::json)`);
  await runJobs(registry);
  expect(runs.sort()).toEqual([`${a.id}:2:system:job:sweep`, `${b.id}:1:system:job:sweep`].sort());
});

test('/readyz and /metrics show the queue depth and failures', async () => {
  const queue = async () => ((await (await fetch(`${t.url}/readyz`)).json()) as { queue: Record<string, number> }).queue;
  const gauge = async (state: string) => new RegExp(`coursegraph_job_queue_jobs\\{state="${state}"\\} (\\d+)`).exec(await (await fetch(`${t.url}/metrics`)).text())?.[1];
  expect(await queue()).toEqual({ pending: 0, running: 0, retrying: 0, failed: 0 });
  await RequestContext.run(deps, { kind: 'system', organizationId: a.id, label: 'test' }, log, (ctx) =>
    emitEvent(ctx, { type: 'probe.failing', entityType: 'User', entityId: a.users.learner.id }));
  expect(await queue()).toEqual({ pending: 1, running: 0, retrying: 0, failed: 0 });
  expect(await gauge('pending')).toBe('1');

  const failing: JobRegistry = { periodic: [], events: [{ kind: 'fails', handles: ['probe.failing'], run: () => Promise.reject(new Error('mail server down')) }] };
  await runJobs(failing);
  expect(await queue()).toEqual({ pending: 1, running: 0, retrying: 1, failed: 0 });
  await t.owner.query(`UPDATE graphile_worker._private_jobs SET max_attempts = attempts`);
  expect(await queue()).toEqual({ pending: 0, running: 0, retrying: 0, failed: 1 });
  expect(await gauge('failed')).toBe('1');
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM outbox_delivery d JOIN outbox_event e ON e.id = d.event_id WHERE e.type = 'probe.failing'`)).toEqual([{ n: 0 }]);
  await t.owner.query(`DELETE FROM graphile_worker._private_jobs`);
});

test('the nightly cleanup forgets events handled more than 30 days ago, in every tenant, and keeps unhandled ones', async () => {
  const insert = (org: string, processedDaysAgo: number | null, createdDaysAgo: number) => t.owner.query(
    `INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, created_at, processed_at)
     VALUES ($1, gen_random_uuid(), 'test.old', 'User', gen_random_uuid(), now() - make_interval(days => $3), now() - make_interval(days => $2))
     RETURNING id`, [org, processedDaysAgo, createdDaysAgo]) as Promise<{ id: string }[]>;
  const [[oldA], [recentA], [unhandledA], [oldB]] = await Promise.all([insert(a.id, 40, 41), insert(a.id, 1, 41), insert(a.id, null, 41), insert(b.id, 31, 31)]);
  await t.owner.query(`DELETE FROM graphile_worker._private_jobs`);
  await t.owner.query(`SELECT graphile_worker.add_job('periodic:outbox-cleanup', json_build_object('_cron', json_build_object('ts', now())))`);
  await runJobs();
  const left = ((await t.owner.query(`SELECT id FROM outbox_event WHERE type = 'test.old'`)) as { id: string }[]).map((r) => r.id);
  expect(left.sort()).toEqual([recentA.id, unhandledA.id].sort());
  expect(left).not.toContain(oldA.id);
  expect(left).not.toContain(oldB.id);
});

test("a starting worker frees the jobs of dead workers, not those of live ones, and runs them", async () => {
  const lock = async (eventLocker: string) => {
    const [event] = (await RequestContext.run(deps, { kind: 'system', organizationId: a.id, label: 'test' }, log, async (ctx) => {
      await emitEvent(ctx, { type: 'probe.locked', entityType: 'User', entityId: a.users.learner.id });
      return ctx.manager.query(`SELECT id FROM outbox_event WHERE type = 'probe.locked' ORDER BY created_at DESC LIMIT 1`);
    })) as { id: string }[];
    await t.owner.query(`UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - interval '1 minute', attempts = 1 WHERE key = $1`, [`outbox:${event.id}`, eventLocker]);
    return event.id;
  };
  const dead = await lock('worker-killed-earlier');
  const alive = await lock('worker-still-running');
  // A live worker holds its liveness lock on a connection of its own.
  const holder = new Client({ connectionString: t.db.ownerUrl });
  await holder.connect();
  await holder.query(`SELECT pg_advisory_lock(${LIVENESS_CLASS}, hashtext('worker-still-running'))`);
  const ran: string[] = [];
  const registry: JobRegistry = { periodic: [], events: [{ kind: 'probe', handles: ['probe.locked'], run: async (_ctx, e) => void ran.push(e.id) }] };
  const worker = await startWorker(deps, log, { connectionString: t.db.ownerUrl, concurrency: 1, pollIntervalMs: 200, rescueIntervalMs: 60_000 }, registry);
  try {
    for (let i = 0; i < 50 && !ran.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ran).toEqual([dead]);
    expect(await t.owner.query(`SELECT locked_by FROM graphile_worker._private_jobs WHERE key = $1`, [`outbox:${alive}`])).toEqual([{ locked_by: 'worker-still-running' }]);
  } finally {
    await worker.stop();
    await holder.end();
    await t.owner.query(`DELETE FROM graphile_worker._private_jobs`);
  }
});
