import './production-env';
import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { benchApp, listen, withBenchCluster } from './harness';
import { fire } from './measure';
import { catalogScenario } from './catalog.scenario';
import { viewerScenario } from './viewer.scenario';
import { scormCommitScenario } from './scorm-commit.scenario';

const which = process.argv[2] ?? 'catalog';
const scenario = { catalog: catalogScenario, viewer: viewerScenario, 'scorm-commit': scormCommitScenario }[which]!;
void withBenchCluster(async (adminUrl) => {
  const bench = await benchApp(adminUrl, 'prof');
  const c = await scenario.prepare(bench.env);
  const url = await listen(bench.env.app);
  await fire(url, c.project, 50, 3, bench.env.owner);
  const s = new Session(); s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 100 });
  await s.post('Profiler.start');
  const r = await fire(url, c.project, 50, Number(process.env.SECS ?? 8), bench.env.owner);
  const { profile } = await s.post('Profiler.stop');
  writeFileSync('/tmp/prof.cpuprofile', JSON.stringify(profile));
  console.log(which, r.requestsPerSec, 'req/s node', r.nodeCpuMs, 'gc', r.gcMs, 'pg', r.pgCpuMs);
  await bench.close();
});
