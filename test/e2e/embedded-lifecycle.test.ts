import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageWithBigFile, seedScenario, slowDownload, slowUpload, storedLocations, type Scenario } from '../support/scenario';
import { startLoad } from '../support/load';
import { alive, clusterDataDir, get, killServices, postgresProcesses, startService, until, type Service } from '../support/service';

/**
 * The built service with its embedded PostgreSQL, as `npm start` runs it: the database is killed
 * under load and comes back without a restart of the service; then a SIGTERM under load, with an
 * upload and a long download in flight, finishes them all, exits 0 and leaves no PostgreSQL behind.
 */
let dataDir: string;
let home: string;
let service: Service;
let s: Scenario;
let pgData: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'cg-lifecycle-'));
  chmodSync(dataDir, 0o755);
  home = mkdtempSync(path.join(tmpdir(), 'cg-lifecycle-home-'));
  service = await startService({ DATA_DIR: dataDir, EMBEDDED_PG_HOME: home, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  pgData = clusterDataDir(dataDir);
  const { port, password } = JSON.parse(readFileSync(path.join(dataDir, 'postgres/cluster.json'), 'utf8')) as { port: number; password: string };
  s = await seedScenario(service.url, `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/coursegraph`, 'life', 6);
}, 120_000);

afterAll(async () => {
  await s?.owner.destroy().catch(() => undefined);
  killServices();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const metric = async (name: string): Promise<number> => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await get(`${service.url}/metrics`)).text)?.[1]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('SIGKILL of the embedded PostgreSQL under load: readiness goes 503 and back, no acknowledged write is lost, the service recovers by itself', async () => {
  const load = startLoad(s, 'fault', 1);
  await until(() => load.result.acks >= 50, 20_000, 'writes before the crash');
  const [postmaster] = postgresProcesses(pgData);
  process.kill(postmaster, 'SIGKILL');
  const killedAt = Date.now();
  await until(async () => (await get(`${service.url}/readyz`)).status === 503, 5_000, 'readiness to report the database down');
  const downSeen = Date.now() - killedAt;
  await until(async () => (await get(`${service.url}/readyz`)).status === 200, 30_000, 'readiness to come back');
  const backAfter = Date.now() - killedAt;
  const during = await load.stop();
  // Recovered: a fresh load from here on is answered in full.
  const after = startLoad(s, 'recovered', 500_000);
  await until(() => after.result.acks >= 50, 20_000, 'writes after the recovery');
  const recovered = await after.stop();

  console.log(`fault: /readyz 503 after ${downSeen} ms, 200 again after ${backAfter} ms; until then ${during.acks} writes acknowledged, ` +
    `outcomes ${JSON.stringify(during.outcomes)}; after it ${recovered.acks} acknowledged, outcomes ${JSON.stringify(recovered.outcomes)}`);
  expect(service.child.exitCode).toBeNull();
  expect(await metric('coursegraph_embedded_postgres_restarts_total')).toBe(1);
  expect(await metric('coursegraph_embedded_postgres_up')).toBe(1);
  // Every acknowledged commit is stored (its sequence or a later one), every acknowledged user exists.
  const stored = await storedLocations(s.owner, s.learners.map((l) => l.launch.attemptId));
  stored.forEach((seq, i) => expect(seq).toBeGreaterThanOrEqual(Math.max(during.ackedSequence[i], recovered.ackedSequence[i])));
  const acked = [...during.ackedUsers, ...recovered.ackedUsers];
  const users = (await s.owner.query('SELECT count(*)::int AS n FROM app_user WHERE external_id = ANY($1)', [acked])) as { n: number }[];
  expect(users[0].n).toBe(acked.length);
  expect(Object.keys(recovered.outcomes)).toEqual(expect.arrayContaining(['commit:200:true', 'graphql:200:ok']));
  expect(Object.keys(recovered.outcomes)).toHaveLength(2);
}, 60_000);

test('SIGTERM under load after that crash: an upload and a long download in flight finish, nothing is cut, exit 0, no PostgreSQL left', async () => {
  await s.owner.destroy();
  const load = startLoad(s, 'shutdown', 1_000_000, { stopOnRefusal: true });
  await until(() => load.result.acks >= 30, 20_000, 'writes before the shutdown');
  const download = slowDownload(s.bigFileUrl, 3_000, s.bigFileBytes);
  const bulk = Array.from({ length: 300 }, (_, i) => ({ externalId: `bulk-${i}`, name: `员工${i}` }));
  let signalledAt = 0;
  let pids: number[] = [];
  let bulkWrite: Promise<{ status: number; users?: number }> | undefined;
  const upload = slowUpload(service.url, s.author, await packageWithBigFile(3 * 1024 * 1024), 2_000, () => {
    bulkWrite = s.api.gql<{ upsertUsers: { users: unknown[] } }>('mutation($input: UpsertUsersInput!) { upsertUsers(input: $input) { users { id } } }', { input: { users: bulk } }, { token: s.admin })
      .then((r) => ({ status: r.status, users: r.body.data?.upsertUsers.users.length }));
    void sleep(30).then(() => {
      pids = postgresProcesses(pgData);
      signalledAt = Date.now();
      service.child.kill('SIGTERM');
    });
  });
  const [downloaded, uploaded, code] = await Promise.all([download, upload, service.exited]);
  const result = await load.stop();
  const bulkResult = await bulkWrite;

  console.log(`shutdown: exit ${code}; download ${downloaded.bytes} bytes, upload ${uploaded.status}, bulk write ${JSON.stringify(bulkResult)}; ` +
    `load ${result.acks} acknowledged, outcomes ${JSON.stringify(result.outcomes)}; PostgreSQL processes before: ${pids.length}`);
  expect(downloaded).toEqual({ status: 200, bytes: s.bigFileBytes });
  expect(uploaded.status).toBe(201);
  expect(bulkResult).toEqual({ status: 200, users: 300 });
  expect(code).toBe(0);
  expect(pids.length).toBeGreaterThan(1);
  expect(pids.filter(alive)).toEqual([]);
  // Requests the service took were answered; only connections it no longer accepted failed, after the signal.
  expect(Object.keys(result.outcomes).filter((o) => /:5\d\d:/.test(o) && !o.includes(':503:'))).toEqual([]);
  expect(result.connectionErrors.filter((t) => t < signalledAt)).toEqual([]);
}, 60_000);
