import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { Progress } from './base-backup';
import { clusterUrl, giveToAccount, type ClusterLocation } from './embedded';
import { acceptsConnections } from './postmaster';

/** Names that must stay inside the folder they are unpacked to. */
function safeName(name: string): string {
  const normal = path.posix.normalize(name).replace(/\/$/, '');
  if (normal.startsWith('/') || normal === '..' || normal.startsWith('../')) throw new Error(`the backup holds an unsafe path: ${name}`);
  return normal;
}

/** Gives every file under `dir` to the account PostgreSQL runs as. */
function giveTree(dir: string, account: ClusterLocation['account']): void {
  giveToAccount(dir, account);
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) giveTree(full, account);
    else giveToAccount(full, account);
  }
}

/** Unpacks a backup into `target`; entries named in `keep` are returned instead of written. */
async function unpack(file: string, target: string, keep: Set<string>, progress: Progress): Promise<Record<string, string>> {
  const kept: Record<string, string> = {};
  const total = statSync(file).size;
  let done = 0;
  const source = createReadStream(file);
  source.on('data', (chunk) => progress((done += chunk.length), total));
  const tar = extract();
  const unpacked = (async () => {
    for await (const entry of tar) {
      const name = safeName(entry.header.name);
      const dest = path.join(target, name);
      if (entry.header.type === 'directory') {
        mkdirSync(dest, { recursive: true, mode: 0o700 });
        entry.resume();
      } else if (keep.has(name)) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        kept[name] = Buffer.concat(chunks).toString('utf8');
      } else {
        mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
        await pipeline(entry, createWriteStream(dest, { mode: 0o600 }));
      }
    }
  })();
  await Promise.all([pipeline(source, createGunzip(), tar), unpacked]);
  return kept;
}

/**
 * Replaces the embedded cluster's data directory with a base backup made by `baseBackup`. The
 * cluster must be stopped; the current data directory is kept beside it (`…pg.before-restore-<time>`).
 * The next start of PostgreSQL replays the backup's WAL and is then consistent.
 */
export async function restoreBaseBackup(file: string, loc: ClusterLocation, keep: string[], progress: Progress): Promise<{ kept: Record<string, string>; previous?: string }> {
  if (!existsSync(file)) throw new Error(`no file ${file}`);
  if (await acceptsConnections(clusterUrl(loc, 'postgres'))) throw new Error('the embedded PostgreSQL is running: stop the service (and any CLI command using it) first');
  const staging = `${loc.dataDir}.restoring-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging, { mode: 0o700 });
  try {
    const kept = await unpack(file, staging, new Set(keep), progress);
    if (!existsSync(path.join(staging, 'PG_VERSION')) || !existsSync(path.join(staging, 'backup_label'))) throw new Error(`${file} is not a backup made by the backup command`);
    giveTree(staging, loc.account);
    let previous: string | undefined;
    if (existsSync(loc.dataDir)) {
      previous = `${loc.dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(loc.dataDir, previous);
    }
    renameSync(staging, loc.dataDir);
    return { kept, previous };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
