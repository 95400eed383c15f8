import { findDisallowedCharacter, isCharCodePoint, isNameCode, isNameStartCode, isWhitespaceCode } from './characters';
import { makeXmlError, XmlErrorCode, type XmlError } from './errors';
import { LineIndex } from './lineIndex';
import { findDoctype } from './prolog';
import { decodeAttributeValue, decodeText, SPAN, StartTag, XML_NAMESPACE, XMLNS_NAMESPACE, type XmlTag } from './tag';

export type { XmlTag, XmlAttribute } from './tag';

export interface XmlLimits {
  /** Largest accepted text, in UTF-16 code units (≈ characters). Default 64 MiB. */
  maxLength?: number;
  /** Deepest accepted element nesting (the root is depth 1). Default 256. */
  maxDepth?: number;
}

export const DEFAULT_MAX_LENGTH = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 256;

/**
 * Receives the elements of a document in order. Offsets are UTF-16 code unit offsets into the text.
 * Set `captureText` to true (in `open`) to receive the character data that follows via `text`;
 * leaving it false lets the scanner skip building text strings.
 */
export interface XmlVisitor {
  captureText: boolean;
  /**
   * `start` is the offset of `<`, `startTagEnd` the offset just after the start tag's `>`.
   * `resolvePrefix` gives the namespace URI bound to a prefix at this element (for QName values such as xsi:type).
   * The tag's attribute lookups keep working after `open` returns.
   */
  open(tag: XmlTag, start: number, startTagEnd: number, resolvePrefix: (prefix: string) => string | undefined): void;
  /** `closeTagStart` is the offset of `</` (equal to `start` for `<x/>`); `end` is just after `>`. */
  close(tag: XmlTag, closeTagStart: number, end: number): void;
  text?(text: string): void;
}

export type XmlScanResult = { ok: true } | { ok: false; error: XmlError };

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const COLON = 0x3a;

const doctypeReason =
  'DOCTYPE declarations are refused: they can define entities (billion laughs) or fetch external files (XXE), and SAML never needs them';

