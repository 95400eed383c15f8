/**
 * Text views of a decoded SAML message (the editor computes them in its decode worker):
 * a pretty-printed copy for reading, a redacted copy for sharing, and a quick look at the
 * addressing fields (Issuer, Audience, Destination, Recipient) used to find the matching metadata.
 * Everything here is for display and lookup only: verification works on the
 * original bytes (pretty-printing and redaction both change what was signed).
 */
import { parseXmlDom } from '../xml/dom';
import { escapeAttribute, escapeText } from '../xml/escape';

const SAML_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

function childNodes(node: Node): Node[] {
  return Array.from(node.childNodes as unknown as ArrayLike<Node>);
}

function isBlankText(node: Node): boolean {
  return node.nodeType === TEXT_NODE && (node.nodeValue ?? '').trim() === '';
}

function startTag(element: Element): string {
  const attributes = Array.from(element.attributes as unknown as ArrayLike<Attr>)
    .map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`)
    .join('');
  return `<${element.tagName}${attributes}`;
}

function printNode(node: Node, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  switch (node.nodeType) {
    case ELEMENT_NODE: {
      const element = node as Element;
      const children = childNodes(element).filter((child) => !isBlankText(child));
      const open = startTag(element);
      if (children.length === 0) {
        out.push(`${indent}${open}/>`);
      } else if (children.some((c) => c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE)) {
        // Text content (alone or mixed with elements) stays on one line with its exact characters:
        // indenting it would change the value.
        const inline: string[] = [];
        for (const child of childNodes(element)) printInline(child, inline);
        out.push(`${indent}${open}>${inline.join('')}</${element.tagName}>`);
      } else {
        out.push(`${indent}${open}>`);
        for (const child of children) printNode(child, depth + 1, out);
        out.push(`${indent}</${element.tagName}>`);
      }
      return;
    }
    case TEXT_NODE:
      out.push(`${indent}${escapeText((node.nodeValue ?? '').trim())}`);
      return;
    default: {
      const inline: string[] = [];
      printInline(node, inline);
      out.push(`${indent}${inline.join('')}`);
    }
  }
}

function printInline(node: Node, out: string[]): void {
  switch (node.nodeType) {
    case ELEMENT_NODE: {
      const element = node as Element;
      const children = childNodes(element);
      if (children.length === 0) {
        out.push(`${startTag(element)}/>`);
      } else {
        out.push(`${startTag(element)}>`);
        for (const child of children) printInline(child, out);
        out.push(`</${element.tagName}>`);
      }
      break;
    }
    case TEXT_NODE:
      out.push(escapeText(node.nodeValue ?? ''));
      break;
    case CDATA_SECTION_NODE:
      out.push(`<![CDATA[${node.nodeValue ?? ''}]]>`);
      break;
    case COMMENT_NODE:
      out.push(`<!--${node.nodeValue ?? ''}-->`);
      break;
    case PROCESSING_INSTRUCTION_NODE: {
      const pi = node as ProcessingInstruction;
      out.push(`<?${pi.target} ${pi.data}?>`);
      break;
    }
  }
}

function documentText(document: Document): string {
  const out: string[] = [];
  for (const node of childNodes(document)) {
    if (
      node.nodeType === ELEMENT_NODE ||
      node.nodeType === COMMENT_NODE ||
      node.nodeType === PROCESSING_INSTRUCTION_NODE
    ) {
      printNode(node, 0, out);
    }
  }
  return out.join('\n') + '\n';
}

/** Indented copy of the message; falls back to the text itself if it does not parse. */
export function prettyPrintXml(xml: string): string {
  const parsed = parseXmlDom(xml);
  return parsed.ok ? documentText(parsed.document) : xml;
}

/** Anything shaped like an e-mail address. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
export const REDACTED_NAME_ID = '[redacted NameID]';
export const REDACTED_EMAIL = '[redacted email]';

function redactTree(node: Node): void {
  for (const child of childNodes(node)) {
    if (child.nodeType === ELEMENT_NODE) {
      const element = child as Element;
      if (element.namespaceURI === SAML_ASSERTION && element.localName === 'NameID') {
        while (element.firstChild) element.removeChild(element.firstChild);
        element.appendChild(element.ownerDocument.createTextNode(REDACTED_NAME_ID));
        continue;
      }
      for (const attribute of Array.from(element.attributes as unknown as ArrayLike<Attr>)) {
        if (EMAIL.test(attribute.value)) attribute.value = attribute.value.replace(EMAIL, REDACTED_EMAIL);
        EMAIL.lastIndex = 0;
      }
      redactTree(element);
    } else if (
      child.nodeType === TEXT_NODE ||
      child.nodeType === CDATA_SECTION_NODE ||
      child.nodeType === COMMENT_NODE
    ) {
      const data = child as CharacterData;
      const replaced = data.data.replace(EMAIL, REDACTED_EMAIL);
      // replaceData keeps xmldom's `data` and `nodeValue` in step (plain assignment would not).
      if (replaced !== data.data) data.replaceData(0, data.length, replaced);
    }
  }
}

/**
 * A pretty-printed copy with personal data replaced: every NameID's content and every e-mail-like
 * value (attribute values, element text, XML attributes). The signature no longer verifies, which
 * is fine: the copy is for sharing in a ticket, not for replaying.
 */
export function redactedXml(xml: string): { ok: true; text: string } | { ok: false; message: string } {
  const parsed = parseXmlDom(xml);
  if (!parsed.ok)
    return { ok: false, message: `The message could not be re-read for redaction: ${parsed.error.message}` };
  redactTree(parsed.document);
  return { ok: true, text: documentText(parsed.document) };
}

/** The fields that say who sent a message and whom it is for. */
export interface MessageAddressing {
  readonly issuer?: string;
  readonly destination?: string;
  readonly audiences: readonly string[];
  readonly recipients: readonly string[];
  readonly inResponseTo?: string;
}

function textsOf(document: Document, localName: string): string[] {
  return Array.from(document.getElementsByTagNameNS(SAML_ASSERTION, localName) as unknown as ArrayLike<Element>).map(
    (e) => (e.textContent ?? '').trim(),
  );
}

/** Reads the addressing fields; only used to pick metadata, never as verified data. */
export function readAddressing(xml: string): MessageAddressing {
  const parsed = parseXmlDom(xml);
  if (!parsed.ok) return { audiences: [], recipients: [] };
  const root = parsed.document.documentElement;
  // The message's own Issuer is a direct child of the root; an assertion's Issuer is the fallback.
  const rootIssuer = childNodes(root).find(
    (n): n is Element =>
      n.nodeType === ELEMENT_NODE &&
      (n as Element).namespaceURI === SAML_ASSERTION &&
      (n as Element).localName === 'Issuer',
  );
  const issuer = (rootIssuer?.textContent ?? textsOf(parsed.document, 'Issuer')[0] ?? '').trim() || undefined;
  const recipients = Array.from(
    parsed.document.getElementsByTagNameNS(SAML_ASSERTION, 'SubjectConfirmationData') as unknown as ArrayLike<Element>,
  )
    .map((e) => e.getAttribute('Recipient') ?? '')
    .filter((r) => r !== '');
  return {
    issuer,
    destination: root.getAttribute('Destination') || undefined,
    audiences: textsOf(parsed.document, 'Audience').filter((a) => a !== ''),
    recipients,
    inResponseTo: root.getAttribute('InResponseTo') || undefined,
  };
}
