import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config';
import { baseBackup, type Progress } from '../db/base-backup';
import { locateCluster, startEmbeddedCluster } from '../db/embedded';
import { restoreBaseBackup } from '../db/restore';

/** The cluster's superuser password travels with the backup (it is inside the restored data). */
const CLUSTER_FILE = 'coursegraph-cluster.json';
const MiB = 1024 * 1024;

/** A progress bar on stderr counting MiB. */
function progressBar(label: string): { progress: Progress; stop(): void } {
  const bar = new SingleBar({ format: `${label} {bar} {value}/{total} MiB`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
  let started = false;
  return {
    progress(done, total) {
      if (!started) bar.start(Math.ceil(total / MiB), 0);
      started = true;
      bar.update(Math.floor(done / MiB));
    },
    stop: () => bar.stop(),
  };
}

function embeddedOnly(): ReturnType<typeof loadConfig> {
  const config = loadConfig();
  if (config.databaseUrl) throw new Error('DATABASE_URL is set: back up and restore that server with pg_dump and pg_restore (see the README)');
  return config;
}

async function backup(file: string): Promise<void> {
  const config = embeddedOnly();
  const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
  const cluster = await startEmbeddedCluster(path.resolve(config.dataDir, 'postgres'), { home: config.embeddedHome, log });
  const bar = progressBar('copying');
  try {
    const extra = { [CLUSTER_FILE]: JSON.stringify({ password: cluster.location.state.password }) };
    const done = await baseBackup(cluster.adminUrl, cluster.location.dataDir, path.resolve(file), extra, bar.progress);
    bar.stop();
    process.stdout.write(`backed up ${Math.ceil(done.bytes / MiB)} MiB in ${done.files} files to ${file}\n`);
  } finally {
    bar.stop();
    await cluster.stop();
  }
}

async function restore(file: string): Promise<void> {
  const config = embeddedOnly();
  const root = path.resolve(config.dataDir, 'postgres');
  const loc = await locateCluster(root, { home: config.embeddedHome });
  const bar = progressBar('unpacking');
  let result: Awaited<ReturnType<typeof restoreBaseBackup>>;
  try {
    result = await restoreBaseBackup(path.resolve(file), loc, [CLUSTER_FILE], bar.progress);
  } finally {
    bar.stop();
  }
  const { password } = JSON.parse(result.kept[CLUSTER_FILE] ?? '{}') as { password?: string };
  if (password) writeFileSync(path.join(root, 'cluster.json'), JSON.stringify({ ...loc.state, password }), { mode: 0o600 });
  process.stderr.write('replaying the backup\'s WAL\n');
  const cluster = await startEmbeddedCluster(root, { home: config.embeddedHome });
  await cluster.stop();
  process.stdout.write(`restored ${file} into ${loc.dataDir}${result.previous ? `; the data it replaced is in ${result.previous} (delete it when you no longer need it)` : ''}\n`);
}

/** `backup <file>` and `restore <file>` of the embedded database. */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Back up the embedded database to a file (a base backup, taken while the service runs; progress on stderr)')
    .argument('<file>', 'the archive to write (.tar.gz)')
    .action(backup);
  program
    .command('restore')
    .description('Replace the embedded database with a backup (stop the service first; the current data is kept aside)')
    .argument('<file>', 'an archive written by backup')
    .action(restore);
}
