import type { Locale } from '../context';
import { ZH_CN, ZH_CN_WORDS } from './zh-CN';

/** Values a message template names in braces: `{what} not found` with `{ what: 'Course' }`. */
export type MessageParams = Readonly<Record<string, string | number | Message>>;

/**
 * A message a client is shown, kept as its English template and parameters until the response
 * is written in the caller's language. The English template is the catalog key (gettext style).
 */
export interface Message {
  readonly template: string;
  readonly params?: MessageParams;
}

/** What error helpers accept: a fixed English sentence, or a template with parameters. */
export type MessageText = string | Message;

/** A message with parameters: `msg('first must be from 1 to {max}', { max })`. */
export function msg(template: string, params: MessageParams): Message {
  return { template, params };
}

export function toMessage(text: MessageText): Message {
  return typeof text === 'string' ? { template: text } : text;
}

/** Placeholder names of a template, e.g. `["what"]`. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/**
 * The message in `locale`: the zh-CN catalog's template (English when the catalog lacks one),
 * its placeholders filled; a parameter that is itself catalogued (a noun such as `Course`, or a
 * sentence) is translated too. Codes never change with the language, only messages.
 */
export function localize(text: MessageText, locale: Locale): string {
  const { template, params } = toMessage(text);
  const zh = locale === 'zh-CN';
  const chosen = zh ? (ZH_CN[template] ?? template) : template;
  if (!params) return chosen;
  return chosen.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    // A message inside a message (a rule's reason inside a refusal) is localized in turn.
    if (typeof value === 'object') return localize(value, locale);
    return zh && typeof value === 'string' ? (ZH_CN_WORDS[value] ?? ZH_CN[value] ?? value) : String(value);
  });
}
