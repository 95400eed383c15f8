// The DER walker and the cheap validity path: RFC 5280 time rules, exact dates against openssl,
// every malformed input ends in a specific message (never an exception), and a rough speed figure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { readTime, readOid, readElement, DerError, Tag } from '../../src/core/certs/der';
import { readValidity, certificateFacts, certificateFindings, CertificateCode } from '../../src/core/certs';
import { generateCertificate } from '../../src/core/build/certificate';
import { seededRandom } from '../fuzz/random';
import { corpusCertificates, corpusMetadataDirectory } from './corpusCertificates';
import { corpus, skipWithout } from '../requirements';

function timeElement(
  tag: number,
  text: string,
): { bytes: Uint8Array; element: { tag: number; start: number; contentStart: number; end: number } } {
  const content = Buffer.from(text, 'latin1');
  const bytes = Buffer.concat([Buffer.from([tag, content.length]), content]);
  return { bytes, element: { tag, start: 0, contentStart: 2, end: bytes.length } };
}

const TIME_CASES: { name: string; tag: number; text: string; expected: string }[] = [
  { name: 'UTCTime YY=49 is 2049', tag: Tag.UtcTime, text: '491231235959Z', expected: '2049-12-31T23:59:59.000Z' },
  { name: 'UTCTime YY=50 is 1950', tag: Tag.UtcTime, text: '500101000000Z', expected: '1950-01-01T00:00:00.000Z' },
  { name: 'UTCTime YY=99 is 1999', tag: Tag.UtcTime, text: '991231235959Z', expected: '1999-12-31T23:59:59.000Z' },
  { name: 'UTCTime YY=00 is 2000', tag: Tag.UtcTime, text: '000229120000Z', expected: '2000-02-29T12:00:00.000Z' },
  { name: 'UTCTime without seconds', tag: Tag.UtcTime, text: '2611290930Z', expected: '2026-11-29T09:30:00.000Z' },
  {
    name: 'UTCTime with +0100 offset',
    tag: Tag.UtcTime,
    text: '261129000000+0100',
    expected: '2026-11-28T23:00:00.000Z',
  },
  {
    name: 'UTCTime with -0530 offset',
    tag: Tag.UtcTime,
    text: '261129000000-0530',
    expected: '2026-11-29T05:30:00.000Z',
  },
  {
    name: 'GeneralizedTime from 2050',
    tag: Tag.GeneralizedTime,
    text: '20500101000000Z',
    expected: '2050-01-01T00:00:00.000Z',
  },
  {
    name: 'GeneralizedTime 9999 (no well-defined expiry)',
    tag: Tag.GeneralizedTime,
    text: '99991231235959Z',
    expected: '9999-12-31T23:59:59.000Z',
  },
  {
    name: 'GeneralizedTime with fraction',
    tag: Tag.GeneralizedTime,
    text: '20261129120000.25Z',
    expected: '2026-11-29T12:00:00.250Z',
  },
];

for (const { name, tag, text, expected } of TIME_CASES) {
  test(`readTime: ${name}`, () => {
    const { bytes, element } = timeElement(tag, text);
    assert.equal(readTime(bytes, element, 'test').toISOString(), expected);
  });
}

const BAD_TIME_CASES: { text: string; tag: number; message: RegExp }[] = [
  { tag: Tag.UtcTime, text: '261329000000Z', message: /impossible date/ },
  { tag: Tag.UtcTime, text: '260230000000Z', message: /impossible date/ },
  { tag: Tag.UtcTime, text: '250229000000Z', message: /impossible date/ },
  { tag: Tag.UtcTime, text: '261129250000Z', message: /impossible date/ },
  { tag: Tag.UtcTime, text: '261129000000', message: /time zone designator missing/ },
  { tag: Tag.UtcTime, text: 'AB1129000000Z', message: /unexpected character/ },
  { tag: Tag.UtcTime, text: '2611', message: /too short/ },
  { tag: Tag.UtcTime, text: '261129000000Zxx', message: /after the time zone/ },
  { tag: Tag.Integer, text: '261129000000Z', message: /expected UTCTime or GeneralizedTime/ },
];

