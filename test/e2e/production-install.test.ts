import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm ci --omit=dev && npm start` (issue 14 item 10), without the minutes a real install takes:
 * a checkout whose node_modules holds exactly what `npm ci --omit=dev` installs (the lockfile's
 * packages not marked dev, linked from this install) runs the built processes, and every module
 * the sources import must come from `dependencies`. README "Production".
 */
const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string>; scripts: Record<string, string> };
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
let checkout: string;

/** The lockfile's top-level packages that a production install has (not dev-only). */
const productionPackages = (): string[] => Object.entries(lock.packages)
  .filter(([key, meta]) => key.startsWith('node_modules/') && !key.slice('node_modules/'.length).includes('node_modules/') && !meta.dev)
  .map(([key]) => key.slice('node_modules/'.length));

beforeAll(() => {
  checkout = mkdtempSync(path.join(tmpdir(), 'cg-production-'));
  for (const part of ['dist/src', 'dist/migrations', 'dist/ormconfig.js', 'package.json', 'scripts']) cpSync(path.join(ROOT, part), path.join(checkout, part), { recursive: true });
  for (const name of productionPackages()) {
    if (!existsSync(path.join(ROOT, 'node_modules', name))) continue; // optional, for another platform
    mkdirSync(path.dirname(path.join(checkout, 'node_modules', name)), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', name), path.join(checkout, 'node_modules', name));
  }
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

/** Runs a built entry point of the checkout with only the given environment; its exit code and output. */
async function start(entry: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [entry, ...args], { cwd: checkout, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const MISSING = ['SERVER_SECRET', 'APP_DB_PASSWORD (or APP_DATABASE_URL)', 'JWT_JWKS_URL (or JWT_SECRET)', 'PUBLIC_URL', 'SMTP_URL'];

test('with NODE_ENV=production and nothing set, the server and the worker list every missing setting in one message, exit 1, no stack trace', async () => {
  const entries = [['dist/src/main.js', 'Coursegraph'], ['dist/src/worker.js', 'Coursegraph worker']] as const;
  const [bad, ...results] = await Promise.all([
    // Bad values are listed together with what is missing, never echoing a secret.
    start('dist/src/main.js', { NODE_ENV: 'production', PORT: 'eighty', SERVER_SECRET: 'hunter2', SMTP_URL: 'smtp://u:hunter2@mail.example.com', PUBLIC_URL: 'https://lms.example.com' }),
    ...entries.map(([entry]) => start(entry, { NODE_ENV: 'production', DATA_DIR: path.join(checkout, '.data') })),
  ]);
  for (const [i, [entry, who]] of entries.entries()) {
    const { code, stdout, stderr } = results[i];
    expect({ entry, code, stdout }).toEqual({ entry, code: 1, stdout: '' });
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`${who} failed to start: ${MISSING.length} configuration problems:`);
    expect(lines.slice(1).map((l) => l.replace(/^ {2}- (.+?) (is required|must).*$/, '$1'))).toEqual(MISSING);
    expect(stderr).not.toMatch(/\n\s+at /);
  }
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('PORT must be an integer');
  expect(bad.stderr).toContain('SERVER_SECRET is too short');
  expect(bad.stderr).toContain('MAIL_FROM is required when SMTP_URL is set');
  expect(bad.stderr).not.toContain('hunter2');
  expect(existsSync(path.join(checkout, '.data'))).toBe(false);
}, 120_000);

test('a production install runs what the server, the worker and the CLI load, and what `npm start` builds with, from dependencies alone', async () => {
  // Reaching the configuration check means every module the entry points load at start was found.
  const cli = await start('dist/src/cli/index.js', { NODE_ENV: 'production' }, ['--help']);
  expect(cli).toMatchObject({ code: 0, stdout: expect.stringContaining('token') });
  // What loads on first use: the Verifiable Credentials stack (ES modules) and the PDF fonts.
  const lazy = await run(process.execPath, ['-e', `require('./dist/src/modules/certificate/open-badge/vc-stack').vcStack(); require.resolve('@expo-google-fonts/noto-sans-sc/package.json')`], { cwd: checkout });
  expect(lazy.stderr).toBe('');
  // `npm start`, `npm run worker` and `npm run cli` build with tsc when the sources changed.
  for (const script of ['start', 'worker', 'cli']) expect(pkg.scripts[script]).toMatch(/^node scripts\/build-if-stale\.js && node dist\/src\//);
  expect(existsSync(path.join(checkout, 'node_modules/typescript/bin/tsc'))).toBe(true);
}, 120_000);

/** Every file under `dir` (recursively) ending in `ext`. */
function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, ext) : full.endsWith(ext) ? [full] : [];
  });
}

const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const builtin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);

test('every package the built code requires, and every type package its build needs, is a production dependency', () => {
  const production = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
  const required = new Set<string>();
  for (const file of [...filesUnder(path.join(ROOT, 'dist/src'), '.js'), ...filesUnder(path.join(ROOT, 'dist/migrations'), '.js'), path.join(ROOT, 'dist/ormconfig.js')]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:require|Require|import)\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g)) {
      if (!builtin(m[1])) required.add(packageOf(m[1]));
    }
  }
  expect(required.size).toBeGreaterThan(30);
  expect([...required].filter((name) => !production.has(name))).toEqual([]);
  // A package without its own type declarations needs its @types package to compile.
  const declared = readFileSync(path.join(ROOT, 'src/modules/certificate/open-badge/digitalbazaar.d.ts'), 'utf8');
  const untyped = [...required].filter((name) => {
    const dir = path.join(ROOT, 'node_modules', name);
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { types?: string; typings?: string; main?: string; exports?: unknown };
    const beside = (meta.main ?? 'index.js').replace(/(\.js)?$/, '.d.ts');
    const typed = meta.types || meta.typings || existsSync(path.join(dir, beside)) || JSON.stringify(meta.exports ?? '').includes('.d.ts');
    return !typed && !declared.includes(`'${name}'`);
  });
  expect(untyped.length).toBeGreaterThan(0);
  expect(untyped.map((name) => `@types/${name.replace(/^@/, '').replace('/', '__')}`).filter((types) => !production.has(types))).toEqual([]);
  expect(production.has('@types/node') && production.has('typescript')).toBe(true);
});
