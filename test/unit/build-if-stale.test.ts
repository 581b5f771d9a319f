import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * `npm run cli` compiles only when a source is newer than dist/.build-stamp. The script is run
 * in --check mode on a scratch project, with file times set by hand.
 */

const SCRIPT = path.resolve(__dirname, '../../scripts/build-if-stale.js');
let root: string;

const check = (): string => spawnSync(process.execPath, [SCRIPT, '--check'], { env: { ...process.env, BUILD_ROOT: root }, encoding: 'utf8' }).stdout.trim();
const at = (file: string, seconds: number): void => utimesSync(path.join(root, file), seconds, seconds);

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'coursegraph-stale-'));
  for (const dir of ['src/cli', 'migrations', 'dist']) mkdirSync(path.join(root, dir), { recursive: true });
  for (const file of ['src/cli/index.ts', 'src/main.ts', 'migrations/index.ts', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json']) writeFileSync(path.join(root, file), '');
  for (const file of ['src/cli/index.ts', 'src/main.ts', 'src/cli', 'src', 'migrations/index.ts', 'migrations', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json']) at(file, 1_000);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('without a stamp it builds; with a stamp newer than every source it does not', () => {
  expect(check()).toBe('stale');
  writeFileSync(path.join(root, 'dist/.build-stamp'), '');
  at('dist/.build-stamp', 2_000);
  expect(check()).toBe('fresh');
});

test.each(['src/cli/index.ts', 'migrations/index.ts', 'ormconfig.ts', 'tsconfig.build.json', 'src'])('a change to %s since the build makes it stale', (file) => {
  writeFileSync(path.join(root, 'dist/.build-stamp'), '');
  at('dist/.build-stamp', 2_000);
  at(file, 3_000);
  expect(check()).toBe('stale');
});
