/**
 * Compiles the TypeScript (tsconfig.build.json) only when a source changed since the last build,
 * so `npm run cli` answers in a fraction of a second instead of paying ~3 s of tsc per call.
 *
 * "Changed" means a file or folder under src/, migrations/, or ormconfig.ts, tsconfig*.json,
 * package.json is newer than the stamp dist/.build-stamp written after the last successful build
 * (folder times catch deleted and renamed files).
 *
 * Usage: node scripts/build-if-stale.js [--check]   (--check: print "fresh" or "stale", build nothing;
 * exit 0 when fresh, 1 when stale). BUILD_ROOT overrides the project folder (tests).
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = process.env.BUILD_ROOT || path.resolve(__dirname, '..');
const SOURCES = ['src', 'migrations', 'ormconfig.ts', 'package.json'];
const stamp = path.join(root, 'dist', '.build-stamp');

/** The newest modification time (ms) of `target` and everything under it; 0 when it does not exist. */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

function isStale() {
  if (!existsSync(stamp)) return true;
  const configs = readdirSync(root).filter((name) => /^tsconfig.*\.json$/.test(name));
  const latest = Math.max(...[...SOURCES, ...configs].map((name) => newest(path.join(root, name))));
  return latest > statSync(stamp).mtimeMs;
}

const stale = isStale();
if (process.argv.includes('--check')) {
  process.stdout.write(stale ? 'stale\n' : 'fresh\n');
  process.exit(stale ? 1 : 0);
}
if (stale) {
  // The stamp's time is taken before compiling, so an edit made during the build counts as a change.
  const started = new Date();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}