for (const { text, tag, message } of BAD_TIME_CASES) {
  test(`readTime rejects ${JSON.stringify(text)} (tag ${tag})`, () => {
    const { bytes, element } = timeElement(tag, text);
    assert.throws(
      () => readTime(bytes, element, 'test'),
      (error: unknown) => error instanceof DerError && message.test(error.message),
    );
  });
}

/** Dates as openssl prints them ("notAfter=Nov 29 00:00:00 2055 GMT"), parsed independently of our DER code. */
function opensslDates(der: Buffer): { notBefore: Date; notAfter: Date } {
  const result = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-dates'], { input: der, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const field = (name: string) =>
    new Date(`${/^.*=(.*)$/m.exec(result.stdout.split('\n').find((line) => line.startsWith(name)) ?? '')?.[1]}`);
  return { notBefore: field('notBefore'), notAfter: field('notAfter') };
}

// One seeded RSA-1024 key certified several times (generating a key is the slow part).
const baseSpec = { subject: { commonName: 'validity.test' }, seed: 'cert-der-test' };
const template = generateCertificate(
  { keyType: 'rsa', bits: 1024 },
  { ...baseSpec, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') },
);
const certificateFor = (notBefore: string, notAfter: string) =>
  generateCertificate(
    { keyType: 'rsa', bits: 1024 },
    {
      ...baseSpec,
      privateKeyPem: template.privateKeyPem,
      notBefore: new Date(notBefore),
      notAfter: new Date(notAfter),
    },
  );

const VALIDITY_CASES = [
  { notBefore: '2023-11-16T20:41:29Z', notAfter: '2026-11-16T20:41:29Z' },
  { notBefore: '1999-12-31T23:59:59Z', notAfter: '2049-12-31T23:59:59Z' },
  { notBefore: '2026-11-29T00:00:00Z', notAfter: '2055-11-29T12:34:56Z' }, // GeneralizedTime after 2049
];

for (const dates of VALIDITY_CASES) {
  test(`readValidity matches openssl and the requested dates: ${dates.notBefore} → ${dates.notAfter}`, () => {
    const certificate = certificateFor(dates.notBefore, dates.notAfter);
    const validity = readValidity(certificate.certificateBase64);
    assert.ok(validity.ok);
    const fromOpenssl = opensslDates(Buffer.from(certificate.certificateBase64, 'base64'));
    assert.equal(validity.value.notBefore.toISOString(), new Date(dates.notBefore).toISOString());
    assert.equal(validity.value.notAfter.toISOString(), new Date(dates.notAfter).toISOString());
    assert.equal(validity.value.notBefore.getTime(), fromOpenssl.notBefore.getTime());
    assert.equal(validity.value.notAfter.getTime(), fromOpenssl.notAfter.getTime());
  });
}

test('readValidity tolerates CRLF, indentation and PEM armour', () => {
  const certificate = certificateFor('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
  const lines = certificate.certificateBase64.match(/.{1,76}/g) ?? [];
  const variants = {
    crlfIndented: `\r\n        ${lines.join('\r\n        ')}\r\n      `,
    tabs: `\t${lines.join('\n\t')}`,
    pem: certificate.certificatePem,
    pemCrlf: certificate.certificatePem.replace(/\n/g, '\r\n'),
  };
  for (const [name, text] of Object.entries(variants)) {
    const validity = readValidity(text);
    assert.ok(validity.ok, name);
    assert.equal(validity.value.notAfter.toISOString(), '2027-01-01T00:00:00.000Z', name);
  }
});

const der = Buffer.from(certificateFor('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z').certificateBase64, 'base64');
const BAD_INPUTS: { name: string; text: string; code: string; message: RegExp }[] = [
  { name: 'empty', text: '   \r\n  ', code: CertificateCode.Invalid, message: /empty/ },
  {
    name: 'not base64',
    text: 'MIIC!!notbase64',
    code: CertificateCode.Invalid,
    message: /Not valid base64: unexpected character "!" at offset 4/,
  },
  {
    name: 'base64 with a "%" in the middle',
    text: `${der.toString('base64').slice(0, 100)}%${der.toString('base64').slice(101)}`,
    code: CertificateCode.Invalid,
    message: /unexpected character "%" at offset 100/,
  },
  {
    name: 'one character too many',
    text: `${der.toString('base64').replace(/=+$/, '')}AAAAA`,
    code: CertificateCode.Invalid,
    message: /cannot be a complete base64 text|bad DER/,
  },
  {
    name: 'text, not DER',
    text: Buffer.from('This is not a certificate at all').toString('base64'),
    code: CertificateCode.Invalid,
    message: /decodes to text/,
  },
  {
    name: 'wrong first byte',
    text: Buffer.from([0x02, 0x01, 0x00]).toString('base64'),
    code: CertificateCode.Invalid,
    message: /start with 0x02.*SEQUENCE/,
  },
  {
    name: 'truncated DER',
    text: der.subarray(0, 200).toString('base64'),
    code: CertificateCode.Invalid,
    message: /bad DER.*declares \d+ bytes but only 196 remain/,
  },
  {
    name: 'trailing bytes',
    text: Buffer.concat([der, Buffer.from([0, 0])]).toString('base64'),
    code: CertificateCode.Invalid,
    message: /2 unexpected bytes after the end/,
  },
  {
    name: 'indefinite length',
    text: Buffer.from([0x30, 0x80, 0x30, 0x00, 0x00, 0x00]).toString('base64'),
    code: CertificateCode.Invalid,
    message: /indefinite length/,
  },
  {
    name: 'a SEQUENCE of nothing',
    text: Buffer.from([0x30, 0x00]).toString('base64'),
    code: CertificateCode.Invalid,
    message: /TBSCertificate: missing/,
  },
  {
    name: 'PEM private key',
    text: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
    code: CertificateCode.Invalid,
    message: /PRIVATE KEY, not a CERTIFICATE/,
  },
  {
    name: 'PEM without END',
    text: '-----BEGIN CERTIFICATE-----\nMIIB',
    code: CertificateCode.Invalid,
    message: /no matching "-----END"/,
  },
  {
    name: 'base64 of a PEM file',
    text: Buffer.from(certificateFor('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z').certificatePem).toString('base64'),
    code: CertificateCode.DoubleEncodedPem,
    message: /encoded twice/,
  },
];

for (const { name, text, code, message } of BAD_INPUTS) {
  test(`bad certificate text gives a specific error (readValidity, certificateFacts, certificateFindings): ${name}`, () => {
    for (const result of [readValidity(text), certificateFacts(text)]) {
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.equal(result.error.code, code);
      assert.match(result.error.message, message);
      assert.ok(result.error.fix.length > 20);
    }
    const findings = certificateFindings(text, { now: new Date('2026-11-29T00:00:00Z') });
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity]),
      [[code, 'error']],
    );
  });
}