/** Thrown inside the scanner to stop at the first problem. */
class StopScanning extends Error {
  constructor(
    readonly code: XmlErrorCode,
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

/**
 * Reads `text` as namespace-aware XML in one pass, refusing any DOCTYPE first, then enforcing the
 * size and depth limits, and stopping at the first well-formedness error with a message that names
 * the line and column. Never throws for bad input.
 *
 * The scanner is written for this project rather than taken from a library: it finds markup with
 * `indexOf` instead of reading character by character, which makes the 48 MB benchmark aggregate
 * read about three times faster than with saxes, and it decodes attribute values only on request.
 */
export function scanXml(text: string, visitor: XmlVisitor, limits: XmlLimits = {}): XmlScanResult {
  let lines: LineIndex | undefined;
  const fail = (code: XmlErrorCode, reason: string, offset: number): XmlScanResult => ({
    ok: false,
    error: makeXmlError(code, reason, offset, (lines ??= new LineIndex(text))),
  });

  const doctypeAt = findDoctype(text);
  if (doctypeAt >= 0) return fail(XmlErrorCode.Doctype, doctypeReason, doctypeAt);
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    const reason = `the text is ${formatSize(text.length)} characters, more than the limit of ${formatSize(maxLength)}`;
    return fail(XmlErrorCode.TooLarge, reason, 0);
  }
  if (/^\uFEFF?\s*$/.test(text)) {
    return fail(XmlErrorCode.Empty, 'the text is empty; an XML document needs a root element', 0);
  }

  const badCharacter = findDisallowedCharacter(text);
  const scanner = new Scanner(
    text,
    visitor,
    limits.maxDepth ?? DEFAULT_MAX_DEPTH,
    (offset) => (lines ??= new LineIndex(text)).positionAt(offset).line + 1,
  );
  try {
    scanner.run(badCharacter < 0 ? text.length : badCharacter);
  } catch (error) {
    if (!(error instanceof StopScanning)) throw error; // a bug in a visitor, not bad input
    if (badCharacter < 0 || error.offset < badCharacter) return fail(error.code, error.reason, error.offset);
  }
  if (badCharacter >= 0)
    return fail(XmlErrorCode.Malformed, disallowedCharacterReason(text, badCharacter), badCharacter);
  return { ok: true };
}

function disallowedCharacterReason(text: string, at: number): string {
  const code = text.charCodeAt(at);
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return code >= 0xd800 && code <= 0xdfff
    ? `a broken surrogate pair (U+${hex} alone) is not a character`
    : `the character U+${hex} is not allowed in XML`;
}

class Scanner {
  private readonly length: number;
  /** Open elements: start offsets, tags, and how many namespace bindings were in scope before each. */
  private readonly openStarts: number[] = [];
  private readonly openTags: StartTag[] = [];
  private readonly bindingMarks: number[] = [];
  /**
   * Namespace bindings in scope: for each prefix, its URIs from the outermost declaration to the
   * innermost, and the prefixes in the order they were declared (so an element's go when it
   * closes). A map rather than a list searched from the end: a start tag with thousands of
   * declarations must not make every lookup scan them all.
   */
  private readonly namespaces = new Map<string, string[]>();
  private readonly declaredPrefixes: string[] = [];
  private rootEnd = -1;
  private capturing = false;
  /** Offset of the next `<` after the last start tag (-1: unknown), saving a search in the main loop. */
  private knownNextMarkup = -1;
  /**
   * The next `&` and `]]>` at or after the current position, found once and reused while the scan
   * approaches them, so text and attribute values cost no search of their own.
   */
  private nextAmpersand = -1;
  private nextCdataEnd = -1;
  /** Set by `nameEnd`: the first colon of the name just read (-1: none), and how many it has. */
  private nameColon = -1;
  private nameColons = 0;
  private readonly nameCache: (ElementName | undefined)[] = new Array(NAME_CACHE_SIZE).fill(undefined);
  readonly resolvePrefix = (prefix: string): string | undefined => this.resolve(prefix);

  constructor(
    private readonly text: string,
    private readonly visitor: XmlVisitor,
    private readonly maxDepth: number,
    private readonly lineOf: (offset: number) => number,
  ) {
    this.length = text.length;
  }

  /** Scans the text; `stopAt` is where a disallowed character was found (the text's length if none). */
  run(stopAt: number): void {
    const text = this.text;
    let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (
      text.startsWith('<?xml', pos) &&
      (isWhitespaceCode(text.charCodeAt(pos + 5)) || text.charCodeAt(pos + 5) === QUESTION)
    ) {
      pos = this.xmlDeclaration(pos);
    }
    while (pos < stopAt) {
      let markup = this.knownNextMarkup >= pos ? this.knownNextMarkup : text.indexOf('<', pos);
      if (markup < 0) markup = this.length;
      if (markup > pos) this.characterData(pos, markup);
      if (markup >= this.length) break;
      const next = text.charCodeAt(markup + 1);
      if (next === SLASH) pos = this.endTag(markup);
      else if (next === BANG) pos = this.markupDeclaration(markup);
      else if (next === QUESTION) pos = this.processingInstruction(markup);
      else pos = this.startTag(markup);
    }
    if (stopAt < this.length) return; // the disallowed character is the error to report
    if (this.openTags.length > 0) {
      const innermost = this.openTags.length - 1;
      throw new StopScanning(
        XmlErrorCode.UnclosedTag,
        `the text ends before <${this.openTags[innermost].name}> opened on line ${this.lineOf(this.openStarts[innermost])} is closed`,
        this.length,
      );
    }
    if (this.rootEnd < 0) {
      throw new StopScanning(
        XmlErrorCode.Empty,
        'there is no root element, only comments or processing instructions',
        this.length,
      );
    }
  }

