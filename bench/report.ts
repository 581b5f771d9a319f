import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './measure';

/** One scenario's figures, per contender (project, baseline, peer). */
export interface ScenarioReport {
  name: string;
  connections: number;
  seconds: number;
  rounds: number;
  baselineLabel: string;
  results: Record<string, BenchResult>;
}

/** The project's throughput over another contender's. */
export function ratio(report: ScenarioReport, other: string): number | undefined {
  const [project, them] = [report.results.project, report.results[other]];
  return project && them?.requestsPerSec ? project.requestsPerSec / them.requestsPerSec : undefined;
}

function row(label: string, r: BenchResult): string {
  const n = (v: number, digits: number, width: number): string => v.toFixed(digits).padStart(width);
  return `  ${label.padEnd(9)} ${n(r.requestsPerSec, 0, 6)} req/s  p50 ${n(r.p50, 0, 4)} ms  p99 ${n(r.p99, 0, 4)} ms  ` +
    `node ${n(r.nodeCpuMs, 2, 6)}  gc ${n(r.gcMs, 2, 5)}  pg ${n(r.pgCpuMs, 2, 5)} ms/req  rss ${n(r.rssMb, 0, 4)} MB  errors ${r.errors}  (${r.requests} requests)`;
}

/** Prints a scenario: one row per contender, then the project's ratios. */
export function printScenario(report: ScenarioReport): void {
  const lines = [`\n${report.name} (${report.connections} connections, ${report.seconds}s each in ${report.rounds} turns)`];
  for (const [name, r] of Object.entries(report.results)) lines.push(row(name === 'baseline' ? report.baselineLabel : name, r));
  const ratios = ['peer', 'baseline'].flatMap((other) => {
    const value = ratio(report, other);
    return value === undefined ? [] : [`project/${other === 'baseline' ? report.baselineLabel : other} ${value.toFixed(2)}`];
  });
  const project = report.results.project;
  if (project) ratios.push(`project p99/p50 ${(project.p99 / Math.max(1, project.p50)).toFixed(1)}`);
  lines.push(`  ratios    ${ratios.join('   ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes every figure of the run to `bench/results/<date>.json` (not committed) and returns its path. */
export function writeResults(data: Record<string, unknown>): string {
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const meta = { node: process.version, argv: process.execArgv, nodeEnv: process.env.NODE_ENV, seconds: Number(process.env.BENCH_SECONDS ?? 10) };
  writeFileSync(file, `${JSON.stringify({ ...meta, ...data }, null, 2)}\n`);
  return file;
}
