import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { PackageError } from './package-error';

export { PackageError, type PackageErrorCode } from './package-error';

const MiB = 1024 * 1024;

/** Caps on what a package may expand to. */
export interface ExtractLimits {
  maxEntries: number;
  /** Sum of inflated bytes over all entries, counted while streaming. */
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Inflated bytes per compressed byte allowed, for each entry and for the archive as a whole. */
  maxRatio: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxEntries: 5000,
  maxTotalBytes: 500 * MiB,
  maxEntryBytes: 200 * MiB,
  maxRatio: 100,
};

// Below this size the ratio is not checked: small text files (a JSON full of spaces) can
// compress 200:1 and cannot hurt; a bomb has to get past this size to be one. The same floor
// applies to the whole archive, so a few small files never trip the archive-wide ratio.
const RATIO_FLOOR_BYTES = MiB;

// What file systems hold: 255 bytes per name (NAME_MAX), and a whole path well below PATH_MAX
// once the content folder is in front of it.
const MAX_SEGMENT_BYTES = 255;
const MAX_NAME_BYTES = 1024;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** What was written: package-relative file paths in zip order, and their inflated size. */
export interface ExtractedPackage {
  files: string[];
  totalBytes: number;
}

interface PlannedEntry {
  entry: Entry;
  name: string;
  isDirectory: boolean;
}

/**
 * Extracts a SCORM package zip into `destDir` (which must not exist or be empty), refusing it
 * with a {@link PackageError} for unsafe paths, links, encryption, oversize or over-compressed
 * content, or a missing root `imsmanifest.xml`. Every entry is checked before anything is
 * written; sizes are enforced on the bytes actually inflated, not on the headers. On any
 * failure `destDir` is removed, so a refused package leaves nothing behind.
 */
export async function extractPackage(
  zipPath: string,
  destDir: string,
  limits: Partial<ExtractLimits> = {},
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ExtractedPackage> {
  const caps = { ...DEFAULT_EXTRACT_LIMITS, ...limits };
  const root = path.resolve(destDir);
  await prepareDestination(root);
  try {
    return await extractInto(zipPath, root, caps, onProgress);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function prepareDestination(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  // Cleaning up on failure deletes the folder, so it must not hold anything we did not write.
  if ((await readdir(root)).length > 0) throw new Error(`extraction folder ${root} is not empty`);
}

async function extractInto(zipPath: string, root: string, caps: ExtractLimits, onProgress: (done: number, total: number) => void): Promise<ExtractedPackage> {
  const zip = await openZip(zipPath);
  try {
    if (zip.entryCount > caps.maxEntries) {
      throw new PackageError('TOO_MANY_ENTRIES', `the package has ${zip.entryCount} entries; at most ${caps.maxEntries} are allowed`);
    }
    const planned = await planEntries(zip, caps);
    requireRootManifest(planned);
    const files: string[] = [];
    let totalBytes = 0;
    for (const [index, item] of planned.entries()) {
      if (item.isDirectory) await makeDirectory(insideRoot(root, item.name), item.name);
      else {
        totalBytes += await writeEntry(zip, item, root, caps, { totalSoFar: totalBytes, archiveBytes: zip.fileSize });
        files.push(item.name);
      }
      onProgress(index + 1, planned.length);
    }
    return { files, totalBytes };
  } finally {
    zip.close();
  }
}

async function openZip(zipPath: string): Promise<ZipFile> {
  try {
    // Names are decoded and validated here rather than by yauzl, so each problem gets its own code.
    return await yauzl.openPromise(zipPath, { decodeStrings: false, validateEntrySizes: false, autoClose: false });
  } catch (error) {
    throw new PackageError('INVALID_ZIP', `the file is not a readable zip archive (${messageOf(error)})`);
  }
}

async function planEntries(zip: ZipFile, caps: ExtractLimits): Promise<PlannedEntry[]> {
  const planned: PlannedEntry[] = [];
  const names = new Set<string>();
  let declaredTotal = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const item = planEntry(entry, caps);
      if (names.has(item.name)) throw new PackageError('DUPLICATE_ENTRY', `"${item.name}" appears twice in the package`);
      names.add(item.name);
      // Declared sizes only ever refuse early; the real count happens while inflating.
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > caps.maxTotalBytes) throw totalExceeded(caps);
      if (archiveOverRatio(declaredTotal, zip.fileSize, caps)) throw archiveRatioExceeded(caps);
      planned.push(item);
    }
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError('INVALID_ZIP', `the zip archive is damaged (${messageOf(error)})`);
  }
  return planned;
}

