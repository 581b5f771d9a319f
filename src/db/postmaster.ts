import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Client } from 'pg';
import type { PgAccount, PgBinaries } from './pg-binaries';

/** What the service reports about the PostgreSQL it runs (readiness, metrics). */
export interface DatabaseHealth {
  /** The server is running and took connections when last checked. */
  readonly up: boolean;
  /** Times it died and was started again. */
  readonly restarts: number;
}

export interface PostmasterOptions {
  bin: PgBinaries;
  account?: PgAccount;
  dataDir: string;
  port: number;
  /** Superuser URL used to tell when the server accepts connections. */
  adminUrl: string;
  /** PostgreSQL's own log (appended). */
  logFile: string;
  log: { info(msg: string): void; error(msg: string): void };
}

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** Up this long, a later crash starts the backoff over. */
const STABLE_MS = 30_000;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export async function acceptsConnections(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The last FATAL/PANIC/ERROR line PostgreSQL wrote to `file` (without its time prefix). */
export function lastComplaint(file: string): string | undefined {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(size, 8192));
    try {
      readSync(fd, buf, 0, buf.length, size - buf.length);
    } finally {
      closeSync(fd);
    }
    const lines = buf.toString('utf8').split('\n').filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l));
    return lines.at(-1)?.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '').trim();
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL server process this service started, supervised: when it dies without being asked
 * to, it is started again with a growing delay (250 ms doubling to 10 s), each time logged and
 * counted. It runs in a process group of its own, so a Ctrl-C at the terminal reaches only the
 * service, which stops it last, after its requests have finished.
 */
export class Postmaster implements DatabaseHealth {
  up = false;
  restarts = 0;
  private child?: ChildProcess;
  private stopping = false;
  private backoff = FIRST_BACKOFF_MS;
  private startedAt = 0;
  private retry?: NodeJS.Timeout;

  constructor(private readonly opts: PostmasterOptions) {}

  /** Starts the server and waits until it accepts connections; throws a one-line reason. */
  async start(): Promise<void> {
    const child = this.spawn();
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', () => reject(new Error(`the embedded PostgreSQL did not start: ${lastComplaint(this.opts.logFile) ?? 'it exited'} (its log: ${this.opts.logFile})`)));
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await Promise.race([acceptsConnections(this.opts.adminUrl), exited]))) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (its log: ${this.opts.logFile})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.up = true;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => this.died(child, code, signal));
  }

  /** Stops the server (fast shutdown: open sessions are ended) and waits until it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    const child = this.child;
    this.up = false;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  }

  private spawn(): ChildProcess {
    const { bin, account, dataDir, port, logFile } = this.opts;
    const out = openSync(logFile, 'a', 0o644);
    try {
      this.child = spawn(bin.postgres, ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
        ...(account ?? {}),
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, LC_MESSAGES: 'C' },
      });
    } finally {
      closeSync(out);
    }
    this.child.on('error', () => undefined);
    return this.child;
  }

  private died(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || child !== this.child) return;
    this.up = false;
    if (Date.now() - this.startedAt > STABLE_MS) this.backoff = FIRST_BACKOFF_MS;
    this.opts.log.error(`the embedded PostgreSQL exited (${signal ?? `code ${code}`}); starting it again in ${this.backoff} ms`);
    this.schedule();
  }

  private schedule(): void {
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.retry = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.start();
      this.restarts += 1;
      this.opts.log.info(`the embedded PostgreSQL is running again (restart ${this.restarts})`);
    } catch (err) {
      if (this.stopping) return;
      this.opts.log.error(`${err instanceof Error ? err.message : String(err)}; trying again in ${this.backoff} ms`);
      this.schedule();
    }
  }
}
