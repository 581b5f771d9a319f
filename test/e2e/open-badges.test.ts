import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { freePort } from '../../src/db/embedded';
import type { BadgeSubject } from '../../src/modules/certificate/open-badge/open-badge.credential';
import { openSecret } from '../../src/modules/certificate/open-badge/key-sealing';
import { newId } from '../../src/shared/ids';
import { TEST_SERVER_SECRET } from '../support/app';
import { connect, createTestDatabase, type TestDatabase } from '../support/db';
import { seedOrg, type SeededOrg } from '../support/seed';

/**
 * Open Badges 3.0 as a verifier sees them: credentials signed by the organization's key, checked
 * by an independent verifier that fetches the issuer profile, key and status list over HTTP.
 * The signing code runs built (dist/) in test/support/open-badge-lab.js and the verifier in
 * test/support/badge-verifier.js: the libraries are ES modules, which jest cannot load.
 */
const root = path.resolve(__dirname, '../..');
let db: TestDatabase;
let owner: DataSource;
let lab: ChildProcess;
let contentDir: string;
/** The lab's Open Badges routes (revoked indexes set by the tests). */
let origin: string;
/** The whole service as buildServer makes it. */
let serverUrl: string;
let a: SeededOrg;
let b: SeededOrg;

function startLab(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn('node', ['test/support/open-badge-lab.js'], { cwd: root, env: { PATH: process.env.PATH, ...env } });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()) && out.includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`lab exited with ${code}:\n${out}`)));
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await connect(db, true);
  a = await seedOrg(owner, 'badge-a');
  b = await seedOrg(owner, 'badge-b');
  const [port, serverPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${port}`;
  serverUrl = `http://127.0.0.1:${serverPort}`;
  contentDir = mkdtempSync(path.join(tmpdir(), 'cg-badges-'));
  lab = await startLab({ DATABASE_URL: db.appUrl, SERVER_SECRET: TEST_SERVER_SECRET, PORT: String(port), SERVER_PORT: String(serverPort), CONTENT_DIR: contentDir });
  verifier = startVerifier();
});
afterAll(async () => {
  verifier?.stdin!.end();
  if (lab && lab.exitCode === null) {
    const exited = new Promise((resolve) => lab.once('exit', resolve));
    lab.kill('SIGTERM');
    await exited;
  }
  await owner?.destroy();
  await db?.drop();
  if (contentDir) rmSync(contentDir, { recursive: true, force: true });
});

interface Verification { checks: Record<string, boolean>; errors: string[]; fetched: string[]; refused: string[] }

/** The independent verifier (verifier-core), one process for the file; answers in request order. */
let verifier: ChildProcess;
const pending: { resolve(results: Verification[]): void; reject(error: Error): void }[] = [];

function startVerifier(): ChildProcess {
  const child = spawn('node', ['test/support/badge-verifier.js', origin], { cwd: root });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      pending.shift()?.resolve(JSON.parse(out.slice(0, nl)));
      out = out.slice(nl + 1);
    }
  });
  child.on('exit', (code) => pending.splice(0).forEach((p) => p.reject(new Error(`verifier exited with ${code}: ${err}`))));
  return child;
}

function verifyBadges(...credentials: object[]): Promise<Verification[]> {
  return new Promise((resolve, reject) => {
    pending.push({ resolve, reject });
    verifier.stdin!.write(`${JSON.stringify(credentials)}\n`);
  });
}
/** What verifier-core logs for a good, unrevoked badge (no issuer registry is configured). */
const VALID = { valid_signature: true, revocation_status: true, expiration: true, registered_issuer: false };
const verifyBadge = async (credential: object): Promise<Verification> => (await verifyBadges(credential))[0];

function subjectOf(org: SeededOrg, overrides: Partial<BadgeSubject> = {}): BadgeSubject {
  return {
    certificateId: newId(),
    certificateNumber: `${org.slug.toUpperCase()}-2026-000042`,
    holderName: '张三',
    course: { id: newId(), code: 'CS-101', title: '客户服务礼仪', description: '面向一线客服人员的服务礼仪课程' },
    issuedAt: new Date('2026-03-01T08:00:00Z'),
    validFrom: new Date('2026-03-01T08:00:00Z'),
    validUntil: new Date('2036-03-01T08:00:00Z'),
    statusListIndex: Math.floor(Math.random() * 131_072),
    organization: { id: org.id, name: `Org ${org.slug}` },
    verificationUrl: `${origin}/verify/abcdefghijklmnop`,
    ...overrides,
  };
}

