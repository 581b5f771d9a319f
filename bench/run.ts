import 'reflect-metadata';
import { runScenarios, runTimedScenarios, type Scenario, type TimedScenario } from './harness';
import { viewerScenario } from './viewer.scenario';
import { catalogScenario } from './catalog.scenario';
import { scormCommitScenario } from './scorm-commit.scenario';
import { certificatePdfScenario } from './certificate-pdf.scenario';
import { runIssuanceBench } from './issuance.scenario';
import { runExportBench } from './export.scenario';

/** `npm run bench [-- name…]`: every scenario, or the named ones. BENCH_SECONDS sets the duration. */
const all: Scenario[] = [viewerScenario, catalogScenario, scormCommitScenario];
/** Scenarios timed inside this process, without a server or a database. */
const timed: TimedScenario[] = [certificatePdfScenario];
const wanted = process.argv.slice(2);
const pick = <T extends { name: string }>(list: T[]): T[] => (wanted.length ? list.filter((s) => wanted.includes(s.name)) : list);
const [chosen, chosenTimed] = [pick(all), pick(timed)];

async function main(): Promise<void> {
  if (chosen.length) await runScenarios(chosen, Number(process.env.BENCH_SECONDS ?? 10));
  await runTimedScenarios(chosenTimed);
  if (!wanted.length || wanted.includes('issuance')) await runIssuanceBench();
  if (!wanted.length || wanted.includes('export')) await runExportBench();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
