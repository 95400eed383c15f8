// decodeSamlInput over every form a pasted message takes. Encodings are produced independently by
// python3 (base64, zlib raw DEFLATE, urllib) so the decoder is not checked against itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'zlib';
import { decodeSamlInput, MAX_ENCODED_LENGTH } from '../../src/core/messages/decode';
import type { DecodeResult } from '../../src/core/messages/decode';
import { python } from '../fixtures/builder/peers';

const AUTHN_REQUEST =
  '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
  'ID="_a1b2c3" Version="2.0" IssueInstant="2026-03-01T09:59:00Z" Destination="https://login.microsoftonline.com/tenant/saml2" ' +
  'AssertionConsumerServiceURL="https://www.upwork.com/ab/account-security/login"><saml:Issuer>https://www.upwork.com</saml:Issuer></samlp:AuthnRequest>';
const RESPONSE =
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-03-01T10:00:00Z">' +
  '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>';
const LOGOUT_REQUEST =
  '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l1" Version="2.0" IssueInstant="2026-03-01T10:00:00Z"/>';
const LOGOUT_RESPONSE =
  '<p:LogoutResponse xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l2" Version="2.0" IssueInstant="2026-03-01T10:00:00Z"/>';

/** python3: base64 (76-column lines, like MIME / many IdP logs). */
const pyBase64Wrapped = (xml: string) =>
  python('import sys,base64; sys.stdout.write(base64.encodebytes(sys.stdin.buffer.read()).decode())', xml);
const pyBase64 = (xml: string) =>
  python('import sys,base64; sys.stdout.write(base64.b64encode(sys.stdin.buffer.read()).decode())', xml);
/** python3: raw DEFLATE (wbits=-15) + base64 + URL quoting, as the HTTP-Redirect binding prescribes. */
const pyRedirectValue = (xml: string) =>
  python(
    'import sys,base64,zlib,urllib.parse; c=zlib.compressobj(9, zlib.DEFLATED, -15); d=c.compress(sys.stdin.buffer.read())+c.flush(); sys.stdout.write(urllib.parse.quote(base64.b64encode(d).decode(), safe=""))',
    xml,
  );
const pyQuote = (text: string) =>
  python('import sys,urllib.parse; sys.stdout.write(urllib.parse.quote(sys.stdin.read(), safe=""))', text);

interface Case {
  name: string;
  input: () => string;
  expect: Partial<Extract<DecodeResult, { ok: true }>>;
}

const ok: Case[] = [
  {
    name: 'plain XML',
    input: () => `  ${AUTHN_REQUEST}\n`,
    expect: { binding: 'xml', messageType: 'AuthnRequest', xml: AUTHN_REQUEST },
  },
  {
    name: 'raw base64 (POST)',
    input: () => pyBase64(RESPONSE),
    expect: { binding: 'post', messageType: 'Response', xml: RESPONSE },
  },
  {
    name: 'base64 wrapped over 76-column lines',
    input: () => pyBase64Wrapped(RESPONSE),
    expect: { binding: 'post', messageType: 'Response', xml: RESPONSE },
  },
  {
    name: 'URL-encoded base64',
    input: () => pyQuote(pyBase64(RESPONSE)),
    expect: { binding: 'post', messageType: 'Response', xml: RESPONSE },
  },
  {
    name: 'HTTP-POST form body with RelayState',
    input: () => `SAMLResponse=${pyQuote(pyBase64(RESPONSE))}&RelayState=${pyQuote('/jobs?id=42&x=1')}`,
    expect: { binding: 'post', messageType: 'Response', xml: RESPONSE, relayState: '/jobs?id=42&x=1' },
  },
  {
    name: 'HTTP-Redirect URL with RelayState, SigAlg and Signature',
    input: () =>
      `https://login.microsoftonline.com/tenant/saml2?SAMLRequest=${pyRedirectValue(AUTHN_REQUEST)}&RelayState=abc&SigAlg=${pyQuote('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}&Signature=${pyQuote('c2lnbmF0dXJl+/=')}`,
    expect: {
      binding: 'redirect',
      messageType: 'AuthnRequest',
      xml: AUTHN_REQUEST,
      relayState: 'abc',
      sigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      signature: 'c2lnbmF0dXJl+/=',
    },
  },
  {
    name: 'bare DEFLATE+base64 value',
    input: () => decodeURIComponent(pyRedirectValue(LOGOUT_REQUEST)),
    expect: { binding: 'redirect', messageType: 'LogoutRequest', xml: LOGOUT_REQUEST },
  },
  {
    name: 'log line containing a Redirect URL',
    input: () =>
      `2026-03-01T10:00:01Z INFO  GET /sso?SAMLRequest=${pyRedirectValue(AUTHN_REQUEST)}&RelayState=r1 HTTP/1.1 302`,
    expect: { binding: 'redirect', messageType: 'AuthnRequest', xml: AUTHN_REQUEST, relayState: 'r1' },
  },
  {
    name: 'log line containing bare base64',
    input: () => `[acs] received payload=${pyBase64(LOGOUT_RESPONSE)} from 10.0.0.1`,
    expect: { binding: 'post', messageType: 'LogoutResponse', xml: LOGOUT_RESPONSE },
  },
];

