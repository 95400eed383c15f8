/**
 * Trust anchors the user configures outside metadata: a certificate file (PEM, base64 or DER), a
 * bare public key (SPKI PEM, as peers such as node-saml and ruby-saml accept) or a certificate
 * fingerprint (SHA-256; SHA-1 accepted with a warning). The command line and the editor read their
 * files and settings themselves and hand the contents here, so both understand the same forms.
 */
import { decodeCertificateDer } from '../certs/decode';
import { colonHex, readCertificate, readPublicKey } from '../validate/certificates';
import type { TrustedCertificate } from '../validate/types';

export type AnchorResult = { ok: true; anchor: TrustedCertificate } | { ok: false; message: string };

const PUBLIC_KEY_PEM = /-----BEGIN (RSA )?PUBLIC KEY-----/;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Reads the contents of a trust-anchor file: an X.509 certificate or a public key. `name` is how
 * the file is named in messages; `source` is the label the report shows. A private key is refused
 * without repeating any of it.
 */
export function readTrustAnchorFile(bytes: Uint8Array, name: string, source: string): AnchorResult {
  // DER starts with a SEQUENCE tag; anything else is treated as text (PEM or base64).
  const isDer = bytes[0] === 0x30;
  const text = isDer ? Buffer.from(bytes).toString('base64') : new TextDecoder().decode(bytes);
  if (!isDer && PRIVATE_KEY_PEM.test(text))
    return {
      ok: false,
      message: `${name} holds a private key; trust needs the certificate or the public key, never the private key.`,
    };
  if (!isDer && PUBLIC_KEY_PEM.test(text)) {
    const key = readPublicKey(text, source);
    return key
      ? { ok: true, anchor: { kind: 'public-key', publicKeyPem: key.pem, source } }
      : { ok: false, message: `${name} has a PUBLIC KEY block that is not a readable public key.` };
  }
  const decoded = decodeCertificateDer(text);
  const base64 = decoded.ok ? decoded.value.toString('base64') : undefined;
  if (base64 && readCertificate(base64, source)) return { ok: true, anchor: { kind: 'certificate', base64, source } };
  if (isDer) {
    // A DER public key (SubjectPublicKeyInfo) rather than a certificate.
    const pem = `-----BEGIN PUBLIC KEY-----\n${text.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PUBLIC KEY-----\n`;
    const key = readPublicKey(pem, source);
    if (key) return { ok: true, anchor: { kind: 'public-key', publicKeyPem: key.pem, source } };
  }
  return {
    ok: false,
    message: `${name} is neither a certificate nor a public key: ${decoded.ok ? 'the certificate cannot be parsed' : decoded.error.message}`,
  };
}

const HEX_LENGTH = { sha256: 64, sha1: 40 } as const;

/**
 * Reads a certificate fingerprint: `sha256:AB:CD:…`, `sha1:…`, openssl's
 * `SHA256 Fingerprint=AB:CD:…`, or bare hex (64 digits SHA-256, 40 digits SHA-1), with or without
 * colons or spaces, in either case.
 */
export function parseFingerprint(value: string, source: string): AnchorResult {
  const trimmed = value.trim();
  const match = /^(?:(sha-?256|sha-?1)(?:\s+fingerprint)?\s*[:=]\s*)?([0-9a-f:\s]+)$/i.exec(trimmed);
  const hex = match?.[2].replace(/[:\s]/g, '') ?? '';
  const named = match?.[1]?.toLowerCase().replace('-', '') as 'sha256' | 'sha1' | undefined;
  const algorithm = named ?? (hex.length === 64 ? 'sha256' : hex.length === 40 ? 'sha1' : undefined);
  if (!match || !algorithm || hex.length !== HEX_LENGTH[algorithm]) {
    return {
      ok: false,
      message: `"${trimmed.length > 120 ? `${trimmed.slice(0, 120)}…` : trimmed}" is not a certificate fingerprint: expected sha256: followed by 64 hex digits (or sha1: and 40), e.g. the output of openssl x509 -noout -fingerprint -sha256.`,
    };
  }
  return { ok: true, anchor: { kind: 'fingerprint', fingerprint: { algorithm, hex: colonHex(hex) }, source } };
}

/** Whether a setting or option value names a fingerprint rather than a file. */
export function looksLikeFingerprint(value: string): boolean {
  return /^\s*sha-?(256|1)\s*:/i.test(value);
}

/** "certificate", "public key", "SHA-256 fingerprint": what the report calls an anchor. */
export function anchorLabel(anchor: TrustedCertificate): string {
  if (anchor.kind === 'public-key') return 'public key';
  if (anchor.kind === 'fingerprint')
    return `${anchor.fingerprint?.algorithm === 'sha1' ? 'SHA-1' : 'SHA-256'} fingerprint`;
  return 'certificate';
}
