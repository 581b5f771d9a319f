import zlib from 'node:zlib';
import { ZipFile } from 'yazl';

/** One entry of a test zip. `name` may be anything, including names yazl itself refuses. */
export interface ZipEntrySpec {
  name: string;
  data?: Buffer | string;
  /** Unix mode including the file type bits, e.g. 0o120777 for a symlink. */
  mode?: number;
  compress?: boolean;
  directory?: boolean;
}

const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * Builds a zip in memory. yazl validates names, so unsafe ones (`../x`, `C:/x`, `a\b`) are
 * written under a placeholder of the same byte length and swapped in afterwards.
 */
export async function buildZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new ZipFile();
  const swaps: [string, string][] = [];
  entries.forEach((entry, index) => {
    const placeholder = placeholderFor(entry.name, index);
    if (placeholder !== entry.name) swaps.push([placeholder, entry.name]);
    if (entry.directory) zip.addEmptyDirectory(placeholder, { mode: entry.mode });
    else zip.addBuffer(Buffer.from(entry.data ?? ''), placeholder, { mode: entry.mode, compress: entry.compress ?? true });
  });
  zip.end();
  let buffer = await collect(zip.outputStream);
  for (const [placeholder, name] of swaps) buffer = replaceAll(buffer, Buffer.from(placeholder), Buffer.from(name));
  return buffer;
}

function placeholderFor(name: string, index: number): string {
  const unsafe = name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..');
  if (!unsafe) return name;
  const length = Buffer.byteLength(name);
  const tag = `~${index}`;
  return 'q'.repeat(Math.max(0, length - tag.length)) + tag;
}

/** Changes header fields of the named entry in both the local and the central header. */
export function patchEntry(zip: Buffer, name: string, patch: { flagsOr?: number; uncompressedSize?: number }): Buffer {
  const out = Buffer.from(zip);
  const wanted = Buffer.from(name);
  for (let offset = 0; offset + 46 <= out.length; offset++) {
    const signature = out.readUInt32LE(offset);
    const central = signature === CENTRAL_SIGNATURE;
    if (!central && signature !== LOCAL_SIGNATURE) continue;
    const nameLength = out.readUInt16LE(offset + (central ? 28 : 26));
    const nameStart = offset + (central ? 46 : 30);
    if (!out.subarray(nameStart, nameStart + nameLength).equals(wanted)) continue;
    const flagsAt = offset + (central ? 8 : 6);
    if (patch.flagsOr) out.writeUInt16LE(out.readUInt16LE(flagsAt) | patch.flagsOr, flagsAt);
    if (patch.uncompressedSize !== undefined) out.writeUInt32LE(patch.uncompressedSize, offset + (central ? 24 : 22));
  }
  return out;
}

function replaceAll(buffer: Buffer, from: Buffer, to: Buffer): Buffer {
  const out = Buffer.from(buffer);
  for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + to.length)) to.copy(out, at);
  return out;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Builds a deflated zip quickly when many entries share one Buffer (a bomb of identical files):
 * each distinct Buffer is deflated and checksummed once, where yazl would redo both per entry.
 */
export function buildSharedDataZip(entries: { name: string; data: Buffer }[]): Buffer {
  const packed = new Map<Buffer, { crc: number; deflated: Buffer }>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    let p = packed.get(data);
    if (!p) packed.set(data, (p = { crc: zlib.crc32(data), deflated: zlib.deflateRawSync(data) }));
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, p.deflated);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + p.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
