// The redacted copy of a capture: a marker planted everywhere a user's identity or credentials can
// sit in a capture must not survive anywhere in the bytes of the written file, and the original
// must be untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { encodeRedirect } from '../../src/core/build/response';
import { autoPostForm } from '../../src/core/build/testResponse';
import { flowFromCapture, readCapture, redactCapture, saveRedactedCapture } from '../../src/core/flow';
import {
  IDP_SSO_URL,
  RELAY_STATE,
  SP_LOGIN_URL,
  acsPost,
  at,
  base64,
  har,
  harEntry,
  logoutRequestXml,
  metadataDocuments,
  requestRedirectUrl,
  samlTracerExport,
} from '../fixtures/builder/captures';
import { ACS_URL, buildResponse } from '../fixtures/builder/responses';

const MARKER = 'Zq7marker.B.Simon@contoso.com';
const SESSION = 'sess-93c1f0aa77';
const PASSWORD = 'correct horse battery staple';

/** Every place a capture can hold the user's identity: the marker is the user's NameID and e-mail. */
function markedHar(): string {
  const response = base64(
    buildResponse({
      nameId: MARKER,
      attributes: [
        { name: 'Email', values: [MARKER] },
        { name: 'Country', values: ['US'] },
      ],
    }),
  );
  const hinted = `${IDP_SSO_URL}?login_hint=${encodeURIComponent(MARKER)}`;
  const logout = encodeRedirect(logoutRequestXml('_logout-sp-7', MARKER), {
    destination: IDP_SSO_URL,
    parameter: 'SAMLRequest',
  });
  const page = `<html><body><p>Signed in as ${MARKER}</p>${autoPostForm(ACS_URL, response, RELAY_STATE)}</body></html>`;
  return har([
    harEntry({
      time: at(-95),
      url: `${SP_LOGIN_URL}&user=${encodeURIComponent(MARKER)}`,
      requestHeaders: [{ name: 'Cookie', value: `last_user=${MARKER}; sid=${SESSION}` }],
      status: 302,
      responseHeaders: [{ name: 'Location', value: hinted }],
    }),
    harEntry({
      time: at(-90),
      url: requestRedirectUrl(),
      requestHeaders: [
        { name: 'Referer', value: `https://www.upwork.com/?email=${encodeURIComponent(MARKER)}` },
        { name: 'Authorization', value: `Bearer ${SESSION}` },
      ],
      responseHeaders: [{ name: 'Set-Cookie', value: `buid=${SESSION}; Path=/; Secure; HttpOnly` }],
      body: `<p>Hello ${MARKER}</p>`,
      bodyBase64: true,
    }),
    harEntry({
      time: at(-62),
      method: 'POST',
      url: `https://login.microsoftonline.com/common/login`,
      requestHeaders: [{ name: 'X-CSRF-Token', value: 'csrf-5be1e0c2' }],
      form: [
        { name: 'login', value: MARKER },
        { name: 'passwd', value: PASSWORD },
      ],
      body: page,
    }),
    harEntry({ time: at(-61), url: `${IDP_SSO_URL}/done`, body: page, bodyBase64: true }),
    acsPost(response, RELAY_STATE),
    harEntry({ time: at(-20), url: logout, status: 302, responseHeaders: [{ name: 'Location', value: logout }] }),
  ]);
}

/** Every form a value can take in the file: as is, %-encoded, base64, HTML-escaped. */
function leaks(bytes: string, value: string): string[] {
  const forms = [value, encodeURIComponent(value), Buffer.from(value).toString('base64').slice(0, 16)];
  return forms.filter((form) => bytes.includes(form));
}

