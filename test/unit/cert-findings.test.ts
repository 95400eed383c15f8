// Findings with a fixed clock: expiry wording and thresholds, weak keys and algorithms, and the
// document-level duplicate / signing-and-encryption checks. Expected texts are written by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  certificateFacts,
  certificateFindings,
  documentCertificateFindings,
  CertificateCode,
} from '../../src/core/certs';
import { generateCertificate, type CertificateDigest, type KeySpec } from '../../src/core/build/certificate';
import { relativeTime, describeDuration, formatDate, wholeDaysUntil } from '../../src/core/time';

const NOW = new Date('2026-11-29T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test('relativeTime wording', () => {
  const cases: [number, string][] = [
    [23 * DAY, 'in 23 days'],
    [-12 * DAY - 3 * HOUR, '12 days ago'],
    [3 * HOUR + 59 * 60_000, 'in 3 hours'],
    [HOUR, 'in 1 hour'],
    [90_000, 'in 1 minute'],
    [-30_000, 'less than a minute ago'],
    [-DAY, '1 day ago'],
    [400 * DAY, 'in 400 days'],
    [800 * DAY, 'in 2 years'],
    [-(8 * 365 + 177) * DAY, '8 years ago'],
  ];
  for (const [offset, expected] of cases)
    assert.equal(relativeTime(new Date(NOW.getTime() + offset), NOW), expected, `offset ${offset}`);
  assert.equal(describeDuration(-2 * DAY), '2 days');
  assert.equal(formatDate(new Date('2026-11-16T20:41:29Z')), '2026-11-16');
  assert.equal(wholeDaysUntil(new Date('2026-12-19T00:00:00Z'), NOW), 20);
  assert.equal(wholeDaysUntil(new Date('2026-11-16T20:41:29Z'), NOW), -12);
});

// Keys are generated natively (fast); the builder only certifies them.
const keys = {
  rsa2048: generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
  rsa1024: generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
  p256: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};

function build(options: {
  key?: 'rsa2048' | 'rsa1024' | 'p256';
  notBefore: string;
  notAfter: string;
  digest?: CertificateDigest;
}): string {
  const key = options.key ?? 'rsa2048';
  const spec: KeySpec =
    key === 'p256' ? { keyType: 'ec', curve: 'P-256' } : { keyType: 'rsa', bits: key === 'rsa1024' ? 1024 : 2048 };
  return generateCertificate(spec, {
    subject: { commonName: 'findings.test' },
    notBefore: new Date(options.notBefore),
    notAfter: new Date(options.notAfter),
    signatureAlgorithm: options.digest,
    privateKeyPem: keys[key],
  }).certificateBase64;
}

