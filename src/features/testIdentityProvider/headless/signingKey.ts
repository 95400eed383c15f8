// The test IdP's signing key: a throwaway one made at each start, or the user's own pair of PEM files.
// The private key is only held in memory and handed to the signer; nothing here logs it.
import * as crypto from 'crypto';
import { promisify } from 'util';
import { generateCertificate } from '../../../core/build/certificate';
import { signatureAlgorithmFor } from '../../../core/build/testResponse';
import type { IdpSigningKey } from './loopbackIdentityProvider';

const generateKeyPair = promisify(crypto.generateKeyPair);

/** A new RSA-2048 key (Node's generator, off the event loop) with a self-signed certificate valid for a year. */
export async function throwawaySigningKey(now = new Date()): Promise<IdpSigningKey> {
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const generated = generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName: 'SAML Lens test IdP (throwaway)' },
      notBefore: new Date(now.getTime() - 60 * 60_000),
      notAfter: new Date(now.getTime() + 365 * 24 * 60 * 60_000),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  );
  return { privateKeyPem: generated.privateKeyPem, certificatePem: generated.certificatePem };
}

/** The user's key and certificate, if the key belongs to the certificate and can sign (RSA or EC). */
export function chosenSigningKey(
  privateKeyPem: string,
  certificatePem: string,
): { ok: true; key: IdpSigningKey } | { ok: false; message: string } {
  const checked = signatureAlgorithmFor(privateKeyPem, certificatePem);
  return checked.ok ? { ok: true, key: { privateKeyPem, certificatePem } } : checked;
}
