import { Field, InputType, ObjectType } from 'type-graphql';
import type { Locale } from '../../shared/context';
import { InputCheck } from '../../shared/validate';

/** Text a user reads, as stored in jsonb: Chinese is required, English optional (DESIGN §6). */
export interface LocalizedText {
  'zh-CN': string;
  en?: string;
}

/** The translation for `locale`, falling back to Chinese. */
export function pickText(text: LocalizedText, locale: Locale): string;
export function pickText(text: LocalizedText | null | undefined, locale: Locale): string | null;
export function pickText(text: LocalizedText | null | undefined, locale: Locale): string | null {
  if (!text) return null;
  return (locale === 'en' && text.en) || text['zh-CN'];
}

/** Both translations of a text, for authors and for clients that switch language themselves. */
@ObjectType({ description: 'A text in every language it is written in.', simpleResolvers: true })
export class Translations {
  @Field({ description: 'Simplified Chinese (always present).' })
  zhCN: string;

  @Field(() => String, { nullable: true, description: 'English, when translated.' })
  en: string | null;
}

/** The GraphQL shape of a stored text. */
export function translationsOf(text: LocalizedText): Translations;
export function translationsOf(text: LocalizedText | null | undefined): Translations | null;
export function translationsOf(text: LocalizedText | null | undefined): Translations | null {
  return text ? { zhCN: text['zh-CN'], en: text.en ?? null } : null;
}

@InputType({ description: 'A text in Chinese (required) and English (optional).' })
export class TranslationsInput {
  @Field()
  zhCN: string;

  @Field(() => String, { nullable: true })
  en?: string | null;
}

/** Checks a translated input text; null (with errors recorded) when it is not acceptable. */
export function checkText(
  check: InputCheck,
  input: TranslationsInput | null | undefined,
  path: (string | number)[],
  max: number,
  required = false,
): LocalizedText | null {
  if (!input) {
    if (required) check.text(null, path, max, true);
    return null;
  }
  const zh = check.text(input.zhCN, [...path, 'zhCN'], max, true);
  const en = check.text(input.en, [...path, 'en'], max);
  if (!zh) return null;
  return en ? { 'zh-CN': zh, en } : { 'zh-CN': zh };
}
