import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { simpleParser } from 'mailparser';
import { readFile } from 'node:fs/promises';
import { freePort } from '../../src/db/embedded';
import { loadConfig } from '../../src/config';
import { mintDevToken } from '../../src/shared/auth';
import { resolveCaller } from '../../src/modules/user/caller';
import { listMailbox } from '../../src/modules/notification/mailbox';
import { runQueuedJobs } from '../../src/jobs/worker';
import { Role } from '../../src/shared/permissions';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { assign, gqlOk, mutateOk } from '../support/catalog';
import { asSystem, certifiedCourse, completePages } from '../support/certification';
import { recertification } from '../../src/modules/certificate/recertification';
import { describeWithPoppler, pdfText } from '../support/poppler';
import { LAB_JWT_SECRET, startLab, startVerifier, stopProcess, VALID, type BadgeVerifier } from '../support/open-badge-processes';

/**
 * Certification end to end, as its users meet it: a learner completes a certified course, the
 * worker (not the request) issues the certificate and mails the learner, anyone verifies it, the
 * holder and HR download it as a PDF and as an Open Badge that an independent verifier accepts
 * until HR revokes it.
 */
let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
const tokens: Record<string, string> = {};
let certificate: { id: string; number: string; verificationUrl: string };
const log = pino({ level: 'silent' });

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'flow-a');
  b = await seedOrg(t.owner, 'flow-b');
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('hr', [Role.HR]);
  const learner = await a.user('learner', [Role.LEARNER]);
  await t.owner.query(`UPDATE app_user SET name = '王小明', email = 'xiaoming@example.com' WHERE id = $1`, [learner.id]);
  await a.user('other', [Role.LEARNER]);
  const manager = await a.user('manager', [Role.MANAGER]);
  await t.owner.query(`UPDATE app_user SET name = '李经理', email = 'manager@example.com' WHERE id = $1`, [manager.id]);
  await t.owner.query(`UPDATE app_user SET manager_id = $1 WHERE id = $2`, [manager.id, learner.id]);
  await b.user('admin', [Role.ORG_ADMIN]);
  for (const key of ['admin', 'hr', 'learner', 'other']) tokens[key] = await t.token(a.id, a.users[key].externalId);
  tokens.bAdmin = await t.token(b.id, b.users.admin.externalId);
});
afterAll(async () => {
  await t.close();
});

const runJobs = () => runQueuedJobs({ dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller }, log, t.db.ownerUrl);
const viewerCertificates = async (token: string) =>
  (await gqlOk<{ viewer: { certificates: { nodes: { id: string; number: string; status: string; verificationUrl: string; holderName: string }[] } } }>(
    t, '{ viewer { certificates(first: 10) { nodes { id number status verificationUrl holderName } } } }', {}, token,
  )).viewer.certificates.nodes;
const download = (id: string, kind: 'pdf' | 'credential', token?: string, base = t.url) =>
  fetch(`${base}/certificates/${encodeURIComponent(id)}/${kind}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

test('completing a certified course issues one certificate from the job queue, mails the learner, and verifies publicly', async () => {
  const course = await certifiedCourse(t, tokens.admin, 'FLOW-1', { validityKind: 'MONTHS', validityMonths: 12 });
  await assign(t, tokens.admin, course.id, [a.users.learner]);
  await completePages(t, tokens.learner, course.activities[0]);
  // Nothing is issued inside the request that completed the course.
  expect(await viewerCertificates(tokens.learner)).toEqual([]);

  await runJobs();
  await runJobs();
  const issued = await viewerCertificates(tokens.learner);
  expect(issued).toEqual([expect.objectContaining({ status: 'ACTIVE', holderName: '王小明', number: expect.stringMatching(/^FLOWA-\d{4}-000001$/) })]);
  certificate = issued[0];

  const mail = await listMailbox(t.config.mail.mailboxDir, 10);
  expect(mail.filter((m) => m.to.includes('xiaoming@example.com'))).toHaveLength(1);
  const parsed = await simpleParser(await readFile(mail[0].file));
  expect(parsed.text).toContain(certificate.number);
  expect(parsed.text).toContain(certificate.verificationUrl);

  const page = await fetch(certificate.verificationUrl.replace(/^https?:\/\/[^/]+/, t.url), { headers: { 'accept-language': 'zh-CN' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('王小明');
  expect(html).toContain(certificate.number);
});

describeWithPoppler('the PDF', () => {
  test('downloads for the holder and HR, in the language asked for, and for nobody else', async () => {
    const mine = await download(certificate.id, 'pdf', tokens.learner);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('application/pdf');
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="${certificate.number}.pdf"`);
    const text = pdfText(Buffer.from(await mine.arrayBuffer()));
    expect(text).toContain('王小明');
    expect(text).toContain(certificate.number);
    expect(text).toContain('FLOW-1');
    expect((await download(certificate.id, 'pdf', tokens.hr)).status).toBe(200);
    for (const stranger of [tokens.other, tokens.bAdmin]) expect((await download(certificate.id, 'pdf', stranger)).status).toBe(404);
    expect((await download(certificate.id, 'pdf')).status).toBe(401);
    expect((await download('not-an-id', 'pdf', tokens.hr)).status).toBe(400);
  });
});

