import { randomBytes } from 'node:crypto';
import { buildAppSchema } from '../../src/schema';
import { toGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { Dice, fuzzOperation, oddString, type FuzzIds } from '../support/fuzz-gen';
import { launch, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { seedOrg } from '../support/seed';
import { buildZip } from '../support/zip-builder';

/**
 * A seeded fuzz run over HTTP: GraphQL operations built from the schema, malformed requests,
 * hostile zips and hostile SCORM commits. Fails on any 5xx, any INTERNAL_SERVER_ERROR, and any
 * response carrying SQL, a stack trace or a table name. `FUZZ_SEED=<seed>` replays a run;
 * `FUZZ_OPERATIONS=<n>` changes the number of GraphQL operations, `FUZZ_SLOW=1` prints the slowest requests.
 */
const SEED = process.env.FUZZ_SEED ?? randomBytes(6).toString('hex');
const OPERATIONS = Number(process.env.FUZZ_OPERATIONS ?? 2000);
const MALFORMED = 200;
const ZIPS = 40;
const COMMITS = 300;
const CONCURRENCY = 4;

let t: TestApp;
let ids: FuzzIds;
let callers: Record<string, string | undefined>;
let commitUrl: string;
let tables: RegExp;
const failures: string[] = [];

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  t = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '0' });
  const a = await seedOrg(t.owner, 'fuzz-a');
  const b = await seedOrg(t.owner, 'fuzz-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('author', [Role.AUTHOR]);
  const learner = await a.user('learner');
  await b.user('admin', [Role.ORG_ADMIN]);
  callers = {
    admin: await t.token(a.id, 'fuzz-a-admin'), author: await t.token(a.id, 'fuzz-a-author'), learner: await t.token(a.id, 'fuzz-a-learner'),
    foreign: await t.token(b.id, 'fuzz-b-admin'), anonymous: undefined, garbage: 'not.a.token',
  };
  const course = await scormCourse(t, callers.author!, callers.admin!, await scormZip(manifest2004()), 'fuzz', [toGlobalId('User', learner.id)]);
  commitUrl = (await launch(t, callers.learner!, course.activityIds[0])).commitUrl;
  const own = await t.gql<{ users: { nodes: { id: string }[] } }>('{ users { nodes { id } } }', {}, { token: callers.admin });
  const foreign = await t.gql<{ viewer: { user: { id: string } } }>('{ viewer { user { id } } }', {}, { token: callers.foreign });
  ids = { own: [...own.body.data!.users.nodes.map((n) => n.id), course.courseId, ...course.activityIds], foreign: [foreign.body.data!.viewer.user.id, ...course.activityIds.map((x) => x.slice(0, -2))] };
  const names = (await t.owner.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%\\_%'`)) as { tablename: string }[];
  tables = new RegExp(`\\b(${names.map((n) => n.tablename).join('|')})\\b`);
}, 60_000);
beforeEach(() => {
  failures.length = 0;
});
afterAll(async () => {
  if (process.env.FUZZ_SLOW) console.log(slow.sort((x, y) => y[0] - x[0]).slice(0, 15).map(([ms, l]) => `${ms} ms ${l}`).join('\n'));
  await t.close();
});

const LEAKS = [
  /\n\s+at [\w.<>[\] ]+ \(/, /\.(ts|js):\d+:\d+/, /node_modules/, /QueryFailedError|violates|duplicate key|relation "|column "|syntax error at or near|invalid input syntax/,
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"\n]{0,120}\b(FROM|VALUES|SET|WHERE)\b/,
];

function check(label: string, status: number, text: string): void {
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status}`);
  if (text.includes('INTERNAL_SERVER_ERROR')) problems.push('INTERNAL_SERVER_ERROR');
  for (const leak of [...LEAKS, tables]) if (leak.test(text)) problems.push(`leak ${leak}`);
  if (problems.length && failures.length < 25) failures.push(`${problems.join(', ')} — ${label.slice(0, 400)} → ${text.slice(0, 300)}`);
}

const slow: [number, string][] = [];

async function send(label: string, url: string, init: RequestInit): Promise<void> {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    check(label, res.status, await res.text());
  } catch (err) {
    if (failures.length < 25) failures.push(`no answer (${(err as Error).name}) — ${label.slice(0, 400)}`);
  }
  slow.push([Date.now() - started, label.slice(0, 300)]);
}

/** Runs `count` jobs, `CONCURRENCY` at a time. */
async function pool(count: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await job(next++);
  }));
}

const auth = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

test(`GraphQL operations built from the schema (seed ${SEED})`, async () => {
  const schema = await buildAppSchema();
  const d = new Dice(`${SEED}:graphql`);
  const jobs = Array.from({ length: OPERATIONS }, () => ({ ...fuzzOperation(d, schema, ids), caller: d.chance(0.5) ? 'admin' : d.pick(Object.keys(callers)) }));
  await pool(jobs.length, async (i) => {
    const { query, variables, caller } = jobs[i];
    // Encoded once, as bytes: some bodies are megabytes, and this client shares the server's event loop.
    const body = Buffer.from(JSON.stringify({ query, variables }));
    await send(`${caller}: ${body.subarray(0, 1000).toString()}`, `${t.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...auth(callers[caller]) }, body,
    });
  });
  expect(failures).toEqual([]);
}, 240_000);

