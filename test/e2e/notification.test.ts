import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { RequestContext, type Principal } from '../../src/shared/context';
import { resolveCaller } from '../../src/modules/user/caller';
import { listMailbox } from '../../src/modules/notification/mailbox';
import { certificateIssuedMessage, type Message } from '../../src/modules/notification/messages';
import { notificationService, type Recipient } from '../../src/modules/notification/notification.service';
import { connect, createTestDatabase, type TestDatabase } from '../support/db';
import { seedOrg, type SeededOrg } from '../support/seed';
import { startSmtpServer, type TestSmtp } from '../support/smtp';
import { TEST_SERVER_SECRET } from '../support/app';

const PASSWORD = 's3cret/pa:ss@word';
let db: TestDatabase;
let ds: DataSource;
let owner: DataSource;
let smtp: TestSmtp;
let acme: SeededOrg;
let other: SeededOrg;
const logLines: string[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  [ds, owner, smtp] = await Promise.all([connect(db), connect(db, true), startSmtpServer({ password: PASSWORD })]);
  acme = await seedOrg(owner, 'acme');
  other = await seedOrg(owner, 'other');
  await acme.user('learner');
  await acme.user('mute');
  await owner.query(`UPDATE app_user SET name = '张伟', email = 'zhang.wei@acme.test' WHERE id = $1`, [acme.users.learner.id]);
  await owner.query(`UPDATE app_user SET email = NULL WHERE id = $1`, [acme.users.mute.id]);
  await other.user('learner');
});
afterAll(async () => {
  await Promise.all([ds.destroy(), owner.destroy(), smtp.close()]);
  await db.drop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  smtp.refuseWith = null;
  smtp.delayMs = 0;
});

/** A job's context in `org` whose mail settings come from `env`, logging into logLines. */
function jobContext(org: SeededOrg, env: NodeJS.ProcessEnv, principal?: Principal): RequestContext {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'coursegraph-mail-'));
  dataDirs.push(dataDir);
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } });
  const log = pino({ level: 'info' }, sink) as unknown as FastifyBaseLogger;
  const deps = { dataSource: ds, config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
  return new RequestContext(deps, principal ?? { kind: 'system', organizationId: org.id, label: 'test-job' }, `job-${Date.now()}`, log);
}

const smtpEnv = (): NodeJS.ProcessEnv => ({ SMTP_URL: smtp.url('mailer', PASSWORD), MAIL_FROM: '培训中心 <training@acme.test>' });

const issued = (overrides: Partial<Parameters<typeof certificateIssuedMessage>[0]> = {}): Message => certificateIssuedMessage({
  holderName: '张伟', courseTitle: '客户服务礼仪', certificateNumber: 'ACME-2026-000042',
  validUntil: new Date('2027-11-30T16:00:00Z'), verificationUrl: 'https://cg.example.com/verify/abc123', ...overrides,
});

const learner = (): Recipient => ({ userId: acme.users.learner.id, name: '张伟', email: 'zhang.wei@acme.test' });

async function row(key: string): Promise<{ status: string; attempts: number; recipient: string | null; last_error: string | null; message_id: string | null; sent_at: Date | null }> {
  const rows = await owner.query(`SELECT status, attempts, recipient, last_error, message_id, sent_at FROM notification WHERE organization_id = $1 AND dedupe_key = $2`, [acme.id, key]);
  return rows[0];
}

test('a Chinese email arrives intact over SMTP with STARTTLS: encoded subject, UTF-8 text and html parts', async () => {
  const message = issued();
  const result = await notificationService.sendOnce(jobContext(acme, smtpEnv()), { key: 'issued:1', to: learner(), message });
  expect(result.outcome).toBe('SENT');
  expect(smtp.inbox).toHaveLength(1);
  const [mail] = smtp.inbox;
  expect(mail.secure).toBe(true);
  expect(smtp.logins).toEqual(['mailer']);
  expect(mail.rcptTo).toEqual(['zhang.wei@acme.test']);
  expect(mail.parsed.subject).toBe('证书已颁发：《客户服务礼仪》');
  expect(mail.parsed.from?.value[0]).toEqual({ name: '培训中心', address: 'training@acme.test' });
  expect(mail.parsed.to).toMatchObject({ value: [{ name: '张伟', address: 'zhang.wei@acme.test' }] });
  expect(mail.parsed.text).toContain('张伟，您好：');
  expect(mail.parsed.text).toContain('恭喜您完成课程《客户服务礼仪》，证书已颁发。');
  expect(mail.parsed.text).toContain('有效期至：2027年12月1日');
  expect(mail.parsed.html).toContain('<p>恭喜您完成课程《客户服务礼仪》，证书已颁发。</p>');
  expect(mail.parsed.html).toContain('href="https://cg.example.com/verify/abc123"');
  expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
  // On the wire the headers are 7-bit (RFC 2047 encoded words) and the parts declare UTF-8.
  const raw = mail.raw.toString('latin1');
  expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
  expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
  expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
  expect(await row('issued:1')).toMatchObject({ status: 'SENT', attempts: 1, recipient: 'zhang.wei@acme.test', last_error: null, message_id: mail.parsed.messageId });
  expect((await row('issued:1')).sent_at).toBeInstanceOf(Date);
});

