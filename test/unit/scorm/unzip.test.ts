import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractPackage, PackageError, type ExtractLimits, type PackageErrorCode } from '../../../src/modules/scorm/engine/unzip';
import { buildZip, patchEntry, type ZipEntrySpec } from '../../support/zip-builder';

const MANIFEST: ZipEntrySpec = { name: 'imsmanifest.xml', data: '<manifest/>' };
const MiB = 1024 * 1024;

let workDir: string;
let zipPath: string;
let destDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'scorm-unzip-'));
  zipPath = path.join(workDir, 'package.zip');
  // Nested, so a traversal that escaped destDir would land inside workDir where we can see it.
  destDir = path.join(workDir, 'out', 'pkg');
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function extract(zip: Buffer, limits: Partial<ExtractLimits> = {}): ReturnType<typeof extractPackage> {
  await writeFile(zipPath, zip);
  return extractPackage(zipPath, destDir, limits);
}

async function refusal(zip: Buffer, limits: Partial<ExtractLimits> = {}): Promise<PackageError> {
  const error = await extract(zip, limits).then(
    () => new Error('the package was accepted'),
    (e: unknown) => e,
  );
  if (!(error instanceof PackageError)) throw error;
  expect(existsSync(destDir)).toBe(false);
  return error;
}

