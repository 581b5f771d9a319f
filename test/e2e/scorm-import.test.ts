import { readdirSync } from 'node:fs';
import path from 'node:path';
import { signToken } from '../../src/shared/signed-token';
import { Role } from '../../src/shared/permissions';
import { CONTENT_TOKEN } from '../../src/modules/scorm/scorm-package.routes';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { buildZip } from '../support/zip-builder';
import { fixtureManifest, packageFromFixture, uploadPackage } from '../support/scorm-package';

let t: TestApp;
let a: SeededOrg;
let author: string;

beforeAll(async () => {
  t = await startTestApp({ MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) });
  a = await seedOrg(t.owner, 'scorm-a');
  await a.user('author', [Role.AUTHOR]);
  await a.user('learner');
  author = await t.token(a.id, 'scorm-a-author');
});
afterAll(() => t.close());

const packageRows = async (): Promise<number> => ((await t.owner.query('SELECT count(*)::int AS n FROM scorm_package')) as { n: number }[])[0].n;
const orgFiles = (): string[] => {
  try {
    return readdirSync(path.join(t.config.contentDir, a.id));
  } catch {
    return [];
  }
};

type Imported = { package: { id: string; version: string; scos: { identifier: string; launchHref: string }[] } };

test.each([
  ['ContentPackagingSingleSCO_SCORM12', 'SCORM_12', 1],
  ['ContentPackagingSingleSCO_SCORM20043rdEdition', 'SCORM_2004', 1],
  ['ContentPackagingOneFilePerSCO_SCORM20043rdEdition', 'SCORM_2004', 18],
])('imports %s over HTTP', async (fixture, version, scos) => {
  const res = await uploadPackage(t.url, await packageFromFixture(fixture), author, `${fixture}.zip`);
  expect(res.status).toBe(201);
  const { package: pkg } = res.body as Imported;
  expect(pkg.version).toBe(version);
  expect(pkg.scos).toHaveLength(scos);
  const listed = await t.gql<{ scormPackage: { title: string; fileCount: number; scos: { launchHref: string }[] } }>(
    'query($id: ID!) { scormPackage(id: $id) { title fileCount scos { launchHref } } }', { id: pkg.id }, { token: author });
  expect(listed.body.data?.scormPackage.scos.map((s) => s.launchHref)).toEqual(pkg.scos.map((s) => s.launchHref));
});

test.each([
  ['malformed manifest', () => packageFromFixture('MalformedXml_SCORM12'), /manifest/i],
  ['a missing launch file', () => packageFromFixture('MissingLaunchUrl_SCORM12'), /launch/i],
  ['a broken default organization', () => packageFromFixture('adl-cts-invalid_CM-01-broken-default-org'), /organization/i],
  ['path traversal', () => buildZip([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: '../evil.html', data: 'x' }]), /\.\./],
  ['a symlink', () => buildZip([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: 'link', data: '/etc/passwd', mode: 0o120777 }]), /link/i],
  ['no manifest', () => buildZip([{ name: 'index.html', data: 'x' }]), /imsmanifest/],
  ['not a zip', async () => Buffer.from('hello'), /zip/i],
  ['a launch file that is not in the zip', () => buildZip([{ name: 'imsmanifest.xml', data: fixtureManifest('ContentPackagingSingleSCO_SCORM12') }]), /not in the package/],
])('refuses %s with a clear reason and keeps nothing', async (_label, make, reason) => {
  const before = await packageRows();
  const res = await uploadPackage(t.url, await make(), author);
  expect(res.status).toBe(400);
  const errors = res.body.errors as { message: string; extensions: { code: string } }[];
  expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(errors[0].message).toMatch(reason);
  expect(await packageRows()).toBe(before);
  expect(orgFiles()).toHaveLength(before);
});

test('an oversized upload is refused with 413; learners cannot upload', async () => {
  const big = await buildZip([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: 'big.bin', data: Buffer.alloc(3 * 1024 * 1024, 7), compress: false }]);
  expect((await uploadPackage(t.url, big, author)).status).toBe(413);
  const learner = await uploadPackage(t.url, await packageFromFixture('ContentPackagingSingleSCO_SCORM12'), await t.token(a.id, 'scorm-a-learner'));
  expect(learner.status).toBe(403);
  expect((await uploadPackage(t.url, Buffer.from('x'), 'garbage')).status).toBe(401);
});

describe('content serving', () => {
  let token: string;
  beforeAll(async () => {
    const res = await uploadPackage(t.url, await packageFromFixture('ContentPackagingSingleSCO_SCORM20043rdEdition'), author);
    const pkgId = Buffer.from((res.body as Imported).package.id, 'base64url').toString().split(':')[1];
    token = await signToken(TEST_SERVER_SECRET, CONTENT_TOKEN, { o: a.id, p: pkgId }, 600);
  });

  test('files come with their MIME type, framing and sniffing rules, and no cookies', async () => {
    const res = await fetch(`${t.url}/content/${token}/shared/launchpage.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await fetch(`${t.url}/content/${token}/imsmanifest.xml`)).headers.get('content-type')).toMatch(/xml/);
  });

  test('no way out of the package, and no access without a valid token', async () => {
    for (const p of ['../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%2e%2e/%2e%2e/x', 'missing.html']) {
      expect([403, 404]).toContain((await fetch(`${t.url}/content/${token}/${p}`)).status);
    }
    const forged = await signToken('another-secret-0123456789', CONTENT_TOKEN, { o: a.id, p: 'x' }, 600);
    expect((await fetch(`${t.url}/content/${forged}/shared/launchpage.html`)).status).toBe(404);
    const expired = await signToken(TEST_SERVER_SECRET, CONTENT_TOKEN, { o: a.id, p: 'x' }, -10);
    expect((await fetch(`${t.url}/content/${expired}/shared/launchpage.html`)).status).toBe(404);
    const wrongPurpose = await signToken(TEST_SERVER_SECRET, 'commit', { o: a.id, p: 'x' }, 600);
    expect((await fetch(`${t.url}/content/${wrongPurpose}/shared/launchpage.html`)).status).toBe(404);
  });
});
