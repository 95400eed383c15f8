// Certificates in .pem/.cer/.crt files: one or more PEM blocks, or a single binary DER certificate.

import { type CertificateResult } from './codes';
import { certificateFacts, type CertificateFacts } from './facts';

export interface PemCertificate {
  /** The body between the BEGIN and END lines (or the base64 of a DER file). */
  readonly base64: string;
  /** Character offsets of the whole block in the text; for DER input, the byte range of the file. */
  readonly start: number;
  readonly end: number;
  readonly facts: CertificateResult<CertificateFacts>;
}

const CERTIFICATE_BLOCK =
  /-----BEGIN (CERTIFICATE|X509 CERTIFICATE|TRUSTED CERTIFICATE)-----([\s\S]*?)-----END \1-----/g;

/**
 * Every certificate in a PEM text (other blocks such as keys are skipped), or the certificate of a
 * binary DER file when given a Buffer whose first byte is a DER SEQUENCE.
 */
export function findCertificatesInPem(content: string | Uint8Array): PemCertificate[] {
  if (typeof content !== 'string') {
    const bytes = Buffer.from(content);
    if (bytes.length > 0 && bytes[0] === 0x30) {
      const base64 = bytes.toString('base64');
      return [{ base64, start: 0, end: bytes.length, facts: certificateFacts(base64) }];
    }
    content = bytes.toString('utf8');
  }
  const found: PemCertificate[] = [];
  for (const match of content.matchAll(CERTIFICATE_BLOCK)) {
    const base64 = match[2].replace(/\s+/g, '');
    const start = match.index ?? 0;
    found.push({ base64, start, end: start + match[0].length, facts: certificateFacts(base64) });
  }
  return found;
}