  // ---- markup -----------------------------------------------------------------------------------

  private startTag(start: number): number {
    const text = this.text;
    const depth = this.openTags.length;
    if (depth === 0 && this.rootEnd >= 0) {
      throw new StopScanning(
        XmlErrorCode.MultipleRoots,
        `a second root element starts here, after the first one ended on line ${this.lineOf(this.rootEnd)}; an XML document has exactly one root element`,
        start,
      );
    }
    if (depth >= this.maxDepth) {
      const name = text.slice(start + 1, this.nameEnd(start + 1));
      throw new StopScanning(
        XmlErrorCode.TooDeep,
        `elements are nested more than ${this.maxDepth} deep (<${name}> is at depth ${depth + 1}); this limit protects the editor from hostile input`,
        start,
      );
    }
    // `<` cannot occur inside a start tag, so the tag must end before the next one.
    let nextMarkup = text.indexOf('<', start + 1);
    if (nextMarkup < 0) nextMarkup = this.length;

    const nameStart = start + 1;
    const nameEnd = this.nameEnd(nameStart);
    if (nameEnd === nameStart) {
      throw this.unexpected(nameStart, 'after "<": a start tag begins with an element name');
    }
    const nameColon = this.checkedColon(nameStart, nameEnd);

    let spans = NO_ATTRIBUTES;
    let names: Set<string> | undefined;
    let hasPrefixedAttribute = false;
    let declaresNamespaces = false;
    let isSelfClosing = false;
    let pos = nameEnd;
    for (;;) {
      let code = text.charCodeAt(pos);
      const spaced = isWhitespaceCode(code);
      while (isWhitespaceCode(code)) code = text.charCodeAt(++pos);
      if (code === GT) {
        pos++;
        break;
      }
      if (code === SLASH) {
        if (text.charCodeAt(pos + 1) !== GT) throw this.unexpected(pos + 1, 'after "/" in a start tag: expected ">"');
        pos += 2;
        isSelfClosing = true;
        break;
      }
      if (pos >= this.length) throw this.endsInStartTag(depth);
      if (!spaced) throw this.unexpected(pos, 'in a start tag: attributes must be separated by whitespace');
      const attributeStart = pos;
      const attributeEnd = this.nameEnd(pos);
      if (attributeEnd === pos) throw this.unexpected(pos, 'in a start tag: expected an attribute name, ">" or "/>"');
      const colon = this.checkedColon(attributeStart, attributeEnd);
      pos = attributeEnd;
      while (isWhitespaceCode(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) !== EQUALS) {
        if (pos >= this.length) throw this.endsInStartTag(depth);
        throw new StopScanning(
          XmlErrorCode.Malformed,
          `not well-formed XML: attribute ${text.slice(attributeStart, attributeEnd)} has no value (expected "=")`,
          pos,
        );
      }
      pos++;
      while (isWhitespaceCode(text.charCodeAt(pos))) pos++;
      const quote = text.charCodeAt(pos);
      if (quote !== QUOTE && quote !== APOSTROPHE) {
        if (pos >= this.length) throw this.endsInStartTag(depth);
        throw new StopScanning(XmlErrorCode.Malformed, 'not well-formed XML: unquoted attribute value', pos);
      }
      const valueStart = pos + 1;
      const valueEnd = text.indexOf(quote === QUOTE ? '"' : "'", valueStart);
      if (valueEnd < 0 || valueEnd > nextMarkup) {
        if (nextMarkup < this.length) {
          throw new StopScanning(
            XmlErrorCode.Malformed,
            'not well-formed XML: "<" is not allowed in an attribute value; write &lt;',
            nextMarkup,
          );
        }
        throw new StopScanning(XmlErrorCode.Malformed, 'the text ends inside an attribute value', this.length);
      }
      this.checkReferences(valueStart, valueEnd);
      if (spans.length < MANY_ATTRIBUTES * SPAN) {
        for (let other = 0; other < spans.length; other += SPAN) {
          if (sameText(text, spans[other], spans[other + 1], attributeStart, attributeEnd))
            throw duplicateAttribute(text, attributeStart, attributeEnd, start);
        }
      } else {
        // Comparing each attribute with all before it would take seconds for a tag with thousands.
        names ??= new Set(
          Array.from({ length: spans.length / SPAN }, (_, i) => text.slice(spans[i * SPAN], spans[i * SPAN + 1])),
        );
        const name = text.slice(attributeStart, attributeEnd);
        if (names.has(name)) throw duplicateAttribute(text, attributeStart, attributeEnd, start);
        names.add(name);
      }
      if (spans === NO_ATTRIBUTES) spans = [];
      spans.push(attributeStart, attributeEnd, colon, valueStart, valueEnd);
      if (
        text.startsWith('xmlns', attributeStart) &&
        (attributeEnd === attributeStart + 5 || colon === attributeStart + 5)
      ) {
        declaresNamespaces = true;
      } else if (colon >= 0) {
        hasPrefixedAttribute = true;
      }
      pos = valueEnd + 1;
    }

    const bindingMark = this.declaredPrefixes.length;
    if (declaresNamespaces) this.declareNamespaces(start, spans);
    const name = this.elementName(nameStart, nameEnd, nameColon);
    const uri = this.resolveOrFail(name.prefix, start);
    const attributeUris = hasPrefixedAttribute || declaresNamespaces ? this.attributeUris(start, spans) : undefined;
    const tag = new StartTag(text, name.name, name.prefix, name.local, uri, isSelfClosing, spans, attributeUris);

    this.knownNextMarkup = nextMarkup;
    this.openStarts.push(start);
    this.openTags.push(tag);
    this.bindingMarks.push(bindingMark);
    this.visitor.open(tag, start, pos, this.resolvePrefix);
    if (isSelfClosing) this.closeElement(start, pos);
    this.capturing = this.visitor.captureText;
    return pos;
  }