test(`malformed HTTP bodies and content types (seed ${SEED})`, async () => {
  const d = new Dice(`${SEED}:http`);
  const bodies = [
    '', '{', '[]', '[{"query":"{ viewer { id } }"}]', 'null', '"x"', '{"query":1}', '{"query":"{ viewer { id } }","variables":"x"}',
    '{"query":"{ viewer { id } }","variables":[1]}', '{"query":"{ viewer { id } }","operationName":{}}', '{"query":"{ viewer { id } }","extensions":"x"}',
    '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}', `{"query":"${'{ a '.repeat(3000)}"}`, '['.repeat(50_000) + ']'.repeat(50_000),
    `{"query":"{ viewer { id } }","variables":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`, '\u0000', '\ufeff{"query":"{ viewer { id } }"}',
  ];
  const types = ['application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/graphql', 'application/octet-stream', 'x', ''];
  const paths = ['/graphql', '/graphql?query=%7B%20viewer%20%7B%20id%20%7D%20%7D', '/graphql?query={', '/graphql?variables=x&query={viewer{id}}', '/scorm/packages', `/scorm/commit/x`, '/content/x/y', '/player/x', '/nope'];
  await pool(MALFORMED, async () => {
    const method = d.pick(['POST', 'POST', 'GET', 'PUT', 'OPTIONS']);
    const path = d.pick(paths);
    const headers: Record<string, string> = { ...auth(callers[d.pick(Object.keys(callers))]) };
    const type = d.pick(types);
    if (type) headers['content-type'] = type;
    if (d.chance(0.2)) headers['apollo-require-preflight'] = 'true';
    if (d.chance(0.1)) headers.authorization = d.pick(['Bearer', 'Basic abc', `Bearer ${'x'.repeat(5000)}`, 'Bearer cg_x_y', `bearer  ${callers.admin}`]);
    const body = method === 'GET' ? undefined : d.chance(0.1) ? randomBytes(d.int(2000)) : d.pick(bodies);
    await send(`${method} ${path} ${type} ${String(body).slice(0, 80)}`, `${t.url}${path}`, { method, headers, body });
  });
  expect(failures).toEqual([]);
}, 240_000);

test(`hostile zips to the upload route (seed ${SEED})`, async () => {
  const d = new Dice(`${SEED}:zip`);
  const good = await scormZip(manifest2004());
  await pool(ZIPS, async (i) => {
    const zip = await hostileZip(d, good);
    const form = new FormData();
    form.append('file', new Blob([zip]), d.chance(0.2) ? oddString(d) : 'p.zip');
    await send(`zip #${i} (${zip.length} bytes)`, `${t.url}/scorm/packages`, { method: 'POST', headers: auth(callers.author), body: form });
  });
  expect(failures).toEqual([]);
}, 240_000);

async function hostileZip(d: Dice, good: Buffer): Promise<Buffer> {
  switch (d.int(5)) {
    case 0: {
      const flipped = Buffer.from(good);
      for (let i = 0; i < 1 + d.int(20); i++) flipped[d.int(flipped.length)] = d.int(256);
      return flipped;
    }
    case 1: return good.subarray(0, d.int(good.length));
    case 2: return randomBytes(d.int(4000));
    case 3: return buildZip([{ name: 'imsmanifest.xml', data: d.pick(['<manifest', '<!DOCTYPE x [<!ENTITY a "b">]><manifest/>', '<a>'.repeat(5000), oddString(d), manifest2004().replace('index.html', oddString(d).replace(/[<&"]/g, ''))]) }, { name: 'index.html', data: 'x' }]);
    default: return buildZip([{ name: 'imsmanifest.xml', data: manifest2004() }, { name: d.pick(['a'.repeat(300), `${'x/'.repeat(900)}y`, '\u00e9.html', 'a:b', 'CON', '%00.html', ' .html', 'd/./e']), data: 'x' }]);
  }
}

test(`hostile commit bodies to the SCORM commit route (seed ${SEED})`, async () => {
  const d = new Dice(`${SEED}:commit`);
  const values = (): unknown => d.pick([oddString(d), 'completed', 'passed', '0.5', '-1', 'PT1H', 'P1Y2M3DT4H5M6S', 'suspend', 12, null, true, {}, [], { a: { b: 'c' } }]);
  const keys = ['completion_status', 'success_status', 'score', 'progress_measure', 'location', 'suspend_data', 'session_time', 'exit', 'interactions', 'objectives', 'learner_preference', 'comments_from_learner', 'core', '\u0000', 'x'.repeat(300)];
  await pool(COMMITS, async (i) => {
    const cmi: Record<string, unknown> = {};
    for (let k = 0; k < 1 + d.int(5); k++) cmi[d.pick(keys)] = d.chance(0.3) ? { [d.pick(['0', '_count', 'raw', 'scaled', 'id', 'result'])]: values() } : values();
    const body = d.pick([
      () => JSON.stringify({ cmi, commitSequence: d.pick([i, 0, -1, 1.5, 'x', null]) }), () => JSON.stringify({ cmi }), () => JSON.stringify(cmi),
      () => '{', () => '[]', () => JSON.stringify({ cmi: d.pick([null, 'x', [], 1]) }), () => `{"cmi":${'['.repeat(10_000)}`,
    ])();
    const type = d.pick(['application/json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', '']);
    const url = d.chance(0.1) ? `${commitUrl.slice(0, -3)}abc` : d.chance(0.1) ? `${commitUrl}?final=true` : commitUrl;
    await send(`commit ${type} ${body.slice(0, 200)}`, url, { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
  });
  expect(failures).toEqual([]);
}, 240_000);
