import './production-env';
import 'reflect-metadata';
import { runScenarios, runTimedScenarios, type Scenario, type TimedScenario } from './harness';
import { viewerScenario } from './viewer.scenario';
import { catalogScenario } from './catalog.scenario';
import { scormCommitScenario } from './scorm-commit.scenario';
import { certificatePdfScenario } from './certificate-pdf.scenario';
import { runIssuanceBench } from './issuance.scenario';
import { runCatalogGrowth } from './catalog-growth';
import { writeResults } from './report';
import { runExportBench } from './export.scenario';

/** `npm run bench [-- name…]`: every scenario, or the named ones. BENCH_SECONDS sets the duration. */
const all: Scenario[] = [viewerScenario, catalogScenario, scormCommitScenario];
/** Scenarios timed inside this process, without a server or a database. */
const timed: TimedScenario[] = [certificatePdfScenario];
const wanted = process.argv.slice(2);
const pick = <T extends { name: string }>(list: T[]): T[] => (wanted.length ? list.filter((s) => wanted.includes(s.name)) : list);
const [chosen, chosenTimed] = [pick(all), pick(timed)];
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

async function main(): Promise<void> {
  const scenarios = chosen.length ? await runScenarios(chosen, seconds) : [];
  const growth = !wanted.length || wanted.includes('catalog-growth') ? await runCatalogGrowth(seconds) : undefined;
  if (scenarios.length || growth) process.stdout.write(`\nfigures written to ${writeResults({ scenarios, growth })}\n`);
  await runTimedScenarios(chosenTimed);
  if (!wanted.length || wanted.includes('issuance')) await runIssuanceBench();
  if (!wanted.length || wanted.includes('export')) await runExportBench();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
