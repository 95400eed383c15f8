// Signs an existing metadata document (EntityDescriptor or EntitiesDescriptor) with the user's key:
// enveloped signature, RSA-SHA256, exclusive c14n, Signature as the root's first child (the schema's
// place for it), an ID added to the root when it has none. The signature itself is made by the same
// helper that signs generated IdP metadata; this module prepares the document and checks the result.

import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { parseXmlDom } from '../xml/dom';
import { NS } from '../xml/namespaces';
import { signWholeDocument } from './metadata';

export interface MetadataSigningKey {
  /** PKCS#8 or PKCS#1 PEM; RSA only (the signature method is RSA-SHA256). */
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export type SignMetadataResult =
  | {
      ok: true;
      xml: string;
      /** The root's ID that the signature references. */
      id: string;
      /** The root had no ID and got one. */
      addedId: boolean;
      /** The root already carried a signature, which was replaced. */
      replacedSignature: boolean;
    }
  | { ok: false; message: string };

export type VerifyMetadataResult = { ok: true; id: string } | { ok: false; message: string };

const ROOT_NAMES = ['EntityDescriptor', 'EntitiesDescriptor'];
/** An XML NCName in practice: what an ID attribute (xs:ID) may hold. */
const NCNAME = /^[A-Za-z_][\w.-]*$/;

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function readPrivateKey(pem: string): Checked<KeyObject> {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    return {
      ok: false,
      message: `The private key cannot be read: ${(error as Error).message}. Pick a PEM file with a "BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY" block.`,
    };
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return {
      ok: false,
      message: `Metadata is signed with RSA-SHA256, which needs an RSA key; this key is ${String(key.asymmetricKeyType).toUpperCase()}.`,
    };
  }
  return { ok: true, value: key };
}

function readCertificate(pem: string): Checked<X509Certificate> {
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    return { ok: false, message: 'The certificate file holds no "BEGIN CERTIFICATE" block.' };
  try {
    return { ok: true, value: new X509Certificate(pem) };
  } catch (error) {
    return { ok: false, message: `The certificate cannot be read: ${(error as Error).message}.` };
  }
}

function spkiDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** The key and certificate as one checked pair: readable, RSA, and the certificate certifies this key. */
function checkKeyPair(key: MetadataSigningKey): Checked<X509Certificate> {
  const privateKey = readPrivateKey(key.privateKeyPem);
  if (!privateKey.ok) return privateKey;
  const certificate = readCertificate(key.certificatePem);
  if (!certificate.ok) return certificate;
  if (!spkiDer(createPublicKey(privateKey.value)).equals(spkiDer(certificate.value.publicKey))) {
    return {
      ok: false,
      message: `The private key does not belong to the certificate (${certificate.value.subject.replace(/\n/g, ', ')}); pick the key the certificate was issued for.`,
    };
  }
  return certificate;
}

function loadMetadataRoot(xml: string): Checked<Element> {
  const parsed = parseXmlDom(xml);
  if (!parsed.ok) {
    const where =
      parsed.error.line !== undefined ? ` (line ${parsed.error.line}, column ${parsed.error.column ?? 1})` : '';
    return { ok: false, message: `The document is not well-formed XML${where}: ${parsed.error.message}.` };
  }
  const root = parsed.document.documentElement;
  if (!root || root.namespaceURI !== NS.md || !ROOT_NAMES.includes(root.localName)) {
    const found = root ? `{${root.namespaceURI ?? ''}}${root.localName}` : 'nothing';
    return {
      ok: false,
      message: `Only SAML metadata can be signed: the root element is ${found}, not an md:EntityDescriptor or md:EntitiesDescriptor.`,
    };
  }
  return { ok: true, value: root };
}

function elementChildren(parent: Element): Element[] {
  const children: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling)
    if (node.nodeType === 1) children.push(node as Element);
  return children;
}

function isSignature(element: Element): boolean {
  return element.namespaceURI === NS.ds && element.localName === 'Signature';
}

/**
 * Removes the root's own Signature(s) so re-signing after an edit works, with the line break after
 * each when there is one, so the next element keeps the indentation the Signature had.
 */
