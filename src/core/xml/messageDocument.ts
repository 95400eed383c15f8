// The validator's DOM loader: the project's safe parser (src/core/xml parseXmlDom: DOCTYPE refused
// before parsing, strict well-formedness, one root, every xmldom warning fatal) producing the
// @xmldom/xmldom Document that xml-crypto verifies, so one parser decides what is verified and shown.
import { parseXmlDom } from './dom';
import { XmlErrorCode } from './errors';

export type DomLoadErrorCode =
  'xml.empty' | 'xml.doctype' | 'xml.malformed' | 'xml.multiple-roots' | 'xml.truncated' | 'xml.too-large';

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

// decodeSamlInput parses a message to recognise it, and validation needs the same DOM right after (in the
// same call for the command line, in the next request to the decode worker, and again whenever the panel's
// trust choices change). Keeping the last message's document, keyed by its exact text, parses it once:
// about a fifth of decoding and validating a signed 10 KB response. The validator only reads these
// documents (xml-crypto canonicalises copies), so sharing one is safe; large texts are not kept.
const MAX_CACHED_MESSAGE_LENGTH = 1024 * 1024;
let lastMessage: { text: string; result: DomLoadResult } | undefined;

/** loadXmlDocument for a whole SAML message, reusing the document of the previous call for the same text. Read-only. */
export function loadMessageDocument(text: string): DomLoadResult {
  if (lastMessage?.text === text) return lastMessage.result;
  const result = loadXmlDocument(text);
  lastMessage = text.length <= MAX_CACHED_MESSAGE_LENGTH ? { text, result } : undefined;
  return result;
}