async function post(url: string, body: unknown, method = 'POST'): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
/** Signs a badge in `signer`'s tenant (the certificate module's call) for a subject of `org`. */
const trySign = (org: SeededOrg, overrides: Partial<BadgeSubject> = {}, signer = org) => post(`${origin}/lab/orgs/${signer.id}/badges`, subjectOf(org, overrides));
async function issue(org: SeededOrg, overrides: Partial<BadgeSubject> = {}): Promise<any> {
  const res = await trySign(org, overrides);
  expect(res.status).toBe(200);
  return res.body;
}
const setRevoked = (org: SeededOrg, indexes: number[]) => post(`${origin}/lab/orgs/${org.id}/revoked`, indexes, 'PUT');
const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

test('a fresh credential is an OpenBadgeCredential signed with eddsa-rdfc-2022 that an independent verifier accepts', async () => {
  const credential = await issue(a);
  expect(credential).toMatchObject({
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: `${origin}/orgs/${a.id}/issuer`, type: ['Profile'], name: 'Org badge-a' },
    validFrom: '2026-03-01T08:00:00Z',
    validUntil: '2036-03-01T08:00:00Z',
    credentialSubject: { name: '张三', achievement: { humanCode: 'CS-101', name: '客户服务礼仪' } },
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: `${origin}/orgs/${a.id}/status-list/1` },
    proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' },
  });
  expect(credential.proof.verificationMethod).toMatch(new RegExp(`^${origin}/orgs/${a.id}/keys/[0-9a-f-]{36}$`));
  const result = await verifyBadge(credential);
  expect(result).toMatchObject({ checks: VALID, errors: [] });
  expect(result.fetched).toEqual(expect.arrayContaining([credential.proof.verificationMethod, credential.issuer.id, credential.credentialStatus.statusListCredential]));
  // Only the Open Badges JSON schema is looked for elsewhere (and refused: the check runs offline).
  expect(result.refused.every((url) => url.startsWith('https://purl.imsglobal.org/spec/ob/v3p0/schema/'))).toBe(true);
});

test('a tampered credential fails verification', async () => {
  const credential = await issue(a);
  const renamed = { ...credential, credentialSubject: { ...credential.credentialSubject, name: '李四' } };
  const longer = { ...credential, validUntil: '2046-03-01T08:00:00Z' };
  const [asRenamed, asLonger, asIssued] = await verifyBadges(renamed, longer, credential);
  expect(asRenamed.errors).toEqual(['invalid_signature']);
  expect(asLonger.errors).toEqual(['invalid_signature']);
  expect(asIssued).toMatchObject({ checks: VALID, errors: [] });
});

test('a revoked credential reports revoked through the published status list; others in it stay valid', async () => {
  const kept = await issue(a, { statusListIndex: 11 });
  const withdrawn = await issue(a, { statusListIndex: 12 });
  const statusList = async () => JSON.parse((await getJson(`${origin}/orgs/${a.id}/status-list/1`)).text);
  const unchanged = (await statusList()).proof.proofValue;
  expect((await statusList()).proof.proofValue).toBe(unchanged);
  await setRevoked(a, [12, 99]);
  expect((await statusList()).proof.proofValue).not.toBe(unchanged);
  const [asWithdrawn, asKept] = await verifyBadges(withdrawn, kept);
  expect(asWithdrawn.checks).toEqual({ ...VALID, revocation_status: false });
  expect(asKept.checks).toEqual(VALID);
  await setRevoked(a, []);
  expect((await verifyBadge(withdrawn)).checks).toEqual(VALID);
});

test("keys are per tenant: B never publishes A's key or revocations, and A's credential does not pass with B's list", async () => {
  const credential = await issue(a, { statusListIndex: 5 });
  const ofB = await issue(b, { statusListIndex: 5 });
  await setRevoked(a, [5]);
  const profileA = JSON.parse((await getJson(`${origin}/orgs/${a.id}/issuer`)).text);
  const profileB = JSON.parse((await getJson(`${origin}/orgs/${b.id}/issuer`)).text);
  expect(profileA.assertionMethod).toEqual([credential.proof.verificationMethod]);
  expect(profileB.assertionMethod).toEqual([ofB.proof.verificationMethod]);
  expect(profileB.verificationMethod[0].publicKeyMultibase).not.toBe(profileA.verificationMethod[0].publicKeyMultibase);
  const keyIdOfA = credential.proof.verificationMethod.split('/').pop();
  expect((await getJson(`${origin}/orgs/${b.id}/keys/${keyIdOfA}`)).status).toBe(404);

  const listB = `${origin}/orgs/${b.id}/status-list/1`;
  const viaB = { ...credential, credentialStatus: { ...credential.credentialStatus, id: `${listB}#5`, statusListCredential: listB } };
  const [asViaB, asB] = await verifyBadges(viaB, ofB);
  expect(asViaB.errors).toEqual(['invalid_signature']);
  // B's own credential at the same index is not revoked by A's revocation.
  expect(asB.checks).toEqual(VALID);
  await setRevoked(a, []);
});

