// Turns the text of a ds:X509Certificate element (or a PEM block) into DER bytes, explaining
// precisely what is wrong when it cannot.

import { atob } from 'node:buffer';
import { CertificateCode, type CertificateError, type CertificateResult } from './codes';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
// Linear: the character class and \s never overlap, so there is no backtracking.
const BASE64_WITH_WHITESPACE = /^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/;
const WHITESPACE = /\s+/g;
const PEM_ARMOUR = /-----(BEGIN|END) [A-Z0-9 ]+-----/g;

function invalid(message: string, fix: string): { ok: false; error: CertificateError } {
  return { ok: false, error: { code: CertificateCode.Invalid, message, fix } };
}

const FIX_PASTE_AGAIN =
  'Copy the certificate again from its source (for Entra ID: Enterprise application → Single sign-on → SAML Certificates → download "Certificate (Base64)") and paste only the base64 between the BEGIN and END lines.';

/** Describes the first character that is not base64, e.g. `unexpected character "%" at offset 118`. */
function firstNonBase64(text: string): string | undefined {
  const match = /[^A-Za-z0-9+/=\s]/.exec(text);
  if (match) {
    const shown = JSON.stringify(match[0]);
    return `unexpected character ${shown} at offset ${match.index}`;
  }
  const padding = /=[^=\s]/.exec(text.replace(WHITESPACE, ''));
  if (padding) return `"=" padding in the middle of the text`;
  return undefined;
}

/** Explains non-empty bytes that decoded from valid base64 but cannot be a DER certificate. */
function diagnoseDecodedBytes(bytes: Buffer): CertificateError | undefined {
  if (bytes[0] === 0x30) return undefined; // a DER SEQUENCE: the certificate parser takes it from here
  const head = bytes.subarray(0, 64).toString('latin1');
  if (/^\s*-----BEGIN /.test(head)) {
    const text = bytes.toString('latin1');
    const block = PEM_BLOCK.exec(text);
    const innerBase64 = block && CERTIFICATE_LABELS.has(block[1]) ? block[2].replace(WHITESPACE, '') : undefined;
    return {
      code: CertificateCode.DoubleEncodedPem,
      message:
        'The certificate is encoded twice: this base64 decodes to a whole PEM file ("-----BEGIN CERTIFICATE-----…") instead of the certificate\'s DER bytes. SAML libraries cannot read it.',
      fix: 'Put only the base64 between the "-----BEGIN CERTIFICATE-----" and "-----END CERTIFICATE-----" lines into X509Certificate, without the BEGIN/END lines.',
      innerBase64,
    };
  }
  const printable = /^[\x20-\x7e\r\n\t]{8,}/.test(head);
  return {
    code: CertificateCode.Invalid,
    message: printable
      ? `Not an X.509 certificate: the base64 decodes to text (${JSON.stringify(head.slice(0, 40))}…), not to DER bytes.`
      : `Not an X.509 certificate: the decoded bytes start with 0x${bytes[0].toString(16).padStart(2, '0')}, but a DER certificate starts with a SEQUENCE (0x30).`,
    fix: FIX_PASTE_AGAIN,
  };
}

/**
 * The bytes, as a binary string, when the text is strict base64; undefined otherwise. atob is
 * WHATWG's forgiving-base64 decoder, native in Node: it accepts only base64 characters, ASCII
 * whitespace and up to two "=" at the end (a subset of what BASE64_WITH_WHITESPACE accepts) and
 * gives the same bytes as Buffer.from(text, 'base64') for them. It checks and decodes in one pass
 * for about the cost of that decoding alone; the regular expression cost twice as much again.
 * Node documents atob as legacy because it returns bytes as a string, which suits the readers here.
 */
export function decodeStrictBase64(text: string): string | undefined {
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}

/**
 * Decodes certificate text: base64 with any whitespace/CRLF/indentation, or a PEM block.
 * Never throws. `der` is validated as base64 only, not yet as a certificate.
 */
export function decodeCertificateText(text: string): CertificateResult<Buffer> {
  // The usual case in one native pass; PEM, odd whitespace and every error take the checks below.
  const strict = decodeStrictBase64(text);
  if (strict !== undefined && strict.length > 0) return { ok: true, value: Buffer.from(strict, 'latin1') };
  let base64 = text;
  if (text.includes('-----BEGIN')) {
    const block = PEM_BLOCK.exec(text);
    if (!block) return invalid('PEM text with a "-----BEGIN" line but no matching "-----END" line.', FIX_PASTE_AGAIN);
    if (!CERTIFICATE_LABELS.has(block[1])) {
      const isPrivate = block[1].includes('PRIVATE');
      return invalid(
        `This PEM block is a ${block[1]}, not a CERTIFICATE.`,
        isPrivate
          ? 'Never put a private key into metadata or settings; use the certificate (public part) instead.'
          : FIX_PASTE_AGAIN,
      );
    }
    base64 = block[2];
  }
  if (!BASE64_WITH_WHITESPACE.test(base64)) {
    return invalid(`Not valid base64: ${firstNonBase64(base64) ?? 'malformed padding'}.`, FIX_PASTE_AGAIN);
  }
  const der = Buffer.from(base64, 'base64');
  if (der.length === 0)
    return invalid(
      'The certificate is empty.',
      'Paste the base64 of the certificate into the X509Certificate element.',
    );
  return { ok: true, value: der };
}

/** A more precise reason than "bad DER" when the base64 text itself was cut short; undefined otherwise. */
export function truncatedBase64Problem(text: string): CertificateError | undefined {
  const compactLength = text.replace(PEM_ARMOUR, '').replace(WHITESPACE, '').length;
  if (compactLength % 4 !== 1) return undefined;
  return {
    code: CertificateCode.Invalid,
    message: `Not valid base64: ${compactLength} characters cannot be a complete base64 text (truncated?).`,
    fix: FIX_PASTE_AGAIN,
  };
}

/** Decodes and checks the bytes look like DER, returning the specific error otherwise. */
export function decodeCertificateDer(text: string): CertificateResult<Buffer> {
  const decoded = decodeCertificateText(text);
  if (!decoded.ok) return decoded;
  const problem = diagnoseDecodedBytes(decoded.value);
  return problem ? { ok: false, error: problem } : decoded;
}

export { FIX_PASTE_AGAIN };
