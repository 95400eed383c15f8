import type { SaxesTagNS } from 'saxes';
import { makeXmlError, XmlErrorCode, type XmlError } from './errors';
import { LineIndex } from './lineIndex';
import { findDoctype } from './prolog';

export type { SaxesTagNS, SaxesAttributeNS } from 'saxes';

// saxes loads on the first scan rather than when the extension starts: activation stays short, and
// a session that never parses XML never pays for it.
let saxesModule: typeof import('saxes') | undefined;
function saxes(): typeof import('saxes') {
  return (saxesModule ??= require('saxes') as typeof import('saxes'));
}

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
 * leaving it false lets the parser skip building text strings, which is most of the speed.
 */
export interface XmlVisitor {
  captureText: boolean;
  /**
   * `start` is the offset of `<`, `startTagEnd` the offset just after the start tag's `>`.
   * `resolvePrefix` gives the namespace URI bound to a prefix at this element (for QName values such as xsi:type).
   */
  open(tag: SaxesTagNS, start: number, startTagEnd: number, resolvePrefix: (prefix: string) => string | undefined): void;
  /** `closeTagStart` is the offset of `</` (equal to `start` for `<x/>`); `end` is just after `>`. */
  close(tag: SaxesTagNS, closeTagStart: number, end: number): void;
  text?(text: string): void;
}

export type XmlScanResult = { ok: true } | { ok: false; error: XmlError };

const SLASH = 0x2f;

/** Thrown from inside the parser's callbacks to stop it at the first problem. */
class StopParsing extends Error {
  constructor(readonly xmlError: XmlError) {
    super(xmlError.message);
  }
}

/**
 * Reads `text` as namespace-aware XML in one pass, refusing any DOCTYPE first, then enforcing the
 * size and depth limits, and stopping at the first well-formedness error with a message that names
 * the line and column. Never throws for bad input.
 */
