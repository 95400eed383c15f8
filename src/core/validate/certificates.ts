// Trusted certificates from the user (metadata, settings, the panel) and certificates found in KeyInfo.
import * as crypto from 'crypto';
import type { FindingList } from './findings';
import type { CertificateSummary, TrustedCertificate } from './types';

export interface PreparedCertificate {
  pem: string;
  der: Buffer;
  /** The certificate's public key, parsed once: verifying with the PEM text parses the certificate again on every call. */
  publicKey: crypto.KeyObject;
  summary: CertificateSummary;
  entityId?: string;
}

export function pemFromBase64(base64: string): string {
  const compact = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${compact.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

function colonHex(hex: string): string {
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
    pem,
    der: parsed.der,
    publicKey: parsed.publicKey,
    summary: { subject: parsed.subject, sha1: parsed.sha1, sha256: parsed.sha256, source },
  };
}

export function prepareTrustedCertificates(
  trusted: TrustedCertificate[],
  findings: FindingList,
): PreparedCertificate[] {
  const prepared: PreparedCertificate[] = [];
  for (const entry of trusted) {
    const text = entry.pem ?? entry.base64 ?? '';
    const certificate = readCertificate(text, entry.source);
    if (!certificate) {
      findings.warn('certificate.invalid', {
        message: `The trusted certificate from ${entry.source} is not a valid X.509 certificate and was ignored.`,
        fix: 'Copy the complete certificate (PEM, or the base64 content of X509Certificate from the IdP metadata).',
      });
      continue;
    }
    prepared.push({ ...certificate, entityId: entry.entityId });
  }
  return prepared;
}