test('double-encoded PEM: the error carries the base64 that belongs in X509Certificate', () => {
  const certificate = certificateFor('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
  const result = readValidity(Buffer.from(certificate.certificatePem).toString('base64'));
  assert.ok(!result.ok);
  assert.equal(result.error.innerBase64, certificate.certificateBase64);
});

test('seeded fuzz: truncated and corrupted DER never throws', () => {
  const seed = Number(process.env.CERT_FUZZ_SEED ?? 20261129);
  console.log(`cert fuzz seed ${seed} (set CERT_FUZZ_SEED to replay)`);
  const random = seededRandom(seed);
  let rejected = 0;
  for (let round = 0; round < 1500; round++) {
    let bytes = Buffer.from(der);
    if (random() < 0.4) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
    const flips = 1 + Math.floor(random() * 4);
    for (let i = 0; i < flips && bytes.length > 0; i++)
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const text = bytes.toString('base64');
    const context = `seed ${seed}, round ${round}`;
    const validity = readValidity(text);
    const facts = certificateFacts(text);
    const findings = certificateFindings(text, { now: new Date('2026-11-29T00:00:00Z') });
    if (!validity.ok) assert.match(validity.error.message, /\w/, context);
    if (!facts.ok) {
      rejected++;
      assert.match(facts.error.message, /certificate|base64|empty/i, context);
    }
    assert.ok(Array.isArray(findings), context);
  }
  assert.ok(rejected > 0, 'the corruption must be detected at least sometimes');
});

test('corpus: readValidity agrees with X509Certificate.validFrom/validTo for every certificate', (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  let compared = 0;
  for (const { text } of corpusCertificates()) {
    const validity = readValidity(text);
    const decoded = Buffer.from(text, 'base64');
    if (decoded.toString('latin1', 0, 10) === '-----BEGIN') {
      // Node happily reads the PEM inside; SAML libraries expect DER here, so we report it.
      assert.ok(!validity.ok && validity.error.code === CertificateCode.DoubleEncodedPem);
      continue;
    }
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(decoded);
    } catch {
      assert.equal(validity.ok, false, 'X509Certificate refused it, so must we');
      continue;
    }
    assert.ok(validity.ok, text.slice(0, 60));
    assert.equal(validity.value.notBefore.getTime(), new Date(certificate.validFrom).getTime());
    assert.equal(validity.value.notAfter.getTime(), new Date(certificate.validTo).getTime());
    compared++;
  }
  assert.ok(compared > 1000, `compared ${compared}`);
});