describe('the Open Badge', () => {
  let lab: ChildProcess;
  let verifier: BadgeVerifier;
  let serverUrl: string;
  let contentDir: string;
  const labToken = (key: string) => mintDevToken({ ...loadConfig({ JWT_SECRET: LAB_JWT_SECRET }).jwt }, { subject: a.users[key].externalId, organization: a.id });

  beforeAll(async () => {
    const [port, serverPort] = [await freePort(), await freePort()];
    serverUrl = `http://127.0.0.1:${serverPort}`;
    contentDir = mkdtempSync(path.join(tmpdir(), 'cg-flow-'));
    lab = await startLab({ DATABASE_URL: t.db.appUrl, SERVER_SECRET: TEST_SERVER_SECRET, PORT: String(port), SERVER_PORT: String(serverPort), CONTENT_DIR: contentDir });
    verifier = startVerifier(serverUrl);
  });
  afterAll(async () => {
    verifier?.close();
    await stopProcess(lab);
    rmSync(contentDir, { recursive: true, force: true });
  });

  test('downloads for the holder, verifies independently, and shows its revocation', async () => {
    const res = await download(certificate.id, 'credential', await labToken('learner'), serverUrl);
    expect(res.status).toBe(200);
    const credential: any = await res.json();
    expect(credential).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: { name: '王小明', achievement: { humanCode: 'FLOW-1' } },
      proof: { cryptosuite: 'eddsa-rdfc-2022' },
    });
    expect((await verifier.verify(credential))[0].checks).toEqual(VALID);
    expect((await download(certificate.id, 'credential', await labToken('other'), serverUrl)).status).toBe(404);

    await mutateOk(t, tokens.hr, 'revokeCertificate', 'RevokeCertificateInput', { id: certificate.id, reason: '考核记录有误' }, 'certificate { status }');
    expect((await verifier.verify(credential))[0].checks).toEqual({ ...VALID, revocation_status: false });
    await mutateOk(t, tokens.hr, 'reinstateCertificate', 'ReinstateCertificateInput', { id: certificate.id, reason: '复核无误' }, 'certificate { status }');
    expect((await verifier.verify(credential))[0].checks).toEqual(VALID);
  });
});

test('the recertification window and the approaching expiry each tell the holder and their manager, once', async () => {
  const course = await certifiedCourse(t, tokens.admin, 'FLOW-2', { validityKind: 'MONTHS', validityMonths: 12, recertificationWindowDays: 30 });
  await assign(t, tokens.admin, course.id, [a.users.learner]);
  await completePages(t, tokens.learner, course.activities[0]);
  await runJobs();
  const [renewable] = (await t.owner.query(`SELECT c.valid_until FROM certificate c JOIN course k ON k.id = c.course_id WHERE k.code = 'FLOW-2'`)) as { valid_until: Date }[];
  const daysBefore = (days: number) => new Date(renewable.valid_until.getTime() - days * 86_400_000);
  const subjects = async () => (await listMailbox(t.config.mail.mailboxDir, 50)).map((m) => `${m.to.replace(/.*</, '').replace('>', '')}: ${m.subject}`).sort();
  const before = await subjects();

  for (let i = 0; i < 2; i++) {
    await asSystem(t, a.id, (ctx) => recertification.openDue(ctx, daysBefore(20)));
    await asSystem(t, a.id, (ctx) => recertification.remindExpiring(ctx, daysBefore(3)));
    await runJobs();
  }
  // FLOW-1's certificate, issued moments earlier for a year too, is reminded of in the same sweep.
  const sent = (await subjects()).filter((m) => !before.includes(m) && m.includes('FLOW-2'));
  expect(sent.filter((m) => m.startsWith('xiaoming@example.com'))).toHaveLength(2);
  expect(sent.filter((m) => m.startsWith('manager@example.com'))).toHaveLength(2);
  expect(sent).toHaveLength(4);
  const cycles = (await t.owner.query(
    `SELECT e.cycle, e.source, e.due_at FROM enrollment e JOIN course k ON k.id = e.course_id WHERE k.code = 'FLOW-2' ORDER BY e.cycle`)) as { cycle: number; source: string; due_at: Date }[];
  expect(cycles.map((c) => [c.cycle, c.source])).toEqual([[1, 'ADMIN'], [2, 'RECERTIFICATION']]);
  expect(cycles[1].due_at).toEqual(renewable.valid_until);
});