function removeRootSignatures(root: Element): boolean {
  const signatures = elementChildren(root).filter(isSignature);
  for (const signature of signatures) {
    const after = signature.nextSibling;
    if (after && after.nodeType === 3 && !after.nodeValue?.trim()) root.removeChild(after);
    root.removeChild(signature);
  }
  return signatures.length > 0;
}

function elementsWithId(root: Element, id: string): number {
  let count = 0;
  const visit = (element: Element) => {
    if (element.getAttribute('ID') === id) count++;
    for (const child of elementChildren(element)) visit(child);
  };
  visit(root);
  return count;
}

/**
 * Signs a metadata document. Any signature the root already has is replaced; signatures of nested
 * entities are left alone. Every bad input gives `ok: false` with a specific message. The output is
 * checked with xml-crypto against the certificate before it is returned.
 */
export function signMetadata(xml: string, key: MetadataSigningKey): SignMetadataResult {
  const certificate = checkKeyPair(key);
  if (!certificate.ok) return certificate;
  const loaded = loadMetadataRoot(xml);
  if (!loaded.ok) return loaded;
  const root = loaded.value;

  const replacedSignature = removeRootSignatures(root);
  if (elementChildren(root).length === 0) {
    return {
      ok: false,
      message: `The ${root.localName} has no child elements; there is nothing to sign (and no place for the Signature).`,
    };
  }

  let id = root.getAttribute('ID') ?? '';
  const addedId = !root.hasAttribute('ID');
  if (addedId) {
    // Derived from the content, so signing the same document twice gives the same ID.
    id = `_${createHash('sha256').update(new XMLSerializer().serializeToString(root)).digest('hex').slice(0, 32)}`;
    root.setAttribute('ID', id);
  } else if (!NCNAME.test(id)) {
    return {
      ok: false,
      message: `The root's ID ${JSON.stringify(id)} is not a valid XML ID (letters, digits, "_", "-", "."; not starting with a digit).`,
    };
  } else if (elementsWithId(root, id) > 1) {
    return {
      ok: false,
      message: `The ID ${JSON.stringify(id)} appears on more than one element, so a signature over it would be ambiguous.`,
    };
  }

  const prepared = new XMLSerializer().serializeToString(root.ownerDocument);
  let signed: string;
  try {
    signed = signWholeDocument(prepared, id, key);
  } catch (error) {
    return { ok: false, message: `Signing failed: ${(error as Error).message}.` };
  }
  const verified = verifyMetadataSignature(signed, key.certificatePem);
  if (!verified.ok)
    return { ok: false, message: `The signed document did not verify, so it was not used: ${verified.message}` };
  return { ok: true, xml: signed, id, addedId, replacedSignature };
}

/**
 * Checks the root's enveloped signature against one certificate: exactly one Signature, the root's
 * first child, with one Reference to the root's ID, whose digest and signature value check out.
 */
export function verifyMetadataSignature(xml: string, certificatePem: string): VerifyMetadataResult {
  const certificate = readCertificate(certificatePem);
  if (!certificate.ok) return certificate;
  const loaded = loadMetadataRoot(xml);
  if (!loaded.ok) return loaded;
  const root = loaded.value;
  const children = elementChildren(root);
  const signatures = children.filter(isSignature);
  if (signatures.length !== 1)
    return {
      ok: false,
      message: `The ${root.localName} has ${signatures.length} Signature children; exactly one is expected.`,
    };
  if (children[0] !== signatures[0])
    return { ok: false, message: `The Signature is not the first child of the ${root.localName}.` };
  const id = root.getAttribute('ID');
  if (!id) return { ok: false, message: `The ${root.localName} has no ID for the signature to reference.` };

  const verifier = new SignedXml({ publicCert: certificatePem });
  try {
    verifier.loadSignature(signatures[0]);
    if (!verifier.checkSignature(xml))
      return { ok: false, message: 'The signature does not verify with the certificate.' };
  } catch (error) {
    return { ok: false, message: `The signature does not verify with the certificate: ${(error as Error).message}` };
  }
  const references = verifier.getReferences();
  if (references.length !== 1 || references[0].uri !== `#${id}`) {
    return {
      ok: false,
      message: `The signature must have one Reference to #${id}; found ${references.map((reference) => reference.uri ?? '(none)').join(', ') || 'none'}.`,
    };
  }
  return { ok: true, id };
}
