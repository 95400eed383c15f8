// The one place where text becomes markup. Character references keep what XML parsing would
// otherwise normalise away: a carriage return anywhere (line-end handling), tabs and line breaks in
// attribute values (attribute-value normalisation).

/** Text for element content. */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** A value for a double-quoted attribute. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text, or a double-quoted attribute value, in HTML (the panel's page, a test response's auto-posting form). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (character) => HTML_ESCAPES[character]);
}
