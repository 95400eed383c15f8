// xml-crypto locates nodes with document-wide XPath expressions ("//*[@*[local-name(.)='ID']=…]",
// ".//*[local-name(.)='Signature' …]", "//*[local-name()='SignedInfo']"). The xpath package evaluates
// "//" in time that grows much faster than the document, so one signature check costs 20-40 ms on a
// 10 KB response. These replacements find the same nodes with plain DOM walks and keep xml-crypto's
// rules (duplicate IDs and duplicate signatures are refused exactly as it refuses them); canonicalisation,
// digests and signature verification remain xml-crypto's own code.
import type { SignedXml } from 'xml-crypto';
import type { Reference } from 'xml-crypto/lib/types';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils';
import { NS } from '../messages/xmldsig';
import { childElements, descendants } from './xmlUtil';

interface SignedXmlInternals {
  signatureNode: Node | null;
  canonicalizationAlgorithm?: string;
  validateReference(reference: Reference, doc: Document): string | undefined;
  getCanonReferenceXml(doc: Document, reference: Reference, node: Node): string;
  getCanonSignedInfoXml(doc: Document): string;
  getCanonXml(transforms: string[], node: Node, options?: object): string;
  findLoadedSignature(node: Node): Node | null;
  findHashAlgorithm(name: string): { getHash(xml: string): string };
}

/** "/*[1]/*[3]": a child-axis path that the xpath package evaluates in time proportional to the depth. */
function positionalPath(element: Element): string {
  const steps: string[] = [];
  for (let node: Element | null = element; node && node.nodeType === 1; node = node.parentNode as Element | null) {
    let position = 1;
    for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) if (sibling.nodeType === 1) position++;
    steps.unshift(`*[${position}]`);
  }
  return `/${steps.join('/')}`;
}

function elementsWithId(doc: Node, id: string): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== 1) continue;
      if ((child as Element).getAttribute('ID') === id) found.push(child as Element);
      walk(child);
    }
  };
  walk(doc);
  return found;
}

function signatureValueOf(signature: Node): string | undefined {
  const element = (signature as Document).documentElement ?? signature;
  return childElements(element, NS.dsig, 'SignatureValue')[0]?.textContent ?? undefined;
}

/** Loads `signature` (an element of the validator's own DOM) into xml-crypto with the faster lookups. */
export function loadSignatureFast(signedXml: SignedXml, signature: Element): void {
  replaceXPathLookups(signedXml, signature);
  signedXml.loadSignature(signature);
}

function replaceXPathLookups(signedXml: SignedXml, originalSignature: Element): void {
  const internals = signedXml as unknown as SignedXmlInternals;

  internals.validateReference = (reference, doc) => {
    const uri = reference.uri.startsWith('#') ? reference.uri.slice(1) : reference.uri;
    let element: Element | undefined;
    if (uri === '') {
      element = doc.documentElement;
    } else {
      const matches = elementsWithId(doc, uri);
      if (matches.length > 1) {
        throw new Error('Cannot validate a document which contains multiple elements with the same ID (signature wrapping).');
      }
      element = matches[0];
    }
    if (!element) {
      reference.validationError = new Error(`the signature references ${reference.uri}, but no element has that ID`);
      return undefined;
    }
    reference.xpath = positionalPath(element);
    const canonicalXml = internals.getCanonReferenceXml(doc, reference, element);
    const digest = internals.findHashAlgorithm(reference.digestAlgorithm).getHash(canonicalXml);
    if (!Buffer.from(digest, 'base64').equals(Buffer.from(String(reference.digestValue), 'base64'))) {
      reference.validationError = new Error(`for ${reference.uri} the calculated digest is ${digest} but the message states ${String(reference.digestValue)}`);
      return undefined;
    }
    return canonicalXml;
  };

  internals.findLoadedSignature = (node) => {
    const doc = node.ownerDocument ?? node;
    const loaded = internals.signatureNode;
    if (loaded == null || loaded.ownerDocument === doc) return loaded;
    const value = signatureValueOf(loaded);
    if (!value) return null;
    const matches = descendants(node, NS.dsig, 'Signature').filter((signature) => signatureValueOf(signature) === value);
    if (matches.length > 1) {
      throw new Error('Cannot validate a document which contains multiple Signature elements with the same SignatureValue (signature wrapping).');
    }
    return matches[0] ?? null;
  };

  // xml-crypto takes the ancestor namespaces of the first SignedInfo in the document; use this signature's own.
  internals.getCanonSignedInfoXml = () => {
    if (typeof internals.canonicalizationAlgorithm !== 'string') throw new Error('Missing canonicalizationAlgorithm');
    const signedInfos = childElements(originalSignature, NS.dsig, 'SignedInfo');
    if (signedInfos.length !== 1) throw new Error(`a signature must contain exactly one SignedInfo, found ${signedInfos.length}`);
    return internals.getCanonXml([internals.canonicalizationAlgorithm], signedInfos[0], { ancestorNamespaces: findAncestorNsForElement(signedInfos[0]) });
  };
}
