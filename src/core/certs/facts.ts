// Everything a hover shows about one certificate. Slower than readValidity (it builds Node's
// X509Certificate), so it is computed lazily, per certificate the user looks at.
//
// Node's crypto.X509Certificate (OpenSSL) does the full parse, the public key details and the
// self-signature check. node-forge is not used here because it cannot read EC public keys, which
// Entra ID and modern IdPs can issue. What Node does not expose (the signature algorithm OID, the
// name structure, key usage bits) comes from the DER reader.

import { createHash, X509Certificate } from 'node:crypto';
import { CertificateCode, type CertificateResult } from './codes';
import { type DerElement, DerReader, Tag, readOid, readElement } from './der';
import { decodeCertificateDer, FIX_PASTE_AGAIN, truncatedBase64Problem } from './decode';
import { type CertificateOutline, readCertificateOutline } from './outline';
import {
  KEY_USAGE_BITS,
  type PublicKeyAlgorithm,
  type SignatureAlgorithm,
  extendedKeyUsageName,
  namedCurve,
  publicKeyAlgorithm,
  signatureAlgorithm,
} from './algorithms';
import { type DistinguishedName, commonName, formatName, readName } from './names';

export interface Thumbprints {
  /** Uppercase hex without separators, as Entra ID and Windows show it. */
  readonly sha1: string;
  /** Uppercase hex with colons, as OpenSSL prints it. */
  readonly sha1WithColons: string;
  readonly sha256: string;
  readonly sha256WithColons: string;
}

export interface PublicKeyFacts {
  readonly algorithm: PublicKeyAlgorithm;
  /** Modulus size for RSA/DSA, curve size for EC, 256 for Ed25519. */
  readonly bits?: number;
  /** NIST name for EC keys, e.g. "P-256". */
  readonly curve?: string;
}

export interface CertificateFacts {
  /** Canonical base64 of the DER (no whitespace): the identity used to compare certificates. */
  readonly base64: string;
  readonly subject: string;
  readonly subjectName: DistinguishedName;
  readonly subjectCommonName?: string;
  readonly issuer: string;
  readonly issuerName: DistinguishedName;
  readonly issuerCommonName?: string;
  /** Uppercase hex, as OpenSSL prints it; "-" prefix for the (invalid but seen) negative serials. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Issuer equals subject and the signature verifies with the certificate's own key. */
  readonly selfSigned: boolean;
  readonly publicKey: PublicKeyFacts;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly thumbprints: Thumbprints;
  /** "DNS:…", "email:…", "URI:…", "IP Address:…", in certificate order. */
  readonly subjectAltNames: readonly string[];
  /** Key usage bit names, when the extension is present. */
  readonly keyUsage?: readonly string[];
  /** Extended key usage names (or OIDs), when the extension is present. */
  readonly extendedKeyUsage?: readonly string[];
  /** basicConstraints cA flag, when the extension is present. */
  readonly isCertificateAuthority?: boolean;
}

function hexWithColons(hex: string): string {
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** Uppercase hex of a digest of the DER, as thumbprints are written. */
function digestHex(algorithm: 'sha1' | 'sha256', der: Uint8Array): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

function thumbprints(der: Buffer): Thumbprints {
  const sha1 = digestHex('sha1', der);
  const sha256 = digestHex('sha256', der);
  return { sha1, sha1WithColons: hexWithColons(sha1), sha256, sha256WithColons: hexWithColons(sha256) };
}

function serialNumber(der: Buffer, serial: DerElement): string {
  const bytes = der.subarray(serial.contentStart, serial.end);
  if (bytes.length === 0) return '';
  if (bytes[0] & 0x80) {
    // Two's complement negative number (RFC 5280 forbids it, but some old certificates have one).
    const magnitude = (1n << BigInt(bytes.length * 8)) - BigInt(`0x${bytes.toString('hex')}`);
    let hex = magnitude.toString(16).toUpperCase();
    if (hex.length % 2) hex = `0${hex}`;
    return `-${hex}`;
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start).toString('hex').toUpperCase();
}

interface ExtensionFacts {
  subjectAltNames: string[];
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  isCertificateAuthority?: boolean;
}

function formatIpAddress(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16)
    return (bytes.toString('hex').match(/..../g) ?? [])
      .map((group) => group.replace(/^0{1,3}/, '').toUpperCase())
      .join(':');
  return `<invalid ${bytes.length}-byte address>`;
}

