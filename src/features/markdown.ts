/**
 * Escapes text (subject names, entity IDs, messages) so markdown shows it literally. Every escaped
 * value sits inside a line or a table cell, so only inline markup characters (and table pipes) need
 * escaping.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (character) => `\\${character}`);
}
