import 'reflect-metadata';
import { runScenarios, type Scenario } from './harness';
import { viewerScenario } from './viewer.scenario';
import { catalogScenario } from './catalog.scenario';
import { scormCommitScenario } from './scorm-commit.scenario';

/** `npm run bench [-- name…]`: every scenario, or the named ones. BENCH_SECONDS sets the duration. */
const all: Scenario[] = [viewerScenario, catalogScenario, scormCommitScenario];
const wanted = process.argv.slice(2);
const chosen = wanted.length ? all.filter((s) => wanted.includes(s.name)) : all;
runScenarios(chosen, Number(process.env.BENCH_SECONDS ?? 10)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
