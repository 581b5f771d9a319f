import type { FastifyBaseLogger } from 'fastify';
import type { JobHelpers, TaskList } from 'graphile-worker';
import { IsNull } from 'typeorm';
import { RequestContext, type ContextDeps } from '../shared/context';
import { isUuid } from '../shared/ids';
import { loadEvent, type OutboxEventRecord } from './outbox';
import { OutboxEvent } from './outbox.entity';
import { OUTBOX_TASK, QUEUE_SCHEMA } from './queue-names';
import { jobsFor, type EventJob, type JobRegistry, type PeriodicJob } from './registry';

/** What the tasks need: the app's context dependencies, a logger and the jobs to run. */
export interface JobEnv {
  deps: ContextDeps;
  log: FastifyBaseLogger;
  registry: JobRegistry;
}

/** A transaction of the tenant as a system principal labelled after the job kind, so RLS, services and the audit log apply. */
function inTenant<T>(env: JobEnv, organizationId: string, kind: string, requestId: string, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const ctx = new RequestContext(env.deps, { kind: 'system', organizationId, label: `job:${kind}` }, requestId, env.log);
  return ctx.runInTransaction(fn);
}

/**
 * Records the delivery of an event to a job kind, in the job's transaction. False when it was
 * delivered before: a job that runs again (after a crash between commit and completion) skips
 * it. A concurrent run of the same delivery waits on the unique index and then skips.
 */
async function claimDelivery(ctx: RequestContext, eventId: string, kind: string): Promise<boolean> {
  const rows = (await ctx.manager.query(
    `INSERT INTO outbox_delivery (organization_id, id, event_id, handler) VALUES ($1, gen_random_uuid(), $2, $3)
     ON CONFLICT (organization_id, event_id, handler) DO NOTHING RETURNING id`,
    [ctx.orgId, eventId, kind],
  )) as unknown[];
  return rows.length === 1;
}

async function deliver(env: JobEnv, job: EventJob, event: OutboxEventRecord): Promise<void> {
  await inTenant(env, event.organizationId, job.kind, `event:${event.id}`, async (ctx) => {
    if (await claimDelivery(ctx, event.id, job.kind)) await job.run(ctx, event);
  });
}

/** The `outbox` task: runs every job of the event's type, each once, then marks the event processed. */
async function runEvent(env: JobEnv, payload: unknown): Promise<void> {
  const { organizationId, eventId } = (payload ?? {}) as { organizationId?: unknown; eventId?: unknown };
  if (!isUuid(organizationId) || !isUuid(eventId)) {
    env.log.error({ payload }, 'outbox job without a valid event: dropped');
    return;
  }
  const event = await inTenant(env, organizationId, OUTBOX_TASK, `event:${eventId}`, (ctx) => loadEvent(ctx, eventId));
  if (!event) return;
  // In order: a failure stops here and the retry skips what was delivered.
  for (const job of jobsFor(env.registry, event.type)) await deliver(env, job, event);
  await inTenant(env, organizationId, OUTBOX_TASK, `event:${eventId}`, (ctx) =>
    ctx.manager.update(OutboxEvent, { organizationId, id: eventId, processedAt: IsNull() }, { processedAt: new Date() }));
}

/** A periodic job's firing: one job per organization, keyed by the firing, added in one statement. */
async function fanOut(job: PeriodicJob, payload: unknown, helpers: JobHelpers): Promise<void> {
  const ts = (payload as { _cron?: { ts?: string } } | null)?._cron?.ts ?? new Date().toISOString();
  await helpers.withPgClient((client) => client.query(
    `SELECT ${QUEUE_SCHEMA}.add_jobs(ARRAY(
       SELECT ROW($1::text, json_build_object('organizationId', o.id, 'firedAt', $2::text), NULL::text, NULL::timestamptz,
                  NULL::smallint, $3 || ':' || o.id || ':' || $2, NULL::smallint, NULL::text[])::${QUEUE_SCHEMA}.job_spec
         FROM organization o))`,
    [`tenant:${job.kind}`, ts, job.kind],
  ));
}

async function runPeriodic(env: JobEnv, job: PeriodicJob, payload: unknown): Promise<void> {
  const { organizationId, firedAt } = (payload ?? {}) as { organizationId?: unknown; firedAt?: unknown };
  if (!isUuid(organizationId) || typeof firedAt !== 'string') return;
  await inTenant(env, organizationId, job.kind, `${job.kind}:${firedAt}`, (ctx) => job.run(ctx, new Date(firedAt)));
}

/** graphile-worker's task list for the registry: the outbox task, and two tasks per periodic job. */
export function taskList(env: JobEnv): TaskList {
  const tasks: TaskList = { [OUTBOX_TASK]: (payload) => runEvent(env, payload) };
  for (const job of env.registry.periodic) {
    tasks[`periodic:${job.kind}`] = (payload, helpers) => fanOut(job, payload, helpers);
    tasks[`tenant:${job.kind}`] = (payload) => runPeriodic(env, job, payload);
  }
  return tasks;
}