  private endTag(start: number): number {
    const text = this.text;
    const innermost = this.openTags.length - 1;
    const nameStart = start + 2;
    const nameEnd = this.nameEnd(nameStart);
    if (innermost < 0) {
      throw new StopScanning(
        XmlErrorCode.MismatchedTag,
        `closing tag </${text.slice(nameStart, nameEnd)}> has no start tag to close`,
        start,
      );
    }
    const tag = this.openTags[innermost];
    if (!sameName(text, nameStart, nameEnd, tag.name)) {
      if (nameEnd === nameStart)
        throw this.unexpected(nameStart, 'after "</": expected the name of the element to close');
      throw new StopScanning(
        XmlErrorCode.MismatchedTag,
        `closing tag </${text.slice(nameStart, nameEnd)}> does not match <${tag.name}> opened on line ${this.lineOf(this.openStarts[innermost])}`,
        start,
      );
    }
    let pos = nameEnd;
    while (isWhitespaceCode(text.charCodeAt(pos))) pos++;
    if (text.charCodeAt(pos) !== GT) {
      if (pos >= this.length)
        throw new StopScanning(
          XmlErrorCode.Malformed,
          `the text ends inside the closing tag </${tag.name}>`,
          this.length,
        );
      throw this.unexpected(pos, `in the closing tag </${tag.name}>: expected ">"`);
    }
    pos++;
    this.closeElement(start, pos);
    this.capturing = this.visitor.captureText;
    return pos;
  }

  private closeElement(closeTagStart: number, end: number): void {
    const tag = this.openTags.pop() as StartTag;
    this.openStarts.pop();
    const mark = this.bindingMarks.pop() as number;
    if (this.openTags.length === 0) this.rootEnd = end;
    this.visitor.close(tag, closeTagStart, end);
    // The visitor may still resolve prefixes in `close`, so the bindings go after it.
    while (this.declaredPrefixes.length > mark) this.namespaces.get(this.declaredPrefixes.pop() as string)?.pop();
  }

