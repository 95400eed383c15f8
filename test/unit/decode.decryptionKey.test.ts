// The decode panel's decryption key loader: PEM (plain, PKCS#1, encrypted) and PKCS#12 files made by
// openssl in the test. A loaded key is right when its public part equals the one openssl derives
// from the original file; every bad file gets its specific message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { loadPrivateKeyFile } from '../../src/features/decode/headless/decryptionKey';

let dir: string;
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** openssl's SubjectPublicKeyInfo of the original key, as PEM. */
let originalPublicPem: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-keys-'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sp.key');
  openssl(
    'req',
    '-new',
    '-x509',
    '-key',
    'sp.key',
    '-subj',
    '/CN=upwork-sp-encryption',
    '-days',
    '365',
    '-out',
    'sp.crt',
  );
  openssl('pkey', '-in', 'sp.key', '-traditional', '-out', 'sp.rsa.key');
  openssl('pkey', '-in', 'sp.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'sp.encrypted.key');
  openssl('pkey', '-in', 'sp.key', '-pubout', '-out', 'sp.pub');
  // OpenSSL 3's default PKCS#12 encryption (AES, PBES2) and the older 3DES/RC2 one (-legacy).
  openssl('pkcs12', '-export', '-inkey', 'sp.key', '-in', 'sp.crt', '-passout', 'pass:p12-pass', '-out', 'sp.p12');
  openssl(
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    'sp.key',
    '-in',
    'sp.crt',
    '-passout',
    'pass:p12-pass',
    '-out',
    'sp.legacy.pfx',
  );
  openssl('pkcs12', '-export', '-nokeys', '-in', 'sp.crt', '-passout', 'pass:p12-pass', '-out', 'certs-only.p12');
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key');
  originalPublicPem = readFileSync(file('sp.pub'), 'utf8');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function publicPemOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

describe('decryption key files that load', () => {
  const cases: [string, string, string | undefined][] = [
    ['PKCS#8 PEM', 'sp.key', undefined],
    ['PKCS#1 "RSA PRIVATE KEY" PEM', 'sp.rsa.key', undefined],
    ['encrypted PEM with its passphrase', 'sp.encrypted.key', 's3cret'],
    ['PKCS#12 made by openssl (AES) with its password', 'sp.p12', 'p12-pass'],
    ['PKCS#12 made by openssl -legacy (3DES) with its password', 'sp.legacy.pfx', 'p12-pass'],
    ['PEM holding the certificate before the key', 'cert-then-key.pem', undefined],
  ];
  before(() => {
    const combined = readFileSync(file('sp.crt'), 'utf8') + readFileSync(file('sp.key'), 'utf8');
    writeFileSync(file('cert-then-key.pem'), combined);
  });
  for (const [name, fileName, password] of cases) {
    test(name, () => {
      const result = loadPrivateKeyFile(fileName, readFileSync(file(fileName)), password);
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.match(result.pem, /^-----BEGIN PRIVATE KEY-----\n/);
      assert.equal(publicPemOf(result.pem), originalPublicPem);
    });
  }

  test('PKCS#12 built with node-forge from a generated key', () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    // A key without certificates: forge takes null there, though its types do not say so.
    const noCertificates = null as unknown as forge.pki.Certificate[];
    const der = forge.asn1
      .toDer(forge.pkcs12.toPkcs12Asn1(keys.privateKey, noCertificates, 'forge-pass', { algorithm: '3des' }))
      .getBytes();
    const result = loadPrivateKeyFile('sp.pfx', Buffer.from(der, 'binary'), 'forge-pass');
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(publicPemOf(result.pem), publicPemOf(forge.pki.publicKeyToPem(keys.publicKey)));
  });
});

describe('decryption key files that are refused, each with its reason', () => {
  const cases: [string, () => [string, Uint8Array], string | undefined, RegExp, boolean][] = [
    [
      'a certificate',
      () => ['sp.crt', readFileSync(file('sp.crt'))],
      undefined,
      /holds a certificate, not a private key/,
      false,
    ],
    ['a public key', () => ['sp.pub', readFileSync(file('sp.pub'))], undefined, /holds a public key/, false],
    [
      'an encrypted PEM without passphrase',
      () => ['sp.encrypted.key', readFileSync(file('sp.encrypted.key'))],
      undefined,
      /encrypted: enter its passphrase/,
      true,
    ],
    [
      'an encrypted PEM with a wrong passphrase',
      () => ['sp.encrypted.key', readFileSync(file('sp.encrypted.key'))],
      'wrong',
      /passphrase is wrong/,
      true,
    ],
    [
      'a PKCS#12 without password yet',
      () => ['sp.p12', readFileSync(file('sp.p12'))],
      undefined,
      /protected by a password/,
      true,
    ],
    [
      'a PKCS#12 with a wrong password',
      () => ['sp.p12', readFileSync(file('sp.p12'))],
      'nope',
      /password for this PKCS#12 file is wrong/,
      true,
    ],
    [
      'a PKCS#12 with only certificates',
      () => ['certs-only.p12', readFileSync(file('certs-only.p12'))],
      'p12-pass',
      /holds no private key/,
      false,
    ],
    [
      'an EC key',
      () => ['ec.key', readFileSync(file('ec.key'))],
      undefined,
      /EC private key.*must be an RSA private key/,
      false,
    ],
    [
      'text that is no PEM',
      () => ['notes.txt', Buffer.from('hello')],
      undefined,
      /not a PEM private key or a PKCS#12 file/,
      false,
    ],
    ['a .p12 that is not DER', () => ['broken.p12', Buffer.from('not der at all')], 'x', /not a PKCS#12 file/, false],
    [
      'a damaged PEM body',
      () => ['bad.key', Buffer.from(readFileSync(file('sp.key'), 'utf8').replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!'))],
      undefined,
      /could not be read/,
      false,
    ],
    ['an empty file', () => ['empty.pem', new Uint8Array()], undefined, /empty/, false],
  ];
  for (const [name, read, password, message, needsPassword] of cases) {
    test(name, () => {
      const [fileName, bytes] = read();
      const result = loadPrivateKeyFile(fileName, bytes, password);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.message, message);
      assert.equal(result.needsPassword, needsPassword);
      // The message never quotes the file.
      assert.doesNotMatch(result.message, /MII[A-Za-z0-9+/]{8}/);
    });
  }
});
