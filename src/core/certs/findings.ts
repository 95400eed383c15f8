// Findings about certificates: per certificate (dates, key size, algorithm, unreadable) and per
// document (the same certificate repeated within a role, or used for both signing and encryption).

import { CertificateCode, type CertificateError, type CertificateFinding } from './codes';
import { type CertificateFacts } from './facts';
import { type SignatureAlgorithm, isWeakHash, signatureAlgorithm } from './algorithms';
import { scanForFindings } from './scan';
import { type CertificateOutline, readOutline } from './validity';
import { describeDuration, formatDate, formatDateTime, relativeTime } from '../time';

export interface FindingOptions {
  /** The clock; always passed in so results are reproducible. */
  readonly now: Date;
  /** Warn this many days before expiry. Default 30. */
  readonly warnDays?: number;
}

export const DEFAULT_WARN_DAYS = 30;
const MINIMUM_RSA_BITS = 2048;

const FIX_RENEW =
  'Get the current certificate from the identity provider (Entra ID: Enterprise application → Single sign-on → SAML Certificates) and update this metadata. Relying parties reject signatures from expired certificates.';

export function errorFinding(error: CertificateError): CertificateFinding {
  return { code: error.code, severity: 'error', message: error.message, fix: error.fix };
}

/**
 * Appends the per-certificate findings. Dates come as epoch milliseconds, so that the Date objects
 * the messages need are made only for the few certificates that get a date finding.
 */
function addFindings(
  findings: CertificateFinding[],
  notBeforeMs: number,
  notAfterMs: number,
  rsaBits: number | undefined,
  algorithm: SignatureAlgorithm | undefined,
  options: FindingOptions,
): void {
  const now = options.now;
  const nowMs = now.getTime();
  const warnDays = options.warnDays ?? DEFAULT_WARN_DAYS;
  if (nowMs < notBeforeMs) {
    const notBefore = new Date(notBeforeMs);
    findings.push({
      code: CertificateCode.NotYetValid,
      severity: 'warning',
      message: `Certificate is not valid yet: it becomes valid ${relativeTime(notBefore, now)} (${formatDateTime(notBefore)}).`,
      fix: 'Check the clock of the machine that issued it. Until its start date, relying parties that check validity reject signatures made with it.',
    });
  }
  const remaining = notAfterMs - nowMs;
  if (remaining <= 0) {
    findings.push({
      code: CertificateCode.Expired,
      severity: 'error',
      message: `Certificate expired ${describeDuration(remaining)} ago (${formatDate(new Date(notAfterMs))}).`,
      fix: FIX_RENEW,
    });
  } else if (remaining <= warnDays * 86_400_000) {
    const notAfter = new Date(notAfterMs);
    findings.push({
      code: CertificateCode.Expiring,
      severity: 'warning',
      message: `Certificate expires ${relativeTime(notAfter, now)} (${formatDateTime(notAfter)}).`,
      fix: 'Roll over now: create the new certificate, publish it next to the current one, let relying parties import it, then switch signing to it.',
    });
  }
  if (rsaBits !== undefined && rsaBits < MINIMUM_RSA_BITS) {
    findings.push({
      code: CertificateCode.WeakRsaKey,
      severity: 'warning',
      message: `The RSA key has only ${rsaBits} bits; at least ${MINIMUM_RSA_BITS} are expected (NIST SP 800-131A), and some SAML libraries refuse smaller keys.`,
      fix: `Replace it with a certificate for an RSA key of ${MINIMUM_RSA_BITS} bits or more (or an EC P-256 key).`,
    });
  }
  if (algorithm !== undefined && isWeakHash(algorithm.hash)) {
    findings.push({
      code: CertificateCode.WeakSignatureAlgorithm,
      severity: 'warning',
      message: `The certificate is signed with ${algorithm.name} (${algorithm.hash}, broken for collision resistance). Trust in SAML metadata comes from the key itself, but tools and policies flag such certificates.`,
      fix: 'Reissue the certificate signed with SHA-256 (e.g. sha256WithRSAEncryption); the key can stay the same.',
    });
  }
}

/**
 * Findings for one certificate, given as ds:X509Certificate text (read cheaply, without a full
 * parse) or as facts already computed for a hover. Never throws.
 */
