// The committed sample workspace is exactly what the generator produces, and each sample shows
// what samples/README.md says it shows (checked with openssl, xmllint and xmlsec1 where possible).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import {
  DEFAULT_GENERATION_DATE,
  generateSamples,
  KEYS,
  KEY_WARNING,
  keyFile,
  sampleKeySeed,
  type KeyName,
} from '../../scripts/generate-samples';
import { generatePrivateKey } from '../../src/core/build/certificate';
import { certificateFindings, CertificateCode } from '../../src/core/certs';

const repoRoot = path.resolve(__dirname, '..', '..');
const samplesDirectory = path.join(repoRoot, 'samples');
const GENERATION_DATE = new Date(DEFAULT_GENERATION_DATE);
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';

function listFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory).flatMap((name) => {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (relative === '.vscode') return []; // the workspace settings are not generated
    return statSync(path.join(directory, name)).isDirectory()
      ? listFiles(path.join(directory, name), relative)
      : [relative];
  });
}

function sample(relativePath: string): string {
  return readFileSync(path.join(samplesDirectory, relativePath), 'utf8');
}

function withFiles<T>(files: Record<string, string>, run: (directory: string) => T): T {
  const directory = mkdtempSync(path.join(tmpdir(), 'samples-test-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(directory, name), content);
    return run(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

test('regenerating the samples (with the committed keys) gives the committed files, byte for byte', () => {
  const generated = generateSamples({ now: GENERATION_DATE, keysDirectory: path.join(samplesDirectory, 'keys') });
  assert.deepEqual(listFiles(samplesDirectory).sort(), [...generated.keys()].sort());
  for (const [relativePath, content] of generated) {
    assert.ok(
      sample(relativePath) === content,
      `${relativePath} differs from the generator's output: run npm run samples`,
    );
  }
});

test('the seeded sample keys regenerate identically (RSA-1024 and EC; the RSA-2048 keys use the same path)', () => {
  for (const name of ['legacy-idp-rsa-1024', 'modern-idp-ec-p256'] as KeyName[]) {
    assert.equal(sample(keyFile(name)), KEY_WARNING + generatePrivateKey(KEYS[name], sampleKeySeed(name)), name);
  }
});

test('every key file is labelled as a throwaway test key and still readable', () => {
  for (const name of Object.keys(KEYS) as KeyName[]) {
    const text = sample(keyFile(name));
    assert.match(text, /^THROWAWAY TEST KEY .* never use it for anything real/);
    assert.doesNotThrow(() => createPrivateKey(text), name);
  }
});

function opensslDates(pem: string): { notBefore: string; notAfter: string } {
  const result = spawnSync('openssl', ['x509', '-noout', '-dates'], { input: pem, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const value = (name: string) =>
    new Date(/=(.*)/.exec(result.stdout.split('\n').find((line) => line.startsWith(name)) ?? '')![1]).toISOString();
  return { notBefore: value('notBefore'), notAfter: value('notAfter') };
}

test('certificate dates relative to the generation date 2026-11-29 (hand-computed, read by openssl)', () => {
  assert.equal(DEFAULT_GENERATION_DATE, '2026-11-29T00:00:00Z');
  assert.deepEqual(opensslDates(sample('entra-id/UpworkEnterprise.cer')), {
    notBefore: '2026-10-30T00:00:00.000Z',
    notAfter: '2029-10-30T00:00:00.000Z',
  });
  assert.equal(opensslDates(sample('certificates/partner-idp-expiring-soon.pem')).notAfter, '2026-12-19T00:00:00.000Z');
  assert.equal(opensslDates(sample('certificates/partner-idp-expired.pem')).notAfter, '2026-10-15T00:00:00.000Z');
});

test('every XML sample is well-formed', () => {
  for (const relativePath of listFiles(samplesDirectory).filter((name) => name.endsWith('.xml'))) {
    const result = spawnSync('xmllint', ['--noout', path.join(samplesDirectory, relativePath)], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${relativePath}: ${result.stderr}`);
  }
});

test('the Entra ID metadata signature verifies with the published certificate (xmlsec1)', () => {
  const result = spawnSync(
    'xmlsec1',
    [
      '--verify',
      '--id-attr:ID',
      'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor',
      '--pubkey-cert-pem',
      path.join(samplesDirectory, 'entra-id/UpworkEnterprise.cer'),
      path.join(samplesDirectory, 'entra-id/UpworkEnterprise-FederationMetadata.xml'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
});

function decodeResponse(relativePath: string): { xml: string; document: Document } {
  const xml = Buffer.from(sample(relativePath), 'base64').toString('utf8');
  return { xml, document: new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document };
}

function assertionSignatureVerifies(xml: string): boolean {
  return withFiles(
    { 'response.xml': xml },
    (directory) =>
      spawnSync(
        'xmlsec1',
        [
          '--verify',
          '--id-attr:ID',
          `${ASSERTION}:Assertion`,
          '--pubkey-cert-pem',
          path.join(samplesDirectory, 'entra-id/UpworkEnterprise.cer'),
          path.join(directory, 'response.xml'),
        ],
        { encoding: 'utf8' },
      ).status === 0,
  );
}

test('responses: B.Simon with the four attributes, signed by the Entra key, with the stated conditions', () => {
  const spEntityId = /entityID="([^"]+)"/.exec(sample('upwork-enterprise/sp-metadata.xml'))![1];
  const text = (document: Document, name: string) => document.getElementsByTagNameNS(ASSERTION, name)[0]?.textContent;
  const conditions = (document: Document) => document.getElementsByTagNameNS(ASSERTION, 'Conditions')[0];

  const valid = decodeResponse('responses/b.simon-valid.saml.txt');
  assert.ok(assertionSignatureVerifies(valid.xml), 'valid response verifies');
  assert.equal(text(valid.document, 'NameID'), 'B.Simon@contoso.com');
  assert.equal(text(valid.document, 'Audience'), spEntityId);
  const attributes = Array.from(valid.document.getElementsByTagNameNS(ASSERTION, 'Attribute')).map((attribute) => [
    attribute.getAttribute('Name'),
    attribute.textContent,
  ]);
  assert.deepEqual(attributes, [
    ['FirstName', 'B'],
    ['LastName', 'Simon'],
    ['Country', 'United States'],
    ['Email', 'B.Simon@contoso.com'],
  ]);
  assert.equal(conditions(valid.document).getAttribute('NotBefore'), '2026-11-28T23:55:00Z');
  assert.equal(conditions(valid.document).getAttribute('NotOnOrAfter'), '2036-11-29T00:00:00Z');

  const expired = decodeResponse('responses/b.simon-expired.saml.txt');
  assert.ok(assertionSignatureVerifies(expired.xml), 'expired response is still correctly signed');
  assert.equal(conditions(expired.document).getAttribute('NotOnOrAfter'), '2026-11-27T01:00:00Z');

  const wrongAudience = decodeResponse('responses/b.simon-wrong-audience.saml.txt');
  assert.ok(assertionSignatureVerifies(wrongAudience.xml), 'wrong-audience response is correctly signed');
  assert.equal(text(wrongAudience.document, 'Audience'), 'https://www.upwork.com');
  assert.notEqual(text(wrongAudience.document, 'Audience'), spEntityId);

  // The check can fail: one changed attribute value breaks the signature.
  assert.equal(assertionSignatureVerifies(valid.xml.replace('>United States<', '>Canada<')), false);
});

test('the AuthnRequest URL targets the Entra SAML endpoint and inflates to an AuthnRequest from the SP', () => {
  const url = new URL(sample('requests/upwork-enterprise-authn-request.redirect-url.txt').trim());
  assert.equal(
    `${url.origin}${url.pathname}`,
    'https://login.microsoftonline.com/4f1a9c2e-7b3d-4e8a-9c51-2d6b8e0f3a77/saml2',
  );
  assert.equal(url.searchParams.get('RelayState'), 'https://www.upwork.com/ab/account-security/login');
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  assert.match(xml, /^<samlp:AuthnRequest /);
  assert.match(xml, /<saml:Issuer>https:\/\/www\.upwork\.com\/upwork-enterprise<\/saml:Issuer>/);
});

test('each certificate sample shows the diagnostic the README promises', () => {
  const expected: Record<string, string[][]> = {
    'certificates/partner-idp-expiring-soon.xml': [[CertificateCode.Expiring]],
    'certificates/partner-idp-expired.xml': [[CertificateCode.Expired]],
    'certificates/partner-idp-rollover-not-yet-valid.xml': [[CertificateCode.Expiring], [CertificateCode.NotYetValid]],
    'certificates/partner-idp-sha1-signed.xml': [[CertificateCode.WeakSignatureAlgorithm]],
    'certificates/legacy-idp-rsa-1024.xml': [[CertificateCode.WeakRsaKey]],
    'certificates/modern-idp-ec-p256.xml': [[]],
    'certificates/broken-base64.xml': [[CertificateCode.Invalid]],
    'certificates/double-encoded-pem.xml': [[CertificateCode.DoubleEncodedPem]],
    'entra-id/UpworkEnterprise-FederationMetadata.xml': [[], [], [], []],
    'upwork-enterprise/sp-metadata.xml': [[], []],
  };
  for (const [relativePath, codes] of Object.entries(expected)) {
    const certificates = [...sample(relativePath).matchAll(/<(?:\w+:)?X509Certificate>([^<]*)</g)].map(
      (match) => match[1],
    );
    assert.deepEqual(
      certificates.map((certificate) =>
        certificateFindings(certificate, { now: GENERATION_DATE }).map((finding) => finding.code),
      ),
      codes,
      relativePath,
    );
  }
});

test('samples README describes every generated file', () => {
  const readme = sample('README.md');
  for (const relativePath of listFiles(samplesDirectory).filter(
    (name) => name !== 'README.md' && !name.startsWith('keys/'),
  )) {
    const baseName = relativePath.replace(/\.(xml|pem)$/, '');
    assert.ok(readme.includes(relativePath) || readme.includes(baseName), `README.md does not mention ${relativePath}`);
  }
  assert.ok(existsSync(path.join(samplesDirectory, 'keys')));
});
