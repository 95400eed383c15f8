// Certificate facts compared with what openssl prints for the same bytes: certificates built here
// (RSA 2048/1024, EC P-256/P-384, SHA-1 and MD5 signed) and every certificate in the metadata corpus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  certificateFacts,
  certificateLabel,
  CertificateCode,
  type CertificateFacts,
  findCertificatesInPem,
} from '../../src/core/certs';
import { type CertificateDigest, generateCertificate, type KeySpec } from '../../src/core/build/certificate';
import { readElement } from '../../src/core/certs/der';
import { corpusCertificates } from './corpusCertificates';
import { corpus, skipWithout } from '../requirements';

// Most-specific-first, comma+space separated, RFC 2253 escaping, UTF-8 kept as is: the shape of formatName.
const NAME_OPTIONS = 'esc_2253,utf8,sep_comma_plus_space,dn_rev,sname';

interface OpensslView {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  sha1: string;
  sha256: string;
  text: string;
}

function field(output: string, name: string): string {
  const line = output.split('\n').find((candidate) => candidate.startsWith(`${name}=`));
  assert.ok(line !== undefined, `openssl printed no ${name}`);
  return line.slice(name.length + 1);
}

/** One `openssl x509` run prints the fields and the text; SHA-1 comes from `openssl dgst` separately. */
function parseView(output: string, sha1Hex: string): OpensslView {
  return {
    subject: field(output, 'subject'),
    issuer: field(output, 'issuer'),
    serial: field(output, 'serial'),
    notBefore: new Date(field(output, 'notBefore')),
    notAfter: new Date(field(output, 'notAfter')),
    sha256: field(output, 'sha256 Fingerprint'),
    sha1: (sha1Hex.toUpperCase().match(/../g) ?? []).join(':'),
    text: output,
  };
}

const X509_ARGS = [
  'x509',
  '-inform',
  'DER',
  '-noout',
  '-text',
  '-certopt',
  'no_pubkey,no_sigdump',
  '-nameopt',
  NAME_OPTIONS,
  '-subject',
  '-issuer',
  '-serial',
  '-dates',
  '-fingerprint',
  '-sha256',
];