function planEntry(entry: Entry, caps: ExtractLimits): PlannedEntry {
  const raw = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  checkEntryName(raw);
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) throw new PackageError('SYMLINK', `"${raw}" is a symbolic link; packages may not contain links`);
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
    throw new PackageError('UNSUPPORTED_ENTRY_TYPE', `"${raw}" is not a regular file or folder`);
  }
  if (entry.isEncrypted()) throw new PackageError('ENCRYPTED_ENTRY', `"${raw}" is encrypted; upload an unencrypted zip`);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    const method = entry.compressionMethod;
    throw new PackageError('UNSUPPORTED_COMPRESSION', `"${raw}" uses compression method ${method}; only store and deflate are supported`);
  }
  if (entry.uncompressedSize > caps.maxEntryBytes) throw entryTooLarge(raw, caps);
  if (entryOverRatio(entry.uncompressedSize, entry.compressedSize, caps)) throw entryRatioExceeded(raw, caps);
  const isDirectory = raw.endsWith('/') || type === S_IFDIR;
  return { entry, name: path.posix.normalize(raw).replace(/\/$/, ''), isDirectory };
}

function checkEntryName(name: string): void {
  if (name === '' || name.includes('\0')) throw new PackageError('INVALID_PATH', `an entry has an empty or invalid name`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new PackageError('PATH_TOO_LONG', `"${name.slice(0, 60)}…" is longer than ${MAX_NAME_BYTES} bytes; shorten the package's paths`);
  }
  const long = name.split('/').find((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES);
  if (long !== undefined) {
    throw new PackageError('PATH_TOO_LONG', `"${long.slice(0, 60)}…" is a file or folder name longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  if (name.includes('\\')) throw new PackageError('BACKSLASH_IN_PATH', `"${name}" contains a backslash; zip paths must use "/"`);
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) {
    throw new PackageError('ABSOLUTE_PATH', `"${name}" is an absolute path; entries must be relative to the package root`);
  }
  if (name.split('/').includes('..')) throw new PackageError('PATH_TRAVERSAL', `"${name}" climbs out of the package with ".."`);
}

/** Catches the common mistake of zipping the folder instead of its contents. */
function requireRootManifest(planned: PlannedEntry[]): void {
  if (planned.some((item) => !item.isDirectory && item.name === 'imsmanifest.xml')) return;
  const nested = planned.find((item) => !item.isDirectory && item.name.endsWith('/imsmanifest.xml'));
  const hint = nested ? ` (found "${nested.name}": zip the contents of that folder, not the folder itself)` : '';
  throw new PackageError('MISSING_MANIFEST', `the package has no imsmanifest.xml at its root${hint}`);
}

/** The absolute path for a package entry; a second guard after the name checks. */
function insideRoot(root: string, name: string): string {
  const target = path.resolve(root, name);
  if (!target.startsWith(root + path.sep)) throw new PackageError('PATH_TRAVERSAL', `"${name}" resolves outside the package`);
  return target;
}

/** Where the archive stands when an entry starts: bytes inflated before it, and the zip's own size. */
interface ArchiveProgress {
  totalSoFar: number;
  archiveBytes: number;
}

async function writeEntry(zip: ZipFile, item: PlannedEntry, root: string, caps: ExtractLimits, progress: ArchiveProgress): Promise<number> {
  const target = insideRoot(root, item.name);
  await makeDirectory(path.dirname(target), item.name);
  const meter = new InflateMeter(item, caps, progress);
  try {
    const source = await zip.openReadStreamPromise(item.entry);
    // 'wx' refuses to write through anything already at the path.
    await pipeline(source, meter, createWriteStream(target, { flags: 'wx' }));
  } catch (error) {
    if (error instanceof PackageError) throw error;
    // zlib errors (Z_DATA_ERROR, ...) and yauzl's (no code) mean a damaged archive; the rest,
    // file-system errors, are the server's unless they are a path clash inside the package.
    const code = systemErrorCode(error);
    if (code !== undefined && !code.startsWith('Z_')) throw pathConflictOr(error, item.name);
    throw new PackageError('INVALID_ZIP', `"${item.name}" cannot be decompressed (${messageOf(error)})`);
  }
  return meter.bytes;
}

async function makeDirectory(target: string, name: string): Promise<void> {
  try {
    await mkdir(target, { recursive: true });
  } catch (error) {
    throw pathConflictOr(error, name);
  }
}

/** A file and a folder of the same name (`a` and `a/b`) is the package's fault, not the server's. */
function pathConflictOr(error: unknown, name: string): unknown {
  const code = systemErrorCode(error);
  if (code === 'ENAMETOOLONG') return new PackageError('PATH_TOO_LONG', `"${name.slice(0, 60)}…" is too long a path for the server's file system`);
  if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') return error;
  return new PackageError('PATH_CONFLICT', `"${name}" clashes with another entry of the same path`);
}

/** Counts inflated bytes as they stream and stops the copy the moment a cap is passed. */
class InflateMeter extends Transform {
  bytes = 0;

  constructor(
    private readonly item: PlannedEntry,
    private readonly caps: ExtractLimits,
    private readonly progress: ArchiveProgress,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(this.overCap(), chunk);
  }

  override _flush(callback: TransformCallback): void {
    const declared = this.item.entry.uncompressedSize;
    if (this.bytes === declared) return callback();
    callback(new PackageError('INVALID_ZIP', `"${this.item.name}" inflates to ${this.bytes} bytes but its header says ${declared}`));
  }

  private overCap(): PackageError | null {
    const { caps, item } = this;
    if (this.bytes > caps.maxEntryBytes) return entryTooLarge(item.name, caps);
    if (entryOverRatio(this.bytes, item.entry.compressedSize, caps)) return entryRatioExceeded(item.name, caps);
    const total = this.progress.totalSoFar + this.bytes;
    if (total > caps.maxTotalBytes) return totalExceeded(caps);
    return archiveOverRatio(total, this.progress.archiveBytes, caps) ? archiveRatioExceeded(caps) : null;
  }
}

function entryOverRatio(inflated: number, compressed: number, caps: ExtractLimits): boolean {
  return inflated > RATIO_FLOOR_BYTES && inflated > compressed * caps.maxRatio;
}

function entryRatioExceeded(name: string, caps: ExtractLimits): PackageError {
  return new PackageError('COMPRESSION_RATIO_EXCEEDED', `"${name}" expands more than ${caps.maxRatio} times its compressed size, which looks like a zip bomb`);
}

/** Many small entries of zeros pass the per-entry check one by one; the archive as a whole does not. */
function archiveOverRatio(inflated: number, archiveBytes: number, caps: ExtractLimits): boolean {
  return inflated > RATIO_FLOOR_BYTES && inflated > archiveBytes * caps.maxRatio;
}

function archiveRatioExceeded(caps: ExtractLimits): PackageError {
  return new PackageError('COMPRESSION_RATIO_EXCEEDED', `the package expands more than ${caps.maxRatio} times its compressed size, which looks like a zip bomb`);
}

function entryTooLarge(name: string, caps: ExtractLimits): PackageError {
  return new PackageError('ENTRY_TOO_LARGE', `"${name}" is larger than ${formatBytes(caps.maxEntryBytes)}`);
}

function totalExceeded(caps: ExtractLimits): PackageError {
  return new PackageError('TOTAL_SIZE_EXCEEDED', `the package expands to more than ${formatBytes(caps.maxTotalBytes)}`);
}

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${bytes} bytes`;
}

function systemErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
