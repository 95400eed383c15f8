// POST-SimpleSign (SAML Bindings §3.5.4.1): the signature in the form's Signature field covers the
// octet string `SAMLRequest=value&RelayState=value&SigAlg=value` (or SAMLResponse) built from the
// form controls' values as posted, without URL encoding; RelayState only when present. Checked with
// the trusted keys only: the binding carries no certificate.
import * as crypto from 'crypto';
import { NODE_HASH_BY_SIGALG } from './requests';
import type { TrustedCertificate } from './types';
import { pemFromBase64 } from './certificates';

export interface SimpleSignParts {
  parameter: 'SAMLRequest' | 'SAMLResponse';
  /** The form values, decoded from the form encoding. */
  message: string;
  relayState?: string;
  sigAlg: string;
  signature: string;
}

export type SimpleSignOutcome =
  | { status: 'valid'; source: string }
  | { status: 'invalid'; message: string }
  | { status: 'not-checked'; message: string };

export function simpleSignOctets(parts: SimpleSignParts): string {
  const relay = parts.relayState === undefined ? '' : `&RelayState=${parts.relayState}`;
  return `${parts.parameter}=${parts.message}${relay}&SigAlg=${parts.sigAlg}`;
}

function publicKeyOf(anchor: TrustedCertificate): crypto.KeyObject | undefined {
  try {
    if (anchor.publicKeyPem) return crypto.createPublicKey(anchor.publicKeyPem);
    const pem = anchor.pem ?? (anchor.base64 ? pemFromBase64(anchor.base64) : undefined);
    return pem ? crypto.createPublicKey(pem) : undefined;
  } catch {
    return undefined;
  }
}

export function checkSimpleSign(parts: SimpleSignParts, trusted: readonly TrustedCertificate[]): SimpleSignOutcome {
  const hash = NODE_HASH_BY_SIGALG[parts.sigAlg];
  if (!hash) return { status: 'invalid', message: `the SigAlg ${parts.sigAlg} is not supported or not allowed` };
  const keys = trusted.flatMap((anchor) => {
    const key = publicKeyOf(anchor);
    return key ? [{ key, source: anchor.source }] : [];
  });
  if (keys.length === 0)
    return {
      status: 'not-checked',
      message:
        'no trusted key of the sender is known (a fingerprint needs a certificate, which the binding does not carry)',
    };
  const octets = Buffer.from(simpleSignOctets(parts), 'utf8');
  const signature = Buffer.from(parts.signature, 'base64');
  for (const { key, source } of keys) {
    const ec = key.asymmetricKeyType === 'ec';
    try {
      if (crypto.verify(hash, octets, ec ? { key, dsaEncoding: 'ieee-p1363' } : key, signature))
        return { status: 'valid', source };
    } catch {
      // A key of another type (EC for an RSA SigAlg) does not verify; the next one may.
    }
  }
  return { status: 'invalid', message: `the Signature does not verify with ${keys.map((k) => k.source).join(', ')}` };
}
