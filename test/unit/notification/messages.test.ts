import {
  certificateExpiringMessage, certificateIssuedMessage, recertificationOpenedMessage, type CertificateFacts,
} from '../../../src/modules/notification/messages';

// 16:00 UTC is midnight in Shanghai: the day shown is the next one in both languages.
const facts: CertificateFacts & { validUntil: Date } = {
  holderName: '李娜', courseTitle: '客户服务礼仪', certificateNumber: 'UNICOM-2026-000007',
  validUntil: new Date('2027-03-31T16:00:00Z'), verificationUrl: 'https://cg.example.com/verify/k3y',
};
const dueAt = new Date('2027-03-15T02:00:00Z');

test('certificate issued, in Chinese by default and in English, dates as the day in Asia/Shanghai', () => {
  const zh = certificateIssuedMessage(facts);
  expect(zh.kind).toBe('CERTIFICATE_ISSUED');
  expect(zh.subject).toBe('证书已颁发：《客户服务礼仪》');
  expect(zh.text).toContain('李娜，您好：');
  expect(zh.text).toContain('证书编号：UNICOM-2026-000007');
  expect(zh.text).toContain('有效期至：2027年4月1日');
  expect(zh.text).toContain('在线验证证书：https://cg.example.com/verify/k3y');
  expect(zh.html).toContain('<html lang="zh-CN">');
  expect(zh.html).toContain('<td style="padding:4px 0">2027年4月1日</td>');

  const en = certificateIssuedMessage({ ...facts, holderName: 'Li Na', courseTitle: 'Service Etiquette', locale: 'en' });
  expect(en.subject).toBe('Certificate issued: Service Etiquette');
  expect(en.text).toContain('Dear Li Na,');
  expect(en.text).toContain('Valid until: April 1, 2027');
  expect(en.html).toContain('<html lang="en">');
});

test('a certificate without an end says so', () => {
  expect(certificateIssuedMessage({ ...facts, validUntil: null }).text).toContain('有效期至：长期有效');
  expect(certificateIssuedMessage({ ...facts, validUntil: null, locale: 'en' }).text).toContain('Valid until: Does not expire');
});

test('recertification opened: the holder is asked to finish by the due date, the manager to remind them', () => {
  const holder = recertificationOpenedMessage({ ...facts, dueAt });
  expect(holder.kind).toBe('RECERTIFICATION_OPENED');
  expect(holder.subject).toBe('请完成复训：《客户服务礼仪》');
  expect(holder.text).toContain('您的《客户服务礼仪》证书将于 2027年4月1日 到期。复训已经开放，请在 2027年3月15日 前完成课程。');
  expect(holder.html).toContain('<p>完成后将颁发新证书，有效期从旧证书到期时接续。</p>');
  expect(holder.text).toContain('复训截止：2027年3月15日');

  const manager = recertificationOpenedMessage({ ...facts, dueAt, managerName: '王经理' });
  expect(manager.kind).toBe('RECERTIFICATION_OPENED_MANAGER');
  expect(manager.subject).toBe('李娜 的复训已开放：《客户服务礼仪》');
  expect(manager.text).toContain('王经理，您好：');
  expect(manager.text).toContain('您团队成员 李娜 的《客户服务礼仪》证书将于 2027年4月1日 到期。\n\n复训已经开放，截止日期为 2027年3月15日');
  expect(manager.text).toContain('持证人：李娜');

  const en = recertificationOpenedMessage({ ...facts, dueAt, managerName: 'Wang', holderName: 'Li Na', locale: 'en' });
  expect(en.subject).toBe('Recertification open for Li Na: 客户服务礼仪');
  expect(en.text).toContain('Dear Wang,');
  expect(en.text).toContain('Recertification is open and due on March 15, 2027');
});

test('expiring soon: with and without an open recertification, to the holder and to the manager', () => {
  const open = certificateExpiringMessage({ ...facts, dueAt });
  expect(open.kind).toBe('CERTIFICATE_EXPIRING');
  expect(open.subject).toBe('证书即将到期：《客户服务礼仪》');
  expect(open.text).toContain('请在 2027年3月15日 前完成复训，以免证书失效。');
  expect(certificateExpiringMessage(facts).text).toContain('到期后证书将不再有效。');

  const manager = certificateExpiringMessage({ ...facts, managerName: '王经理', locale: 'en' });
  expect(manager.kind).toBe('CERTIFICATE_EXPIRING_MANAGER');
  expect(manager.subject).toBe('Certificate expiring for 李娜: 客户服务礼仪');
  expect(manager.text).toContain('expires on April 1, 2027.');
});

test('values are escaped in the html, subjects stay on one line, and only web links are linked', () => {
  const m = certificateIssuedMessage({ ...facts, holderName: '"><script>x()</script>', courseTitle: 'A\r\nB\u2028C' });
  expect(m.html).not.toContain('<script>');
  expect(m.html).toContain('&#34;&#62;&#60;script&#62;x()&#60;/script&#62;');
  expect(m.subject).toBe('证书已颁发：《A B C》');
  expect(() => certificateIssuedMessage({ ...facts, verificationUrl: 'javascript:alert(1)' })).toThrow(/http/);
});
