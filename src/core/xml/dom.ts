import type { DOMParser as XmldomParser } from '@xmldom/xmldom';
import { makeXmlError, XmlErrorCode, type XmlError } from './errors';
import { LineIndex } from './lineIndex';
import { scanXml, type XmlLimits, type XmlVisitor } from './scan';

// xmldom loads on first use rather than when the extension starts (activation stays short).
let domParserClass: typeof XmldomParser | undefined;
function DomParser(): typeof XmldomParser {
  return (domParserClass ??= (require('@xmldom/xmldom') as typeof import('@xmldom/xmldom')).DOMParser);
}

export type XmlDomResult = { ok: true; document: Document } | { ok: false; error: XmlError };

/** Smaller default than for metadata: messages are small, and a DOM costs far more than a scan. */
export const DEFAULT_DOM_MAX_LENGTH = 16 * 1024 * 1024;

const checkOnly: XmlVisitor = { captureText: false, open() {}, close() {} };

/** xmldom's parse, with every warning or error recorded (the first one wins). */
function parseWithXmldom(
  text: string,
  locate: boolean,
): { document: Document; firstProblem?: { message: string; line?: number; column?: number } } {
  let firstProblem: { message: string; line?: number; column?: number } | undefined;
  const record = (message: string) => {
    if (firstProblem) return;
    const at = /@#\[line:(\d+),col:(\d+)\]/.exec(message);
    const cleaned = message
      .replace(/^\[xmldom [a-zA-Z]+\]\t/, '')
      .replace(/\n?@#\[line:.*$/s, '')
      .trim();
    firstProblem = { message: cleaned, line: at ? Number(at[1]) : undefined, column: at ? Number(at[2]) : undefined };
  };
  let document: Document;
  try {
    document = new (DomParser())({
      ...(locate ? { locator: {} } : {}),
      errorHandler: { warning: record, error: record, fatalError: record },
    }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (error) {
    record(error instanceof Error ? error.message : String(error));
    document = undefined as unknown as Document;
  }
  return { document, firstProblem };
}

/**
 * Parses `text` into the @xmldom/xmldom DOM that xml-crypto works on.
 *
 * xmldom 0.8 is lenient (it accepts text after the root, unbound prefixes, unclosed tags with only
 * a warning), so the text first goes through the strict `scanXml` (DOCTYPE refused, limits,
 * well-formedness with precise positions), and then every xmldom warning or error is fatal too.
 * A document with more than one root element is refused (xmldom CVE-2022-39353).
 */
export function parseXmlDom(text: string, limits: XmlLimits = {}): XmlDomResult {
  const checked = scanXml(text, checkOnly, { maxLength: DEFAULT_DOM_MAX_LENGTH, ...limits });
  if (!checked.ok) return checked;

  // Tracking line and column for every node costs a third of the parse and only places an error,
  // so a text with a problem is parsed a second time with the locator.
  const { document, firstProblem: problem } = parseWithXmldom(text, false);
  const firstProblem = problem && (parseWithXmldom(text, true).firstProblem ?? problem);

  if (firstProblem) {
    const lines = new LineIndex(text);
    const offset =
      firstProblem.line !== undefined && firstProblem.column !== undefined
        ? lines.offsetAt({ line: firstProblem.line - 1, character: firstProblem.column - 1 })
        : 0;
    return {
      ok: false,
      error: makeXmlError(
        XmlErrorCode.Malformed,
        `the XML parser refused the text: ${firstProblem.message}`,
        offset,
        lines,
      ),
    };
  }
  const rootElements = Array.from(document.childNodes as unknown as ArrayLike<Node>).filter(
    (node) => node.nodeType === 1,
  );
  if (rootElements.length !== 1 || !document.documentElement) {
    return {
      ok: false,
      error: makeXmlError(
        XmlErrorCode.MultipleRoots,
        `expected exactly one root element, found ${rootElements.length}`,
        0,
        new LineIndex(text),
      ),
    };
  }
  return { ok: true, document };
}
