import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { seedScenario, sequencedCommit, type Scenario } from '../support/scenario';
import { get, killServices, ROOT, startService, type Service } from '../support/service';

/**
 * `npm run cli -- backup` while the service runs on its embedded database, then `restore` into the
 * stopped installation: every table holds exactly what it held when the backup was taken.
 */
const run = promisify(execFile);
let dataDir: string;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'cg-backup-'));
  chmodSync(dataDir, 0o755);
  home = mkdtempSync(path.join(tmpdir(), 'cg-backup-home-'));
  env = { DATA_DIR: dataDir, EMBEDDED_PG_HOME: home, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
});
afterAll(() => {
  killServices();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const cli = (...args: string[]) => run('node', ['dist/src/cli/index.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });

function ownerUrl(): string {
  const { port, password } = JSON.parse(readFileSync(path.join(dataDir, 'postgres/cluster.json'), 'utf8')) as { port: number; password: string };
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/coursegraph`;
}

/** A checksum of every table's rows, by table. */
async function contents(owner: DataSource): Promise<Record<string, string>> {
  const tables = (await owner.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) as { tablename: string }[];
  const sums: Record<string, string> = {};
  for (const { tablename } of tables) {
    const [row] = (await owner.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${tablename}" t`)) as { n: number; sum: string }[];
    sums[tablename] = `${row.n}:${row.sum}`;
  }
  return sums;
}

async function stop(service: Service): Promise<void> {
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
}

test('a backup taken while the service runs restores every table as it was', async () => {
  let service = await startService(env);
  let s: Scenario | undefined = await seedScenario(service.url, ownerUrl(), 'backup', 2);
  for (let seq = 1; seq <= 5; seq += 1) expect((await sequencedCommit(s.learners[0].launch.commitUrl, seq)).body.result).toBe(true);
  const before = await contents(s.owner);

  const file = path.join(dataDir, 'backup.tar.gz');
  const backup = await cli('backup', file);
  expect(backup.stdout).toMatch(/^backed up \d+ MiB in \d+ files to /);
  expect(backup.stderr).toMatch(/copying .* \d+\/\d+ MiB/);
  // Written after the backup: gone once it is restored.
  expect((await sequencedCommit(s.learners[0].launch.commitUrl, 6)).body.result).toBe(true);
  await s.owner.query("INSERT INTO platform_admin (subject, name) VALUES ('after-backup', 'after')");
  expect(await contents(s.owner)).not.toEqual(before);
  await s.owner.destroy();
  s = undefined;
  await stop(service);

  const restored = await cli('restore', file);
  expect(restored.stdout).toMatch(/^restored .*; the data it replaced is in /);
  service = await startService(env);
  const owner = createDataSource(ownerUrl(), { extra: { max: 1 } });
  await owner.initialize();
  try {
    const after = await contents(owner);
    console.log(`backup/restore: ${Object.keys(after).length} tables compared, ${Object.values(after).reduce((n, v) => n + Number(v.split(':')[0]), 0)} rows`);
    expect(after).toEqual(before);
    expect((await get(`${service.url}/readyz`)).status).toBe(200);
  } finally {
    await owner.destroy();
  }
  await stop(service);
}, 120_000);

test('backup and restore refuse an external database, and restore refuses a running one', async () => {
  await expect(run('node', ['dist/src/cli/index.js', 'backup', 'x.tar.gz'], { cwd: ROOT, env: { PATH: process.env.PATH, ...env, DATABASE_URL: 'postgres://x@127.0.0.1:1/x' } }))
    .rejects.toMatchObject({ stderr: expect.stringMatching(/error: DATABASE_URL is set: back up and restore that server with pg_dump/) });
  const service = await startService(env);
  await expect(cli('restore', path.join(dataDir, 'backup.tar.gz'))).rejects.toMatchObject({ stderr: expect.stringMatching(/error: the embedded PostgreSQL is running: stop the service/) });
  await stop(service);
}, 60_000);
