// HTTP-Redirect binding end to end: buildAuthnRequest + encodeRedirect, decoded by python3 and by
// decodeSamlInput, the query-string signature checked by openssl and by validateDecoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuthnRequest, encodeRedirect } from '../../src/core/build/response';
import { decodeSamlInput } from '../../src/core/messages/decode';
import { validateDecoded } from '../../src/core/validate';
import { NOW, SP_ENTITY_ID, ACS_URL, attackerKeyPair, spKeyPair } from '../fixtures/builder/responses';
import { opensslVerify, python } from '../fixtures/builder/peers';
import { OPENSSL, skipWithout } from '../requirements';

const IDP_SSO = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2';
const request = () =>
  buildAuthnRequest({
    id: '_req-4f1c2a',
    issuer: SP_ENTITY_ID,
    destination: IDP_SSO,
    assertionConsumerServiceUrl: ACS_URL,
    issueInstant: new Date(NOW.getTime() - 30_000),
  });

const spTrust = () => ({
  now: NOW,
  trustedCertificates: [{ pem: spKeyPair().certificatePem, source: 'upwork-sp-metadata.xml', entityId: SP_ENTITY_ID }],
});

test('redirect: python3 decodes what encodeRedirect produced (raw DEFLATE, base64, URL encoding)', () => {
  const url = encodeRedirect(request(), { destination: IDP_SSO, parameter: 'SAMLRequest', relayState: '/jobs?id=42' });
  const decoded = python(
    'import sys,base64,zlib,urllib.parse; q=urllib.parse.parse_qs(urllib.parse.urlsplit(sys.stdin.read()).query); ' +
      'sys.stdout.write(zlib.decompress(base64.b64decode(q["SAMLRequest"][0]), -15).decode() + "\\n" + q["RelayState"][0])',
    url,
  );
  assert.equal(decoded, `${request()}\n/jobs?id=42`);
});

test('redirect: decodeSamlInput recovers the AuthnRequest and its parameters', () => {
  const url = encodeRedirect(
    request(),
    { destination: IDP_SSO, parameter: 'SAMLRequest', relayState: 'r 1' },
    { privateKeyPem: spKeyPair().privateKeyPem },
  );
  const result = decodeSamlInput(url);
  assert.ok(result.ok);
  assert.deepEqual(
    [result.binding, result.messageType, result.xml, result.relayState, result.sigAlg],
    ['redirect', 'AuthnRequest', request(), 'r 1', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'],
  );
});

test('redirect: openssl verifies the query-string signature over the encoded parameters', (t) => {
  if (skipWithout(t, OPENSSL)) return;
  const url = encodeRedirect(
    request(),
    { destination: IDP_SSO, parameter: 'SAMLRequest', relayState: 'abc' },
    { privateKeyPem: spKeyPair().privateKeyPem },
  );
  const query = url.slice(url.indexOf('?') + 1);
  const signedPart = query.slice(0, query.indexOf('&Signature='));
  const signature = decodeURIComponent(query.slice(query.indexOf('&Signature=') + '&Signature='.length));
  assert.ok(opensslVerify(signedPart, signature, spKeyPair().certificatePem, 'sha256'));
  assert.equal(opensslVerify(signedPart.replace('abc', 'abd'), signature, spKeyPair().certificatePem, 'sha256'), false);
});

const redirectCases = [
  {
    name: 'valid signature',
    url: () =>
      encodeRedirect(
        request(),
        { destination: IDP_SSO, parameter: 'SAMLRequest', relayState: 'abc' },
        { privateKeyPem: spKeyPair().privateKeyPem },
      ),
    verdict: 'valid',
    finding: ['signature.redirect', 'pass'],
  },
  {
    name: 'RelayState changed in transit',
    url: () =>
      encodeRedirect(
        request(),
        { destination: IDP_SSO, parameter: 'SAMLRequest', relayState: 'abc' },
        { privateKeyPem: spKeyPair().privateKeyPem },
      ).replace('RelayState=abc', 'RelayState=abd'),
    verdict: 'invalid',
    finding: ['signature.redirect', 'fail'],
  },
  {
    name: 'signed by another key',
    url: () =>
      encodeRedirect(
        request(),
        { destination: IDP_SSO, parameter: 'SAMLRequest' },
        { privateKeyPem: attackerKeyPair().privateKeyPem },
      ),
    verdict: 'invalid',
    finding: ['signature.redirect', 'fail'],
  },
  {
    name: 'rsa-sha1 warns',
    url: () =>
      encodeRedirect(
        request(),
        { destination: IDP_SSO, parameter: 'SAMLRequest' },
        { privateKeyPem: spKeyPair().privateKeyPem, signatureAlgorithm: 'rsa-sha1' },
      ),
    verdict: 'valid',
    finding: ['signature.algorithm', 'warn'],
  },
  {
    name: 'unsigned AuthnRequest is valid (signing is optional)',
    url: () => encodeRedirect(request(), { destination: IDP_SSO, parameter: 'SAMLRequest' }),
    verdict: 'valid',
    finding: ['signature.missing', 'info'],
  },
] as const;

for (const c of redirectCases) {
  test(`redirect: validateDecoded, ${c.name}`, () => {
    const decoded = decodeSamlInput(c.url());
    assert.ok(decoded.ok);
    const report = validateDecoded(decoded, spTrust());
    assert.equal(report.messageType, 'AuthnRequest');
    assert.equal(report.verdict, c.verdict, JSON.stringify(report.findings, null, 1));
    assert.ok(
      report.findings.some((f) => f.code === c.finding[0] && f.status === c.finding[1]),
      JSON.stringify(report.findings.map((f) => [f.code, f.status])),
    );
  });
}

test('redirect: signed but no trusted certificate is not verifiable', () => {
  const decoded = decodeSamlInput(
    encodeRedirect(
      request(),
      { destination: IDP_SSO, parameter: 'SAMLRequest' },
      { privateKeyPem: spKeyPair().privateKeyPem },
    ),
  );
  assert.ok(decoded.ok);
  const report = validateDecoded(decoded, { now: NOW, trustedCertificates: [] });
  assert.equal(report.verdict, 'not-verifiable');
});
