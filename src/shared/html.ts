/**
 * Text made safe for HTML element content and quoted attribute values: the five characters that
 * could end a text run, an attribute or start markup become numeric character references.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
