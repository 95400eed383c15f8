// Algorithm identifiers shared by the message builder and the validator,
// plus the signature and digest methods that xml-crypto does not ship.
import * as crypto from 'crypto';
import type { SignedXml } from 'xml-crypto';
import { parseDateTime } from '../dateTime';

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export const SIGNATURE_ALGORITHMS = {
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'rsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'ecdsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'ecdsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  'ecdsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
} as const;
export type SignatureAlgorithmName = keyof typeof SIGNATURE_ALGORITHMS;

export const DIGEST_ALGORITHMS = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;
export type DigestAlgorithmName = keyof typeof DIGEST_ALGORITHMS;

export const TRANSFORMS = {
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  c14nWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  c14n11: 'http://www.w3.org/2006/12/xml-c14n11',
} as const;

/**
 * A signature method done with Node's crypto: RSA PKCS#1 v1.5, or ECDSA whose XML-DSig SignatureValue
 * is r||s (IEEE P1363), not DER.
 */
function signatureMethod(uri: string, hash: string, ecdsa: boolean) {
  const encoding = ecdsa ? { dsaEncoding: 'ieee-p1363' as const } : {};
  return class {
    getSignature(signedInfo: crypto.BinaryLike, privateKey: crypto.KeyLike): string {
      return crypto
        .sign(hash, Buffer.from(signedInfo as string), { key: privateKey as string, ...encoding })
        .toString('base64');
    }
    verifySignature(material: string, key: crypto.KeyLike, signatureValue: string): boolean {
      try {
        return crypto.verify(
          hash,
          Buffer.from(material),
          { key: key as string, ...encoding },
          Buffer.from(signatureValue, 'base64'),
        );
      } catch {
        // A key of the wrong type (RSA certificate for an ECDSA signature) simply does not verify.
        return false;
      }
    }
    getAlgorithmName(): string {
      return uri;
    }
  };
}

function digestMethod(uri: string, hash: string) {
  return class {
    getHash(xml: string): string {
      return crypto.createHash(hash).update(xml, 'utf8').digest('base64');
    }
    getAlgorithmName(): string {
      return uri;
    }
  };
}

/**
 * Lets a SignedXml instance sign and verify what xml-crypto does not ship (RFC 6931 identifiers):
 * rsa-sha384, ecdsa-sha256/384/512 and the sha384 digest.
 */
export function registerExtraAlgorithms(signedXml: SignedXml): void {
  const algorithms = signedXml.SignatureAlgorithms as Record<string, unknown>;
  algorithms[SIGNATURE_ALGORITHMS['rsa-sha384']] = signatureMethod(SIGNATURE_ALGORITHMS['rsa-sha384'], 'sha384', false);
  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    const uri = SIGNATURE_ALGORITHMS[`ecdsa-${hash}`];
    algorithms[uri] = signatureMethod(uri, hash, true);
  }
  (signedXml.HashAlgorithms as Record<string, unknown>)[DIGEST_ALGORITHMS.sha384] = digestMethod(
    DIGEST_ALGORITHMS.sha384,
    'sha384',
  );
}

/** SAML timestamps: UTC, whole seconds (no milliseconds), as most IdPs emit them. A string is read as xs:dateTime. */
export function samlInstant(value: Date | string): string {
  let date = value;
  if (typeof date === 'string') {
    const parsed = parseDateTime(date);
    if (!parsed.ok) throw new Error(`Not a valid xs:dateTime: ${JSON.stringify(value)} (${parsed.reason})`);
    date = parsed.date;
  }
  if (Number.isNaN(date.getTime())) throw new Error(`Not a valid date: ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
