import './production-env';
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { benchApp, listen, withBenchCluster, type Scenario } from './harness';
import { fire } from './measure';
import { catalogScenario } from './catalog.scenario';
import { scormCommitScenario } from './scorm-commit.scenario';
import { viewerScenario } from './viewer.scenario';
import { summarize } from './profile-summary';

/**
 * `npm run bench:profile -- <scenario> [contender]`: one contender of a scenario (the project by
 * default; `peer`, `baseline`) under the scenario's load, with V8's sampling profiler on for
 * BENCH_SECONDS (8). Writes the profile to bench/results/ (open it in Chrome DevTools or VS Code)
 * and prints where the busy time went: by function itself, and with what it called.
 */
const scenarios: Record<string, Scenario> = { viewer: viewerScenario, catalog: catalogScenario, 'scorm-commit': scormCommitScenario };
const [name = 'catalog', contender = 'project'] = process.argv.slice(2);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
/** How many functions each table lists (BENCH_PROFILE_TOP). */
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 30);
async function main(): Promise<void> {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}: one of ${Object.keys(scenarios).join(', ')}`);
  await withBenchCluster(async (adminUrl) => {
    const bench = await benchApp(adminUrl, `profile-${name}`);
    try {
      const contenders = await scenario.prepare(bench.env);
      const request = contenders[contender as keyof typeof contenders];
      if (!request) throw new Error(`scenario ${name} has no contender ${contender}`);
      const url = await listen(bench.env.app);
      await fire(url, request, scenario.connections, 1, bench.env.owner);
      // The warm-up's requests still running would land in the profile (harness.ts, race).
      await bench.settle();
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      const result = await fire(url, request, scenario.connections, seconds, bench.env.owner);
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}-${contender}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const { busy, self, total } = summarize(profile, TOP);
      const pct = (share: number): string => `${(100 * share).toFixed(1).padStart(5)} %`;
      process.stdout.write(`${name} ${contender}: ${result.requestsPerSec.toFixed(0)} req/s, node ${result.nodeCpuMs.toFixed(2)} ms/req, ${busy} busy samples\n`);
      process.stdout.write(`\nself\n${self.map(([k, v]) => `${pct(v)}  ${k}`).join('\n')}\n\nwith what it called\n${total.map(([k, v]) => `${pct(v)}  ${k}`).join('\n')}\n`);
      process.stdout.write(`\nprofile written to ${file}\n`);
    } finally {
      await bench.close();
    }
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
