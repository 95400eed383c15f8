// The response builder checked by a peer: xmlsec1 must verify what buildSamlResponse signs,
// and must reject the same message once a signed byte changes (so the check can fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSamlResponse } from '../../src/core/build/response';
import { validateResponse } from '../../src/core/validate';
import { NOW, baseSpec, idpKeyPair } from '../fixtures/builder/responses';
import { makeEcKeyPair } from '../fixtures/builder/keys';
import { xmlsec1Verify } from '../fixtures/builder/peers';
import { skipWithout, XMLSEC1 } from '../requirements';

const RESPONSE_ID_ATTR = 'urn:oasis:names:tc:SAML:2.0:protocol:Response';
const ASSERTION_ID_ATTR = 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion';
const RESPONSE_SIGNATURE = "/*[local-name()='Response']/*[local-name()='Signature']";
const ASSERTION_SIGNATURE = "//*[local-name()='Assertion']/*[local-name()='Signature']";

const cases = [
  {
    name: 'response signed, rsa-sha256',
    spec: { signResponse: true, signAssertion: false },
    idAttr: RESPONSE_ID_ATTR,
    xpath: RESPONSE_SIGNATURE,
  },
  {
    name: 'assertion signed, rsa-sha256',
    spec: { signResponse: false, signAssertion: true },
    idAttr: ASSERTION_ID_ATTR,
    xpath: ASSERTION_SIGNATURE,
  },
  {
    name: 'both signed: outer signature',
    spec: { signResponse: true, signAssertion: true },
    idAttr: RESPONSE_ID_ATTR,
    xpath: RESPONSE_SIGNATURE,
  },
  {
    name: 'both signed: inner signature',
    spec: { signResponse: true, signAssertion: true },
    idAttr: ASSERTION_ID_ATTR,
    xpath: ASSERTION_SIGNATURE,
  },
  {
    name: 'response signed, rsa-sha1',
    spec: {
      signResponse: true,
      signAssertion: false,
      signatureAlgorithm: 'rsa-sha1' as const,
      digestAlgorithm: 'sha1' as const,
    },
    idAttr: RESPONSE_ID_ATTR,
    xpath: RESPONSE_SIGNATURE,
  },
  {
    name: 'response signed, rsa-sha512',
    spec: {
      signResponse: true,
      signAssertion: false,
      signatureAlgorithm: 'rsa-sha512' as const,
      digestAlgorithm: 'sha512' as const,
    },
    idAttr: RESPONSE_ID_ATTR,
    xpath: RESPONSE_SIGNATURE,
  },
];

for (const c of cases) {
  test(`builder vs xmlsec1: ${c.name}`, (t) => {
    if (skipWithout(t, XMLSEC1)) return;
    const xml = buildSamlResponse(baseSpec(c.spec));
    const verified = xmlsec1Verify(xml, idpKeyPair().certificatePem, c.idAttr, c.xpath);
    assert.ok(verified.ok, verified.output);
    assert.match(verified.output, /OK/);
    const tampered = xml.replace('>B.Simon@contoso.com</saml:NameID>', '>C.Simon@contoso.com</saml:NameID>');
    assert.notEqual(tampered, xml);
    assert.equal(xmlsec1Verify(tampered, idpKeyPair().certificatePem, c.idAttr, c.xpath).ok, false);
  });
}

test('builder vs xmlsec1: ecdsa-sha256 with a P-256 key', (t) => {
  if (skipWithout(t, XMLSEC1)) return;
  const ec = makeEcKeyPair('ec-idp');
  const xml = buildSamlResponse(
    baseSpec({
      signResponse: true,
      signAssertion: false,
      signatureAlgorithm: 'ecdsa-sha256',
      privateKeyPem: ec.privateKeyPem,
      certificatePem: ec.certificatePem,
    }),
  );
  assert.match(xml, /ecdsa-sha256/);
  const verified = xmlsec1Verify(xml, ec.certificatePem, RESPONSE_ID_ATTR, RESPONSE_SIGNATURE);
  assert.ok(verified.ok, verified.output);
  const report = validateResponse(xml, {
    now: NOW,
    trustedCertificates: [{ pem: ec.certificatePem, source: 'ec.pem' }],
  });
  assert.equal(report.verdict, 'valid', JSON.stringify(report.findings.filter((f) => f.status === 'fail')));
});

test('builder: the same spec gives byte-identical output (RSA), and the Signature follows the Issuer', () => {
  const first = buildSamlResponse(baseSpec({ signResponse: true }));
  const second = buildSamlResponse(baseSpec({ signResponse: true }));
  assert.equal(first, second);
  assert.match(first, /^<samlp:Response [^>]*><saml:Issuer>[^<]+<\/saml:Issuer><ds:Signature /);
  assert.match(first, /<saml:Assertion [^>]*><saml:Issuer>[^<]+<\/saml:Issuer><ds:Signature /);
});

test('builder: an encryptTo spec is refused by the synchronous builder with a pointer to the async one', () => {
  assert.throws(
    () => buildSamlResponse(baseSpec({ encryptTo: { certificatePem: idpKeyPair().certificatePem } })),
    /buildEncryptedSamlResponse/,
  );
});
