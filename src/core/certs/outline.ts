// Locates the fields of an X.509 certificate (RFC 5280 4.1) with the DER reader, without decoding
// more than asked for.

import { type DerElement, DerError, DerReader, Tag, readElement, readOid, readTime } from './der';

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Where each field of the certificate lives, plus the few values every caller needs. */
export interface CertificateOutline extends Validity {
  readonly serial: DerElement;
  readonly issuer: DerElement;
  readonly subject: DerElement;
  readonly publicKeyAlgorithmOid: string;
  /** Curve OID for EC keys. */
  readonly publicKeyParameterOid?: string;
  /** Modulus size for RSA keys, read from the SubjectPublicKeyInfo. */
  readonly rsaModulusBits?: number;
  readonly signatureAlgorithmOid: string;
  /** The SEQUENCE OF Extension inside [3], when present. */
  readonly extensions?: DerElement;
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

function openTbs(der: Uint8Array): { certificate: DerReader; tbs: DerReader } {
  const certificateElement = readElement(der, 0, der.length, 'Certificate');
  if (certificateElement.tag !== Tag.Sequence) {
    throw new DerError(
      `Certificate: expected a SEQUENCE (tag 0x30) at byte 0, found 0x${certificateElement.tag.toString(16).padStart(2, '0')}`,
    );
  }
  if (certificateElement.end !== der.length) {
    throw new DerError(
      `Certificate: ${der.length - certificateElement.end} unexpected bytes after the end of the certificate`,
    );
  }
  const certificate = new DerReader(der, certificateElement);
  const tbs = new DerReader(der, certificate.next('TBSCertificate', Tag.Sequence));
  return { certificate, tbs };
}

function readValidityFields(der: Uint8Array, tbs: DerReader): Validity {
  const validity = new DerReader(der, tbs.next('Validity', Tag.Sequence));
  const notBefore = readTime(der, validity.next('Validity.notBefore'), 'Validity.notBefore');
  const notAfter = readTime(der, validity.next('Validity.notAfter'), 'Validity.notAfter');
  return { notBefore, notAfter };
}

/** Only the two dates: walks past version, serial, signature and issuer and stops. Throws DerError. */
export function readValidityFromDer(der: Uint8Array): Validity {
  const { tbs } = openTbs(der);
  tbs.optional('TBSCertificate.version', Tag.ContextExplicit0);
  tbs.next('TBSCertificate.serialNumber', Tag.Integer);
  tbs.next('TBSCertificate.signature', Tag.Sequence);
  tbs.next('TBSCertificate.issuer', Tag.Sequence);
  return readValidityFields(der, tbs);
}

/** Number of significant bits of an unsigned big-endian INTEGER. */
function integerBits(der: Uint8Array, element: DerElement): number {
  let index = element.contentStart;
  while (index < element.end && der[index] === 0) index++;
  if (index === element.end) return 0;
  return (element.end - index - 1) * 8 + (32 - Math.clz32(der[index]));
}

function readRsaModulusBits(der: Uint8Array, publicKeyBits: DerElement): number {
  // BIT STRING: one "unused bits" byte, then RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
  const keyStart = publicKeyBits.contentStart + 1;
  const rsaKey = readElement(der, keyStart, publicKeyBits.end, 'RSAPublicKey');
  if (rsaKey.tag !== Tag.Sequence) throw new DerError('RSAPublicKey: expected a SEQUENCE');
  const modulus = new DerReader(der, rsaKey).next('RSAPublicKey.modulus', Tag.Integer);
  return integerBits(der, modulus);
}

/** Every field location plus dates, algorithms and RSA size. Throws DerError. */
export function readCertificateOutline(der: Uint8Array): CertificateOutline {
  const { certificate, tbs } = openTbs(der);
  tbs.optional('TBSCertificate.version', Tag.ContextExplicit0);
  const serial = tbs.next('TBSCertificate.serialNumber', Tag.Integer);
  tbs.next('TBSCertificate.signature', Tag.Sequence);
  const issuer = tbs.next('TBSCertificate.issuer', Tag.Sequence);
  const validity = readValidityFields(der, tbs);
  const subject = tbs.next('TBSCertificate.subject', Tag.Sequence);

  const spki = new DerReader(der, tbs.next('SubjectPublicKeyInfo', Tag.Sequence));
  const algorithm = new DerReader(der, spki.next('SubjectPublicKeyInfo.algorithm', Tag.Sequence));
  const publicKeyAlgorithmOid = readOid(
    der,
    algorithm.next('SubjectPublicKeyInfo.algorithm.oid'),
    'SubjectPublicKeyInfo.algorithm',
  );
  const parameterTag = algorithm.peekTag();
  const publicKeyParameterOid =
    parameterTag === Tag.ObjectIdentifier
      ? readOid(der, algorithm.next('SubjectPublicKeyInfo.parameters'), 'SubjectPublicKeyInfo.parameters')
      : undefined;
  const publicKeyBits = spki.next('SubjectPublicKeyInfo.subjectPublicKey', Tag.BitString);
  const rsaModulusBits = publicKeyAlgorithmOid === RSA_ENCRYPTION ? readRsaModulusBits(der, publicKeyBits) : undefined;

  // issuerUniqueID [1] and subjectUniqueID [2] are IMPLICIT and rare; extensions are [3].
  let extensions: DerElement | undefined;
  while (!tbs.atEnd) {
    const element = tbs.next('TBSCertificate optional field');
    if (element.tag === Tag.ContextExplicit3) extensions = new DerReader(der, element).next('Extensions', Tag.Sequence);
  }

  const signatureAlgorithm = new DerReader(der, certificate.next('Certificate.signatureAlgorithm', Tag.Sequence));
  const signatureAlgorithmOid = readOid(
    der,
    signatureAlgorithm.next('Certificate.signatureAlgorithm.oid'),
    'Certificate.signatureAlgorithm',
  );
  certificate.next('Certificate.signatureValue', Tag.BitString);

  // Fields listed one by one: an object spread here cost several times the whole DER walk.
  return {
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    serial,
    issuer,
    subject,
    publicKeyAlgorithmOid,
    publicKeyParameterOid,
    rsaModulusBits,
    signatureAlgorithmOid,
    extensions,
  };
}
