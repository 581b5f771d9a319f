import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { Client } from 'pg';
import type { Runtime } from '../app';
import { generateScale } from '../demo/scale';

/** The largest data set one run makes (the report's bench uses 1,000,000). */
const MAX_ROWS = 20_000_000;

const rowCount = (raw: string): number => {
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > MAX_ROWS) throw new InvalidArgumentError(`a whole number from 1 to ${MAX_ROWS}`);
  return n;
};

/** Generates the data set over the owner's connection, with a progress bar on stderr. */
async function scale(rt: Runtime, orgId: string, rows: number): Promise<string> {
  const db = new Client({ connectionString: rt.db.ownerUrl, application_name: 'coursegraph-demo-scale' });
  await db.connect();
  const bar = new SingleBar({ format: 'generating {bar} {value}/{total} report rows | {duration_formatted}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
  try {
    bar.start(rows, 0);
    const started = Date.now();
    const result = await generateScale(db, orgId, { rows, onProgress: (done, total) => bar.update(done, { total }) });
    bar.stop();
    return `${result.users} employees, ${result.courses} courses, ${result.rows} report rows (plus past cycles) in ${((Date.now() - started) / 1000).toFixed(1)} s; their external ids start with ${result.prefix}-`;
  } finally {
    bar.stop();
    await db.end();
  }
}

/** `demo scale`: a large tenant for the report's bench and for trying exports. */
export function registerDemoCommands(program: Command, withRuntime: <T>(fn: (rt: Runtime) => Promise<T>) => Promise<T>, orgIdOf: (rt: Runtime, org: string) => Promise<string>): void {
  program
    .command('demo')
    .description('Demo data')
    .command('scale')
    .description('Fill an organization with a large generated data set: employees over a deep org tree, enrollments over cycles, certificates in every state')
    .requiredOption('--org <slug|id>', 'organization')
    .option('--rows <n>', 'report rows to generate (open enrollment cycles), e.g. 1000000', rowCount, 100_000)
    .action(async (opts: { org: string; rows: number }) => {
      const summary = await withRuntime(async (rt) => scale(rt, await orgIdOf(rt, opts.org), opts.rows));
      process.stdout.write(`${summary}\n`);
    });
}