const CASES: {
  name: string;
  certificate: Parameters<typeof build>[0];
  warnDays?: number;
  expected: [string, string, string][];
}[] = [
  {
    name: 'healthy RSA 2048',
    certificate: { notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' },
    expected: [],
  },
  {
    name: 'healthy EC P-256',
    certificate: { key: 'p256', notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' },
    expected: [],
  },
  {
    name: 'expired 12 days ago (like the Entra corpus certificate)',
    certificate: { notBefore: '2023-11-16T20:41:29Z', notAfter: '2026-11-16T20:41:29Z' },
    expected: [[CertificateCode.Expired, 'error', 'Certificate expired 12 days ago (2026-11-16).']],
  },
  {
    name: 'expired years ago',
    certificate: { notBefore: '2015-06-05T00:00:00Z', notAfter: '2018-06-05T00:00:00Z' },
    expected: [[CertificateCode.Expired, 'error', 'Certificate expired 8 years ago (2018-06-05).']],
  },
  {
    name: 'expires in 20 days',
    certificate: { notBefore: '2024-12-19T00:00:00Z', notAfter: '2026-12-19T00:00:00Z' },
    expected: [[CertificateCode.Expiring, 'warning', 'Certificate expires in 20 days (2026-12-19 00:00:00 UTC).']],
  },
  {
    name: 'expires in 3 hours',
    certificate: { notBefore: '2024-11-29T03:00:00Z', notAfter: '2026-11-29T03:00:00Z' },
    expected: [[CertificateCode.Expiring, 'warning', 'Certificate expires in 3 hours (2026-11-29 03:00:00 UTC).']],
  },
  {
    name: 'exactly 30 days left is still within the warning window',
    certificate: { notBefore: '2025-12-29T00:00:00Z', notAfter: '2026-12-29T00:00:00Z' },
    expected: [[CertificateCode.Expiring, 'warning', 'Certificate expires in 30 days (2026-12-29 00:00:00 UTC).']],
  },
  {
    name: '31 days left: no warning with the default window',
    certificate: { notBefore: '2025-12-30T00:00:00Z', notAfter: '2026-12-30T00:00:00Z' },
    expected: [],
  },
  {
    name: '45 days left warns with warnDays 60',
    certificate: { notBefore: '2025-01-13T00:00:00Z', notAfter: '2027-01-13T00:00:00Z' },
    warnDays: 60,
    expected: [[CertificateCode.Expiring, 'warning', 'Certificate expires in 45 days (2027-01-13 00:00:00 UTC).']],
  },
  {
    name: 'not yet valid',
    certificate: { notBefore: '2026-12-01T12:00:00Z', notAfter: '2028-12-01T00:00:00Z' },
    expected: [
      [
        CertificateCode.NotYetValid,
        'warning',
        'Certificate is not valid yet: it becomes valid in 2 days (2026-12-01 12:00:00 UTC).',
      ],
    ],
  },
  {
    name: 'RSA 1024',
    certificate: { key: 'rsa1024', notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' },
    expected: [
      [
        CertificateCode.WeakRsaKey,
        'warning',
        'The RSA key has only 1024 bits; at least 2048 are expected (NIST SP 800-131A), and some SAML libraries refuse smaller keys.',
      ],
    ],
  },
  {
    name: 'SHA-1 signed',
    certificate: { digest: 'sha1', notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' },
    expected: [
      [
        CertificateCode.WeakSignatureAlgorithm,
        'warning',
        'The certificate is signed with sha1WithRSAEncryption (SHA-1, broken for collision resistance). Trust in SAML metadata comes from the key itself, but tools and policies flag such certificates.',
      ],
    ],
  },
  {
    name: 'MD5 signed, RSA 1024 and expired: every finding, not just the first',
    certificate: { key: 'rsa1024', digest: 'md5', notBefore: '2005-01-01T00:00:00Z', notAfter: '2007-08-14T00:00:00Z' },
    expected: [
      [CertificateCode.Expired, 'error', 'Certificate expired 19 years ago (2007-08-14).'],
      [
        CertificateCode.WeakRsaKey,
        'warning',
        'The RSA key has only 1024 bits; at least 2048 are expected (NIST SP 800-131A), and some SAML libraries refuse smaller keys.',
      ],
      [
        CertificateCode.WeakSignatureAlgorithm,
        'warning',
        'The certificate is signed with md5WithRSAEncryption (MD5, broken for collision resistance). Trust in SAML metadata comes from the key itself, but tools and policies flag such certificates.',
      ],
    ],
  },
];

for (const { name, certificate, warnDays, expected } of CASES) {
  test(`certificateFindings: ${name}`, () => {
    const base64 = build(certificate);
    const fromText = certificateFindings(base64, { now: NOW, warnDays });
    assert.deepEqual(
      fromText.map((finding) => [finding.code, finding.severity, finding.message]),
      expected,
    );
    for (const finding of fromText) assert.ok(finding.fix.length > 20, `${finding.code} has a fix`);
    // The same findings from full facts (the hover path).
    const facts = certificateFacts(base64);
    assert.ok(facts.ok);
    assert.deepEqual(certificateFindings(facts.value, { now: NOW, warnDays }), fromText);
  });
}

test('documentCertificateFindings: duplicates and signing-and-encryption, per role', () => {
  const a = build({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' });
  const b = build({ key: 'p256', notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' });
  const wrappedA = `\r\n        ${(a.match(/.{1,64}/g) ?? []).join('\r\n        ')}\r\n      `;
  const idp = { kind: 'IDPSSODescriptor' };
  const sp = { kind: 'SPSSODescriptor' };
  type Occurrence = { name: string; base64: string; role?: unknown; use?: 'signing' | 'encryption' };
  const occurrences: Occurrence[] = [
    { name: 'document signature', base64: a },
    { name: 'idp signing', base64: a, role: idp, use: 'signing' },
    { name: 'idp signing again (wrapped)', base64: wrappedA, role: idp, use: 'signing' },
    { name: 'idp encryption', base64: a, role: idp, use: 'encryption' },
    { name: 'idp other key', base64: b, role: idp, use: 'signing' },
    { name: 'sp no use', base64: b, role: sp },
    { name: 'sp signing', base64: b, role: sp, use: 'signing' },
    { name: 'sp same cert as idp', base64: a, role: sp, use: 'signing' },
  ];
  const findings = documentCertificateFindings(occurrences);
  assert.deepEqual(
    findings.map((finding) => [
      finding.code,
      finding.severity,
      finding.occurrence.name,
      finding.related.map((other) => other.name),
    ]),
    [
      [CertificateCode.Duplicate, 'info', 'idp signing again (wrapped)', ['idp signing']],
      [CertificateCode.SigningAndEncryption, 'info', 'idp signing', ['idp encryption']],
      [CertificateCode.SigningAndEncryption, 'info', 'idp signing again (wrapped)', ['idp encryption']],
      [CertificateCode.SigningAndEncryption, 'info', 'idp encryption', ['idp signing', 'idp signing again (wrapped)']],
      [CertificateCode.Duplicate, 'info', 'sp signing', ['sp no use']],
    ],
  );
  assert.equal(
    findings[0].message,
    'The same certificate already appears in another KeyDescriptor of this role for signing.',
  );
  assert.deepEqual(documentCertificateFindings([]), []);
});

test('documentCertificateFindings: three copies name both earlier ones', () => {
  const a = build({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' });
  const role = {};
  const findings = documentCertificateFindings([1, 2, 3].map((index) => ({ index, base64: a, role })));
  assert.deepEqual(
    findings.map((finding) => [finding.occurrence.index, finding.related.map((other) => other.index), finding.message]),
    [
      [2, [1], 'The same certificate already appears in another KeyDescriptor of this role.'],
      [3, [1, 2], 'The same certificate already appears in 2 other KeyDescriptors of this role.'],
    ],
  );
});
