/**
 * Character classes of XML 1.0 (fifth edition) and namespaces, as code-unit tests on a JS string.
 * ASCII goes through a table; the rest through the ranges the specification lists.
 */

const NAME_START = 1;
const NAME = 2;

/** For each ASCII code: NAME_START | NAME bits. */
const ASCII = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const c = String.fromCharCode(code);
  if (/[A-Za-z_:]/.test(c)) ASCII[code] = NAME_START | NAME;
  else if (/[0-9.-]/.test(c)) ASCII[code] = NAME;
}

/**
 * NameStartChar for a UTF-16 code unit. Surrogates count when they can be half of a code point in
 * U+10000–U+EFFFF (the pairing itself is checked once for the whole text, see `findDisallowedCharacter`).
 */
export function isNameStartCode(code: number): boolean {
  if (code < 128) return (ASCII[code] & NAME_START) !== 0;
  return (
    (code >= 0xc0 && code <= 0xd6) ||
    (code >= 0xd8 && code <= 0xf6) ||
    (code >= 0xf8 && code <= 0x2ff) ||
    (code >= 0x370 && code <= 0x37d) ||
    (code >= 0x37f && code <= 0x1fff) ||
    code === 0x200c ||
    code === 0x200d ||
    (code >= 0x2070 && code <= 0x218f) ||
    (code >= 0x2c00 && code <= 0x2fef) ||
    (code >= 0x3001 && code <= 0xdb7f) ||
    (code >= 0xdc00 && code <= 0xdfff) ||
    (code >= 0xf900 && code <= 0xfdcf) ||
    (code >= 0xfdf0 && code <= 0xfffd)
  );
}

/** NameChar for a UTF-16 code unit. */
export function isNameCode(code: number): boolean {
  if (code < 128) return ASCII[code] !== 0;
  return (
    code === 0xb7 || (code >= 0x300 && code <= 0x36f) || code === 0x203f || code === 0x2040 || isNameStartCode(code)
  );
}

export function isWhitespaceCode(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** Code points a character reference may name (the Char production). */
export function isCharCodePoint(point: number): boolean {
  return (
    point === 0x9 ||
    point === 0xa ||
    point === 0xd ||
    (point >= 0x20 && point <= 0xd7ff) ||
    (point >= 0xe000 && point <= 0xfffd) ||
    (point >= 0x10000 && point <= 0x10ffff)
  );
}

const CONTROL_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;

/**
 * Offset of the first code unit that is not an XML character (a control character, U+FFFE/U+FFFF,
 * or half of a broken surrogate pair), or -1. A few whole-text searches cost far less than testing
 * every character while tokenizing (and the last three are free on a text without non-Latin-1 characters).
 */
export function findDisallowedCharacter(text: string): number {
  let first = text.search(CONTROL_CHARACTER);
  const keep = (at: number) => {
    if (at >= 0 && (first < 0 || at < first)) first = at;
  };
  keep(text.indexOf('\uFFFE'));
  keep(text.indexOf('\uFFFF'));
  if (!(text as unknown as WellFormedCheck).isWellFormed()) keep(firstLoneSurrogate(text));
  return first;
}

/** String.prototype.isWellFormed (ES2024, Node 20+): true when no surrogate is unpaired. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

function firstLoneSurrogate(text: string): number {
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0xd800 || code > 0xdfff) continue;
    if (code <= 0xdbff) {
      const next = text.charCodeAt(at + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        at++; // a valid pair
        continue;
      }
    }
    return at;
  }
  return -1;
}