export function scanXml(text: string, visitor: XmlVisitor, limits: XmlLimits = {}): XmlScanResult {
  let lines: LineIndex | undefined;
  const fail = (code: XmlErrorCode, reason: string, offset: number): XmlError =>
    makeXmlError(code, reason, offset, (lines ??= new LineIndex(text)));
  const lineOf = (offset: number) => (lines ??= new LineIndex(text)).positionAt(offset).line + 1;

  const doctypeAt = findDoctype(text);
  if (doctypeAt >= 0) {
    return { ok: false, error: fail(XmlErrorCode.Doctype, doctypeReason, doctypeAt) };
  }
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    const reason = `the text is ${formatSize(text.length)} characters, more than the limit of ${formatSize(maxLength)}`;
    return { ok: false, error: fail(XmlErrorCode.TooLarge, reason, 0) };
  }
  if (/^\uFEFF?\s*$/.test(text)) {
    return { ok: false, error: fail(XmlErrorCode.Empty, 'the text is empty; an XML document needs a root element', 0) };
  }
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;

  const parser = new (saxes().SaxesParser)({ xmlns: true, position: true });
  const resolvePrefix = (prefix: string): string | undefined => parser.resolve(prefix);
  // Start offsets of the open elements; its length is the current depth.
  const openStarts: number[] = [];
  let capturing = false;
  let rootEnd = -1;
  const forwardText = (data: string) => visitor.text?.(data);
  const syncTextCapture = () => {
    if (visitor.captureText !== capturing) {
      capturing = visitor.captureText;
      // Only the text handler is switched: without one, saxes does not build text strings at all.
      // CDATA is rare, so its handler can stay and check.
      if (capturing) parser.on('text', forwardText);
      else parser.off('text');
    }
  };

  parser.on('cdata', (data) => {
    if (capturing) visitor.text?.(data);
  });
  parser.on('doctype', () => {
    throw new StopParsing(fail(XmlErrorCode.Doctype, doctypeReason, text.lastIndexOf('<!', parser.position)));
  });
  parser.on('opentag', (tag) => {
    const startTagEnd = parser.position;
    // `<` cannot occur inside a start tag (not even in attribute values), so this finds its start.
    const start = text.lastIndexOf('<', startTagEnd - 1);
    if (openStarts.length >= maxDepth) {
      const reason = `elements are nested more than ${maxDepth} deep (<${tag.name}> is at depth ${openStarts.length + 1}); this limit protects the editor from hostile input`;
      throw new StopParsing(fail(XmlErrorCode.TooDeep, reason, start));
    }
    openStarts.push(start);
    visitor.open(tag, start, startTagEnd, resolvePrefix);
    syncTextCapture();
  });
  parser.on('closetag', (tag) => {
    const end = parser.position;
    const start = openStarts.pop() as number;
    let closeTagStart = start;
    if (!tag.isSelfClosing) {
      // saxes reports a mismatched end tag by closing the open element first; catch it here to say
      // which tags are involved. The usual `</name>` is checked without searching.
      const name = tag.name;
      closeTagStart = end - name.length - 3;
      const exactMatch = text.charCodeAt(closeTagStart + 1) === SLASH && text.startsWith(name, closeTagStart + 2);
      if (!exactMatch) closeTagStart = text.lastIndexOf('</', end - 1);
      const closingName = exactMatch ? name : closingTagName(text, closeTagStart, end);
      if (closingName !== name) {
        const reason = `closing tag </${closingName}> does not match <${tag.name}> opened on line ${lineOf(start)}`;
        throw new StopParsing(fail(XmlErrorCode.MismatchedTag, reason, closeTagStart));
      }
    }
    if (openStarts.length === 0) rootEnd = end;
    visitor.close(tag, closeTagStart, end);
    syncTextCapture();
  });
  parser.on('error', (error) => {
    throw new StopParsing(translateSaxesError(error.message, parser.position));
  });

  function translateSaxesError(saxesMessage: string, position: number): XmlError {
    // saxes prefixes "line:column: "; our own position is more precise (UTF-16 columns).
    const detail = saxesMessage.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    const at = Math.max(0, Math.min(position - 1, text.length));
    if (detail === 'documents may contain only one root') {
      const start = text.lastIndexOf('<', at);
      return fail(
        XmlErrorCode.MultipleRoots,
        `a second root element starts here, after the first one ended on line ${lineOf(rootEnd)}; an XML document has exactly one root element`,
        start,
      );
    }
    if (detail.startsWith('unclosed tag: ') || detail === 'unexpected end') {
      if (openStarts.length > 0) {
        const innermost = openStarts[openStarts.length - 1];
        const name = /^<([^\s/>]+)/.exec(text.slice(innermost, innermost + 200))?.[1] ?? '?';
        return fail(
          XmlErrorCode.UnclosedTag,
          `the text ends before <${name}> opened on line ${lineOf(innermost)} is closed`,
          text.length,
        );
      }
      return fail(XmlErrorCode.Malformed, 'the text ends in the middle of markup', text.length);
    }
    if (detail === 'document must contain a root element') {
      return /<[^!?]/.test(text)
        ? fail(XmlErrorCode.Malformed, 'the text ends inside the start tag of the root element', text.length)
        : fail(XmlErrorCode.Empty, 'there is no root element, only comments or processing instructions', text.length);
    }
    if (detail === 'inappropriately located doctype declaration') {
      return fail(XmlErrorCode.Doctype, doctypeReason, text.lastIndexOf('<!', at));
    }
    if (detail === 'undefined entity') {
      const ampersand = text.lastIndexOf('&', at);
      const name = /^&([^;\s<]*)/.exec(text.slice(ampersand, ampersand + 80))?.[1] ?? '';
      return fail(
        XmlErrorCode.Malformed,
        `undefined entity &${name}; — XML itself defines only &lt; &gt; &amp; &quot; &apos; (and character references such as &#160;)`,
        ampersand,
      );
    }
    if (detail.startsWith('unbound namespace prefix') || detail.startsWith('duplicate attribute')) {
      // Found while finishing a start tag: point at the tag, not at its end.
      return fail(XmlErrorCode.Malformed, `not well-formed XML: ${detail}`, text.lastIndexOf('<', at));
    }
    if (detail === 'text data outside of root node') {
      const strayText = rootEnd >= 0 ? text.slice(rootEnd).search(/\S/) : -1;
      return fail(
        XmlErrorCode.Malformed,
        'text outside the root element; only comments and processing instructions may appear there',
        strayText >= 0 ? rootEnd + strayText : at,
      );
    }
    return fail(XmlErrorCode.Malformed, `not well-formed XML: ${detail}`, at);
  }

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof StopParsing) return { ok: false, error: error.xmlError };
    throw error; // a bug in a visitor, not bad input
  }
  return { ok: true };
}

const doctypeReason =
  'DOCTYPE declarations are refused: they can define entities (billion laughs) or fetch external files (XXE), and SAML never needs them';

/** The name in `</name >` between `closeTagStart` and `end`. */
function closingTagName(text: string, closeTagStart: number, end: number): string {
  let nameEnd = end - 1; // the `>`
  while (nameEnd > closeTagStart && text.charCodeAt(nameEnd - 1) <= 0x20) nameEnd--;
  return text.slice(closeTagStart + 2, nameEnd);
}

function formatSize(length: number): string {
  if (length >= 1024 * 1024) return `${(length / (1024 * 1024)).toFixed(1)} Mi`;
  if (length >= 1024) return `${(length / 1024).toFixed(1)} Ki`;
  return String(length);
}
