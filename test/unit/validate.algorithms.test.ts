// Signature algorithms: RSA PKCS#1 v1.5 and ECDSA with SHA-256/384/512 (RFC 6931 identifiers) verify,
// and xmlsec1 agrees on every cryptographic result; an algorithm SAML Lens does not implement (RSA-PSS)
// is refused as unsupported, never reported as a signature that does not verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { validateResponse } from '../../src/core/validate';
import type { ValidationContext, ValidationReport } from '../../src/core/validate';
import type { DigestAlgorithmName, SignatureAlgorithmName } from '../../src/core/messages/xmldsig';
import {
  ACS_URL,
  EXPECTED_ATTRIBUTES,
  IDP_ENTITY_ID,
  NOW,
  REQUEST_ID,
  SP_ENTITY_ID,
  buildResponse,
  idpKeyPair,
} from '../fixtures/builder/responses';
import { makeEcKeyPair, type TestKeyPair } from '../fixtures/builder/keys';
import { xmlsec1Verify } from '../fixtures/builder/peers';
import { canCompareWith, XMLSEC1 } from '../requirements';

const ASSERTION_ID_ATTR = 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion';
const RSA_PSS_SHA256 = 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1';
const hasXmlsec1 = canCompareWith(XMLSEC1);

let ecKeys: TestKeyPair | undefined;
const ecKeyPair = () => (ecKeys ??= makeEcKeyPair('Contoso EC signing'));

function context(keys: TestKeyPair): ValidationContext {
  return {
    now: NOW,
    trustedCertificates: [{ pem: keys.certificatePem, source: 'idp.pem', entityId: IDP_ENTITY_ID }],
    sp: { entityId: SP_ENTITY_ID, acsUrls: [ACS_URL], expectedAttributes: EXPECTED_ATTRIBUTES, source: 'SP' },
    requestId: REQUEST_ID,
  };
}

const failures = (report: ValidationReport) =>
  report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => f.code)
    .sort();

function xmlsec1(xml: string, keys: TestKeyPair): boolean | undefined {
  return hasXmlsec1 ? xmlsec1Verify(xml, keys.certificatePem, ASSERTION_ID_ATTR).ok : undefined;
}

const supported: [SignatureAlgorithmName, DigestAlgorithmName, () => TestKeyPair][] = [
  ['rsa-sha256', 'sha256', idpKeyPair],
  ['rsa-sha384', 'sha384', idpKeyPair],
  ['rsa-sha512', 'sha512', idpKeyPair],
  ['rsa-sha256', 'sha512', idpKeyPair],
  ['ecdsa-sha256', 'sha256', ecKeyPair],
  ['ecdsa-sha384', 'sha384', ecKeyPair],
  ['ecdsa-sha512', 'sha512', ecKeyPair],
];

for (const [signatureAlgorithm, digestAlgorithm, keysOf] of supported) {
  test(`${signatureAlgorithm} with a ${digestAlgorithm} digest verifies, as xmlsec1 says; changed content does not`, () => {
    const keys = keysOf();
    const xml = buildResponse({ signatureAlgorithm, digestAlgorithm, ...keys });
    const report = validateResponse(xml, context(keys));
    assert.equal(report.verdict, 'valid', JSON.stringify(failures(report)));
    assert.deepEqual(failures(report), []);
    assert.deepEqual([report.signatures[0].digestMatches, report.signatures[0].signatureValid], [true, true]);
    if (hasXmlsec1) assert.equal(xmlsec1(xml, keys), true, 'xmlsec1 verifies it too');

    const tampered = xml.replace('>B.Simon@contoso.com</saml:NameID>', '>admin@contoso.com</saml:NameID>');
    const tamperedReport = validateResponse(tampered, context(keys));
    assert.deepEqual(failures(tamperedReport), ['signature.invalid']);
    if (hasXmlsec1) assert.equal(xmlsec1(tampered, keys), false, 'xmlsec1 refuses it too');

    const otherSignature = xml.replace(
      /<ds:SignatureValue>(.)/,
      (_m, first: string) => `<ds:SignatureValue>${first === 'A' ? 'B' : 'A'}`,
    );
    const badValueReport = validateResponse(otherSignature, context(keys));
    assert.deepEqual(failures(badValueReport), ['signature.invalid']);
    assert.deepEqual(
      [badValueReport.signatures[0].digestMatches, badValueReport.signatures[0].signatureValid],
      [true, false],
    );
    if (hasXmlsec1) assert.equal(xmlsec1(otherSignature, keys), false);
  });
}

test('RSA-PSS (sha256-rsa-MGF1) is refused as unsupported, not as a signature that does not verify', () => {
  const keys = idpKeyPair();
  const xml = buildResponse({ signatureAlgorithmUri: RSA_PSS_SHA256 });
  assert.ok(xml.includes(`Algorithm="${RSA_PSS_SHA256}"`));
  const report = validateResponse(xml, context(keys));
  assert.equal(report.verdict, 'invalid');
  assert.deepEqual(failures(report), ['signature.unsupported-algorithm']);
  const finding = report.findings.find((f) => f.code === 'signature.unsupported-algorithm')!;
  assert.equal(finding.found, RSA_PSS_SHA256);
  assert.match(finding.message, /does not support/);
  assert.equal(report.signatures[0].signatureValid, false);
  assert.equal(report.subject.nameId?.verified, false, 'nothing is shown as verified');
  // The signature itself is sound: xml-crypto, which implements RSA-PSS, verifies it with the IdP certificate.
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const verifier = new SignedXml({ publicCert: keys.certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]);
  assert.equal(verifier.checkSignature(xml), true, 'xml-crypto verifies the RSA-PSS signature');
  // xmlsec1 1.2 does not implement it either, and says so (an unknown algorithm, not a failed verification).
  if (hasXmlsec1) {
    const result = xmlsec1Verify(xml, keys.certificatePem, ASSERTION_ID_ATTR);
    assert.equal(result.ok, false);
    assert.match(
      result.output,
      /xmlSecTransformIdListFindByHref[^\n]*href=http:\/\/www\.w3\.org\/2007\/05\/xmldsig-more#sha256-rsa-MGF1/,
    );
  }
});

test('an unknown SignatureMethod is unsupported; MD5 and HMAC stay rejected as weak', () => {
  const keys = idpKeyPair();
  const xml = buildResponse();
  const withMethod = (uri: string) =>
    xml.replace(/(<ds:SignatureMethod Algorithm=")[^"]+"/, (_m, start: string) => `${start}${uri}"`);
  const unknown = validateResponse(withMethod('urn:example:rsa-sha3-256'), context(keys));
  assert.deepEqual(failures(unknown), ['signature.unsupported-algorithm']);
  const md5 = validateResponse(withMethod('http://www.w3.org/2001/04/xmldsig-more#rsa-md5'), context(keys));
  assert.deepEqual(failures(md5), ['signature.algorithm']);
  const hmac = validateResponse(withMethod('http://www.w3.org/2000/09/xmldsig#hmac-sha1'), context(keys));
  assert.deepEqual(failures(hmac), ['signature.algorithm']);
});
