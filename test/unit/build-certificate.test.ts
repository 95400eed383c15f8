// The test-certificate builder: openssl accepts what it builds, seeds make it reproducible, keys can
// be reused, and bad specs fail with a specific message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  generateCertificate,
  generatePrivateKey,
  type CertificateSpec,
  type KeySpec,
} from '../../src/core/build/certificate';

const SPEC: CertificateSpec = {
  subject: { commonName: 'builder.test', organization: 'Builder & Sons', country: 'US' },
  notBefore: new Date('2026-11-29T00:00:00Z'),
  notAfter: new Date('2029-11-28T00:00:00Z'),
  seed: 'build-certificate-test',
};

function openssl(
  args: string[],
  files: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'build-certificate-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(directory, name), content);
    return spawnSync('openssl', args, { cwd: directory, encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const KEY_CASES: { key: KeySpec; digest?: 'sha256' | 'sha384' | 'sha1'; algorithmLine: string; keyLine: RegExp }[] = [
  {
    key: { keyType: 'rsa', bits: 1024 },
    algorithmLine: 'sha256WithRSAEncryption',
    keyLine: /Public-Key: \(1024 bit\)/,
  },
  {
    key: { keyType: 'rsa', bits: 1024 },
    digest: 'sha1',
    algorithmLine: 'sha1WithRSAEncryption',
    keyLine: /Public-Key: \(1024 bit\)/,
  },
  { key: { keyType: 'ec', curve: 'P-256' }, algorithmLine: 'ecdsa-with-SHA256', keyLine: /NIST CURVE: P-256/ },
  {
    key: { keyType: 'ec', curve: 'P-384' },
    digest: 'sha384',
    algorithmLine: 'ecdsa-with-SHA384',
    keyLine: /NIST CURVE: P-384/,
  },
];

for (const { key, digest, algorithmLine, keyLine } of KEY_CASES) {
  const label = `${key.keyType === 'rsa' ? `RSA ${key.bits}` : `EC ${key.curve}`} ${digest ?? 'sha256'}`;
  test(`generateCertificate ${label}: openssl reads, verifies and matches the key; seeded output is byte-identical`, () => {
    const spec = { ...SPEC, signatureAlgorithm: digest };
    const certificate = generateCertificate(key, spec);
    const again = generateCertificate(key, spec);
    assert.equal(again.certificatePem, certificate.certificatePem);
    assert.equal(again.privateKeyPem, certificate.privateKeyPem);
    assert.notEqual(
      generateCertificate(key, { ...spec, seed: 'another seed' }).certificatePem,
      certificate.certificatePem,
    );

    const text = openssl(['x509', '-in', 'c.pem', '-noout', '-text', '-dates', '-subject', '-nameopt', 'RFC2253'], {
      'c.pem': certificate.certificatePem,
    });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Signature Algorithm: ${algorithmLine}`));
    assert.match(text.stdout, keyLine);
    assert.match(text.stdout, /notBefore=Nov 29 00:00:00 2026 GMT/);
    assert.match(text.stdout, /notAfter=Nov 28 00:00:00 2029 GMT/);
    assert.match(text.stdout, /subject=CN=builder.test,O=Builder & Sons,C=US/);
    const verify = openssl(['verify', '-auth_level', '0', '-CAfile', 'c.pem', 'c.pem'], {
      'c.pem': certificate.certificatePem,
    });
    assert.match(verify.stdout, /c.pem: OK/, verify.stderr);
    // The private key belongs to the certificate: openssl derives the same public key from both.
    const fromCertificate = openssl(['x509', '-in', 'c.pem', '-noout', '-pubkey'], {
      'c.pem': certificate.certificatePem,
    });
    const fromKey = openssl(['pkey', '-in', 'k.pem', '-pubout'], { 'k.pem': certificate.privateKeyPem });
    assert.equal(fromKey.status, 0, fromKey.stderr);
    assert.equal(fromCertificate.stdout, fromKey.stdout);
    assert.equal(
      Buffer.from(certificate.certificateBase64, 'base64').toString('base64'),
      certificate.certificateBase64,
    );
  });
}

test('generatePrivateKey gives the key generateCertificate uses for the same seed', () => {
  for (const key of [
    { keyType: 'rsa', bits: 1024 },
    { keyType: 'ec', curve: 'P-256' },
  ] as KeySpec[]) {
    assert.equal(generatePrivateKey(key, SPEC.seed), generateCertificate(key, SPEC).privateKeyPem);
  }
});

test('an existing key can be certified again (renewal), keeping the public key', () => {
  const first = generateCertificate({ keyType: 'ec', curve: 'P-256' }, SPEC);
  const renewed = generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    {
      ...SPEC,
      seed: undefined,
      notBefore: new Date('2029-11-01T00:00:00Z'),
      notAfter: new Date('2032-11-01T00:00:00Z'),
      privateKeyPem: first.privateKeyPem,
    },
  );
  const publicKey = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' });
  assert.equal(publicKey(renewed.certificatePem), publicKey(first.certificatePem));
  assert.notEqual(renewed.certificatePem, first.certificatePem);
  assert.equal(
    createPublicKey(createPrivateKey(first.privateKeyPem)).export({ type: 'spki', format: 'pem' }),
    publicKey(renewed.certificatePem),
  );
});

test('dates from 2050 are GeneralizedTime and before are UTCTime (RFC 5280)', () => {
  const certificate = generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    { ...SPEC, notAfter: new Date('2050-01-01T00:00:00Z') },
  );
  const parsed = openssl(['asn1parse', '-in', 'c.pem'], { 'c.pem': certificate.certificatePem });
  assert.match(parsed.stdout, /UTCTIME\s+:261129000000Z/);
  assert.match(parsed.stdout, /GENERALIZEDTIME\s+:20500101000000Z/);
});

const BAD_SPECS: { name: string; key: KeySpec; spec: Partial<CertificateSpec>; message: RegExp }[] = [
  {
    name: 'notAfter before notBefore',
    key: { keyType: 'ec', curve: 'P-256' },
    spec: { notAfter: new Date('2020-01-01T00:00:00Z') },
    message: /notAfter must be later than notBefore/,
  },
  {
    name: 'invalid date',
    key: { keyType: 'ec', curve: 'P-256' },
    spec: { notBefore: new Date('not a date') },
    message: /valid dates/,
  },
  {
    name: 'no common name',
    key: { keyType: 'ec', curve: 'P-256' },
    spec: { subject: { commonName: '' } },
    message: /subject common name/,
  },
  {
    name: 'MD5 with ECDSA',
    key: { keyType: 'ec', curve: 'P-256' },
    spec: { signatureAlgorithm: 'md5' },
    message: /cannot be signed with MD5/,
  },
  { name: 'odd RSA size', key: { keyType: 'rsa', bits: 1536 as 1024 }, spec: {}, message: /1024, 2048, 3072 or 4096/ },
  {
    name: 'bad serial',
    key: { keyType: 'ec', curve: 'P-256' },
    spec: { serial: 'xyz' },
    message: /Serial number must be hex/,
  },
  {
    name: 'EC key for an RSA spec',
    key: { keyType: 'rsa', bits: 2048 },
    spec: { privateKeyPem: generatePrivateKey({ keyType: 'ec', curve: 'P-256' }, 'x') },
    message: /not an RSA key/,
  },
  {
    name: 'P-384 key for a P-256 spec',
    key: { keyType: 'ec', curve: 'P-256' },
    spec: { privateKeyPem: generatePrivateKey({ keyType: 'ec', curve: 'P-384' }, 'x') },
    message: /not an EC P-256 key/,
  },
];

for (const { name, key, spec, message } of BAD_SPECS) {
  test(`generateCertificate refuses: ${name}`, () => {
    assert.throws(() => generateCertificate(key, { ...SPEC, ...spec }), message);
  });
}