test('unknown organizations and keys are not found, without details', async () => {
  for (const url of [`/orgs/${newId()}/issuer`, '/orgs/not-a-uuid/issuer', `/orgs/${newId()}/status-list/1`, `/orgs/${a.id}/keys/${newId()}`, `/orgs/${a.id}/keys/x`, `/orgs/${a.id}/status-list/2`]) {
    const res = await getJson(`${origin}${url}`);
    expect({ url, status: res.status }).toEqual({ url, status: 404 });
    expect(res.text).not.toMatch(/select|stack|organization_signing_key/i);
  }
});

test('private keys never leave the service: sealed at rest, in no published document', async () => {
  const credential = await issue(a);
  const [row] = await owner.query(`SELECT id, sealed_secret_key FROM organization_signing_key WHERE organization_id = $1`, [a.id]);
  const secret = openSecret(TEST_SERVER_SECRET, row.sealed_secret_key, `${a.id}/${row.id}`);
  expect(secret).toMatch(/^z/);
  expect(row.sealed_secret_key).not.toContain(secret);
  expect(() => openSecret('another-server-secret-0123456789abcdef', row.sealed_secret_key, `${a.id}/${row.id}`)).toThrow();
  expect(() => openSecret(TEST_SERVER_SECRET, row.sealed_secret_key, `${b.id}/${row.id}`)).toThrow();
  const published = [JSON.stringify(credential)];
  for (const url of [`${origin}/orgs/${a.id}/issuer`, `${origin}/orgs/${a.id}/keys/${row.id}`, `${origin}/orgs/${a.id}/status-list/1`, `${serverUrl}/orgs/${a.id}/issuer`]) {
    const res = await getJson(url);
    expect(res).toMatchObject({ status: 200, type: 'application/ld+json; charset=utf-8' });
    published.push(res.text);
  }
  for (const text of published) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(row.sealed_secret_key);
    expect(text).not.toMatch(/secretKey|privateKey|sealed/i);
  }
});

test('concurrent first uses create one key per organization', async () => {
  const c = await seedOrg(owner, 'badge-c');
  const profiles = await Promise.all(Array.from({ length: 6 }, async () => JSON.parse((await getJson(`${origin}/orgs/${c.id}/issuer`)).text)));
  expect(new Set(profiles.map((p) => p.assertionMethod[0])).size).toBe(1);
  const [{ n }] = await owner.query(`SELECT count(*)::int AS n FROM organization_signing_key WHERE organization_id = $1`, [c.id]);
  expect(n).toBe(1);
});

test('bad subjects and status indexes are refused with a code, and sign nothing', async () => {
  const d = await seedOrg(owner, 'badge-d');
  const refusals = await Promise.all([
    trySign(d, { statusListIndex: 131_072 }),
    trySign(d, { statusListIndex: 1.5 }),
    trySign(d, { holderName: ' ' }),
    trySign(d, { validUntil: new Date('2020-01-01T00:00:00Z') }),
    trySign(d, {}, b),
    post(`${origin}/lab/orgs/${d.id}/status-list`, { revokedIndexes: [-1] }),
  ]);
  expect(refusals.map((r) => [r.status, r.body.code])).toEqual([
    ...Array.from({ length: 4 }, () => [400, 'BAD_USER_INPUT']), [403, 'FORBIDDEN'], [400, 'BAD_USER_INPUT'],
  ]);
  const [{ n }] = await owner.query(`SELECT count(*)::int AS n FROM organization_signing_key WHERE organization_id = $1`, [d.id]);
  expect(n).toBe(0);
});

test('signing reuses the loaded libraries and key: a warm round trip stays far under half a second', async () => {
  await issue(a);
  const started = performance.now();
  for (let i = 0; i < 10; i++) await issue(a);
  // About 20 ms of signing on an idle core; the bound leaves room for a busy machine.
  expect((performance.now() - started) / 10).toBeLessThan(500);
});

test('the service publishes the documents: the issuer profile and an empty status list, signed by the key it names', async () => {
  const profile: any = await (await fetch(`${serverUrl}/orgs/${a.id}/issuer`)).json();
  expect(profile).toMatchObject({ id: `${serverUrl}/orgs/${a.id}/issuer`, type: 'Profile', name: 'Org badge-a' });
  const key: any = await (await fetch(profile.assertionMethod[0])).json();
  expect(key).toEqual({ '@context': 'https://w3id.org/security/multikey/v1', id: profile.assertionMethod[0], type: 'Multikey', controller: profile.id, publicKeyMultibase: profile.verificationMethod[0].publicKeyMultibase });
  const list: any = await (await fetch(`${serverUrl}/orgs/${a.id}/status-list/1`)).json();
  expect(list).toMatchObject({ type: ['VerifiableCredential', 'BitstringStatusListCredential'], issuer: profile.id, proof: { verificationMethod: profile.assertionMethod[0] } });
  expect((await fetch(`${serverUrl}/orgs/${newId()}/issuer`)).status).toBe(404);
});
