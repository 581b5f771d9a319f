import path from 'node:path';
import { localize, msg, placeholders } from '../../../src/shared/i18n/message';
import { ZH_CN, ZH_CN_WORDS } from '../../../src/shared/i18n/zh-CN';
import { messageSites } from '../../support/error-messages';

/*
 * Every message a client can be shown exists in both languages: the English template in the
 * sources (the catalog key) and its zh-CN entry, with the same placeholders. A new error message
 * without a translation, or one built with `${…}` (which no catalog can match), fails here.
 */

const ROOT = path.resolve(__dirname, '../../..');
const sites = messageSites(ROOT).filter((s) => !s.file.startsWith(path.join('src', 'modules', 'assessment', 'content')));
const HAN = /\p{Script=Han}/u;

test('the scan finds the error messages of the sources', () => {
  expect(sites.length).toBeGreaterThan(150);
  expect(sites).toContainEqual(expect.objectContaining({ file: path.join('src', 'shared', 'errors.ts'), template: 'Not allowed: requires the {permission} permission' }));
});

test('every message template in the sources has its zh-CN entry; every noun a NOT_FOUND names has its word', () => {
  const missing = sites.filter((s) => s.kind === 'literal' && !(s.noun ? ZH_CN_WORDS[s.template!] : ZH_CN[s.template!]));
  expect(missing.map((s) => `${s.file}:${s.line} ${s.template}`)).toEqual([]);
});

test('no message is built with ${…}: parameters go through msg(template, params)', () => {
  const interpolated = sites.filter((s) => s.kind === 'interpolated');
  expect(interpolated.map((s) => `${s.file}:${s.line} ${s.text}`)).toEqual([]);
});

test('every catalog entry is translated and has exactly the placeholders of its English key', () => {
  for (const [en, zh] of Object.entries(ZH_CN)) {
    expect({ en, placeholders: placeholders(zh) }).toEqual({ en, placeholders: placeholders(en) });
    // Chinese, or at least Chinese punctuation ("imsmanifest.xml:{reason}").
    expect({ en, zh, translated: HAN.test(zh) || zh !== en }).toEqual({ en, zh, translated: true });
  }
  for (const [en, zh] of Object.entries(ZH_CN_WORDS)) expect({ en, han: HAN.test(zh) }).toEqual({ en, han: true });
});

test('localize picks the language, fills the parameters and translates catalogued ones; codes are not its business', () => {
  const notFound = msg('{what} not found', { what: 'Course' });
  expect([localize(notFound, 'en'), localize(notFound, 'zh-CN')]).toEqual(['Course not found', '课程不存在']);
  const refused = msg('Not allowed: requires the {permission} permission', { permission: 'API_KEYS_MANAGE' });
  expect(localize(refused, 'zh-CN')).toBe('无权执行此操作:需要 API_KEYS_MANAGE 权限');
  expect(localize('an English sentence nobody translated', 'zh-CN')).toBe('an English sentence nobody translated');
});
