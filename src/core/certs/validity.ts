// The cheap path for expiry diagnostics over large metadata aggregates: base64 → DER → two dates,
// without building a certificate object.

import { CertificateCode, type CertificateError, type CertificateResult } from './codes';
import { DerError } from './der';
import { decodeCertificateDer, FIX_PASTE_AGAIN, truncatedBase64Problem } from './decode';
import { type CertificateOutline, type Validity, readCertificateOutline, readValidityFromDer } from './outline';

export type { Validity, CertificateOutline };

function derProblem(error: unknown): CertificateError {
  const detail = error instanceof DerError ? error.message : String(error);
  return {
    code: CertificateCode.Invalid,
    message: `Not a valid X.509 certificate (bad DER): ${detail}.`,
    fix: FIX_PASTE_AGAIN,
  };
}

/** Runs `read` over the decoded DER, turning every failure into a specific CertificateError. */
export function withDer<T>(text: string, read: (der: Buffer) => T): CertificateResult<T> {
  const decoded = decodeCertificateDer(text);
  if (!decoded.ok) return decoded;
  try {
    return { ok: true, value: read(decoded.value) };
  } catch (error) {
    return { ok: false, error: truncatedBase64Problem(text) ?? derProblem(error) };
  }
}

/**
 * notBefore/notAfter of a ds:X509Certificate text (or PEM), exact to the second. Never throws.
 *
 * Fast path for aggregates with tens of thousands of certificates: Node's base64 decoder skips
 * whitespace by itself, and a DER structure that parses and ends exactly at the last byte is
 * accepted without the stricter text checks (a character test over the text would cost as much as
 * the decoding). So a stray non-base64 character that leaves the DER intact is not reported here;
 * readOutline, certificateFacts and certificateFindings check the text strictly and report it.
 * Anything that fails goes through the full diagnosis, so its message is as specific as elsewhere.
 */
export function readValidity(text: string): CertificateResult<Validity> {
  const der = Buffer.from(text, 'base64');
  if (der.length > 0 && der[0] === 0x30) {
    try {
      return { ok: true, value: readValidityFromDer(der) };
    } catch {
      // fall through to the diagnosis below
    }
  }
  return withDer(text, readValidityFromDer);
}

/** Dates, algorithms and RSA key size: enough for every single-certificate finding. Never throws. */
export function readOutline(text: string): CertificateResult<CertificateOutline> {
  return withDer(text, readCertificateOutline);
}