for (const c of ok) {
  test(`decodeSamlInput: ${c.name}`, () => {
    const result = decodeSamlInput(c.input());
    assert.ok(result.ok, JSON.stringify(result));
    for (const [key, value] of Object.entries(c.expect))
      assert.deepEqual((result as unknown as Record<string, unknown>)[key], value, key);
  });
}

test('decodeSamlInput: the raw query parameters are kept exactly as received', () => {
  const encoded = pyRedirectValue(AUTHN_REQUEST);
  const result = decodeSamlInput(`https://idp/sso?SAMLRequest=${encoded}&RelayState=a%20b&SigAlg=x&Signature=y%2Bz`);
  assert.ok(result.ok);
  assert.deepEqual(result.rawParameters, [
    { name: 'SAMLRequest', value: encoded },
    { name: 'RelayState', value: 'a%20b' },
    { name: 'SigAlg', value: 'x' },
    { name: 'Signature', value: 'y%2Bz' },
  ]);
  assert.equal(result.parameters.RelayState, 'a b');
  assert.equal(result.signature, 'y+z');
});

const bomb = () => zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64');

const bad: { name: string; input: () => string; code: string; message: RegExp }[] = [
  { name: 'empty', input: () => '   \n', code: 'decode.empty', message: /Nothing to decode/ },
  {
    name: 'prose without a message',
    input: () => 'hello world, nothing to see',
    code: 'decode.no-message',
    message: /No SAML message found/,
  },
  { name: 'not base64', input: () => 'SAMLResponse=PHNhbWw*!!', code: 'decode.not-base64', message: /character "\*"/ },
  {
    name: 'truncated base64',
    input: () => pyBase64(RESPONSE).slice(0, 41),
    code: 'decode.truncated',
    message: /truncated/,
  },
  {
    name: 'truncated DEFLATE',
    input: () => `SAMLRequest=${pyRedirectValue(AUTHN_REQUEST).slice(0, 60)}`,
    code: 'decode.truncated',
    message: /cut off/,
  },
  {
    name: 'truncated XML',
    input: () => pyBase64(RESPONSE.slice(0, 120)),
    code: 'decode.truncated',
    message: /truncated/,
  },
  {
    name: 'base64 of text that is neither XML nor DEFLATE',
    input: () => pyBase64('Just some words, not a SAML message at all.'),
    code: 'decode.inflate-failed',
    message: /neither XML nor DEFLATE/,
  },
  {
    name: 'XML that is not SAML',
    input: () => '<html><body/></html>',
    code: 'decode.not-saml',
    message: /not a SAML 2.0/,
  },
  {
    name: 'SAML local name in the wrong namespace',
    input: () => '<Response xmlns="urn:example"/>',
    code: 'decode.not-saml',
    message: /urn:example/,
  },
  {
    name: 'DOCTYPE',
    input: () => `<!DOCTYPE x [<!ENTITY a "b">]>${RESPONSE}`,
    code: 'decode.doctype',
    message: /DOCTYPE/,
  },
  {
    name: 'not well-formed',
    input: () => '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><a></b></samlp:Response>',
    code: 'decode.not-xml',
    message: /Line 1, column \d+/,
  },
  {
    name: 'larger than 10 MB',
    input: () => 'A'.repeat(MAX_ENCODED_LENGTH + 1),
    code: 'decode.too-large',
    message: /10 MB/,
  },
  {
    name: 'inflate bomb (64 MB of spaces)',
    input: () => `SAMLRequest=${encodeURIComponent(bomb())}`,
    code: 'decode.inflate-too-large',
    message: /decompression bomb/,
  },
];

for (const c of bad) {
  test(`decodeSamlInput rejects: ${c.name}`, () => {
    const result = decodeSamlInput(c.input());
    assert.equal(result.ok, false, JSON.stringify(result).slice(0, 300));
    if (result.ok) return;
    assert.equal(result.code, c.code, result.message);
    assert.match(result.message, c.message);
    assert.doesNotMatch(result.message, /\n\s+at /, 'no stack traces in messages');
  });
}
