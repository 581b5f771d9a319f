import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PersistedQueryManifest } from '../../src/http/persisted-queries';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs Apollo's `generate-persisted-query-manifest` (as the README shows it) on `documents`
 * (globs from the repository root) and writes the manifest into `dir`; returns its file and content.
 */
export async function generateManifest(documents: string[], dir: string): Promise<{ file: string; manifest: PersistedQueryManifest }> {
  const file = path.join(dir, 'persisted-query-manifest.json');
  const config = path.join(dir, 'persisted-query-manifest.config.json');
  writeFileSync(config, JSON.stringify({ documents, output: file }));
  await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/generate-persisted-query-manifest'), ['--config', config], { cwd: ROOT });
  return { file, manifest: JSON.parse(readFileSync(file, 'utf8')) as PersistedQueryManifest };
}
