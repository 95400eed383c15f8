// Self-signed test certificates for samples, tests and the "create test certificate" command.
//
// RSA: node-forge generates the key and signs the certificate. With a `seed`, the key comes from a
// deterministic byte stream (forge's generateKeyPair accepts any `prng` with getBytesSync) and
// PKCS#1 v1.5 signatures are deterministic, so the same inputs give byte-identical output.
//
// EC: node-forge has no ECDSA, and Node's crypto.sign uses a random nonce. So the TBSCertificate
// is assembled with forge.asn1 and signed with @noble/curves, whose ECDSA uses RFC 6979
// deterministic nonces; the key pair is derived from the seed the same way. Node's crypto only
// converts the key to PEM/SPKI.

import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { p256, p384 } from '@noble/curves/nist';

export type KeySpec = { keyType: 'rsa'; bits: 1024 | 2048 | 3072 | 4096 } | { keyType: 'ec'; curve: 'P-256' | 'P-384' };

export type CertificateDigest = 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';

export interface SubjectSpec {
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly locality?: string;
  readonly state?: string;
  readonly country?: string;
  readonly email?: string;
}

export interface CertificateSpec {
  /** Subject and issuer (the certificate is self-signed). */
  readonly subject: SubjectSpec;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Digest of the certificate's own signature. Default sha256. md5 is RSA only. */
  readonly signatureAlgorithm?: CertificateDigest;
  /** Positive serial number as hex; default: derived from the seed, or random. */
  readonly serial?: string;
  /** DNS names for a subjectAltName extension. */
  readonly dnsNames?: readonly string[];
  /** Any text; the same seed and inputs give the same key and certificate bytes. */
  readonly seed?: string;
  /**
   * Certify this existing key (PKCS#8 or PKCS#1 PEM) instead of generating one: a renewal with the
   * same key, or several test certificates for one key. Must match the KeySpec.
   */
  readonly privateKeyPem?: string;
}

export interface GeneratedCertificate {
  readonly certificatePem: string;
  /** PKCS#8 "BEGIN PRIVATE KEY". */
  readonly privateKeyPem: string;
  /** DER as one line of base64: what goes into ds:X509Certificate. */
  readonly certificateBase64: string;
}

/** A deterministic byte stream: SHA-256(seed ‖ label ‖ counter) blocks. Not for real keys. */
class SeededBytes {
  private counter = 0;
  private buffered = Buffer.alloc(0);

  constructor(
    private readonly seed: string,
    private readonly label: string,
  ) {}

  take(count: number): Buffer {
    while (this.buffered.length < count) {
      const block = createHash('sha256').update(`${this.seed}\0${this.label}\0${this.counter++}`).digest();
      this.buffered = Buffer.concat([this.buffered, block]);
    }
    const bytes = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return bytes;
  }
}

function randomSource(seed: string | undefined, label: string): (count: number) => Buffer {
  if (seed === undefined) return (count) => randomBytes(count);
  const stream = new SeededBytes(seed, label);
  return (count) => stream.take(count);
}

function serialHex(spec: CertificateSpec): string {
  if (spec.serial !== undefined) {
    if (!/^[0-9a-fA-F]+$/.test(spec.serial))
      throw new Error(`Serial number must be hex digits, got ${JSON.stringify(spec.serial)}.`);
    // Keep it positive in DER: a leading byte ≥ 0x80 would read as negative.
    const even = spec.serial.length % 2 ? `0${spec.serial}` : spec.serial;
    return /^[89a-fA-F]/.test(even) ? `00${even}` : even;
  }
  // 16 random (or seeded) bytes, top bit cleared so the INTEGER is positive, as Entra's serials are.
  const bytes = randomSource(spec.seed, 'serial')(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x10;
  return bytes.toString('hex');
}

function subjectAttributes(subject: SubjectSpec): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [];
  if (subject.country) attributes.push({ shortName: 'C', value: subject.country });
  if (subject.state) attributes.push({ shortName: 'ST', value: subject.state });
  if (subject.locality) attributes.push({ shortName: 'L', value: subject.locality });
  if (subject.organization) attributes.push({ shortName: 'O', value: subject.organization });
  if (subject.organizationalUnit) attributes.push({ shortName: 'OU', value: subject.organizationalUnit });
  attributes.push({ shortName: 'CN', value: subject.commonName });
  if (subject.email) attributes.push({ name: 'emailAddress', value: subject.email });
  return attributes;
}

