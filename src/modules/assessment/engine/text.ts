import type { LocalizedText, TextLocale } from './types';

/** The text in `locale`, falling back to Chinese when there is no translation. */
export function localize(text: LocalizedText, locale: TextLocale): string {
  return (locale === 'en' && text.en) || text['zh-CN'];
}

/**
 * The form FILL_IN answers are compared in. NFKC folds full-width letters, digits, punctuation and
 * the ideographic space to their ASCII forms (Chinese input methods often produce "ＡＢＣ１２３"),
 * then case, surrounding and repeated whitespace stop mattering.
 */
export function normalizeAnswerText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** Length in characters as a reader counts them (code points, so an emoji is one). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
