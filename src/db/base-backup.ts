import { createReadStream, createWriteStream, readdirSync, lstatSync, type Stats } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Client } from 'pg';
import { pack, type Pack } from 'tar-stream';

/** Reports progress of long work: bytes done of a total. */
export type Progress = (done: number, total: number) => void;

/** Folders whose contents a base backup leaves out (PostgreSQL rebuilds them); the folders themselves are kept. */
const EMPTIED = new Set(['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans']);
/** Files of a running server that must not be restored. */
const SKIPPED = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'backup_label.old']);

interface FileEntry {
  name: string;
  stat: Stats;
}

/** Every folder and regular file of the data directory that belongs in a base backup. */
function listDataDir(dataDir: string, rel = ''): FileEntry[] {
  const entries: FileEntry[] = [];
  for (const name of readdirSync(path.join(dataDir, rel))) {
    const relName = rel ? `${rel}/${name}` : name;
    let stat: Stats;
    try {
      stat = lstatSync(path.join(dataDir, relName));
    } catch {
      continue; // removed while we looked: PostgreSQL's WAL replay recreates what matters
    }
    if (stat.isDirectory()) {
      entries.push({ name: relName, stat });
      if (!EMPTIED.has(relName)) entries.push(...listDataDir(dataDir, relName));
    } else if (stat.isFile() && !SKIPPED.has(relName) && !relName.startsWith('pgsql_tmp')) {
      entries.push({ name: relName, stat });
    }
  }
  return entries;
}

/**
 * Adds a file as it is now: exactly the size it had when listed (a file that shrank meanwhile is
 * padded with zeros, one that grew is cut there: WAL replay from the backup's start repairs both,
 * as pg_basebackup relies on too).
 */
async function addFile(tar: Pack, dataDir: string, e: FileEntry, onBytes: (n: number) => void): Promise<void> {
  const size = e.stat.size;
  const entry = tar.entry({ name: e.name, size, mode: e.stat.mode & 0o777, mtime: e.stat.mtime });
  let written = 0;
  if (size > 0) {
    try {
      for await (const chunk of createReadStream(path.join(dataDir, e.name), { start: 0, end: size - 1 }) as AsyncIterable<Buffer>) {
        written += chunk.length;
        if (!entry.write(chunk)) await once(entry, 'drain');
        onBytes(chunk.length);
      }
    } catch {
      // removed while copying: padded below like a file that shrank
    }
  }
  if (written < size) entry.write(Buffer.alloc(size - written));
  entry.end();
  await once(entry, 'finish');
}

async function addBuffer(tar: Pack, name: string, data: string | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => tar.entry({ name, mode: 0o600 }, data, (err) => (err ? reject(err) : resolve())));
}

/** The WAL files from the backup's start to its end, as named in pg_wal. */
function walBetween(dataDir: string, startFile: string, endFile: string): string[] {
  return readdirSync(path.join(dataDir, 'pg_wal')).filter((n) => /^[0-9A-F]{24}$/.test(n) && n >= startFile && n <= endFile).sort();
}

/**
 * Takes a base backup of the running cluster at `adminUrl` (a superuser) whose data directory is
 * `dataDir` into a gzipped tar at `file`: PostgreSQL's low-level API (`pg_backup_start` /
 * `pg_backup_stop`) around a copy of the data directory, plus the WAL written meanwhile (kept by a
 * temporary replication slot), so the archive restores to a consistent state on its own.
 * `extra` files go into the archive beside the data directory's.
 */
export async function baseBackup(adminUrl: string, dataDir: string, file: string, extra: Record<string, string>, progress: Progress): Promise<{ bytes: number; files: number }> {
  const client = new Client({ connectionString: adminUrl, application_name: 'coursegraph backup' });
  await client.connect();
  const tar = pack();
  const written = pipeline(tar, createGzip(), createWriteStream(file, { mode: 0o600 }));
  try {
    await client.query("SELECT pg_create_physical_replication_slot('coursegraph_backup_' || pg_backend_pid(), true, true)");
    await client.query("SELECT pg_backup_start('coursegraph backup', true)");
    const entries = listDataDir(dataDir);
    const total = entries.reduce((sum, e) => sum + (e.stat.isFile() ? e.stat.size : 0), 0);
    let done = 0;
    for (const e of entries) {
      if (e.stat.isDirectory()) tar.entry({ name: e.name, type: 'directory', mode: 0o700, mtime: e.stat.mtime });
      else await addFile(tar, dataDir, e, (n) => progress((done += n), total));
    }
    const stop = await client.query<{ labelfile: string; spcmapfile: string; walfile: string }>(
      'SELECT labelfile, spcmapfile, pg_walfile_name(lsn) AS walfile FROM pg_backup_stop(false)');
    await client.query('SELECT pg_switch_wal()');
    const { labelfile, spcmapfile, walfile } = stop.rows[0];
    const startFile = /START WAL LOCATION: .*\(file ([0-9A-F]{24})\)/.exec(labelfile)?.[1];
    if (!startFile) throw new Error('pg_backup_stop returned no start WAL file');
    const wal = walBetween(dataDir, startFile, walfile);
    for (const name of wal) await addFile(tar, dataDir, { name: `pg_wal/${name}`, stat: lstatSync(path.join(dataDir, 'pg_wal', name)) }, () => undefined);
    await addBuffer(tar, 'backup_label', labelfile);
    if (spcmapfile) await addBuffer(tar, 'tablespace_map', spcmapfile);
    for (const [name, text] of Object.entries(extra)) await addBuffer(tar, name, text);
    tar.finalize();
    await written;
    return { bytes: done, files: entries.length + wal.length };
  } catch (err) {
    tar.destroy(err as Error);
    await written.catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
