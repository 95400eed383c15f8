// Encoded SAML messages found in arbitrary text (logs, HAR files, curl commands) for the decode
// CodeLens and hover. Expected candidates are worked out by hand from the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateAt, findCandidates } from '../../src/features/decode/headless/candidates';

// base64 of '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r">'.
const BASE64 = Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r">').toString(
  'base64',
);

const texts = (text: string) => findCandidates(text).map((c) => [c.start, text.slice(c.start, c.end), c.text]);

test('a SAMLResponse= or SAMLRequest= parameter is found with the parameters before it and the rest of its value', () => {
  const line = `10.0.0.1 - - "POST /acs?RelayState=abc&SAMLResponse=${BASE64}&SigAlg=x HTTP/1.1" 200`;
  const value = `RelayState=abc&SAMLResponse=${BASE64}&SigAlg=x`;
  assert.deepEqual(texts(line), [[line.indexOf('RelayState'), value, value]]);

  const curl = `curl -d 'SAMLRequest=fZJNT%2BMwEIb%2FiuV7%3D' https://idp.example/sso\nnext`;
  const request = 'SAMLRequest=fZJNT%2BMwEIb%2FiuV7%3D';
  assert.deepEqual(texts(curl), [[curl.indexOf(request), request, request]]);

  // At the very start of the text, and two on separate lines of a log.
  const log = `SAMLResponse=abc\n<li>SAMLRequest=def</li>`;
  assert.deepEqual(texts(log), [
    [0, 'SAMLResponse=abc', 'SAMLResponse=abc'],
    [log.indexOf('SAMLRequest'), 'SAMLRequest=def', 'SAMLRequest=def'],
  ]);
  // Two in one query string: the first one's value runs to the end of the query.
  const twice = `GET /?SAMLResponse=a&SAMLResponse=b x`;
  assert.deepEqual(texts(twice), [[6, 'SAMLResponse=a&SAMLResponse=b', 'SAMLResponse=a&SAMLResponse=b']]);
});

test('a bare base64 SAML message is found unless a parameter already holds it', () => {
  const bare = `payload: "${BASE64}" end`;
  assert.deepEqual(texts(bare), [[bare.indexOf(BASE64), BASE64, BASE64]]);
  const inParameter = `?SAMLResponse=${BASE64}`;
  assert.deepEqual(texts(inParameter), [[1, `SAMLResponse=${BASE64}`, `SAMLResponse=${BASE64}`]]);
  assert.equal(candidateAt(bare, bare.indexOf(BASE64) + 5)?.text, BASE64);
});

test('metadata full of certificate base64 holds no candidate', () => {
  const certificate = 'MIIC8DCCAdigAwIBAgIQ'.repeat(60);
  const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/">${`<ds:X509Certificate>${certificate}</ds:X509Certificate>`.repeat(500)}</md:EntityDescriptor>`;
  assert.deepEqual(findCandidates(metadata), []);
});
