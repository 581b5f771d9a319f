import { loadConfig } from '../src/config';
import { buildServer } from '../src/server';
import { newId } from '../src/shared/ids';
import { BENCH_CONFIG, benchApp, listen, race, withBenchCluster, type BenchEnv, type BenchRequest, type BenchResult } from './harness';
import { graphqlRequest, LEARNER_CATALOG_QUERY, seedLearnerCatalog } from './catalog.scenario';
import { startPeer } from './peer';

/** Enrollments of the learner at each step (`BENCH_GROWTH`, comma-separated). */
const SIZES = (process.env.BENCH_GROWTH ?? '5,20,100').split(',').map(Number);
const CONNECTIONS = 5;
/** The catalog of 100 enrollments costs more than the default query cost limit (20,000) allows. */
const GROWTH_ENV = { MAX_QUERY_COST: '200000' };

export interface GrowthStep {
  enrollments: number;
  statements: number;
  results: Record<string, BenchResult>;
}

/** A learner with `courses` enrollments of 10 modules × 3 activities; their token. */
async function learnerWith(env: BenchEnv, courses: number): Promise<string> {
  const [orgId, userId] = [newId(), newId()];
  await env.owner.query(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, $2, 'Bench', 'bench')`, [orgId, `bench-growth-${courses}`]);
  await env.owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) VALUES ($1, $2, 'learner', 'Learner', '{LEARNER}')`, [orgId, userId]);
  await seedLearnerCatalog(env.owner, orgId, userId, { courses, modules: 10, activities: 3 });
  return env.token(orgId, 'learner');
}

/** SQL statements of one request, from the header a non-production server sends (the test reads the same). */
async function statementsOf(env: BenchEnv, req: BenchRequest): Promise<number> {
  const counting = await buildServer({ dataSource: env.ds, config: loadConfig({ ...BENCH_CONFIG, ...GROWTH_ENV, NODE_ENV: 'development' }), serverSecret: 'bench-server-secret' });
  try {
    const res = await counting.inject({ method: req.method, url: req.path, headers: req.headers, payload: req.body });
    const body = res.json() as { errors?: unknown };
    if (body.errors) throw new Error(`the catalog query failed: ${JSON.stringify(body.errors)}`);
    return Number(res.headers['x-sql-statements']);
  } finally {
    await counting.close();
  }
}

function line(step: GrowthStep, name: string): string {
  const r = step.results[name];
  const per = (v: number): string => (v / step.enrollments).toFixed(3).padStart(7);
  return `  ${String(step.enrollments).padStart(3)} ${name.padEnd(8)} ${r.requestsPerSec.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms` +
    `  (${r.requests} requests)  per enrollment: p50 ${per(r.p50)} ms  node ${per(r.nodeCpuMs)} ms  pg ${per(r.pgCpuMs)} ms   statements ${name === 'project' ? step.statements : '-'}`;
}

/** The catalog at each size: the project and the peer, their cost per enrollment and the project's statement count. */
export async function runCatalogGrowth(seconds: number): Promise<GrowthStep[]> {
  return withBenchCluster(async (adminUrl) => {
    const bench = await benchApp(adminUrl, 'growth', GROWTH_ENV);
    try {
      const tokens = new Map<number, string>();
      for (const n of SIZES) tokens.set(n, await learnerWith(bench.env, n));
      const peer = await startPeer(bench.env);
      const url = await listen(bench.env.app);
      process.stdout.write(`\ncatalog growth (${CONNECTIONS} connections, ${seconds}s each; the time per enrollment should stay flat, the statements fixed)\n`);
      const steps: GrowthStep[] = [];
      for (const n of SIZES) {
        const project = graphqlRequest(tokens.get(n)!, LEARNER_CATALOG_QUERY.replace('first: 20', `first: ${n}`));
        const step = { enrollments: n, statements: await statementsOf(bench.env, project), results: await race(url, { project, peer: { ...project, origin: peer } }, CONNECTIONS, seconds, bench.env.owner, bench.settle) };
        process.stdout.write(`${line(step, 'project')}\n${line(step, 'peer')}\n`);
        steps.push(step);
      }
      return steps;
    } finally {
      await bench.close();
    }
  });
}