  /** `<!--`, `<![CDATA[`, or a DOCTYPE / other declaration (refused). */
  private markupDeclaration(start: number): number {
    const text = this.text;
    if (text.startsWith('<!--', start)) {
      const end = text.indexOf('-->', start + 4);
      if (end < 0)
        throw new StopScanning(
          XmlErrorCode.Malformed,
          'the text ends inside a comment (no closing "-->")',
          this.length,
        );
      const doubleHyphen = text.indexOf('--', start + 4);
      if (doubleHyphen < end) {
        throw new StopScanning(
          XmlErrorCode.Malformed,
          'not well-formed XML: "--" is not allowed inside a comment',
          doubleHyphen,
        );
      }
      return end + 3;
    }
    if (text.startsWith('<![CDATA[', start)) {
      if (this.openTags.length === 0) {
        throw new StopScanning(
          XmlErrorCode.Malformed,
          'a CDATA section outside the root element; only comments and processing instructions may appear there',
          start,
        );
      }
      const end = text.indexOf(']]>', start + 9);
      if (end < 0)
        throw new StopScanning(
          XmlErrorCode.Malformed,
          'the text ends inside a CDATA section (no closing "]]>")',
          this.length,
        );
      if (this.capturing) {
        const content = text.slice(start + 9, end);
        this.visitor.text?.(content.indexOf('\r') < 0 ? content : decodeText(text, start + 9, end));
      }
      return end + 3;
    }
    if (text.slice(start + 2, start + 9).toUpperCase() === 'DOCTYPE') {
      throw new StopScanning(XmlErrorCode.Doctype, doctypeReason, start);
    }
    throw this.unexpected(start + 2, 'after "<!": expected a comment "<!--" or "<![CDATA["');
  }

