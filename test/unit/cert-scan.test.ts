// The allocation-free scan behind certificateFindings: whatever it reads must be what the general
// path (decodeCertificateDer + readCertificateOutline) and OpenSSL read, and whatever it is not sure
// about must go to the general path, so findings and error messages stay exactly as before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { scanForFindings, encodeOid } from '../../src/core/certs/scan';
import { DerReader, Tag, readElement, readOid } from '../../src/core/certs/der';
import { readOutline, readValidity, certificateFindings, CertificateCode } from '../../src/core/certs';
import { knownSignatureAlgorithmOids, signatureAlgorithm } from '../../src/core/certs/algorithms';
import { generateCertificate } from '../../src/core/build/certificate';
import { seededRandom } from '../fuzz/random';
import { corpusCertificates } from './corpusCertificates';
import { corpus, skipWithout } from '../requirements';

const NOW = new Date('2026-11-29T00:00:00Z');

const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const rsa1024Key = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

function certificate(
  notBefore: string,
  notAfter: string,
  options: { key?: 'rsa' | 'rsa1024' | 'ec'; digest?: 'sha1' | 'md5' | 'sha256' } = {},
): Buffer {
  const key = options.key ?? 'rsa';
  const generated = generateCertificate(
    key === 'ec' ? { keyType: 'ec', curve: 'P-256' } : { keyType: 'rsa', bits: key === 'rsa' ? 2048 : 1024 },
    {
      subject: { commonName: 'scan.test' },
      notBefore: new Date(notBefore),
      notAfter: new Date(notAfter),
      signatureAlgorithm: options.digest,
      privateKeyPem: key === 'ec' ? ecKey : key === 'rsa' ? rsaKey : rsa1024Key,
    },
  );
  return Buffer.from(generated.certificateBase64, 'base64');
}

/** The general path's reading, in the scan's terms (the reference for every comparison below). */
function generalReading(text: string) {
  const outline = readOutline(text);
  if (!outline.ok) return undefined;
  const algorithm = signatureAlgorithm(outline.value.signatureAlgorithmOid);
  const weak = algorithm.hash === 'SHA-1' || algorithm.hash === 'MD5' || algorithm.hash === 'MD2';
  return {
    notBeforeMs: outline.value.notBefore.getTime(),
    notAfterMs: outline.value.notAfter.getTime(),
    rsaModulusBits: outline.value.rsaModulusBits,
    weakSignatureAlgorithm: weak ? algorithm : undefined,
  };
}

function scanned(text: string) {
  const result = scanForFindings(text);
  return result && { ...result };
}

// ---------------------------------------------------------------- DER surgery for odd validity fields

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** The certificate with its Validity replaced by the given two time elements (tag, text); lengths re-encoded. */
function withValidity(der: Buffer, notBefore: [number, string], notAfter: [number, string]): Buffer {
  const certificateElement = readElement(der, 0, der.length, 'Certificate');
  const outer = new DerReader(der, certificateElement);
  const tbsElement = outer.next('TBSCertificate', Tag.Sequence);
  const tbs = new DerReader(der, tbsElement);
  const parts: Buffer[] = [];
  let replaced = false;
  while (!tbs.atEnd) {
    const element = tbs.next('field');
    const isValidity = !replaced && element.tag === Tag.Sequence && der[element.contentStart] === Tag.UtcTime;
    if (isValidity) {
      const times = [notBefore, notAfter].map(([tag, text]) => tlv(tag, Buffer.from(text, 'latin1')));
      parts.push(tlv(Tag.Sequence, Buffer.concat(times)));
      replaced = true;
    } else {
      parts.push(der.subarray(element.start, element.end));
    }
  }
  assert.ok(replaced, 'the test certificate has a UTCTime validity');
  const rest = der.subarray(tbsElement.end, certificateElement.end);
  return tlv(Tag.Sequence, Buffer.concat([tlv(Tag.Sequence, Buffer.concat(parts)), rest]));
}

/** The certificate with `extra` appended to the end of its TBSCertificate; lengths re-encoded. */
function withTbsTail(der: Buffer, extra: Buffer): Buffer {
  const certificateElement = readElement(der, 0, der.length, 'Certificate');
  const tbsElement = new DerReader(der, certificateElement).next('TBSCertificate', Tag.Sequence);
  const tbs = tlv(Tag.Sequence, Buffer.concat([der.subarray(tbsElement.contentStart, tbsElement.end), extra]));
  return tlv(Tag.Sequence, Buffer.concat([tbs, der.subarray(tbsElement.end, certificateElement.end)]));
}