test('the same key sent twice goes out once', async () => {
  const ctx = jobContext(acme, smtpEnv());
  const before = smtp.inbox.length;
  const first = await notificationService.sendOnce(ctx, { key: 'issued:twice', to: learner(), message: issued() });
  const second = await notificationService.sendOnce(ctx, { key: 'issued:twice', to: learner(), message: issued() });
  expect([first.outcome, second.outcome]).toEqual(['SENT', 'ALREADY_SENT']);
  expect(second.notificationId).toBe(first.notificationId);
  expect(smtp.inbox.length - before).toBe(1);
  expect(await row('issued:twice')).toMatchObject({ status: 'SENT', attempts: 1 });
});

test('concurrent calls with one key send once, for a new key and for a retry of a failed one', async () => {
  const ctx = jobContext(acme, smtpEnv());
  smtp.delayMs = 150;
  const send = (key: string) => notificationService.sendOnce(ctx, { key, to: learner(), message: issued() });
  let before = smtp.inbox.length;
  const outcomes = (await Promise.all([1, 2, 3, 4].map(() => send('issued:race')))).map((r) => r.outcome);
  expect(outcomes.sort()).toEqual(['ALREADY_SENT', 'ALREADY_SENT', 'ALREADY_SENT', 'SENT']);
  expect(smtp.inbox.length - before).toBe(1);

  smtp.refuseWith = 451;
  await expect(send('issued:race-retry')).rejects.toThrow(/451/);
  smtp.refuseWith = null;
  before = smtp.inbox.length;
  const retries = (await Promise.all([1, 2, 3, 4].map(() => send('issued:race-retry')))).map((r) => r.outcome);
  expect(retries.sort()).toEqual(['ALREADY_SENT', 'ALREADY_SENT', 'ALREADY_SENT', 'SENT']);
  expect(smtp.inbox.length - before).toBe(1);
  expect(await row('issued:race-retry')).toMatchObject({ status: 'SENT', attempts: 2 });
});

test('a message the server refuses throws, stays unsent, and the retry sends it', async () => {
  const ctx = jobContext(acme, smtpEnv());
  const before = smtp.inbox.length;
  smtp.refuseWith = 550;
  const failure = notificationService.sendOnce(ctx, { key: 'issued:refused', to: learner(), message: issued() });
  await expect(failure).rejects.toMatchObject({ name: 'MailDeliveryError', permanent: true });
  expect(smtp.inbox.length).toBe(before);
  const failed = await row('issued:refused');
  expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, sent_at: null });
  expect(failed.last_error).toMatch(/550/);

  smtp.refuseWith = null;
  const retry = await notificationService.sendOnce(ctx, { key: 'issued:refused', to: learner(), message: issued() });
  expect(retry.outcome).toBe('SENT');
  expect(smtp.inbox.length - before).toBe(1);
  expect(await row('issued:refused')).toMatchObject({ status: 'SENT', attempts: 2, last_error: null });
});

test('a wrong password fails without the password in the error, the row or the log', async () => {
  const ctx = jobContext(acme, { SMTP_URL: smtp.url('mailer', 'wrong-Pa55word'), MAIL_FROM: 'Training <training@acme.test>' });
  await expect(notificationService.sendOnce(ctx, { key: 'issued:bad-login', to: learner(), message: issued() })).rejects.toThrow(/535|Invalid/);
  const failed = await row('issued:bad-login');
  expect(failed.status).toBe('FAILED');
  expect(failed.last_error).not.toContain('wrong-Pa55word');
  expect(logLines.join('')).not.toContain('wrong-Pa55word');
  expect(logLines.join('')).not.toContain(PASSWORD);
});

test('a server that does not offer STARTTLS gets neither the password nor the message', async () => {
  const plain = await startSmtpServer({ password: PASSWORD, starttls: false });
  try {
    const ctx = jobContext(acme, { SMTP_URL: plain.url('mailer', PASSWORD), MAIL_FROM: 'Training <training@acme.test>' });
    await expect(notificationService.sendOnce(ctx, { key: 'issued:plain', to: learner(), message: issued() })).rejects.toThrow(/STARTTLS|TLS/i);
    expect(plain.logins).toEqual([]);
    expect(plain.inbox).toEqual([]);
    expect(await row('issued:plain')).toMatchObject({ status: 'FAILED', attempts: 1 });
  } finally {
    await plain.close();
  }
});

test('the server certificate is verified: an untrusted one gets neither the password nor the message', async () => {
  const before = smtp.inbox.length;
  const ctx = jobContext(acme, { SMTP_URL: smtp.url('mailer', PASSWORD, false), MAIL_FROM: 'Training <training@acme.test>' });
  const logins = smtp.logins.length;
  await expect(notificationService.sendOnce(ctx, { key: 'issued:untrusted', to: learner(), message: issued() })).rejects.toThrow(/certificate/i);
  expect(smtp.logins.length).toBe(logins);
  expect(smtp.inbox.length).toBe(before);
});

