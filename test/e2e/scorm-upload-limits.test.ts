import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { buildSharedDataZip, buildZip, type ZipEntrySpec } from '../support/zip-builder';
import { uploadPackage } from '../support/scorm-package';

let t: TestApp;
let a: SeededOrg;
let author: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'upload-a');
  await a.user('author', [Role.AUTHOR]);
  author = await t.token(a.id, 'upload-a-author');
});
afterAll(() => t.close());

/** A SCORM 1.2 manifest with one SCO launching `href`. */
function manifest(href: string, inside = ''): string {
  return `<?xml version="1.0"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i" identifierref="r"><title>SCO</title></item></organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="${href}"><file href="index.html"/>${inside}</resource></resources>
</manifest>`;
}

const pkg = (href: string, extra: ZipEntrySpec[] = []): Promise<Buffer> =>
  buildZip([{ name: 'imsmanifest.xml', data: manifest(href) }, { name: 'index.html', data: '<p>hi</p>' }, ...extra]);

const packageRows = async (): Promise<number> => ((await t.owner.query('SELECT count(*)::int AS n FROM scorm_package')) as { n: number }[])[0].n;
const orgFiles = (): string[] => {
  try {
    return readdirSync(path.join(t.config.contentDir, a.id));
  } catch {
    return [];
  }
};

async function expectRefused(res: { status: number; body: Record<string, unknown> }, reason: RegExp): Promise<void> {
  const errors = res.body.errors as { message: string; extensions: { code: string } }[];
  expect({ status: res.status, code: errors?.[0]?.extensions.code, message: errors?.[0]?.message }).toEqual({
    status: 400, code: 'BAD_USER_INPUT', message: expect.stringMatching(reason),
  });
  expect(await packageRows()).toBe(0);
  expect(orgFiles()).toEqual([]);
}

test('a package that launches its own file is accepted (the baseline of the cases below)', async () => {
  const res = await uploadPackage(t.url, await pkg('index.html?x=1'), author);
  expect(res.status).toBe(201);
  await t.owner.query('DELETE FROM scorm_package');
  await t.owner.query('DELETE FROM audit_event');
  rmSync(path.join(t.config.contentDir, a.id), { recursive: true, force: true });
});

describe('launch hrefs must be relative paths inside the package', () => {
  test.each([
    ['javascript:', 'javascript:alert(document.domain)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['https:', 'https://evil.example/sco.html'],
    ['protocol-relative', '//evil.example/sco.html'],
    ['absolute', '/index.html'],
  ])('a %s launch href is refused', async (_label, href) => {
    await expectRefused(await uploadPackage(t.url, await pkg(href.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)), author), /launches|package|relative/);
  });

  test('%2e%2e cannot look outside the package: a server file that exists and one that does not answer alike', async () => {
    const climb = '%2e%2e/'.repeat(12);
    const existing = await uploadPackage(t.url, await pkg(`${climb}etc/hostname`), author);
    const missing = await uploadPackage(t.url, await pkg(`${climb}etc/no-such-file-here`), author);
    await expectRefused(existing, /is not in the package/);
    await expectRefused(missing, /is not in the package/);
    const strip = (r: { body: Record<string, unknown> }) => JSON.stringify(r.body).replace(/etc\/[a-z-]+/g, 'X');
    expect(strip(existing)).toBe(strip(missing));
  });
});

describe('bad packages are 400s with a reason, never 500s', () => {
  test('an entry name over 255 bytes', async () => {
    await expectRefused(await uploadPackage(t.url, await pkg('index.html', [{ name: `${'n'.repeat(300)}.html`, data: 'x' }]), author), /longer than 255 bytes/);
  });

  test('a 5,000-character path', async () => {
    const deep = `${'abcdefghi/'.repeat(500)}x.html`;
    await expectRefused(await uploadPackage(t.url, await pkg('index.html', [{ name: deep, data: 'x' }]), author), /longer than 1024 bytes/);
  });

  test('a manifest of 100,000 nested elements', async () => {
    const nested = '<metadata>'.repeat(100_000) + '</metadata>'.repeat(100_000);
    const zip = await buildZip([{ name: 'imsmanifest.xml', data: manifest('index.html', nested), compress: false }, { name: 'index.html', data: 'x' }]);
    await expectRefused(await uploadPackage(t.url, zip, author), /nest deeper than 100 levels/);
  });

  test('a href with a broken percent escape', async () => {
    await expectRefused(await uploadPackage(t.url, await pkg('index%zz.html', [{ name: 'index%zz.html', data: 'x' }]), author), /broken percent escape/);
  });

  test('multipart/form-data without a boundary', async () => {
    const res = await fetch(`${t.url}/scorm/packages`, {
      method: 'POST', headers: { authorization: `Bearer ${author}`, 'content-type': 'multipart/form-data' }, body: 'hello',
    });
    await expectRefused({ status: res.status, body: (await res.json()) as Record<string, unknown> }, /multipart.*boundary/i);
  });

  test('a multipart body that is cut off', async () => {
    const res = await fetch(`${t.url}/scorm/packages`, {
      method: 'POST', headers: { authorization: `Bearer ${author}`, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\ncontent-disposition: form-data; name="file"; filename="a.zip"\r\n\r\nPK\u0003\u0004',
    });
    await expectRefused({ status: res.status, body: (await res.json()) as Record<string, unknown> }, /multipart/i);
  });

  test('480 small entries of zeros: the compression ratio applies to the whole archive', async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    const zip = buildSharedDataZip([
      { name: 'imsmanifest.xml', data: Buffer.from(manifest('index.html')) }, { name: 'index.html', data: Buffer.from('x') },
      ...Array.from({ length: 480 }, (_, i) => ({ name: `z/${i}.bin`, data: zeros })),
    ]);
    expect(zip.length).toBeLessThan(600 * 1024);
    await expectRefused(await uploadPackage(t.url, zip, author), /expands more than 100 times its compressed size/);
  });
});
