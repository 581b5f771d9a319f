import { get } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The export bench's client, in a process of its own so the server's resident memory is measured
 * alone: GETs `url` with the bearer token, counts the bytes and the lines (one per CSV record: the
 * generated names hold no line breaks) and sends the parent what it read and when.
 */
export interface ReaderResult {
  status: number;
  bytes: number;
  lines: number;
  firstByteMs: number;
  ms: number;
}

function read(url: string, token: string): Promise<ReaderResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let lines = 0;
      let firstByteMs = 0;
      res.on('data', (chunk: Buffer) => {
        firstByteMs ||= performance.now() - started;
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, lines, firstByteMs, ms: performance.now() - started }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

if (require.main === module) {
  const [url, token] = process.argv.slice(2);
  read(url, token).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
