/**
 * Reads the service provider's decryption key from a PEM file or a PKCS#12 (.p12/.pfx) bundle and
 * returns it as an unencrypted PKCS#8 PEM, which is what the validator's decryption takes. No vscode
 * import: the panel's picker (decryptionKeyPicker.ts) asks for files and passwords, this checks them.
 * Error messages never quote the file's content.
 */
import * as crypto from 'crypto';
import forge from 'node-forge';

export type KeyLoadResult =
  | { readonly ok: true; readonly pem: string }
  /** `needsPassword`: ask for a password (or passphrase) and try again. */
  | { readonly ok: false; readonly needsPassword: boolean; readonly message: string };

/** A key file is a few kilobytes; a PKCS#12 with a long chain stays far below this. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

const PKCS12_EXTENSIONS = ['.p12', '.pfx'];

function failure(message: string, needsPassword = false): KeyLoadResult {
  return { ok: false, needsPassword, message };
}

/** PKCS#12 by file name, or by content when the file is binary DER (starts with a SEQUENCE, not text). */
export function isPkcs12File(fileName: string, bytes: Uint8Array): boolean {
  const lower = fileName.toLowerCase();
  if (PKCS12_EXTENSIONS.some((ext) => lower.endsWith(ext))) return true;
  return (
    bytes.length > 1 && bytes[0] === 0x30 && !new TextDecoder().decode(bytes.subarray(0, 64)).includes('-----BEGIN')
  );
}

/** SAML key transport (RSA-OAEP, RSA 1.5) needs an RSA key; checks that and normalises to PKCS#8. */
function rsaPkcs8(key: crypto.KeyObject): KeyLoadResult {
  if (key.asymmetricKeyType !== 'rsa') {
    return failure(
      `This is an ${key.asymmetricKeyType?.toUpperCase() ?? 'unknown'} private key; SAML encryption wraps the content key with RSA, so the decryption key must be an RSA private key.`,
    );
  }
  return { ok: true, pem: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** A PEM file: the first private key block in it (a file may also carry the certificate). */
export function loadPemPrivateKey(text: string, passphrase?: string): KeyLoadResult {
  const block = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/.exec(text);
  if (!block) {
    if (/-----BEGIN CERTIFICATE-----/.test(text))
      return failure(
        "This file holds a certificate, not a private key. Choose the service provider's private key (PEM) or its PKCS#12 (.p12/.pfx) file.",
      );
    if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(text))
      return failure("This file holds a public key; decrypting needs the service provider's private key.");
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(text))
      return failure('This PEM file holds no private key (no "BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY" block).');
    return failure(
      'This is not a PEM private key or a PKCS#12 file: no "-----BEGIN … PRIVATE KEY-----" block was found.',
    );
  }
  const encrypted = block[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block[0]);
  if (encrypted && passphrase === undefined)
    return failure('This private key is encrypted: enter its passphrase.', true);
  try {
    return rsaPkcs8(
      crypto.createPrivateKey(
        encrypted ? { key: block[0], format: 'pem', passphrase } : { key: block[0], format: 'pem' },
      ),
    );
  } catch {
    if (encrypted) return failure('The passphrase is wrong, or the encrypted private key is damaged.', true);
    return failure('The private key block could not be read: its base64 content is damaged or it is not a key.');
  }
}

/** A PKCS#12 bundle, opened with `password` ("" for none): its one private key. */
export function loadPkcs12PrivateKey(bytes: Uint8Array, password: string): KeyLoadResult {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
  } catch {
    return failure(
      'This is not a PKCS#12 file: its content is not DER. A PEM key should have a .pem or .key extension.',
    );
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/password|MAC could not be verified/i.test(reason))
      return failure('The password for this PKCS#12 file is wrong.', true);
    return failure(`This PKCS#12 file could not be read: ${reason.split('\n')[0]}`);
  }
  const bags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const keys = bags.filter((bag) => bag.key);
  if (keys.length === 0)
    return failure(
      'This PKCS#12 file holds no private key (only certificates). Export it again with the private key included.',
    );
  if (keys.length > 1)
    return failure(`This PKCS#12 file holds ${keys.length} private keys; export the service provider's key alone.`);
  try {
    return rsaPkcs8(crypto.createPrivateKey(forge.pki.privateKeyToPem(keys[0].key!)));
  } catch {
    return failure('The private key in this PKCS#12 file is not an RSA key SAML decryption can use.');
  }
}

/** Reads a key file; `password` is asked for and passed on the second try when the first says `needsPassword`. */
export function loadPrivateKeyFile(fileName: string, bytes: Uint8Array, password?: string): KeyLoadResult {
  if (bytes.length === 0) return failure('The file is empty.');
  if (bytes.length > MAX_KEY_FILE_BYTES)
    return failure(
      `The file is ${bytes.length} bytes; a private key file is a few kilobytes. Choose the key file itself.`,
    );
  if (isPkcs12File(fileName, bytes)) {
    if (password === undefined)
      return failure('This PKCS#12 file is protected by a password: enter it (leave it empty if there is none).', true);
    return loadPkcs12PrivateKey(bytes, password);
  }
  return loadPemPrivateKey(new TextDecoder().decode(bytes), password);
}