  private processingInstruction(start: number): number {
    const text = this.text;
    const targetEnd = this.nameEnd(start + 2);
    if (targetEnd === start + 2)
      throw this.unexpected(start + 2, 'after "<?": expected a processing instruction target');
    const target = text.slice(start + 2, targetEnd);
    if (this.nameColon >= 0) {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        `not well-formed XML: a processing instruction target may not contain ":" ("${target}")`,
        start,
      );
    }
    if (target.toLowerCase() === 'xml') {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        'an XML declaration <?xml …?> may only appear at the very start of the text',
        start,
      );
    }
    const end = text.indexOf('?>', targetEnd);
    if (end < 0)
      throw new StopScanning(
        XmlErrorCode.Malformed,
        'the text ends inside a processing instruction (no closing "?>")',
        this.length,
      );
    if (end !== targetEnd && !isWhitespaceCode(text.charCodeAt(targetEnd))) {
      throw this.unexpected(targetEnd, `after the processing instruction target "${target}"`);
    }
    return end + 2;
  }

  private xmlDeclaration(start: number): number {
    const end = this.text.indexOf('?>', start);
    if (end < 0)
      throw new StopScanning(
        XmlErrorCode.Malformed,
        'the text ends inside the XML declaration (no closing "?>")',
        this.length,
      );
    const declaration = this.text.slice(start, end + 2);
    if (!XML_DECLARATION.test(declaration)) {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        'not well-formed XML: malformed XML declaration; expected <?xml version="1.0" encoding="…" standalone="yes|no"?> with encoding and standalone optional, in that order',
        start,
      );
    }
    return end + 2;
  }

  // ---- character data ---------------------------------------------------------------------------

  private characterData(start: number, end: number): void {
    const text = this.text;
    if (this.openTags.length === 0) {
      for (let i = start; i < end; i++) {
        if (!isWhitespaceCode(text.charCodeAt(i))) {
          throw new StopScanning(
            XmlErrorCode.Malformed,
            'text outside the root element; only comments and processing instructions may appear there',
            i,
          );
        }
      }
      return;
    }
    if (this.nextCdataEnd < start) {
      const found = text.indexOf(']]>', start);
      this.nextCdataEnd = found < 0 ? NOT_FOUND : found;
    }
    if (this.nextCdataEnd < end) {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        'not well-formed XML: "]]>" is not allowed in text; write ]]&gt;',
        this.nextCdataEnd,
      );
    }
    this.checkReferences(start, end);
    if (this.capturing) this.visitor.text?.(decodeText(text, start, end));
  }

  /** Every `&` in [start, end) must start a reference XML defines. */
  private checkReferences(start: number, end: number): void {
    if (this.nextAmpersand < start) {
      const found = this.text.indexOf('&', start);
      this.nextAmpersand = found < 0 ? NOT_FOUND : found;
    }
    while (this.nextAmpersand < end) {
      const after = this.checkReference(this.nextAmpersand, end);
      const found = this.text.indexOf('&', after);
      this.nextAmpersand = found < 0 ? NOT_FOUND : found;
    }
  }

  /** Checks the reference at `amp` (ending before `limit`); returns the offset after its `;`. */
  private checkReference(amp: number, limit: number): number {
    const text = this.text;
    if (text.charCodeAt(amp + 1) === HASH) {
      const hex = text.charCodeAt(amp + 2) === 0x78; /* x */
      const digitsStart = amp + (hex ? 3 : 2);
      let pos = digitsStart;
      while (pos < limit && (hex ? isHexDigit(text.charCodeAt(pos)) : isDigit(text.charCodeAt(pos)))) pos++;
      if (pos === digitsStart || pos >= limit || text.charCodeAt(pos) !== SEMICOLON) {
        throw new StopScanning(
          XmlErrorCode.Malformed,
          `not well-formed XML: malformed character reference; write &#${hex ? 'x' : ''}${hex ? 'A0' : '160'}; or escape a literal & as &amp;`,
          amp,
        );
      }
      const point = parseInt(text.slice(digitsStart, pos), hex ? 16 : 10);
      if (!isCharCodePoint(point)) {
        throw new StopScanning(
          XmlErrorCode.Malformed,
          `not well-formed XML: the character reference ${text.slice(amp, pos + 1)} names a character XML does not allow`,
          amp,
        );
      }
      return pos + 1;
    }
    const nameEnd = this.nameEnd(amp + 1);
    if (nameEnd === amp + 1 || nameEnd >= limit || text.charCodeAt(nameEnd) !== SEMICOLON) {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        'not well-formed XML: a literal "&" must be written &amp; (here it does not start an entity or character reference)',
        amp,
      );
    }
    const name = text.slice(amp + 1, nameEnd);
    if (name !== 'lt' && name !== 'gt' && name !== 'amp' && name !== 'quot' && name !== 'apos') {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        `undefined entity &${name}; — XML itself defines only &lt; &gt; &amp; &quot; &apos; (and character references such as &#160;)`,
        amp,
      );
    }
    return nameEnd + 1;
  }

  // ---- names and namespaces -----------------------------------------------------------------------

  /**
   * End of the XML Name starting at `start` (`start` itself when there is none). Also notes where
   * its first colon is and how many it has, for `checkedColon`.
   */
  private nameEnd(start: number): number {
    const text = this.text;
    this.nameColon = -1;
    this.nameColons = 0;
    if (!isNameStartCode(text.charCodeAt(start))) return start;
    let pos = start;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code === COLON) {
        if (this.nameColons++ === 0) this.nameColon = pos;
      } else if (!isNameCode(code)) {
        return pos;
      }
      pos++;
    }
  }

  /** For the name `nameEnd` just read: the offset of its one colon (prefix:local), or -1. */
  private checkedColon(start: number, end: number): number {
    const colon = this.nameColon;
    if (colon < 0) return -1;
    if (
      this.nameColons > 1 ||
      colon === start ||
      colon === end - 1 ||
      !isNameStartCode(this.text.charCodeAt(colon + 1))
    ) {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        `not well-formed XML: "${this.text.slice(start, end)}" is not a namespace-qualified name (prefix:local, with at most one colon)`,
        start,
      );
    }
    return colon;
  }

  /**
   * The element name at [start, end) split at its colon. A document repeats a few dozen names, so
   * they come from a small cache instead of three new strings per element.
   */
  private elementName(start: number, end: number, colon: number): ElementName {
    const text = this.text;
    const slot =
      ((end - start) * 31 + text.charCodeAt(end - 1) * 7 + text.charCodeAt(colon + 1)) & (NAME_CACHE_SIZE - 1);
    const cached = this.nameCache[slot];
    if (cached !== undefined && sameName(text, start, end, cached.name)) return cached;
    const name = text.slice(start, end);
    const entry: ElementName = {
      name,
      prefix: colon < 0 ? '' : text.slice(start, colon),
      local: colon < 0 ? name : text.slice(colon + 1, end),
    };
    this.nameCache[slot] = entry;
    return entry;
  }

  private resolve(prefix: string): string | undefined {
    const uris = this.namespaces.get(prefix);
    if (uris !== undefined && uris.length > 0) return uris[uris.length - 1];
    if (prefix === '') return '';
    if (prefix === 'xml') return XML_NAMESPACE;
    if (prefix === 'xmlns') return XMLNS_NAMESPACE;
    return undefined;
  }

  private resolveOrFail(prefix: string, tagStart: number): string {
    const uri = this.resolve(prefix);
    if (uri === undefined) {
      throw new StopScanning(
        XmlErrorCode.Malformed,
        `not well-formed XML: unbound namespace prefix: "${prefix}"`,
        tagStart,
      );
    }
    return uri;
  }

  private declareNamespaces(tagStart: number, spans: readonly number[]): void {
    const text = this.text;
    for (let at = 0; at < spans.length; at += SPAN) {
      const nameStart = spans[at];
      const nameEnd = spans[at + 1];
      if (!text.startsWith('xmlns', nameStart) || (nameEnd !== nameStart + 5 && spans[at + 2] !== nameStart + 5))
        continue;
      const prefix = nameEnd === nameStart + 5 ? '' : text.slice(nameStart + 6, nameEnd);
      const uri = decodeAttributeValue(text, spans[at + 3], spans[at + 4]);
      const problem =
        prefix === 'xmlns'
          ? 'the prefix "xmlns" cannot be declared'
          : prefix === 'xml' && uri !== XML_NAMESPACE
            ? `the prefix "xml" is bound to ${XML_NAMESPACE} and cannot be rebound`
            : prefix !== 'xml' && uri === XML_NAMESPACE
              ? `only the prefix "xml" may be bound to ${XML_NAMESPACE}`
              : uri === XMLNS_NAMESPACE
                ? `no prefix may be bound to ${XMLNS_NAMESPACE}`
                : prefix !== '' && uri === ''
                  ? `the prefix "${prefix}" cannot be bound to an empty namespace name (XML 1.0 namespaces)`
                  : undefined;
      if (problem) throw new StopScanning(XmlErrorCode.Malformed, `not well-formed XML: ${problem}`, tagStart);
      const uris = this.namespaces.get(prefix);
      if (uris === undefined) this.namespaces.set(prefix, [uri]);
      else uris.push(uri);
      this.declaredPrefixes.push(prefix);
    }
  }

  /** The namespace URI of each attribute; also refuses unbound prefixes and duplicate expanded names. */
  private attributeUris(tagStart: number, spans: readonly number[]): string[] {
    const text = this.text;
    const uris: string[] = [];
    // Where each prefixed attribute's expanded name {uri}local was seen, to refuse a second one.
    const seen: number[] = [];
    let seenNames: Map<string, number> | undefined;
    for (let at = 0; at < spans.length; at += SPAN) {
      const nameStart = spans[at];
      const nameEnd = spans[at + 1];
      const colon = spans[at + 2];
      if (text.startsWith('xmlns', nameStart) && (nameEnd === nameStart + 5 || colon === nameStart + 5)) {
        uris.push(XMLNS_NAMESPACE);
        continue;
      }
      if (colon < 0) {
        uris.push('');
        continue;
      }
      const uri = this.resolveOrFail(text.slice(nameStart, colon), tagStart);
      let earlier: number;
      if (seen.length < MANY_ATTRIBUTES) {
        earlier =
          seen.find(
            (other) =>
              uris[other / SPAN] === uri && sameText(text, spans[other + 2] + 1, spans[other + 1], colon + 1, nameEnd),
          ) ?? -1;
      } else {
        seenNames ??= new Map(
          seen.map((other) => [`${uris[other / SPAN]} ${text.slice(spans[other + 2] + 1, spans[other + 1])}`, other]),
        );
        const expanded = `${uri} ${text.slice(colon + 1, nameEnd)}`;
        earlier = seenNames.get(expanded) ?? -1;
        seenNames.set(expanded, at);
      }
      if (earlier >= 0) {
        throw new StopScanning(
          XmlErrorCode.Malformed,
          `not well-formed XML: duplicate attribute: ${text.slice(nameStart, nameEnd)} (same namespace and local name as ${text.slice(spans[earlier], spans[earlier + 1])})`,
          tagStart,
        );
      }
      seen.push(at);
      uris.push(uri);
    }
    return uris;
  }

  // ---- errors ---------------------------------------------------------------------------------------

  private unexpected(at: number, where: string): StopScanning {
    if (at >= this.length) {
      return new StopScanning(XmlErrorCode.Malformed, 'the text ends in the middle of markup', this.length);
    }
    const code = this.text.codePointAt(at) as number;
    const shown =
      code > 0x20 && code !== 0x7f
        ? `"${String.fromCodePoint(code)}"`
        : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return new StopScanning(XmlErrorCode.Malformed, `not well-formed XML: unexpected ${shown} ${where}`, at);
  }

  private endsInStartTag(depth: number): StopScanning {
    return new StopScanning(
      XmlErrorCode.Malformed,
      depth === 0 ? 'the text ends inside the start tag of the root element' : 'the text ends inside a start tag',
      this.length,
    );
  }
}

