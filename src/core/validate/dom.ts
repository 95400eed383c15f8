// The validator's DOM loader: the project's safe parser (src/core/xml parseXmlDom: DOCTYPE refused
// before parsing, strict well-formedness, one root, every xmldom warning fatal) producing the
// @xmldom/xmldom Document that xml-crypto verifies, so one parser decides what is verified and shown.
import { parseXmlDom } from '../xml/dom';
import { XmlErrorCode } from '../xml/errors';

export type DomLoadErrorCode = 'xml.empty' | 'xml.doctype' | 'xml.malformed' | 'xml.multiple-roots' | 'xml.truncated' | 'xml.too-large';

export type DomLoadResult =
  | { ok: true; document: Document }
  | { ok: false; code: DomLoadErrorCode; message: string; line?: number; column?: number };

function codeFor(code: XmlErrorCode, reason: string): DomLoadErrorCode {
  switch (code) {
    case XmlErrorCode.Empty:
      return 'xml.empty';
    case XmlErrorCode.Doctype:
      return 'xml.doctype';
    case XmlErrorCode.MultipleRoots:
      return 'xml.multiple-roots';
    case XmlErrorCode.TooLarge:
    case XmlErrorCode.TooDeep:
      return 'xml.too-large';
    case XmlErrorCode.UnclosedTag:
      return 'xml.truncated';
    default:
      return /ends in the middle|ends inside|unexpected end/i.test(reason) ? 'xml.truncated' : 'xml.malformed';
  }
}

/** Loads XML text into an xmldom Document, or explains precisely (with line and column) why it cannot. */
export function loadXmlDocument(text: string): DomLoadResult {
  if (text.trim() === '') return { ok: false, code: 'xml.empty', message: 'The message is empty.' };
  const parsed = parseXmlDom(text);
  if (parsed.ok) return { ok: true, document: parsed.document };
  const { code, reason, message, line, column } = parsed.error;
  return { ok: false, code: codeFor(code, reason), message: `${message}.`, line, column };
}
