import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What `npm run cli -- mailbox` lists of one message. */
export interface MailboxEntry {
  /** Absolute path of the `.eml` file (opens in any mail client). */
  file: string;
  date: string;
  to: string;
  subject: string;
}

/**
 * The development mailbox: without an SMTP server, each message is written as a raw `.eml` file
 * (exactly what would have gone over SMTP) with a small JSON summary beside it, so that listing
 * needs no MIME parser.
 */
export async function writeToMailbox(dir: string, raw: Buffer, summary: { to: string; subject: string }): Promise<string> {
  // Messages hold personal data: the folder and files are the process owner's only.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const date = new Date().toISOString();
  const name = `${date.replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
  const eml = path.resolve(dir, `${name}.eml`);
  // Written under another name and renamed, so that a reader never sees half a message.
  await writeFile(`${eml}.tmp`, raw, { mode: 0o600 });
  await rename(`${eml}.tmp`, eml);
  await writeFile(path.resolve(dir, `${name}.json`), JSON.stringify({ date, ...summary }), { mode: 0o600 });
  return eml;
}

/** The newest `limit` messages of the mailbox, newest first; an absent mailbox is empty. */
export async function listMailbox(dir: string, limit: number): Promise<MailboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const newest = names.filter((n) => n.endsWith('.json')).sort().reverse().slice(0, limit);
  return Promise.all(newest.map(async (n) => {
    const { date, to, subject } = JSON.parse(await readFile(path.resolve(dir, n), 'utf8')) as Omit<MailboxEntry, 'file'>;
    return { file: path.resolve(dir, n.replace(/\.json$/, '.eml')), date, to, subject };
  }));
}