interface ElementName {
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
}

/** Slots in the element-name cache (a power of two). */
const NAME_CACHE_SIZE = 256;

/** "No further occurrence" for the search cursors: beyond any text, and still a small integer. */
const NOT_FOUND = 0x3fffffff;

/** From this many attributes on, duplicates are found with a set instead of by comparing each pair. */
const MANY_ATTRIBUTES = 16;

function duplicateAttribute(text: string, nameStart: number, nameEnd: number, tagStart: number): StopScanning {
  return new StopScanning(
    XmlErrorCode.Malformed,
    `not well-formed XML: duplicate attribute: ${text.slice(nameStart, nameEnd)}`,
    tagStart,
  );
}

/** Shared by every tag without attributes: most elements have none. */
const NO_ATTRIBUTES: number[] = [];

/**
 * version first, then the optional encoding and standalone, in that order (XML 1.0 §2.8). Like
 * libxml2, any 1.x version is read as 1.0.
 */
const XML_DECLARATION =
  /^<\?xml\s+version\s*=\s*(["'])1\.[0-9]*\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>$/;

function sameText(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) {
    if (text.charCodeAt(aStart + i) !== text.charCodeAt(bStart + i)) return false;
  }
  return true;
}

function sameName(text: string, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  // A loop the compiler inlines: names are short, and startsWith is a call into the runtime.
  for (let i = 0; i < name.length; i++) {
    if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  }
  return true;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

function formatSize(length: number): string {
  if (length >= 1024 * 1024) return `${(length / (1024 * 1024)).toFixed(1)} Mi`;
  if (length >= 1024) return `${(length / 1024).toFixed(1)} Ki`;
  return String(length);
}
