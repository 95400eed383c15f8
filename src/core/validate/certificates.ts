// Trusted certificates from the user (metadata, settings, the panel) and certificates found in KeyInfo.
import * as crypto from 'crypto';
import type { FindingList } from './findings';
import type { CertificateSummary, TrustAnchorKind, TrustedCertificate } from './types';

export interface PreparedCertificate {
  kind: TrustAnchorKind;
  /** The certificate (or, for a bare key, the SPKI) as PEM; empty for a fingerprint. */
  pem: string;
  /** Certificate DER; SPKI DER for a bare key; empty for a fingerprint. */
  der: Buffer;
  /**
   * The public key, parsed once: verifying with the PEM text parses the certificate again on every
   * call. Absent for a fingerprint, whose key is that of the KeyInfo certificate it matches.
   */
  publicKey?: crypto.KeyObject;
  /** For a fingerprint: the algorithm and the colon-separated upper-case hex to compare. */
  fingerprint?: { algorithm: 'sha256' | 'sha1'; hex: string };
  summary: CertificateSummary;
  entityId?: string;
}

export function pemFromBase64(base64: string): string {
  const compact = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${compact.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export function colonHex(hex: string): string {
  return hex
    .toUpperCase()
    .replace(/:/g, '')
    .replace(/(..)(?!$)/g, '$1:');
}

// Parsing a certificate costs more than the rest of a validation; the same few certificates recur.
const parsedCertificates = new Map<
  string,
  { der: Buffer; publicKey: crypto.KeyObject; subject: string; sha1: string; sha256: string } | null
>();
const PARSED_CERTIFICATE_CACHE_SIZE = 64;

function parseCertificate(pem: string) {
  let parsed = parsedCertificates.get(pem);
  if (parsed === undefined) {
    try {
      const certificate = new crypto.X509Certificate(pem);
      parsed = {
        der: certificate.raw,
        publicKey: certificate.publicKey,
        subject: certificate.subject.split('\n').join(', '),
        sha1: colonHex(certificate.fingerprint),
        sha256: colonHex(certificate.fingerprint256),
      };
    } catch {
      parsed = null;
    }
    if (parsedCertificates.size >= PARSED_CERTIFICATE_CACHE_SIZE) parsedCertificates.clear();
    parsedCertificates.set(pem, parsed);
  }
  return parsed;
}

/** Reads a certificate; undefined when the text is not a valid X.509 certificate. */
export function readCertificate(pemOrBase64: string, source: string): PreparedCertificate | undefined {
  const pem = pemOrBase64.includes('-----BEGIN') ? pemOrBase64 : pemFromBase64(pemOrBase64);
  const parsed = parseCertificate(pem);
  if (!parsed) return undefined;
  return {
    kind: 'certificate',
    pem,
    der: parsed.der,
    publicKey: parsed.publicKey,
    summary: { subject: parsed.subject, sha1: parsed.sha1, sha256: parsed.sha256, source },
  };
}

function describeKey(key: crypto.KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss')
    return `RSA ${details?.modulusLength ?? '?'}-bit public key`;
  if (key.asymmetricKeyType === 'ec') return `EC ${details?.namedCurve ?? ''} public key`.replace('  ', ' ');
  return `${key.asymmetricKeyType ?? 'unknown'} public key`;
}

/** A bare public key (SPKI PEM) as a trust anchor; undefined when the text is not a public key. */
export function readPublicKey(pem: string, source: string): PreparedCertificate | undefined {
  let publicKey: crypto.KeyObject;
  try {
    if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) return undefined;
    publicKey = crypto.createPublicKey(pem);
  } catch {
    return undefined;
  }
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = (algorithm: string) => colonHex(crypto.createHash(algorithm).update(der).digest('hex'));
  return {
    kind: 'public-key',
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    der,
    publicKey,
    summary: {
      kind: 'public-key',
      subject: `${describeKey(publicKey)} (no certificate; thumbprints are of the SubjectPublicKeyInfo)`,
      sha1: digest('sha1'),
      sha256: digest('sha256'),
      source,
    },
  };
}

/** Whether a certificate found in the message is one the user trusts: the same certificate, the same key, or a matching fingerprint. */
export function isTrustedCertificate(certificate: PreparedCertificate, trusted: readonly PreparedCertificate[]) {
  return trusted.some((anchor) => anchorMatches(anchor, certificate));
}

export function anchorMatches(anchor: PreparedCertificate, certificate: PreparedCertificate): boolean {
  switch (anchor.kind) {
    case 'certificate':
      return anchor.der.equals(certificate.der);
    case 'public-key':
      return certificate.publicKey !== undefined && anchor.publicKey!.equals(certificate.publicKey);
    case 'fingerprint':
      return anchor.fingerprint!.hex === certificate.summary[anchor.fingerprint!.algorithm];
  }
}

export function prepareTrustedCertificates(
  trusted: TrustedCertificate[],
  findings: FindingList,
): PreparedCertificate[] {
  const prepared: PreparedCertificate[] = [];
  for (const entry of trusted) {
    if (entry.kind === 'fingerprint' && entry.fingerprint) {
      const hex = colonHex(entry.fingerprint.hex);
      const algorithm = entry.fingerprint.algorithm;
      prepared.push({
        kind: 'fingerprint',
        pem: '',
        der: Buffer.alloc(0),
        fingerprint: { algorithm, hex },
        summary: {
          kind: 'fingerprint',
          subject: `certificate with the ${algorithm === 'sha256' ? 'SHA-256' : 'SHA-1'} fingerprint ${hex}`,
          sha1: algorithm === 'sha1' ? hex : '',
          sha256: algorithm === 'sha256' ? hex : '',
          source: entry.source,
        },
        entityId: entry.entityId,
      });
      continue;
    }
    if (entry.kind === 'public-key') {
      const key = readPublicKey(entry.publicKeyPem ?? entry.pem ?? '', entry.source);
      if (key) prepared.push({ ...key, entityId: entry.entityId });
      else
        findings.warn('certificate.invalid', {
          message: `The trusted public key from ${entry.source} is not a valid public key and was ignored.`,
          fix: 'Give the key as PEM ("-----BEGIN PUBLIC KEY-----"), e.g. the output of `openssl x509 -pubkey -noout`.',
        });
      continue;
    }
    const text = entry.pem ?? entry.base64 ?? '';
    const certificate = readCertificate(text, entry.source);
    if (!certificate) {
      findings.warn('certificate.invalid', {
        message: `The trusted certificate from ${entry.source} is not a valid X.509 certificate and was ignored.`,
        fix: 'Copy the complete certificate (PEM, or the base64 content of X509Certificate from the IdP metadata).',
      });
      continue;
    }
    prepared.push({
      ...certificate,
      summary: { ...certificate.summary, kind: 'certificate' },
      entityId: entry.entityId,
    });
  }
  return prepared;
}
