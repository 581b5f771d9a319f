import type { FastifyInstance } from 'fastify';

/**
 * The phases of a shutdown, in the order they run:
 * `intake` stops taking work and finishes what is under way (HTTP requests, running jobs);
 * `connections` closes the database pool; `database` stops the embedded PostgreSQL.
 */
export type ShutdownPhase = 'intake' | 'connections' | 'database';
const PHASES: readonly ShutdownPhase[] = ['intake', 'connections', 'database'];

interface Step {
  phase: ShutdownPhase;
  name: string;
  run: () => Promise<void>;
}

type Log = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/**
 * One ordered shutdown for the process: each part registers its step under a phase; the steps of a
 * phase run together, and a phase starts when the one before has finished. A failing step is
 * logged and the rest still run, so the database is always stopped last and nothing is left behind.
 */
export class ShutdownSequence {
  private readonly steps: Step[] = [];
  private running?: Promise<boolean>;

  constructor(private readonly log: Log) {}

  add(phase: ShutdownPhase, name: string, run: () => Promise<void>): void {
    this.steps.push({ phase, name, run });
  }

  /** Runs every step once (later calls wait for the first); true when none failed. */
  run(): Promise<boolean> {
    this.running ??= this.runPhases();
    return this.running;
  }

  private async runPhases(): Promise<boolean> {
    let ok = true;
    for (const phase of PHASES) {
      const steps = this.steps.filter((s) => s.phase === phase);
      const results = await Promise.allSettled(steps.map((s) => s.run()));
      results.forEach((r, i) => {
        if (r.status === 'rejected') {
          ok = false;
          this.log.error({ err: r.reason, step: steps[i].name }, 'shutdown step failed');
        } else this.log.info({ step: steps[i].name }, 'shutdown step done');
      });
    }
    return ok;
  }
}

/**
 * Stops the HTTP server: no new connections, new requests on open ones answer 503, and requests in
 * flight (uploads and streamed downloads included) get `graceMs` to finish before their
 * connections are cut.
 */
export async function closeHttp(app: FastifyInstance, graceMs: number, log: Log): Promise<void> {
  const timer = setTimeout(() => {
    log.error({ graceMs }, 'shutdown grace period over: cutting the requests still in flight');
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
