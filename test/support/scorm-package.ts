import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest } from '../../src/modules/scorm/engine/manifest';
import { buildZip, type ZipEntrySpec } from './zip-builder';

/** The shared SCORM manifest fixtures (../shared beside the repository, or beside the worktrees' folder). */
export const FIXTURES = ['../../../shared', '../../../../shared']
  .map((shared) => path.resolve(__dirname, shared, 'fixtures/scorm-manifests'))
  .find((folder) => existsSync(folder)) ?? path.resolve(__dirname, '../../../shared/fixtures/scorm-manifests');

export function fixtureManifest(name: string): string {
  return readFileSync(path.join(FIXTURES, name, 'imsmanifest.xml'), 'utf8');
}

/** A zip of a fixture's manifest plus a small stand-in for every file it references. */
export async function packageFromFixture(name: string, extra: ZipEntrySpec[] = []): Promise<Buffer> {
  const xml = fixtureManifest(name);
  const parsed = parseManifest(xml);
  const files = parsed.ok ? parsed.manifest.assets : [];
  const entries: ZipEntrySpec[] = [{ name: 'imsmanifest.xml', data: xml }];
  for (const file of new Set(files)) entries.push({ name: file, data: `<!doctype html><title>${file}</title><p>${file}</p>` });
  return buildZip([...entries, ...extra]);
}

/** Uploads a zip to POST /scorm/packages as multipart. */
export async function uploadPackage(baseUrl: string, zip: Buffer, token: string, filename = 'package.zip'): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([zip], { type: 'application/zip' }), filename);
  const res = await fetch(`${baseUrl}/scorm/packages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' }, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