/** SHA-1 of each DER file, by openssl dgst in one run: file name → hex. */
function opensslSha1(files: string[]): Map<string, string> {
  const result = spawnSync('openssl', ['dgst', '-sha1', '-r', ...files], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const digests = new Map<string, string>();
  for (const line of result.stdout.trim().split('\n')) {
    const [hex, file] = line.split(' *');
    digests.set(file, hex);
  }
  return digests;
}

function opensslSync(der: Buffer): OpensslView {
  const directory = mkdtempSync(path.join(tmpdir(), 'cert-facts-'));
  try {
    const file = path.join(directory, 'certificate.der');
    writeFileSync(file, der);
    const result = spawnSync('openssl', [...X509_ARGS, '-in', file], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return parseView(result.stdout, opensslSha1([file]).get(file) ?? '');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function opensslAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The facts that openssl can confirm independently. */
function assertMatchesOpenssl(facts: CertificateFacts, view: OpensslView, label: string): void {
  assert.equal(facts.subject, view.subject, `${label}: subject`);
  assert.equal(facts.issuer, view.issuer, `${label}: issuer`);
  assert.equal(facts.serialNumber, view.serial, `${label}: serial`);
  assert.equal(facts.notBefore.getTime(), view.notBefore.getTime(), `${label}: notBefore`);
  assert.equal(facts.notAfter.getTime(), view.notAfter.getTime(), `${label}: notAfter`);
  assert.equal(facts.thumbprints.sha1WithColons, view.sha1, `${label}: SHA-1`);
  assert.equal(facts.thumbprints.sha256WithColons, view.sha256, `${label}: SHA-256`);
  assert.equal(facts.thumbprints.sha1, view.sha1.replace(/:/g, ''), `${label}: SHA-1 without colons`);
  const signatureAlgorithm = /Signature Algorithm: (\S+)/.exec(view.text)?.[1];
  assert.equal(facts.signatureAlgorithm.name, signatureAlgorithm, `${label}: signature algorithm`);
  const keyBits = /Public-Key: \((\d+) bit\)/.exec(view.text)?.[1];
  if (keyBits && facts.publicKey.algorithm !== 'unknown')
    assert.equal(facts.publicKey.bits, Number(keyBits), `${label}: key size`);
  const curve = /NIST CURVE: (\S+)/.exec(view.text)?.[1];
  if (curve) assert.equal(facts.publicKey.curve, curve, `${label}: curve`);
  if (view.subject !== view.issuer) assert.equal(facts.selfSigned, false, `${label}: not self-signed`);
  const keyUsage = /X509v3 Key Usage:.*\n\s*(.*)/.exec(view.text)?.[1];
  assert.equal(facts.keyUsage?.join(', '), keyUsage, `${label}: key usage`);
  const extendedKeyUsage = /X509v3 Extended Key Usage:.*\n\s*(.*)/.exec(view.text)?.[1];
  assert.equal(facts.extendedKeyUsage?.join(', '), extendedKeyUsage, `${label}: extended key usage`);
  // The CLI listing's label, read from the DER alone, says the same.
  const listed = certificateLabel(facts.base64);
  assert.ok(listed, `${label}: a listing label`);
  assert.equal(listed.subject, view.subject, `${label}: label subject`);
  assert.equal(listed.sha1, view.sha1.replace(/:/g, ''), `${label}: label SHA-1`);
  assert.equal(listed.notAfter.getTime(), view.notAfter.getTime(), `${label}: label notAfter`);
}

// Native key generation keeps the test fast; the builder certifies these keys.
function nativeKey(key: KeySpec): string {
  if (key.keyType === 'rsa')
    return generateKeyPairSync('rsa', { modulusLength: key.bits })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
  return generateKeyPairSync('ec', { namedCurve: key.curve === 'P-256' ? 'prime256v1' : 'secp384r1' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

const BUILT_CASES: {
  name: string;
  key: KeySpec;
  digest: CertificateDigest;
  expected: { algorithm: string; bits: number; curve?: string; signature: string };
}[] = [
  {
    name: 'RSA 2048, sha256',
    key: { keyType: 'rsa', bits: 2048 },
    digest: 'sha256',
    expected: { algorithm: 'RSA', bits: 2048, signature: '1.2.840.113549.1.1.11' },
  },
  {
    name: 'RSA 1024, sha256',
    key: { keyType: 'rsa', bits: 1024 },
    digest: 'sha256',
    expected: { algorithm: 'RSA', bits: 1024, signature: '1.2.840.113549.1.1.11' },
  },
  {
    name: 'RSA 2048, sha1',
    key: { keyType: 'rsa', bits: 2048 },
    digest: 'sha1',
    expected: { algorithm: 'RSA', bits: 2048, signature: '1.2.840.113549.1.1.5' },
  },
  {
    name: 'RSA 2048, md5',
    key: { keyType: 'rsa', bits: 2048 },
    digest: 'md5',
    expected: { algorithm: 'RSA', bits: 2048, signature: '1.2.840.113549.1.1.4' },
  },
  {
    name: 'EC P-256, sha256',
    key: { keyType: 'ec', curve: 'P-256' },
    digest: 'sha256',
    expected: { algorithm: 'EC', bits: 256, curve: 'P-256', signature: '1.2.840.10045.4.3.2' },
  },
  {
    name: 'EC P-384, sha384',
    key: { keyType: 'ec', curve: 'P-384' },
    digest: 'sha384',
    expected: { algorithm: 'EC', bits: 384, curve: 'P-384', signature: '1.2.840.10045.4.3.3' },
  },
];

for (const { name, key, digest, expected } of BUILT_CASES) {
  test(`certificateFacts matches openssl: ${name}`, () => {
    const certificate = generateCertificate(key, {
      subject: {
        commonName: 'idp.contoso.example',
        organization: 'Contoso, Ltd',
        organizationalUnit: 'Identity+Access',
        locality: 'Zürich',
        country: 'CH',
        email: 'admin@contoso.example',
      },
      notBefore: new Date('2025-01-02T03:04:05Z'),
      notAfter: new Date('2028-01-02T03:04:05Z'),
      signatureAlgorithm: digest,
      serial: '00ff01',
      dnsNames: ['idp.contoso.example', 'login.contoso.example'],
      privateKeyPem: nativeKey(key),
    });
    const facts = certificateFacts(certificate.certificateBase64);
    assert.ok(facts.ok, facts.ok ? '' : facts.error.message);
    const view = opensslSync(Buffer.from(certificate.certificateBase64, 'base64'));
    assertMatchesOpenssl(facts.value, view, name);

    // Hand-checked values: what the builder was asked for.
    assert.equal(facts.value.subjectCommonName, 'idp.contoso.example');
    assert.equal(
      facts.value.subject,
      'emailAddress=admin@contoso.example, CN=idp.contoso.example, OU=Identity\\+Access, O=Contoso\\, Ltd, L=Zürich, C=CH',
    );
    assert.equal(facts.value.serialNumber, 'FF01');
    assert.equal(facts.value.selfSigned, true);
    assert.equal(facts.value.publicKey.algorithm, expected.algorithm);
    assert.equal(facts.value.publicKey.bits, expected.bits);
    assert.equal(facts.value.publicKey.curve, expected.curve);
    assert.equal(facts.value.signatureAlgorithm.oid, expected.signature);
    assert.deepEqual(facts.value.subjectAltNames, ['DNS:idp.contoso.example', 'DNS:login.contoso.example']);
    const sanLine = /Subject Alternative Name:\s*\n\s*(.*)/.exec(view.text)?.[1];
    assert.equal(facts.value.subjectAltNames.join(', '), sanLine);
    // openssl confirms the self-signature independently (MD5 is refused by OpenSSL 3's default security level).
    if (digest !== 'md5') {
      const directory = mkdtempSync(path.join(tmpdir(), 'cert-verify-'));
      try {
        const file = path.join(directory, 'self.pem');
        writeFileSync(file, certificate.certificatePem);
        const verify = spawnSync('openssl', ['verify', '-auth_level', '0', '-CAfile', file, file], {
          encoding: 'utf8',
        });
        assert.match(verify.stdout, /: OK/, verify.stderr);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }
  });
}

test('certificateFacts: self-signed is false when the signature does not verify with the own key', () => {
  // Same subject and issuer, but certified by another key: copy the TBS of one and the signature of another.
  const spec = {
    subject: { commonName: 'same-name.example' },
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    serial: '01',
  };
  const first = generateCertificate({ keyType: 'ec', curve: 'P-256' }, { ...spec, seed: 'first' });
  const second = generateCertificate({ keyType: 'ec', curve: 'P-256' }, { ...spec, seed: 'second' });
  const firstDer = Buffer.from(first.certificateBase64, 'base64');
  const secondDer = Buffer.from(second.certificateBase64, 'base64');
  // Certificate ::= SEQUENCE { tbs, algorithm, signature }: first's TBS with second's algorithm and signature.
  const tbsEnd = (der: Buffer) => readElement(der, 4, der.length, 'tbs').end;
  const body = Buffer.concat([firstDer.subarray(4, tbsEnd(firstDer)), secondDer.subarray(tbsEnd(secondDer))]);
  const spliced = Buffer.concat([Buffer.from([0x30, 0x82, body.length >> 8, body.length & 0xff]), body]);
  const facts = certificateFacts(spliced.toString('base64'));
  assert.ok(facts.ok, facts.ok ? '' : facts.error.message);
  assert.equal(facts.value.subject, facts.value.issuer);
  assert.equal(facts.value.selfSigned, false);
  const opensslVerify = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-text'], { input: spliced });
  assert.equal(opensslVerify.status, 0, 'openssl still reads the spliced certificate');
});

test('findCertificatesInPem: PEM blocks among other blocks, binary DER, and text without certificates', () => {
  const spec = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };
  const a = generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    { ...spec, subject: { commonName: 'a.example' }, seed: 'a' },
  );
  const b = generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    { ...spec, subject: { commonName: 'b.example' }, seed: 'b' },
  );
  const bundle = `Bag Attributes\r\n${a.privateKeyPem}${a.certificatePem.replace(/\n/g, '\r\n')}subject=b\n${b.certificatePem}`;
  const found = findCertificatesInPem(bundle);
  assert.deepEqual(
    found.map((certificate) => certificate.facts.ok && certificate.facts.value.subjectCommonName),
    ['a.example', 'b.example'],
  );
  for (const certificate of found)
    assert.match(
      bundle.slice(certificate.start, certificate.end),
      /^-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----$/,
    );
  const der = findCertificatesInPem(Buffer.from(a.certificateBase64, 'base64'));
  assert.equal(der.length, 1);
  assert.equal(der[0].base64, a.certificateBase64);
  assert.deepEqual(findCertificatesInPem(a.privateKeyPem), []);
  assert.deepEqual(
    findCertificatesInPem(Buffer.from(a.certificatePem)).map((certificate) => certificate.base64),
    [a.certificateBase64],
  );
});

test('corpus: every X509Certificate gets facts or a clear error; facts match openssl', async (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  const distinct = new Map<string, string>(); // compact base64 → first file
  const errorsByFile = new Map<string, string[]>();
  for (const { file, text } of corpusCertificates()) {
    const facts = certificateFacts(text);
    if (!facts.ok) {
      assert.ok(facts.error.message.length > 30 && facts.error.fix.length > 20, `${file}: ${facts.error.message}`);
      errorsByFile.set(file, [...(errorsByFile.get(file) ?? []), facts.error.code]);
      continue;
    }
    if (!distinct.has(facts.value.base64)) distinct.set(facts.value.base64, file);
  }
  // The only unreadable certificates in the corpus are the double-encoded PEMs (SOURCES.md).
  assert.deepEqual([...errorsByFile.keys()], ['idp-metadata-pem-double-base64-cert.xml']);
  assert.ok(
    errorsByFile
      .get('idp-metadata-pem-double-base64-cert.xml')!
      .every((code) => code === CertificateCode.DoubleEncodedPem),
  );

  const entries = [...distinct.entries()];
  const directory = mkdtempSync(path.join(tmpdir(), 'cert-corpus-'));
  try {
    const derFiles = entries.map(([base64], index) => {
      const file = path.join(directory, `${index}.der`);
      writeFileSync(file, Buffer.from(base64, 'base64'));
      return file;
    });
    const sha1ByFile = opensslSha1(derFiles);
    const mismatches: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const index = next++;
        const [base64, file] = entries[index];
        const printed = await opensslAsync([...X509_ARGS, '-in', derFiles[index]]);
        if (printed.status !== 0) {
          mismatches.push(`${file}: openssl failed: ${printed.stderr}`);
          continue;
        }
        const facts = certificateFacts(base64);
        try {
          assert.ok(facts.ok);
          assertMatchesOpenssl(facts.value, parseView(printed.stdout, sha1ByFile.get(derFiles[index]) ?? ''), file);
        } catch (error) {
          mismatches.push(`${(error as Error).message.split('\n')[0]} (${file})`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    assert.deepEqual(mismatches, []);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  t.diagnostic(`${entries.length} distinct corpus certificates match openssl`);
});