function readSubjectAltNames(der: Buffer, value: DerElement): string[] {
  const names: string[] = [];
  const reader = new DerReader(der, readElement(der, value.contentStart, value.end, 'subjectAltName'));
  while (!reader.atEnd) {
    const name = reader.next('GeneralName');
    const content = der.subarray(name.contentStart, name.end);
    switch (name.tag) {
      case 0x81:
        names.push(`email:${content.toString('latin1')}`);
        break;
      case 0x82:
        names.push(`DNS:${content.toString('latin1')}`);
        break;
      case 0x86:
        names.push(`URI:${content.toString('latin1')}`);
        break;
      case 0x87:
        names.push(`IP Address:${formatIpAddress(content)}`);
        break;
      case 0xa4:
        names.push(
          `DirName:${formatName(readName(der, readElement(der, name.contentStart, name.end, 'directoryName')))}`,
        );
        break;
      case 0xa0:
        names.push('othername:<unsupported>');
        break;
      default:
        names.push(`<unsupported name type 0x${name.tag.toString(16)}>`);
    }
  }
  return names;
}

function readKeyUsage(der: Buffer, value: DerElement): string[] {
  const bits = readElement(der, value.contentStart, value.end, 'keyUsage');
  if (bits.tag !== Tag.BitString) return [];
  const usages: string[] = [];
  KEY_USAGE_BITS.forEach((usage, bit) => {
    const index = bits.contentStart + 1 + (bit >> 3);
    if (index < bits.end && der[index] & (0x80 >> (bit & 7))) usages.push(usage);
  });
  return usages;
}

function readExtensions(der: Buffer, extensions: DerElement | undefined): ExtensionFacts {
  const facts: ExtensionFacts = { subjectAltNames: [] };
  if (!extensions) return facts;
  const reader = new DerReader(der, extensions);
  while (!reader.atEnd) {
    const extension = new DerReader(der, reader.next('Extension', Tag.Sequence));
    const oid = readOid(der, extension.next('Extension.extnID'), 'Extension.extnID');
    extension.optional('Extension.critical', Tag.Boolean);
    const value = extension.next('Extension.extnValue', Tag.OctetString);
    // An odd extension must not hide the rest of the facts: each is read on its own.
    try {
      if (oid === '2.5.29.17') facts.subjectAltNames = readSubjectAltNames(der, value);
      else if (oid === '2.5.29.15') facts.keyUsage = readKeyUsage(der, value);
      else if (oid === '2.5.29.37') {
        const usages = new DerReader(der, readElement(der, value.contentStart, value.end, 'extKeyUsage'));
        facts.extendedKeyUsage = [];
        while (!usages.atEnd)
          facts.extendedKeyUsage.push(extendedKeyUsageName(readOid(der, usages.next('KeyPurposeId'), 'KeyPurposeId')));
      } else if (oid === '2.5.29.19') {
        const constraints = new DerReader(der, readElement(der, value.contentStart, value.end, 'basicConstraints'));
        const ca = constraints.optional('basicConstraints.cA', Tag.Boolean);
        facts.isCertificateAuthority = ca !== undefined && der[ca.contentStart] !== 0;
      }
    } catch {
      // leave this extension's facts out
    }
  }
  return facts;
}