/** The decoded SAML messages of a capture, and its base64 bodies decoded: where a marker could hide. */
function hiddenTexts(capture: string): string[] {
  const flow = flowFromCapture(capture, { documents: metadataDocuments() });
  assert.ok(flow.ok);
  const decoded = flow.messages.map((m) => {
    if (m.binding !== 'redirect')
      return Buffer.from(decodeURIComponent(m.decodeInput.split('=')[1].split('&')[0]), 'base64').toString('utf8');
    const value = new URL(m.url).searchParams.get(m.parameter)!;
    return zlib.inflateRawSync(Buffer.from(value, 'base64')).toString('utf8');
  });
  const bodies = (JSON.parse(capture).log.entries as { response: { content: { text?: string; encoding?: string } } }[])
    .filter((e) => e.response.content.encoding === 'base64')
    .map((e) => Buffer.from(e.response.content.text!, 'base64').toString('utf8'));
  return [...decoded, ...bodies];
}

test('redact: no copy of the marker, the session or the password survives in the written file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-redact-'));
  const input = path.join(dir, 'signin.har');
  const output = path.join(dir, 'signin.redacted.har');
  const original = markedHar();
  writeFileSync(input, original);
  // The marker really is everywhere before redaction, including inside the encoded messages.
  assert.ok(original.includes(MARKER) && original.includes(encodeURIComponent(MARKER)));
  assert.ok(hiddenTexts(original).filter((t) => t.includes(MARKER)).length >= 4);

  const result = saveRedactedCapture(input, output, { samlContent: true });
  assert.ok(result.ok, result.ok ? '' : result.message);
  const written = readFileSync(output, 'utf8');
  for (const secret of [MARKER, SESSION, PASSWORD, 'csrf-5be1e0c2'])
    assert.deepEqual(leaks(written, secret), [], secret);
  for (const text of hiddenTexts(written)) assert.equal(text.includes(MARKER), false, text.slice(0, 200));
  assert.equal(/"name": "(Cookie|Set-Cookie|Authorization|X-CSRF-Token)"/i.test(written), false);
  // Removed: Cookie, Authorization, Set-Cookie, X-CSRF-Token; the password in the form's params and text.
  // Rewritten: the Response in the page, the base64 page, the ACS form's text and params; the
  // LogoutRequest in the URL, the queryString, the Location header and redirectURL.
  assert.deepEqual(result.summary, { headers: 4, cookies: 0, formFields: 2, samlMessages: 8 });
  // Still a capture of the same flow: the same messages, with placeholders.
  const flow = flowFromCapture(written, { documents: metadataDocuments() });
  assert.ok(flow.ok);
  assert.deepEqual(
    flow.messages.map((m) => [m.messageType, m.binding]),
    [
      ['AuthnRequest', 'redirect'],
      ['Response', 'post'],
      ['LogoutRequest', 'redirect'],
    ],
  );
  assert.equal(flow.messages[1].report?.subject.nameId?.value, '[redacted NameID]');
  // The original is untouched, and cannot be the output.
  assert.equal(readFileSync(input, 'utf8'), original);
  const same = saveRedactedCapture(input, input);
  assert.equal(same.ok, false);
  if (!same.ok) assert.match(same.message, /never modified/);
  assert.equal(readFileSync(input, 'utf8'), original);
});

test('redact: without the SAML option the messages stay as they are, credentials still go', () => {
  const result = redactCapture(markedHar());
  assert.ok(result.ok);
  assert.equal(result.text.includes(SESSION), false);
  assert.equal(result.text.includes(encodeURIComponent(PASSWORD)), false);
  assert.equal(result.summary.samlMessages, 0);
  const flow = flowFromCapture(result.text, { documents: metadataDocuments() });
  assert.ok(flow.ok);
  // The signature still verifies: the message bytes were not touched.
  assert.equal(flow.messages[1].verdict, 'valid');
  assert.equal(flow.messages[1].report?.subject.nameId?.value, MARKER);
});

test('redact: a SAML-tracer export loses its decoded messages’ identities too', () => {
  const result = redactCapture(samlTracerExport(), { samlContent: true });
  assert.ok(result.ok);
  assert.equal(result.text.includes('B.Simon@contoso.com'), false);
  assert.ok(readCapture(result.text).ok);
});

test('redact: an unreadable capture is refused with the reader’s message', () => {
  const result = redactCapture('{"log": {"entries": [');
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.code, 'capture.truncated');
});