function extensions(spec: CertificateSpec): object[] {
  return spec.dnsNames?.length
    ? [{ name: 'subjectAltName', altNames: spec.dnsNames.map((value) => ({ type: 2, value })) }]
    : [];
}

function checkSpec(key: KeySpec, spec: CertificateSpec): void {
  if (!spec.subject.commonName) throw new Error('The certificate needs a subject common name.');
  if (Number.isNaN(spec.notBefore.getTime()) || Number.isNaN(spec.notAfter.getTime()))
    throw new Error('notBefore and notAfter must be valid dates.');
  if (spec.notAfter.getTime() <= spec.notBefore.getTime()) throw new Error('notAfter must be later than notBefore.');
  if (key.keyType === 'ec' && spec.signatureAlgorithm === 'md5')
    throw new Error('ECDSA certificates cannot be signed with MD5.');
}

function generateRsaKeys(bits: number, seed: string | undefined): forge.pki.rsa.KeyPair {
  const nextBytes = randomSource(seed, `rsa-${bits}`);
  // forge's prng contract: getBytesSync returns a binary string.
  const prng = { getBytesSync: (count: number) => nextBytes(count).toString('binary') };
  return forge.pki.rsa.generateKeyPair({ bits, e: 0x10001, prng } as forge.pki.rsa.GenerateKeyPairOptions);
}

function loadRsaKeys(privateKeyPem: string, bits: number): forge.pki.rsa.KeyPair {
  let privateKey: forge.pki.rsa.PrivateKey;
  try {
    privateKey = forge.pki.privateKeyFromPem(privateKeyPem);
  } catch (error) {
    throw new Error(`The private key is not an RSA key in PEM form (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (privateKey.n.bitLength() !== bits)
    throw new Error(`The private key has ${privateKey.n.bitLength()} bits, but the key spec says ${bits}.`);
  return { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e) };
}

function rsaPrivateKeyPem(privateKey: forge.pki.rsa.PrivateKey): string {
  const privateKeyInfo = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey));
  return forge.pki.privateKeyInfoToPem(privateKeyInfo).replace(/\r\n/g, '\n');
}

function generateRsa(bits: number, spec: CertificateSpec): GeneratedCertificate {
  const keys = spec.privateKeyPem ? loadRsaKeys(spec.privateKeyPem, bits) : generateRsaKeys(bits, spec.seed);

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = serialHex(spec);
  certificate.validity.notBefore = spec.notBefore;
  certificate.validity.notAfter = spec.notAfter;
  const attributes = subjectAttributes(spec.subject);
  certificate.setSubject(attributes);
  certificate.setIssuer(attributes);
  certificate.setExtensions(extensions(spec));
  certificate.sign(keys.privateKey, forge.md[spec.signatureAlgorithm ?? 'sha256'].create());

  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
  return {
    certificatePem: toPem(der),
    privateKeyPem: rsaPrivateKeyPem(keys.privateKey),
    certificateBase64: der.toString('base64'),
  };
}

const EC_CURVES = {
  'P-256': { noble: p256, jwkName: 'P-256', coordinateBytes: 32 },
  'P-384': { noble: p384, jwkName: 'P-384', coordinateBytes: 48 },
} as const;

const ECDSA_SIGNATURE_OIDS: Record<Exclude<CertificateDigest, 'md5'>, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

const { asn1 } = forge;

function asn1Date(date: Date): forge.asn1.Asn1 {
  // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function asn1FromDer(der: Buffer): forge.asn1.Asn1 {
  return asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
}

function generateEcScalar(curveName: 'P-256' | 'P-384', seed: string | undefined): Buffer {
  const curve = EC_CURVES[curveName];
  const nextBytes = randomSource(seed, `ec-${curveName}`);
  let privateScalar: Buffer;
  do privateScalar = nextBytes(curve.coordinateBytes);
  while (!curve.noble.utils.isValidPrivateKey(privateScalar));
  return privateScalar;
}

function loadEcScalar(privateKeyPem: string, curveName: 'P-256' | 'P-384'): Buffer {
  let jwk: { kty?: string; crv?: string; d?: string };
  try {
    jwk = createPrivateKey(privateKeyPem).export({ format: 'jwk' });
  } catch (error) {
    throw new Error(`The private key cannot be read (${(error as Error).message}).`, { cause: error });
  }
  if (jwk.kty !== 'EC' || jwk.crv !== curveName || !jwk.d)
    throw new Error(`The private key is not an EC ${curveName} key.`);
  return Buffer.from(jwk.d, 'base64url');
}

/** Node's KeyObject for a private scalar; the public point comes from @noble/curves. */
function ecPrivateKeyObject(curveName: 'P-256' | 'P-384', privateScalar: Buffer): KeyObject {
  const curve = EC_CURVES[curveName];
  const publicPoint = Buffer.from(curve.noble.getPublicKey(privateScalar, false)); // 0x04 ‖ x ‖ y
  const jwk = {
    kty: 'EC',
    crv: curve.jwkName,
    x: publicPoint.subarray(1, 1 + curve.coordinateBytes).toString('base64url'),
    y: publicPoint.subarray(1 + curve.coordinateBytes).toString('base64url'),
    d: privateScalar.toString('base64url'),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function generateEc(curveName: 'P-256' | 'P-384', spec: CertificateSpec): GeneratedCertificate {
  const curve = EC_CURVES[curveName];
  const privateScalar = spec.privateKeyPem
    ? loadEcScalar(spec.privateKeyPem, curveName)
    : generateEcScalar(curveName, spec.seed);
  const privateKey = ecPrivateKeyObject(curveName, privateScalar);
  const spkiDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });

  const digest = (spec.signatureAlgorithm ?? 'sha256') as Exclude<CertificateDigest, 'md5'>;
  const algorithmIdentifier = () =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(ECDSA_SIGNATURE_OIDS[digest]).getBytes()),
    ]);
  const name = forge.pki.distinguishedNameToAsn1({ attributes: normalizedAttributes(spec.subject) });
  const certificateExtensions = extensions(spec);
  const tbsParts = [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(2).getBytes()),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(serialHex(spec))),
    algorithmIdentifier(),
    name,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1Date(spec.notBefore), asn1Date(spec.notAfter)]),
    forge.pki.distinguishedNameToAsn1({ attributes: normalizedAttributes(spec.subject) }),
    asn1FromDer(spkiDer),
  ];
  if (certificateExtensions.length > 0) {
    // certificateExtensionsToAsn1 returns the [3]-tagged wrapper already.
    const toAsn1 = (forge.pki as unknown as { certificateExtensionsToAsn1(exts: object[]): forge.asn1.Asn1 })
      .certificateExtensionsToAsn1;
    tbsParts.push(toAsn1(certificateExtensions.map((extension) => normalizedExtension(extension))));
  }
  const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, tbsParts);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');

  const hashed = createHash(digest).update(tbsDer).digest();
  // RFC 6979 deterministic nonce; lowS keeps the signature canonical.
  const signature = curve.noble.sign(hashed, privateScalar, { lowS: true, prehash: false }).toDERRawBytes();
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmIdentifier(),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${Buffer.from(signature).toString('binary')}`),
  ]);
  const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
  return {
    certificatePem: toPem(der),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificateBase64: der.toString('base64'),
  };
}