/** Re-encodes the DER with every OBJECT IDENTIFIER whose content is `from` written as `to`. */
function replaceOid(der: Buffer, from: Uint8Array, to: Uint8Array, start = 0, end = der.length): Buffer {
  const parts: Buffer[] = [];
  for (let position = start; position < end;) {
    const element = readElement(der, position, end, 'element');
    const content = der.subarray(element.contentStart, element.end);
    if (element.tag & 0x20) parts.push(tlv(element.tag, replaceOid(der, from, to, element.contentStart, element.end)));
    else if (element.tag === Tag.ObjectIdentifier && content.equals(from))
      parts.push(tlv(element.tag, Buffer.from(to)));
    else parts.push(der.subarray(element.start, element.end));
    position = element.end;
  }
  return Buffer.concat(parts);
}

/** The same OID with its last arc padded by a leading 0x80 byte: another encoding of the same number. */
function paddedLastArc(oid: string): Uint8Array {
  const bytes = [...encodeOid(oid)];
  return Uint8Array.from([...bytes.slice(0, -1), 0x80, bytes[bytes.length - 1]]);
}

const base = certificate('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z');

// ---------------------------------------------------------------- tests

test('encodeOid is the inverse of readOid for every named signature algorithm and long arcs', () => {
  const oids = [
    ...knownSignatureAlgorithmOids(),
    '1.2.840.113549.1.1.1',
    '2.999.1',
    '2.25.329800735698586629295641978511506172918',
    '0.9.2342.19200300.100.1.25',
  ];
  for (const oid of oids) {
    const element = tlv(Tag.ObjectIdentifier, Buffer.from(encodeOid(oid)));
    assert.equal(readOid(element, readElement(element, 0, element.length, 'oid'), 'oid'), oid);
  }
  assert.deepEqual([...encodeOid('1.2.840.113549.1.1.11')], [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
});

test('the scan reads what OpenSSL reads: dates, RSA size and weak signature algorithms of built certificates', () => {
  const cases = [
    certificate('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
    certificate('2020-02-29T12:34:56Z', '2049-12-31T23:59:59Z', { key: 'rsa1024', digest: 'sha1' }),
    certificate('2005-01-01T00:00:00Z', '2007-08-14T00:00:00Z', { key: 'rsa1024', digest: 'md5' }),
    certificate('2026-01-01T00:00:00Z', '2055-11-29T00:00:00Z', { key: 'ec' }), // GeneralizedTime from 2050
  ];
  for (const der of cases) {
    const x509 = new X509Certificate(der);
    const result = scanned(der.toString('base64'));
    assert.ok(result, x509.subject);
    assert.equal(result.notBeforeMs, new Date(x509.validFrom).getTime());
    assert.equal(result.notAfterMs, new Date(x509.validTo).getTime());
    assert.equal(
      result.rsaModulusBits,
      x509.publicKey.asymmetricKeyType === 'rsa' ? x509.publicKey.asymmetricKeyDetails?.modulusLength : undefined,
    );
    assert.deepEqual(result, generalReading(der.toString('base64')));
  }
  assert.equal(scanned(cases[1].toString('base64'))?.weakSignatureAlgorithm?.name, 'sha1WithRSAEncryption');
  assert.equal(scanned(cases[2].toString('base64'))?.weakSignatureAlgorithm?.name, 'md5WithRSAEncryption');
  assert.equal(scanned(cases[0].toString('base64'))?.weakSignatureAlgorithm, undefined);
});

const PLAIN_TIMES: [number, string, string][] = [
  [Tag.UtcTime, '500101000000Z', '1950-01-01T00:00:00Z'],
  [Tag.UtcTime, '991231235959Z', '1999-12-31T23:59:59Z'],
  [Tag.UtcTime, '000229120000Z', '2000-02-29T12:00:00Z'],
  [Tag.UtcTime, '240229000000Z', '2024-02-29T00:00:00Z'],
  [Tag.UtcTime, '270301000000Z', '2027-03-01T00:00:00Z'],
  [Tag.UtcTime, '491231235960Z', '2049-12-31T23:59:59Z'], // a leap second reads as :59
  [Tag.GeneralizedTime, '20500101000000Z', '2050-01-01T00:00:00Z'],
  [Tag.GeneralizedTime, '21000228235959Z', '2100-02-28T23:59:59Z'],
  [Tag.GeneralizedTime, '24000229000000Z', '2400-02-29T00:00:00Z'],
  [Tag.GeneralizedTime, '01000301000000Z', '0100-03-01T00:00:00Z'],
  [Tag.GeneralizedTime, '99991231235959Z', '9999-12-31T23:59:59Z'],
];

test('plain UTCTime and GeneralizedTime: the scan gives the instant Date.UTC gives, and the general path agrees', () => {
  for (const [tag, text, iso] of PLAIN_TIMES) {
    const der = withValidity(base, [Tag.UtcTime, '200101000000Z'], [tag, text]);
    const result = scanned(der.toString('base64'));
    assert.ok(result, text);
    assert.equal(result.notAfterMs, Date.parse(iso), text);
    assert.deepEqual(result, generalReading(der.toString('base64')), text);
  }
});

test('every day from 1950 to 2049 as UTCTime: the scan agrees with Date.UTC', () => {
  for (let ms = Date.UTC(1950, 0, 1, 13, 14, 15); ms < Date.UTC(2050, 0, 1); ms += 86_400_000) {
    const date = new Date(ms);
    const text = `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;
    const result = scanned(withValidity(base, [Tag.UtcTime, text], [Tag.UtcTime, '491231235959Z']).toString('base64'));
    assert.equal(result?.notBeforeMs, ms, text);
  }
});

const GENERAL_PATH_TIMES: [number, string, string, CertificateCode[]][] = [
  [Tag.UtcTime, '2611290930Z', '2026-11-29T09:30:00.000Z', [CertificateCode.Expiring]], // no seconds
  [Tag.UtcTime, '261129000000+0100', '2026-11-28T23:00:00.000Z', [CertificateCode.Expired]], // offset
  [Tag.GeneralizedTime, '20261129120000.25Z', '2026-11-29T12:00:00.250Z', [CertificateCode.Expiring]], // fraction
  [Tag.GeneralizedTime, '00990101000000Z', '1999-01-01T00:00:00.000Z', [CertificateCode.Expired]], // a year Date.UTC reads as 1999
];

test('times with other forms are left to the general path, which reads them as before', () => {
  for (const [tag, text, notAfter, codes] of GENERAL_PATH_TIMES) {
    const text64 = withValidity(base, [Tag.UtcTime, '200101000000Z'], [tag, text]).toString('base64');
    assert.equal(scanForFindings(text64), undefined, text);
    const validity = readValidity(text64);
    assert.ok(validity.ok, text);
    assert.equal(validity.value.notAfter.toISOString(), notAfter, text);
    assert.deepEqual(
      certificateFindings(text64, { now: NOW }).map((finding) => finding.code),
      codes,
      text,
    );
  }
});

const IMPOSSIBLE_TIMES: [number, string][] = [
  [Tag.UtcTime, '261329000000Z'],
  [Tag.UtcTime, '260230000000Z'],
  [Tag.UtcTime, '250229000000Z'],
  [Tag.UtcTime, '261129250000Z'],
  [Tag.UtcTime, '261129006000Z'],
  [Tag.UtcTime, '261129000061Z'],
  [Tag.UtcTime, '261100000000Z'],
  [Tag.UtcTime, '26112900000AZ'],
  [Tag.UtcTime, '261129000000X'],
  [Tag.GeneralizedTime, '21000229000000Z'],
  [Tag.Integer, '261129000000Z'],
];

test("impossible times: the scan declines and the findings carry the general path's error", () => {
  for (const [tag, text] of IMPOSSIBLE_TIMES) {
    const text64 = withValidity(base, [Tag.UtcTime, '200101000000Z'], [tag, text]).toString('base64');
    assert.equal(scanForFindings(text64), undefined, text);
    const outline = readOutline(text64);
    assert.ok(!outline.ok, text);
    assert.deepEqual(
      certificateFindings(text64, { now: NOW }),
      [{ code: outline.error.code, severity: 'error', message: outline.error.message, fix: outline.error.fix }],
      text,
    );
  }
});

const TBS_TAILS: { name: string; extra: number[]; readable: boolean }[] = [
  { name: 'a [1] field after the extensions', extra: [0x81, 0x01, 0x00], readable: true },
  { name: 'a second [3] holding a SEQUENCE', extra: [0xa3, 0x02, 0x30, 0x00], readable: true },
  { name: '[3] holding a NULL', extra: [0xa3, 0x02, 0x05, 0x00], readable: false },
  { name: 'an empty [3]', extra: [0xa3, 0x00], readable: false },
  { name: 'a multi-byte tag', extra: [0x9f, 0x01, 0x00], readable: false },
  { name: 'an indefinite length', extra: [0x81, 0x80], readable: false },
  { name: 'a length field of 5 bytes', extra: [0x81, 0x85, 0, 0, 0, 0, 1, 0], readable: false },
  { name: 'a length past the end', extra: [0x81, 0x05, 0x00], readable: false },
];

for (const { name, extra, readable } of TBS_TAILS) {
  test(`TBSCertificate ending in ${name}: the scan reads it exactly when the general path does`, () => {
    const text = withTbsTail(base, Buffer.from(extra)).toString('base64');
    const reference = generalReading(text);
    assert.equal(reference !== undefined, readable);
    assert.deepEqual(scanned(text), reference);
  });
}

test('OIDs with a padded arc: the scan declines, and the general path still finds the weak key and the SHA-1 signature', () => {
  const der = certificate('2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z', { key: 'rsa1024', digest: 'sha1' });
  const sha1WithRsa = '1.2.840.113549.1.1.5';
  const rsaEncryption = '1.2.840.113549.1.1.1';
  const padded = replaceOid(
    replaceOid(der, encodeOid(sha1WithRsa), paddedLastArc(sha1WithRsa)),
    encodeOid(rsaEncryption),
    paddedLastArc(rsaEncryption),
  );
  assert.notEqual(padded.toString('hex'), der.toString('hex'));
  const text = padded.toString('base64');
  assert.equal(scanForFindings(text), undefined);
  const reference = generalReading(text);
  assert.equal(reference?.rsaModulusBits, 1024);
  assert.equal(reference?.weakSignatureAlgorithm?.oid, sha1WithRsa);
  assert.deepEqual(
    certificateFindings(text, { now: NOW }).map((finding) => finding.code),
    [CertificateCode.WeakRsaKey, CertificateCode.WeakSignatureAlgorithm],
  );
});

test('certificate text: whitespace of every kind gives the same findings; stray characters the same errors as before', () => {
  const der = certificate('2015-06-05T00:00:00Z', '2018-06-05T00:00:00Z', { digest: 'sha1' });
  const clean = der.toString('base64');
  const expected = [CertificateCode.Expired, CertificateCode.WeakSignatureAlgorithm];
  const lines = clean.match(/.{1,64}/g) ?? [];
  const spaced: Record<string, string> = {
    crlf: `\r\n        ${lines.join('\r\n        ')}\r\n      `,
    tabs: `\t${lines.join('\n\t')}\n`,
    formFeed: lines.join('\f'),
    verticalTab: lines.join('\v'),
    noBreakSpace: lines.join('\u00a0'),
    lineSeparator: lines.join('\u2028'),
    spaceInPadding: clean.endsWith('=') ? `${clean.slice(0, -1)} = ` : `${clean} `,
  };
  for (const [name, text] of Object.entries(spaced)) {
    assert.deepEqual(
      certificateFindings(text, { now: NOW }).map((finding) => finding.code),
      expected,
      name,
    );
  }
  assert.ok(scanForFindings(spaced.crlf) && scanForFindings(spaced.formFeed), 'ASCII whitespace is read by the scan');

  const cut = 100;
  const stray: Record<string, RegExp> = {
    [`${clean.slice(0, cut)}%${clean.slice(cut)}`]: /unexpected character "%" at offset 100/,
    [`${clean.slice(0, cut)}-${clean.slice(cut)}`]: /unexpected character "-" at offset 100/,
    [`${clean.slice(0, cut)}_${clean.slice(cut)}`]: /unexpected character "_" at offset 100/,
    [`${clean.slice(0, cut)}=${clean.slice(cut)}`]: /"=" padding in the middle/,
    [`${clean.replace(/=+$/, '')}===`]: /Not valid base64/,
    [`${clean.slice(0, cut)}\u00e9${clean.slice(cut)}`]: /unexpected character "é" at offset 100/,
  };
  for (const [text, message] of Object.entries(stray)) {
    assert.equal(scanForFindings(text), undefined, message.source);
    const findings = certificateFindings(text, { now: NOW });
    assert.equal(findings.length, 1, message.source);
    assert.equal(findings[0].code, CertificateCode.Invalid);
    assert.match(findings[0].message, message);
  }
});

test('seeded fuzz: whenever the scan reads a certificate, the general path reads the same values', () => {
  const seed = Number(process.env.CERT_FUZZ_SEED ?? 20261130);
  console.log(`cert scan fuzz seed ${seed} (set CERT_FUZZ_SEED to replay)`);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const sources = [base, certificate('2020-01-01T00:00:00Z', '2055-01-01T00:00:00Z', { key: 'ec', digest: 'sha1' })];
  const textNoise = [' ', '\n', '\r\n', '\t', '\v', '\f', '\u00a0', '=', '==', '%', '-', '_', 'A', '.', '\u2028'];
  let read = 0;
  let declined = 0;
  for (let round = 0; round < 3000; round++) {
    const context = `seed ${seed}, round ${round}`;
    let bytes = Buffer.from(pick(sources));
    const byteEdits = Math.floor(random() * 3);
    for (let i = 0; i < byteEdits; i++) {
      const at = Math.floor(random() * bytes.length);
      // Small values often land on lengths and tags; the rest anywhere.
      bytes[at] = random() < 0.5 ? Math.floor(random() * 8) : Math.floor(random() * 256);
    }
    if (random() < 0.1) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
    let text = bytes.toString('base64');
    if (random() < 0.5) {
      const at = Math.floor(random() * (text.length + 1));
      text = text.slice(0, at) + pick(textNoise) + text.slice(at);
    }
    const result = scanned(text);
    if (!result) {
      declined++;
      continue;
    }
    read++;
    assert.deepEqual(result, generalReading(text), context);
  }
  assert.ok(read > 500 && declined > 500, `read ${read}, declined ${declined}`);
});

// What decode.ts checked with this expression before atob did, written out again here.
const STRICT_BASE64 = /^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/;

test('seeded fuzz: every text atob accepts, the strict base64 check accepts too, and Node decodes it to the same bytes', () => {
  const seed = Number(process.env.CERT_FUZZ_SEED ?? 20261130);
  const random = seededRandom(seed);
  const characters = [
    'A',
    'b',
    '0',
    '+',
    '/',
    '=',
    ' ',
    '\n',
    '\r',
    '\t',
    '\v',
    '\f',
    '\u00a0',
    '\u2028',
    '-',
    '_',
    '%',
    '.',
    '\u00e9',
  ];
  const der = base.toString('base64');
  let accepted = 0;
  for (let round = 0; round < 20_000; round++) {
    let text = '';
    if (round % 2 === 0) {
      const length = Math.floor(random() * 14);
      for (let i = 0; i < length; i++) text += characters[Math.floor(random() * characters.length)];
    } else {
      const at = Math.floor(random() * der.length);
      text =
        der.slice(0, at) +
        characters[Math.floor(random() * characters.length)] +
        der.slice(at + Math.floor(random() * 3));
    }
    let decoded: string;
    try {
      decoded = atob(text);
    } catch {
      continue;
    }
    accepted++;
    const context = `seed ${seed}, round ${round}: ${JSON.stringify(text.slice(0, 40))}`;
    assert.match(text, STRICT_BASE64, context);
    assert.equal(Buffer.from(decoded, 'latin1').toString('hex'), Buffer.from(text, 'base64').toString('hex'), context);
  }
  assert.ok(accepted > 2000, `atob accepted ${accepted}`);
});

test('corpus: the scan reads every certificate the general path reads, with the same values', (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  let compared = 0;
  for (const { text } of corpusCertificates()) {
    const reference = generalReading(text);
    const result = scanned(text);
    if (!reference) {
      assert.equal(result, undefined, text.slice(0, 60));
      continue;
    }
    assert.deepEqual(result, reference, text.slice(0, 60));
    compared++;
  }
  assert.ok(compared > 1000, `compared ${compared}`);
});
