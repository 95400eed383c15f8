// EncryptedAssertion / EncryptedID: report the algorithms, decrypt with xml-encryption (synchronous in v6).
import * as xmlenc from 'xml-encryption';
import { NS } from '../xml/namespaces';
import { loadXmlDocument } from '../xml/messageDocument';
import type { FindingList } from './findings';
import { attribute, descendants, firstChild } from './xmlUtil';
import { escapeAttribute } from '../xml/escape';

const RSA_1_5 = 'http://www.w3.org/2001/04/xmlenc#rsa-1_5';
const TRIPLEDES = 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc';

function short(uri: string): string {
  return uri.replace(/^.*#/, '');
}

export function describeEncryption(encrypted: Element, findings: FindingList): void {
  const encryptedData = firstChild(encrypted, NS.xenc, 'EncryptedData');
  const blockCipher =
    attribute(encryptedData && firstChild(encryptedData, NS.xenc, 'EncryptionMethod'), 'Algorithm') ?? '';
  const keyTransports = descendants(encrypted, NS.xenc, 'EncryptedKey').map(
    (key) => attribute(firstChild(key, NS.xenc, 'EncryptionMethod'), 'Algorithm') ?? '',
  );
  if (keyTransports.includes(RSA_1_5)) {
    findings.warn('encryption.algorithm', {
      message:
        'The content key is wrapped with RSA PKCS#1 v1.5 (rsa-1_5), which is open to Bleichenbacher-style padding-oracle attacks.',
      found: RSA_1_5,
      expected: 'rsa-oaep-mgf1p or rsa-oaep',
      fix: 'Configure RSA-OAEP key transport at the IdP.',
    });
  }
  if (blockCipher === TRIPLEDES) {
    findings.warn('encryption.algorithm', {
      message: 'The assertion is encrypted with Triple-DES, which is deprecated (64-bit blocks) and CBC-based.',
      found: TRIPLEDES,
      expected: 'aes128-gcm or aes256-gcm',
      fix: 'Configure AES-GCM content encryption at the IdP.',
    });
  } else if (/-cbc$/.test(blockCipher)) {
    findings.info('encryption.algorithm', {
      message: `The assertion is encrypted with ${short(blockCipher)}. CBC mode is malleable (padding-oracle attacks on XML Encryption); it is safe only because the decrypted assertion must still carry a valid signature.`,
      found: blockCipher,
      expected: 'aes128-gcm or aes256-gcm',
      fix: 'Prefer AES-GCM where both sides support it.',
    });
  } else if (blockCipher) {
    findings.info('encryption.algorithm', {
      message: `Encrypted with ${short(blockCipher)}${keyTransports.length ? `, key transport ${keyTransports.map(short).join(', ')}` : ''}.`,
      found: blockCipher,
    });
  }
}

/** Namespace declarations in scope at `element`, so a decrypted fragment can use prefixes declared outside it. */
function inScopeNamespaceDeclarations(element: Element): string {
  const declarations = new Map<string, string>();
  for (let node: Node | null = element; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i++) {
      const { name, value } = attributes[i];
      if ((name === 'xmlns' || name.startsWith('xmlns:')) && !declarations.has(name)) declarations.set(name, value);
    }
  }
  return [...declarations].map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
}

export interface DecryptedElement {
  element: Element;
}

/**
 * Decrypts an EncryptedAssertion/EncryptedID. Returns the decrypted element inside its own document
 * (wrapped in the namespace context of the encrypted element), or undefined after adding a finding.
 */
export function decryptElement(
  encrypted: Element,
  keyPem: string,
  findings: FindingList,
  label: string,
): DecryptedElement | undefined {
  let plaintext: string | undefined;
  let failure: string | undefined;
  xmlenc.decrypt(
    encrypted,
    { key: keyPem, disallowDecryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false },
    (error, result) => {
      if (error) failure = error.message;
      else plaintext = result;
    },
  );
  if (plaintext === undefined) {
    const pkcs1Refused = /RSA_PKCS1_PADDING is no longer supported/.test(failure ?? '');
    findings.fail('encryption.failed', {
      message: pkcs1Refused
        ? `The ${label} uses rsa-1_5 key transport, which Node.js refuses to decrypt (PKCS#1 v1.5 decryption is disabled because of the Marvin timing attack, CVE-2023-46809).`
        : `The ${label} could not be decrypted: ${failure ?? 'no result'}.`,
      fix: "Check that the key is the SP's private key matching the encryption certificate in the SP metadata the IdP uses.",
    });
    return undefined;
  }
  const body = plaintext.replace(/^\s*<\?xml[^?]*\?>/, '');
  const xml = `<DecryptedContent${inScopeNamespaceDeclarations(encrypted)}>${body}</DecryptedContent>`;
  const loaded = loadXmlDocument(xml);
  if (!loaded.ok) {
    findings.fail('encryption.failed', {
      message: `The decrypted ${label} is not well-formed XML: ${loaded.message}`,
      fix: 'The IdP produced broken encrypted content.',
    });
    return undefined;
  }
  let first = loaded.document.documentElement.firstChild;
  while (first && first.nodeType !== 1) first = first.nextSibling;
  return first ? { element: first as Element } : undefined;
}