function publicKeyFacts(outline: CertificateOutline, certificate: X509Certificate): PublicKeyFacts {
  const algorithm = publicKeyAlgorithm(outline.publicKeyAlgorithmOid);
  if (algorithm === 'RSA') return { algorithm, bits: outline.rsaModulusBits };
  if (algorithm === 'EC') {
    const curve = outline.publicKeyParameterOid ? namedCurve(outline.publicKeyParameterOid) : undefined;
    return { algorithm, bits: curve?.bits, curve: curve?.name ?? outline.publicKeyParameterOid };
  }
  if (algorithm === 'Ed25519') return { algorithm, bits: 256 };
  if (algorithm === 'Ed448') return { algorithm, bits: 456 };
  try {
    return { algorithm, bits: certificate.publicKey.asymmetricKeyDetails?.modulusLength };
  } catch {
    return { algorithm };
  }
}

function verifiesWithOwnKey(certificate: X509Certificate): boolean {
  try {
    return certificate.verify(certificate.publicKey);
  } catch {
    return false;
  }
}

function buildFacts(der: Buffer): CertificateResult<CertificateFacts> {
  const outline = readCertificateOutline(der);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch (error) {
    return {
      ok: false,
      error: {
        code: CertificateCode.Invalid,
        message: `Not a valid X.509 certificate: OpenSSL rejected it (${(error as Error).message}).`,
        fix: FIX_PASTE_AGAIN,
      },
    };
  }
  const subjectName = readName(der, outline.subject);
  const issuerName = readName(der, outline.issuer);
  const sameName = der
    .subarray(outline.subject.start, outline.subject.end)
    .equals(der.subarray(outline.issuer.start, outline.issuer.end));
  let extensions: ExtensionFacts;
  try {
    extensions = readExtensions(der, outline.extensions);
  } catch {
    extensions = { subjectAltNames: [] };
  }
  return {
    ok: true,
    value: {
      base64: der.toString('base64'),
      subject: formatName(subjectName),
      subjectName,
      subjectCommonName: commonName(subjectName),
      issuer: formatName(issuerName),
      issuerName,
      issuerCommonName: commonName(issuerName),
      serialNumber: serialNumber(der, outline.serial),
      notBefore: outline.notBefore,
      notAfter: outline.notAfter,
      selfSigned: sameName && verifiesWithOwnKey(certificate),
      publicKey: publicKeyFacts(outline, certificate),
      signatureAlgorithm: signatureAlgorithm(outline.signatureAlgorithmOid),
      thumbprints: thumbprints(der),
      ...extensions,
    },
  };
}

/** All facts about a ds:X509Certificate text (or PEM). Never throws. */
export function certificateFacts(text: string): CertificateResult<CertificateFacts> {
  const decoded = decodeCertificateDer(text);
  if (!decoded.ok) return decoded;
  try {
    return buildFacts(decoded.value);
  } catch (error) {
    // DerError from the outline or from names the outline skipped over.
    return {
      ok: false,
      error: truncatedBase64Problem(text) ?? {
        code: CertificateCode.Invalid,
        message: `Not a valid X.509 certificate (bad DER): ${(error as Error).message}.`,
        fix: FIX_PASTE_AGAIN,
      },
    };
  }
}

/** Facts for DER bytes, e.g. from a binary .cer file. Never throws. */
export function certificateFactsFromDer(der: Uint8Array): CertificateResult<CertificateFacts> {
  return certificateFacts(Buffer.from(der).toString('base64'));
}

/** What a one-line listing shows of a certificate. */
export interface CertificateLabel {
  readonly subject: string;
  readonly subjectCommonName?: string;
  readonly sha1: string;
  readonly notAfter: Date;
}

/**
 * The listing's facts from the DER alone, without OpenSSL's full parse (the costliest part of
 * `certificateFacts`), so a listing of thousands of certificates stays fast. Undefined when the
 * text is not a certificate the DER reader can outline.
 */
export function certificateLabel(text: string): CertificateLabel | undefined {
  const decoded = decodeCertificateDer(text);
  if (!decoded.ok) return undefined;
  try {
    const der = decoded.value;
    const outline = readCertificateOutline(der);
    const subjectName = readName(der, outline.subject);
    return {
      subject: formatName(subjectName),
      subjectCommonName: commonName(subjectName),
      sha1: digestHex('sha1', der),
      notAfter: outline.notAfter,
    };
  } catch {
    return undefined;
  }
}