/** forge fills in OIDs and value types when a certificate object sets its subject; do the same here. */
function normalizedAttributes(subject: SubjectSpec): forge.pki.CertificateField[] {
  const holder = forge.pki.createCertificate();
  holder.setSubject(subjectAttributes(subject));
  return holder.subject.attributes;
}

function normalizedExtension(extension: object): object {
  const holder = forge.pki.createCertificate();
  holder.setExtensions([extension]);
  return holder.extensions[0];
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A new private key (PKCS#8 PEM), deterministic when seeded: the same seed gives the same key as generateCertificate. */
export function generatePrivateKey(key: KeySpec, seed?: string): string {
  if (key.keyType === 'rsa') return rsaPrivateKeyPem(generateRsaKeys(key.bits, seed).privateKey);
  return ecPrivateKeyObject(key.curve, generateEcScalar(key.curve, seed))
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/** A self-signed certificate and its private key. Throws with a specific message on bad input. */
export function generateCertificate(key: KeySpec, spec: CertificateSpec): GeneratedCertificate {
  checkSpec(key, spec);
  if (key.keyType === 'rsa') {
    if (![1024, 2048, 3072, 4096].includes(key.bits))
      throw new Error(`RSA key size must be 1024, 2048, 3072 or 4096 bits, got ${key.bits}.`);
    return generateRsa(key.bits, spec);
  }
  if (!(key.curve in EC_CURVES)) throw new Error(`EC curve must be P-256 or P-384, got ${String(key.curve)}.`);
  return generateEc(key.curve, spec);
}
