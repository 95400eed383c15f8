// Decides whether certificate text needs cleaning up and produces the clean text. No vscode here,
// so the rules are plain functions.

const PEM_ARMOUR = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/;
const LINE_BREAK = /\r\n|\r|\n/;
const WHITESPACE = /\s+/g;
export const PEM_LINE_LENGTH = 64;

export interface Normalisation {
  /** Why the text is being rewritten, for the code action title and the diagnostic. */
  readonly reasons: readonly string[];
  /** The text that replaces the whole element content. */
  readonly replacement: string;
}

export interface NormaliseInput {
  /** The element content exactly as written in the document. */
  readonly written: string;
  /** For a double-encoded PEM: the certificate's base64 recovered from inside it. */
  readonly innerBase64?: string;
  /** The document's line break. */
  readonly eol: string;
}

/** Splits `text` into 64-character lines. */
export function wrapBase64(base64: string, width = PEM_LINE_LENGTH): string[] {
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += width) lines.push(base64.slice(i, i + width));
  return lines;
}

/**
 * Lines of the written text that carry base64, without their indentation. Irregular when a line
 * other than the last differs in length from the first, or the last is longer than the first.
 */
function hasIrregularWrapping(lines: readonly string[]): boolean {
  if (lines.length < 2) return false;
  const width = lines[0].length;
  const last = lines[lines.length - 1].length;
  return lines.slice(0, -1).some((line) => line.length !== width) || last > width;
}

/**
 * Returns the clean text for a certificate whose written form is a double-encoded PEM, carries PEM
 * armour lines, has spaces inside its lines, or has irregular line wrapping; `undefined` when it is
 * already clean. A one-line certificate stays on one line; a wrapped one is re-wrapped at 64
 * columns with the indentation of its own continuation lines.
 */
export function normaliseCertificateText(input: NormaliseInput): Normalisation | undefined {
  const { written, eol } = input;
  const reasons: string[] = [];
  let base64: string;
  if (input.innerBase64) {
    reasons.push('it is a whole PEM file encoded a second time');
    base64 = input.innerBase64.replace(WHITESPACE, '');
  } else if (PEM_ARMOUR.test(written)) {
    reasons.push('it contains "-----BEGIN/END CERTIFICATE-----" lines');
    base64 = (PEM_ARMOUR.exec(written)?.[1] ?? '').replace(WHITESPACE, '');
  } else {
    base64 = written.replace(WHITESPACE, '');
  }
  if (base64 === '') return undefined;

  const contentLines = written
    .split(LINE_BREAK)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (reasons.length === 0) {
    if (contentLines.some((line) => /\s/.test(line))) reasons.push('it has spaces inside the base64');
    if (hasIrregularWrapping(contentLines)) reasons.push('its line wrapping is irregular');
  }
  if (reasons.length === 0) return undefined;

  const leading = /^\s*/.exec(written)?.[0] ?? '';
  const trailing = /\s*$/.exec(written)?.[0] ?? '';
  if (contentLines.length <= 1) {
    return { reasons, replacement: leading + base64 + trailing };
  }
  // Continuation lines keep the indentation the author used (that of the second written line),
  // or the indentation of the first line when the text starts on its own line.
  const writtenLines = written.split(LINE_BREAK);
  const indentOf = (line: string | undefined) => /^[ \t]*/.exec(line ?? '')?.[0] ?? '';
  const continuationIndent =
    writtenLines.length > 1 ? indentOf(writtenLines.find((line, i) => i > 0 && line.trim() !== '')) : '';
  const body = wrapBase64(base64).join(eol + continuationIndent);
  return { reasons, replacement: leading + body + trailing };
}
