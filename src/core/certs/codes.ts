// Stable codes for certificate findings; the diagnostics adapter shows them and links to their docs.
import type { Severity } from '../severity';

export const CertificateCode = {
  Expired: 'cert.expired',
  Expiring: 'cert.expiring',
  NotYetValid: 'cert.not-yet-valid',
  WeakRsaKey: 'cert.weak-rsa-key',
  WeakSignatureAlgorithm: 'cert.weak-signature-algorithm',
  Invalid: 'cert.invalid',
  DoubleEncodedPem: 'cert.double-encoded-pem',
  Duplicate: 'cert.duplicate',
  SigningAndEncryption: 'cert.signing-and-encryption',
  /** Readable, but wrapped or spaced irregularly: the editor offers "Normalise certificate". */
  Formatting: 'cert.formatting',
} as const;

export type CertificateCode = (typeof CertificateCode)[keyof typeof CertificateCode];

export interface CertificateFinding {
  readonly code: CertificateCode;
  readonly severity: Severity;
  /** What was found, e.g. "Certificate expired 12 days ago (2026-11-17)". */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Why a certificate text could not be read. */
export interface CertificateError {
  readonly code: typeof CertificateCode.Invalid | typeof CertificateCode.DoubleEncodedPem;
  readonly message: string;
  readonly fix: string;
  /** For double-encoded PEM: the base64 that belongs in X509Certificate (the PEM body), for a quick fix. */
  readonly innerBase64?: string;
}

export type CertificateResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CertificateError };