test('a user without an email is skipped, and the skip is recorded once', async () => {
  const ctx = jobContext(acme, smtpEnv());
  const before = smtp.inbox.length;
  const mute: Recipient = { userId: acme.users.mute.id, name: 'mute', email: null };
  const first = await notificationService.sendOnce(ctx, { key: 'issued:mute', to: mute, message: issued() });
  const again = await notificationService.sendOnce(ctx, { key: 'issued:mute', to: mute, message: issued() });
  expect([first.outcome, again.outcome]).toEqual(['SKIPPED', 'SKIPPED']);
  expect(smtp.inbox.length).toBe(before);
  expect(await row('issued:mute')).toMatchObject({ status: 'SKIPPED', attempts: 0, recipient: null, last_error: 'the recipient has no usable email address' });
});

test('hostile names are escaped in the html and add no header or recipient', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const message = issued({ holderName: hostile, courseTitle: 'Safety & "Care"\r\nBcc: evil@example.com' });
  await notificationService.sendOnce(jobContext(acme, smtpEnv()), { key: 'issued:hostile', to: { ...learner(), name: `${hostile}\r\nCc: evil@example.com` }, message });
  const mail = smtp.inbox[smtp.inbox.length - 1];
  expect(mail.rcptTo).toEqual(['zhang.wei@acme.test']);
  expect(mail.parsed.cc).toBeUndefined();
  expect(mail.parsed.bcc).toBeUndefined();
  expect(mail.raw.toString('latin1')).not.toMatch(/^(Bcc|Cc):/im);
  expect(mail.parsed.subject).toBe('证书已颁发：《Safety & "Care" Bcc: evil@example.com》');
  expect(mail.parsed.html).not.toContain('<img');
  expect(mail.parsed.html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  expect(mail.parsed.html).toContain('Safety &#38; &#34;Care&#34;');
  expect(mail.parsed.text).toContain(`${hostile}，您好：`);
});

test('without SMTP_URL the message lands in the development mailbox as a readable .eml, its path logged', async () => {
  const ctx = jobContext(acme, {});
  const mailboxDir = ctx.deps.config.mail.mailboxDir;
  const before = smtp.inbox.length;
  const result = await notificationService.sendOnce(ctx, { key: 'issued:mailbox', to: learner(), message: issued() });
  expect(result.outcome).toBe('SENT');
  expect(smtp.inbox.length).toBe(before);
  const [entry, ...rest] = await listMailbox(mailboxDir, 10);
  expect(rest).toEqual([]);
  expect(entry).toMatchObject({ to: 'zhang.wei@acme.test', subject: '证书已颁发：《客户服务礼仪》' });
  expect(path.dirname(entry.file)).toBe(path.resolve(mailboxDir));
  expect(logLines.some((l) => l.includes(entry.file))).toBe(true);
  const parsed = await simpleParser(readFileSync(entry.file));
  expect(parsed.subject).toBe('证书已颁发：《客户服务礼仪》');
  expect(parsed.text).toContain('恭喜您完成课程《客户服务礼仪》');
  expect(parsed.html).toContain('恭喜您完成课程《客户服务礼仪》');
  expect(await row('issued:mailbox')).toMatchObject({ status: 'SENT', message_id: parsed.messageId });
  // The operator's view of it (the built CLI, as `npm run cli -- mailbox` runs it).
  const env = { ...process.env, DATA_DIR: path.dirname(mailboxDir), SMTP_URL: '' };
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/src/cli/index.js', 'mailbox'], { cwd: path.resolve(__dirname, '../..'), env });
  expect(stdout).toBe(`${entry.date}  zhang.wei@acme.test  证书已颁发：《客户服务礼仪》\n  ${entry.file}\n`);
});

test('keys are per organization, rows are invisible to other tenants, and only jobs send', async () => {
  const ctxOther = jobContext(other, smtpEnv());
  const to: Recipient = { userId: other.users.learner.id, name: 'other learner', email: 'learner@other.test' };
  expect((await notificationService.sendOnce(ctxOther, { key: 'issued:1', to, message: issued() })).outcome).toBe('SENT');
  const visible = await ds.transaction(async (em) => {
    await em.query(`SELECT set_config('app.organization_id', $1, true)`, [other.id]);
    return em.query(`SELECT organization_id FROM notification`) as Promise<{ organization_id: string }[]>;
  });
  expect(visible).toEqual([{ organization_id: other.id }]);
  const asUser = jobContext(acme, smtpEnv(), { kind: 'user', organizationId: acme.id, subject: acme.users.learner.externalId });
  await expect(notificationService.sendOnce(asUser, { key: 'issued:by-user', to: learner(), message: issued() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await row('issued:by-user')).toBeUndefined();
});