describe('extractPackage', () => {
  it('extracts files and folders with their exact content', async () => {
    const unicode = 'Leçon 1/Übung ✓.html';
    const result = await extract(
      await buildZip([
        MANIFEST,
        { name: 'content/', directory: true },
        { name: 'content/index.html', data: '<h1>Hi</h1>' },
        { name: 'content/media/data.bin', data: Buffer.from([0, 1, 2, 255]), compress: false },
        { name: unicode, data: 'ü' },
      ]),
    );
    expect(result.files).toEqual(['imsmanifest.xml', 'content/index.html', 'content/media/data.bin', unicode]);
    expect(result.totalBytes).toBe('<manifest/>'.length + '<h1>Hi</h1>'.length + 4 + Buffer.byteLength('ü'));
    expect(await readFile(path.join(destDir, 'content/media/data.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(await readFile(path.join(destDir, unicode), 'utf8')).toBe('ü');
  });

  it.each<[string, string, PackageErrorCode]>([
    ['a parent-directory segment', '../evil.txt', 'PATH_TRAVERSAL'],
    ['a parent segment in the middle', 'content/../../evil.txt', 'PATH_TRAVERSAL'],
    ['an absolute path', '/tmp/evil.txt', 'ABSOLUTE_PATH'],
    ['a drive letter', 'C:/evil.txt', 'ABSOLUTE_PATH'],
    ['a drive letter without slash', 'c:evil.txt', 'ABSOLUTE_PATH'],
    ['a backslash', 'content\\..\\evil.txt', 'BACKSLASH_IN_PATH'],
  ])('refuses %s (%s)', async (_what, name, code) => {
    const error = await refusal(await buildZip([MANIFEST, { name, data: 'pwned' }]));
    expect(error.code).toBe(code);
    expect(error.reason).toContain(name);
    expect(existsSync(path.join(workDir, 'evil.txt'))).toBe(false);
    expect(existsSync(path.join(workDir, 'out', 'evil.txt'))).toBe(false);
  });

  it('refuses a symbolic link', async () => {
    const error = await refusal(await buildZip([MANIFEST, { name: 'link', data: '/etc/passwd', mode: 0o120777 }]));
    expect(error).toMatchObject({ code: 'SYMLINK', reason: expect.stringContaining('"link"') });
  });

  it('refuses special files such as a FIFO', async () => {
    expect((await refusal(await buildZip([MANIFEST, { name: 'pipe', mode: 0o010644 }]))).code).toBe('UNSUPPORTED_ENTRY_TYPE');
  });

  it('refuses an encrypted entry', async () => {
    const zip = patchEntry(await buildZip([MANIFEST, { name: 'secret.html', data: 'x' }]), 'secret.html', { flagsOr: 0x1 });
    expect((await refusal(zip)).code).toBe('ENCRYPTED_ENTRY');
  });

  it('refuses the same path twice', async () => {
    const zip = await buildZip([MANIFEST, { name: 'a.html', data: '1' }, { name: 'a.html', data: '2' }]);
    expect((await refusal(zip)).code).toBe('DUPLICATE_ENTRY');
  });

  it('refuses a file and a folder at the same path', async () => {
    const zip = await buildZip([MANIFEST, { name: 'a', data: 'file' }, { name: 'a/b.txt', data: 'inside' }]);
    expect((await refusal(zip)).code).toBe('PATH_CONFLICT');
  });

  it('refuses too many entries', async () => {
    const entries = [MANIFEST, ...Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }))];
    const error = await refusal(await buildZip(entries), { maxEntries: 5 });
    expect(error).toMatchObject({ code: 'TOO_MANY_ENTRIES', reason: expect.stringContaining('6 entries') });
  });

  it('refuses an entry larger than the per-entry cap', async () => {
    const zip = await buildZip([MANIFEST, { name: 'big.bin', data: Buffer.alloc(2048, 7) }]);
    expect((await refusal(zip, { maxEntryBytes: 1024 })).code).toBe('ENTRY_TOO_LARGE');
  });

  it('refuses a package whose declared total is over the cap', async () => {
    const zip = await buildZip([MANIFEST, { name: 'a.bin', data: Buffer.alloc(600) }, { name: 'b.bin', data: Buffer.alloc(600) }]);
    expect((await refusal(zip, { maxTotalBytes: 1000 })).code).toBe('TOTAL_SIZE_EXCEEDED');
  });

  it('counts inflated bytes rather than trusting a header that understates them', async () => {
    const honest = await buildZip([MANIFEST, { name: 'bomb.bin', data: Buffer.alloc(3 * MiB) }]);
    const lying = patchEntry(honest, 'bomb.bin', { uncompressedSize: 100 });
    const error = await refusal(lying, { maxTotalBytes: MiB, maxRatio: 1_000_000 });
    expect(error.code).toBe('TOTAL_SIZE_EXCEEDED');
  });

  it('refuses an entry that inflates to a different size than its header says', async () => {
    const zip = patchEntry(await buildZip([MANIFEST, { name: 'a.txt', data: 'hello world' }]), 'a.txt', { uncompressedSize: 5 });
    expect((await refusal(zip)).code).toBe('INVALID_ZIP');
  });

  it('refuses a highly compressible file over the ratio cap (zip bomb)', async () => {
    const zip = await buildZip([MANIFEST, { name: 'zeros.bin', data: Buffer.alloc(8 * MiB) }]);
    const error = await refusal(zip, { maxRatio: 10 });
    expect(error).toMatchObject({ code: 'COMPRESSION_RATIO_EXCEEDED', reason: expect.stringContaining('zeros.bin') });
  });

  it('accepts small files that compress very well', async () => {
    const result = await extract(await buildZip([MANIFEST, { name: 'spaces.json', data: ' '.repeat(200_000) }]));
    expect(result.files).toContain('spaces.json');
  });

  it('refuses a package without imsmanifest.xml at its root, pointing at a nested one', async () => {
    const error = await refusal(await buildZip([{ name: 'course/imsmanifest.xml', data: '<manifest/>' }]));
    expect(error).toMatchObject({ code: 'MISSING_MANIFEST', reason: expect.stringContaining('course/imsmanifest.xml') });
    expect((await refusal(await buildZip([{ name: 'index.html', data: 'x' }]))).code).toBe('MISSING_MANIFEST');
  });

  it('refuses a file that is not a zip', async () => {
    expect((await refusal(Buffer.from('PK but not really a zip file'))).code).toBe('INVALID_ZIP');
  });

  it('refuses to extract into a folder that already has content, and leaves it alone', async () => {
    await mkdir(destDir, { recursive: true });
    await writeFile(path.join(destDir, 'keep.txt'), 'mine');
    await writeFile(zipPath, await buildZip([MANIFEST]));
    await expect(extractPackage(zipPath, destDir)).rejects.toThrow('not empty');
    expect(await readdir(destDir)).toEqual(['keep.txt']);
  });
});
