import { loadConfig } from '../../../src/config';

test('mail settings: the development mailbox under DATA_DIR unless SMTP_URL is set', () => {
  expect(loadConfig({ DATA_DIR: '/srv/cg' }).mail).toEqual({
    smtpUrl: undefined, from: 'Coursegraph <no-reply@localhost>', timeoutMs: 20000, mailboxDir: '/srv/cg/mailbox',
  });
  const mail = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com', MAIL_FROM: '培训中心 <t@example.com>', SMTP_TIMEOUT_MS: '5000' }).mail;
  expect(mail).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.com', from: '培训中心 <t@example.com>', timeoutMs: 5000 });
});

test('bad mail settings are refused at start without repeating the password', () => {
  const refusal = (env: NodeJS.ProcessEnv): string => {
    try {
      loadConfig(env);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('accepted');
  };
  expect(refusal({ SMTP_URL: 'smtp://u:hunter2@mail.example.com' })).toBe('MAIL_FROM is required when SMTP_URL is set');
  const scheme = refusal({ SMTP_URL: 'http://u:hunter2@mail.example.com', MAIL_FROM: 'a@b.c' });
  expect(scheme).toMatch(/^SMTP_URL must be smtp:/);
  const garbled = refusal({ SMTP_URL: 'smtp://u:hunter2@mail example.com', MAIL_FROM: 'a@b.c' });
  expect(garbled).toBe('SMTP_URL is not a URL');
  expect(scheme + garbled).not.toContain('hunter2');
});
