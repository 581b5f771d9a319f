import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { Logger, parseCronItems, run, runOnce, type WorkerEvents } from 'graphile-worker';
import { Pool } from 'pg';
import type { Runtime } from '../app';
import type { ContextDeps } from '../shared/context';
import { taskList, type JobEnv } from './dispatch';
import { WorkerLiveness } from './liveness';
import { jobRegistry, type JobRegistry } from './registry';

/** How a worker runs (README: "Outbox and worker"). */
export interface WorkerSettings {
  /**
   * The queue's connection: the owner's, since graphile-worker's tables admit no one else. The
   * jobs themselves run on the application's DataSource (the application role, under RLS).
   */
  connectionString: string;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** Fallback poll for retries and scheduled jobs; new jobs arrive by LISTEN/NOTIFY. */
  pollIntervalMs: number;
  /** How often dead workers' jobs are looked for. */
  rescueIntervalMs: number;
}

export interface WorkerHandle {
  /** Lets running jobs finish, then disconnects. */
  stop(): Promise<void>;
}

/** Dead workers' jobs are freed only once locked this long (a starting worker takes its liveness lock within it). */
const RESCUE_GRACE_SECONDS = 5;

/** graphile-worker's log lines, into ours. */
function workerLogger(log: FastifyBaseLogger): Logger {
  return new Logger((scope) => (level, message) => {
    const line = { ...scope };
    if (level === 'error') log.error(line, message);
    else if (level === 'warning') log.warn(line, message);
    else if (level === 'info') log.info(line, message);
    else log.debug(line, message);
  });
}

/**
 * Starts a worker: jobs from the outbox and the registry's periodic jobs, any number of
 * processes at once (graphile-worker locks each job with SKIP LOCKED), and a periodic rescue of
 * jobs held by workers that died.
 */
export async function startWorker(deps: ContextDeps, log: FastifyBaseLogger, settings: WorkerSettings, registry: JobRegistry = jobRegistry): Promise<WorkerHandle> {
  const env: JobEnv = { deps, log, registry };
  const pool = new Pool({ connectionString: settings.connectionString, max: settings.concurrency + 3, application_name: 'coursegraph-worker' });
  pool.on('error', (err) => log.warn({ err }, 'worker connection lost'));
  const liveness = await WorkerLiveness.open(pool);
  const events: WorkerEvents = new EventEmitter();
  events.on('worker:create', ({ worker }) => void liveness.hold(worker.workerId).catch((err: unknown) => log.error({ err }, 'worker liveness lock failed')));
  events.on('job:error', ({ job, error }) => log.warn({ jobId: job.id, task: job.task_identifier, attempts: job.attempts, err: error }, 'job failed; it will be retried'));
  const rescue = async (): Promise<void> => {
    const dead = await liveness.rescue(RESCUE_GRACE_SECONDS);
    if (dead.length) log.warn({ workers: dead }, 'unlocked the jobs of workers that died');
  };
  await rescue();
  const runner = await run({
    pgPool: pool, concurrency: settings.concurrency, pollInterval: settings.pollIntervalMs, noHandleSignals: true,
    logger: workerLogger(log), events, taskList: taskList(env), parsedCronItems: parseCronItems(registry.periodic.map((p) => ({
      task: `periodic:${p.kind}`, match: p.schedule, identifier: p.kind, options: { backfillPeriod: 0 },
    }))),
  });
  const timer = setInterval(() => void rescue().catch((err: unknown) => log.warn({ err }, 'worker rescue failed')), settings.rescueIntervalMs).unref();
  return {
    async stop() {
      clearInterval(timer);
      await runner.stop();
      await liveness.close();
      await pool.end();
    },
  };
}

/** Runs every job that is due now, then returns (tests, and the CLI after bulk work). */
export async function runQueuedJobs(deps: ContextDeps, log: FastifyBaseLogger, connectionString: string, registry: JobRegistry = jobRegistry): Promise<void> {
  await runOnce({ connectionString, concurrency: 1, noHandleSignals: true, logger: workerLogger(log), taskList: taskList({ deps, log, registry }) });
}

/** Starts the worker of a runtime (`npm start`, `npm run worker`); it stops when the runtime closes. */
export async function startRuntimeWorker(rt: Runtime): Promise<WorkerHandle> {
  const worker = await startWorker(rt.deps, rt.log, { connectionString: rt.db.ownerUrl, ...rt.config.worker });
  rt.shutdown.add('intake', 'job worker', () => worker.stop());
  rt.log.info({ concurrency: rt.config.worker.concurrency }, 'job worker started');
  return worker;
}
