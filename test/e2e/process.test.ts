import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/db/embedded';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { generateManifest } from '../support/persisted-manifest';
import { manifest2004, scormZip } from '../support/scorm-course';

/**
 * The built service as an operator runs it: `node dist/src/main.js` and the CLI, on a database of
 * this file's own. `npm test` builds first.
 */
const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
let db: TestDatabase;
let env: NodeJS.ProcessEnv;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = {
    PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: db.ownerUrl, APP_DB_PASSWORD: process.env.COURSEGRAPH_TEST_APP_PASSWORD,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cg-proc-')), PORT: String(port), HOST: '127.0.0.1', JWT_SECRET: 'process-test-secret-0123456789abcdef',
  };
});
afterAll(() => db.drop());

const cli = async (...args: string[]): Promise<string> => (await run('node', ['dist/src/cli/index.js', ...args], { cwd: root, env })).stdout.trim();
const cliWithErr = (...args: string[]) => run('node', ['dist/src/cli/index.js', ...args], { cwd: root, env });

function startService(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('node', ['dist/src/main.js'], { cwd: root, env: { ...env, LOG_LEVEL: 'info' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      if (out.includes('Coursegraph is running')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code}:\n${out}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.on('exit', (code) => resolve(code)));

async function gql<T>(query: string, token: string, variables?: object): Promise<{ status: number; body: { data?: T; errors?: { extensions?: { code?: string } }[] } }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: T } };
}

test('the CLI explains itself', async () => {
  const help = await cli('--help');
  for (const command of ['token', 'org', 'apikey', 'migrate', 'schema', 'persisted-queries']) expect(help).toContain(command);
  expect(await cli('apikey', 'create', '--help')).toContain('--scopes');
});

test("the CLI checks an Apollo persisted query manifest against the schema, as the server does at start", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-pq-'));
  const { file, manifest } = await generateManifest(['test/client/operations.ts'], dir);
  expect(await cli('persisted-queries', file)).toContain(`${manifest.operations.length} operations fit the schema`);
  const bad = path.join(dir, 'bad.json');
  const body = 'query Bad { viewer { salary } }';
  writeFileSync(bad, JSON.stringify({ ...manifest, operations: [{ id: createHash('sha256').update(body).digest('hex'), name: 'Bad', type: 'query', body }] }));
  await expect(cliWithErr('persisted-queries', bad)).rejects.toMatchObject({ stderr: expect.stringMatching(/error: operation "Bad" does not fit the schema/) });
}, 90_000);

test('a fresh start loads the demo tenants; tokens, organizations and API keys from the CLI work; SIGTERM drains', async () => {
  const { child, output } = await startService();
  try {
    expect(output()).toContain('npm run cli -- token --org unicom-xiaoshan --role LEARNER');
    const learner = await cli('token', '--org', 'unicom-xiaoshan', '--role', 'LEARNER');
    const me = await gql<{ viewer: { roles: string[]; organization: { name: string } } }>('{ viewer { roles organization { name } } }', learner);
    expect(me.body.data?.viewer).toEqual({ roles: ['LEARNER'], organization: { name: '中国联通杭州市萧山区分公司' } });

    const platform = await cli('token', '--platform-admin', 'platform-admin');
    const orgs = await gql<{ organizations: { nodes: { slug: string }[] } }>('{ organizations { nodes { slug } } }', platform);
    expect(orgs.body.data?.organizations.nodes.map((o) => o.slug).sort()).toEqual(['laoa-ecommerce', 'tobacco-retail', 'unicom-xiaoshan']);
    // The roles of an organization at once: each call is a process start (about a second of CPU).
    for (const slug of ['laoa-ecommerce', 'tobacco-retail', 'unicom-xiaoshan']) {
      const tokens = await Promise.all(['LEARNER', 'MANAGER', 'AUTHOR', 'HR', 'ORG_ADMIN'].map((role) => cli('token', '--org', slug, '--role', role)));
      for (const token of tokens) expect(token).toMatch(/^ey/);
    }

    expect(JSON.parse(await cli('org', 'create', '--slug', 'cli-org', '--name', '命令行公司', '--industry', '测试', '--admin-external-id', 'boss'))).toMatchObject({ slug: 'cli-org' });
    const key = await cli('apikey', 'create', '--org', 'cli-org', '--name', 'lms', '--scopes', 'USERS_READ,USERS_WRITE');
    const users = await gql<{ users: { nodes: { externalId: string }[] } }>('{ users { nodes { externalId } } }', key);
    expect(users.body.data?.users.nodes).toEqual([{ externalId: 'boss' }]);
    await cli('apikey', 'revoke', '--org', 'cli-org', '--key-id', key.split('_')[1]);
    expect((await gql('{ users { totalCount } }', key)).status).toBe(401);

    const admin = await cli('token', '--org', 'cli-org', '--user', 'boss');
    const big = Array.from({ length: 500 }, (_, i) => `{ externalId: "bulk-${i}", name: "员工${i}" }`).join(',');
    const inFlight = gql<{ upsertUsers: { users: unknown[] } }>(`mutation { upsertUsers(input: { users: [${big}] }) { users { id } } }`, admin);
    await new Promise((r) => setTimeout(r, 30));
    child.kill('SIGTERM');
    const [res, code] = await Promise.all([inFlight, exited(child)]);
    expect(res.body.data?.upsertUsers.users).toHaveLength(500);
    expect(code).toBe(0);
    expect(output()).toContain('shutting down');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 120_000);

test('a restart keeps the data and does not load the demo again', async () => {
  const { child } = await startService();
  try {
    const platform = await cli('token', '--platform-admin', 'platform-admin');
    const orgs = await gql<{ organizations: { totalCount: number } }>('{ organizations { totalCount } }', platform);
    expect(orgs.body.data?.organizations.totalCount).toBe(4);
    expect(await cli('migrate')).toBe('migrations are up to date');
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}, 120_000);

test('the CLI imports a SCORM package with a progress bar, and refuses a bad one with the reason', async () => {
  await cli('org', 'create', '--slug', 'scorm-cli', '--name', '课件公司', '--industry', '测试');
  const file = path.join(env.DATA_DIR!, 'course.zip');
  writeFileSync(file, await scormZip(manifest2004({ title: '命令行课件' })));
  const { stdout, stderr } = await cliWithErr('scorm', 'import', '--org', 'scorm-cli', '--file', file);
  expect(JSON.parse(stdout)).toMatchObject({ title: '命令行课件', version: 'SCORM_2004', scos: ['第一课'] });
  expect(stderr).toMatch(/unpacking .* 2\/2 files/);
  writeFileSync(file, 'not a zip');
  await expect(cliWithErr('scorm', 'import', '--org', 'scorm-cli', '--file', file)).rejects.toMatchObject({ stderr: expect.stringMatching(/error: .*zip/) });
});