test('perf (printed, not asserted): readValidity for 24,000 certificates', (t) => {
  const source = existsSync(corpusMetadataDirectory)
    ? corpusCertificates().map(({ text }) => text)
    : [der.toString('base64')];
  const texts: string[] = [];
  while (texts.length < 24_000) texts.push(...source);
  texts.length = 24_000;
  for (const text of texts.slice(0, 2000)) readValidity(text); // warm up the JIT
  const start = performance.now();
  let valid = 0;
  for (const text of texts) if (readValidity(text).ok) valid++;
  const readMs = performance.now() - start;
  const base64Start = performance.now();
  for (const text of texts) Buffer.from(text, 'base64');
  const base64Ms = performance.now() - base64Start;
  const x509Start = performance.now();
  for (const text of texts.slice(0, 2000)) {
    try {
      new X509Certificate(Buffer.from(text, 'base64'));
    } catch {
      // counted as time spent all the same
    }
  }
  const x509Ms = ((performance.now() - x509Start) / 2000) * 24_000;
  const summary = `readValidity: 24,000 certificates (${valid} valid) in ${readMs.toFixed(1)} ms; base64 decode alone ${base64Ms.toFixed(1)} ms; X509Certificate would take ≈ ${x509Ms.toFixed(0)} ms`;
  console.log(summary);
  t.diagnostic(summary);
});

test('readOid decodes what openssl encodes, including arcs beyond 2^53', () => {
  const oids = [
    '1.2.840.113549.1.1.11',
    '1.3.6.1.4.1.311.60.2.1.3',
    '2.5.4.3',
    '0.9.2342.19200300.100.1.25',
    '2.999.1',
    '2.25.329800735698586629295641978511506172918',
  ];
  for (const oid of oids) {
    const directory = mkdtempSync(path.join(tmpdir(), 'oid-'));
    try {
      writeFileSync(path.join(directory, 'oid.cnf'), `asn1=OID:${oid}\n`);
      const result = spawnSync('openssl', ['asn1parse', '-genconf', 'oid.cnf', '-out', 'oid.der', '-noout'], {
        cwd: directory,
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      const bytes = readFileSync(path.join(directory, 'oid.der'));
      assert.equal(readOid(bytes, readElement(bytes, 0, bytes.length, 'oid'), 'oid'), oid);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  const truncated = Buffer.from([0x06, 0x02, 0x2a, 0x86]);
  assert.throws(
    () => readOid(truncated, readElement(truncated, 0, truncated.length, 'oid'), 'oid'),
    /ends inside an arc/,
  );
});