export function certificateFindings(
  certificate: string | CertificateFacts,
  options: FindingOptions,
): CertificateFinding[] {
  const findings: CertificateFinding[] = [];
  if (typeof certificate !== 'string') {
    const rsaBits = certificate.publicKey.algorithm === 'RSA' ? certificate.publicKey.bits : undefined;
    addFindings(
      findings,
      certificate.notBefore.getTime(),
      certificate.notAfter.getTime(),
      rsaBits,
      certificate.signatureAlgorithm,
      options,
    );
    return findings;
  }
  // Aggregates hold tens of thousands of certificates: the allocation-free scan reads the usual ones.
  const scanned = scanForFindings(certificate);
  if (scanned) {
    addFindings(
      findings,
      scanned.notBeforeMs,
      scanned.notAfterMs,
      scanned.rsaModulusBits,
      scanned.weakSignatureAlgorithm,
      options,
    );
    return findings;
  }
  // Anything unusual, valid or not, goes through the general path and its precise error messages.
  const outline = readOutline(certificate);
  if (!outline.ok) return [errorFinding(outline.error)];
  return outlineFindings(outline.value, options);
}

/** The same findings from an outline already read (one a cache keeps across edits, say). */
export function outlineFindings(outline: CertificateOutline, options: FindingOptions): CertificateFinding[] {
  const findings: CertificateFinding[] = [];
  const { notBefore, notAfter, rsaModulusBits, signatureAlgorithmOid } = outline;
  addFindings(
    findings,
    notBefore.getTime(),
    notAfter.getTime(),
    rsaModulusBits,
    signatureAlgorithm(signatureAlgorithmOid),
    options,
  );
  return findings;
}

// ---------------------------------------------------------------- across a document

/** One X509Certificate in a document, as the metadata model reports it. */
export interface CertificateOccurrence {
  readonly base64: string;
  /**
   * Identifies the role descriptor (IDPSSODescriptor, RoleDescriptor, …) holding the KeyDescriptor;
   * compared with ===, so the model's role object itself works. Undefined for certificates outside
   * a KeyDescriptor (e.g. in the document's own Signature), which take no part in these checks.
   */
  readonly role?: unknown;
  /** KeyDescriptor's `use`; absent means the key serves both. */
  readonly use?: 'signing' | 'encryption';
}

export interface DocumentCertificateFinding<T extends CertificateOccurrence> extends CertificateFinding {
  readonly occurrence: T;
  /** The other occurrences involved (the earlier copy, or the other use). */
  readonly related: readonly T[];
}

/** Same DER regardless of line breaks and indentation. */
function certificateIdentity(base64: string): string {
  return Buffer.from(base64, 'base64').toString('base64');
}

function usesOverlap(a: CertificateOccurrence['use'], b: CertificateOccurrence['use']): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Duplicate certificates within a role, and one certificate for both signing and encryption. */
export function documentCertificateFindings<T extends CertificateOccurrence>(
  occurrences: readonly T[],
): DocumentCertificateFinding<T>[] {
  const findings: DocumentCertificateFinding<T>[] = [];
  const byRole = new Map<unknown, T[]>();
  for (const occurrence of occurrences) {
    if (occurrence.role === undefined) continue;
    const inRole = byRole.get(occurrence.role);
    if (inRole) inRole.push(occurrence);
    else byRole.set(occurrence.role, [occurrence]);
  }
  const groups: Map<string, T[]>[] = [];
  for (const inRole of byRole.values()) {
    // Most roles hold one certificate: decoding it to compare with nothing was most of the cost on aggregates.
    if (inRole.length < 2) continue;
    const byCertificate = new Map<string, T[]>();
    for (const occurrence of inRole) {
      const identity = certificateIdentity(occurrence.base64);
      const same = byCertificate.get(identity);
      if (same) same.push(occurrence);
      else byCertificate.set(identity, [occurrence]);
    }
    groups.push(byCertificate);
  }
  for (const byCertificate of groups) {
    for (const same of byCertificate.values()) {
      if (same.length < 2) continue;
      same.forEach((occurrence, index) => {
        const earlier = same.slice(0, index).filter((other) => usesOverlap(other.use, occurrence.use));
        if (earlier.length > 0) {
          findings.push({
            occurrence,
            related: earlier,
            code: CertificateCode.Duplicate,
            severity: 'info',
            message: `The same certificate already appears in ${earlier.length === 1 ? 'another KeyDescriptor' : `${earlier.length} other KeyDescriptors`} of this role${occurrence.use ? ` for ${occurrence.use}` : ''}.`,
            fix: 'Remove the repeated KeyDescriptor; one KeyDescriptor per key and use is enough.',
          });
        }
      });
      const signing = same.filter((occurrence) => occurrence.use === 'signing');
      const encryption = same.filter((occurrence) => occurrence.use === 'encryption');
      if (signing.length > 0 && encryption.length > 0) {
        for (const occurrence of [...signing, ...encryption]) {
          findings.push({
            occurrence,
            related: occurrence.use === 'signing' ? encryption : signing,
            code: CertificateCode.SigningAndEncryption,
            severity: 'info',
            message: 'The same certificate is published for signing and for encryption in this role.',
            fix: 'This works. Separate keys let you roll over or revoke one use without the other; nothing to do if sharing is intended.',
          });
        }
      }
    }
  }
  return findings;
}
