import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';

/** The repository root: where `dist/` (built by `npm test`) is. */
export const ROOT = path.resolve(__dirname, '../..');
export const SERVICE_JWT_SECRET = 'service-test-jwt-secret-0123456789abcdef';

/** The built service (`node dist/src/main.js`) running as a child process. */
export interface Service {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

const started = new Set<ChildProcess>();
// A test that fails half-way leaves no service behind.
process.on('exit', () => started.forEach((child) => child.kill('SIGKILL')));

/** Kills every service this test file started that is still running. */
export function killServices(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Starts the built service and waits until it says it is running (rejects with its output when it
 * exits first). A free port can be taken by another test's process between the look-up and the
 * listen: then it tries again on another one.
 */
export async function startService(env: NodeJS.ProcessEnv, options: { cwd?: string; port?: number } = {}): Promise<Service> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServiceOnce(env, options);
    } catch (err) {
      const raced = options.port === undefined && err instanceof Error && err.message.includes('EADDRINUSE');
      if (!raced || attempt === 3) throw err;
    }
  }
}

async function startServiceOnce(env: NodeJS.ProcessEnv, options: { cwd?: string; port?: number }): Promise<Service> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('node', ['dist/src/main.js'], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET: SERVICE_JWT_SECRET, DEMO_DATA: 'false', LOG_LEVEL: 'info', ...env },
  });
  started.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', () => {
      if (out.includes('Coursegraph is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${out}`));
    });
  });
  return { child, url, port, output: () => out, exited };
}

/** Whether a process with this pid exists (a zombie of ours counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** The postmaster of a data directory and its child processes (backends, checkpointer…). */
export function postgresProcesses(dataDir: string): number[] {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return [];
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      return Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) === postmaster;
    } catch {
      return false;
    }
  });
  return [postmaster, ...children].filter(alive);
}

/** Where the embedded cluster of a data folder lives, as the service recorded it. */
export function clusterDataDir(dataDir: string): string {
  const state = JSON.parse(readFileSync(path.join(dataDir, 'postgres', 'cluster.json'), 'utf8')) as { dataDir: string };
  return state.dataDir;
}

/** GET a path of the service: status and text. */
export async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** Waits until `check` holds, polling every 50 ms, for at most `ms`. */
export async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
