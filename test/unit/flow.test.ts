// Sign-in flows from browser captures: the messages found, their order, links and findings, and
// the messages for captures that cannot be read. Expected values are worked out from how the
// captures were built (test/fixtures/builder/captures.ts), never read from the code's output.
import * as crypto from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowFromCapture, readCapture, type FlowResult } from '../../src/core/flow';
import {
  IDP_SSO_URL,
  RELAY_STATE,
  SLO_URL,
  at,
  base64,
  har,
  harEntry,
  idpInitiatedHar,
  logoutHar,
  metadataDocuments,
  samlTracerExport,
  spInitiatedHar,
} from '../fixtures/builder/captures';
import {
  ACS_URL,
  IDP_ENTITY_ID,
  REQUEST_ID,
  SP_ENTITY_ID,
  buildResponse,
  idpKeyPair,
} from '../fixtures/builder/responses';

function flowOf(source: string, options = { documents: metadataDocuments() }) {
  const flow: FlowResult = flowFromCapture(source, options);
  assert.ok(flow.ok, flow.ok ? '' : flow.message);
  return flow;
}

const codes = (flow: { findings: readonly { code: string }[] }) => flow.findings.map((f) => f.code).sort();

test('flow: SP-initiated sign-in is the AuthnRequest by Redirect, then the Response by POST, linked', () => {
  const flow = flowOf(spInitiatedHar());
  // The Location of entry 1 and the page form of entry 3 carry the same messages as entries 2 and 4.
  assert.deepEqual(
    flow.messages.map((m) => [m.entryIndex, m.messageType, m.binding, m.direction, m.source]),
    [
      [1, 'AuthnRequest', 'redirect', 'to-idp', 'query'],
      [3, 'Response', 'post', 'to-sp', 'form'],
    ],
  );
  const [request, response] = flow.messages;
  assert.equal(request.id, REQUEST_ID);
  assert.equal(request.issuer, SP_ENTITY_ID);
  assert.equal(request.assertionConsumerServiceUrl, ACS_URL);
  assert.equal(request.relayState, RELAY_STATE);
  assert.equal(request.time, '2026-03-01T09:58:30.000Z');
  assert.equal(request.url.startsWith(`${IDP_SSO_URL}?SAMLRequest=`), true);
  assert.equal(response.inResponseTo, REQUEST_ID);
  assert.equal(response.issuer, IDP_ENTITY_ID);
  assert.equal(response.id, '_resp-0001');
  assert.equal(response.url, ACS_URL);
  assert.equal(response.relayState, RELAY_STATE);
  assert.equal(response.answers, 0);
  assert.equal(response.requestId, REQUEST_ID);
  assert.deepEqual(flow.initiation, ['sp-initiated']);
  // The signed assertion, trusted through the IdP metadata, answering the captured request.
  assert.equal(response.verdict, 'valid');
  const inResponseTo = response.report!.findings.find((f) => f.code === 'in-response-to.match');
  assert.equal(inResponseTo?.status, 'pass');
  // Neither metadata asks for signed AuthnRequests, so the unsigned one is valid.
  assert.equal(request.verdict, 'valid');
  assert.equal(flow.verdict, 'valid');
  // Issued 09:59:00, posted 09:59:10: the IdP's clock reads 10 s behind, within 180 s.
  assert.deepEqual(flow.clock, { offsetSeconds: -10, messageIndex: 1, allowedSkewSeconds: 180 });
  assert.deepEqual(codes(flow), []);
});

test('flow: a Response to another request, a changed RelayState and another ACS URL are flow findings', () => {
  const flow = flowOf(
    spInitiatedHar({
      responseXml: buildResponse({ inResponseTo: '_req-other' }),
      responseRelayState: 'https://evil.example/',
    }),
  );
  assert.deepEqual(codes(flow), ['flow.unanswered-request', 'flow.unknown-request']);
  const response = flow.messages[1];
  assert.equal(response.answers, undefined);
  // The outstanding request's ID is what the SP compares with: the validator says mismatch.
  assert.equal(response.requestId, REQUEST_ID);
  assert.equal(response.verdict, 'invalid');
  assert.ok(response.report!.findings.some((f) => f.code === 'in-response-to.mismatch' && f.status === 'fail'));
  assert.equal(flow.verdict, 'invalid');

  const moved = flowOf(
    spInitiatedHar({ responseRelayState: 'https://evil.example/', postTo: 'https://www.upwork.com/acs-old' }),
  );
  assert.deepEqual(codes(moved), ['flow.acs-mismatch', 'flow.relay-state-changed']);
  const relay = moved.findings.find((f) => f.code === 'flow.relay-state-changed')!;
  assert.match(relay.message, /sent "https:\/\/www\.upwork\.com\/ab\/find-work\/".*"https:\/\/evil\.example\/"/);
  assert.match(
    moved.findings.find((f) => f.code === 'flow.acs-mismatch')!.message,
    /https:\/\/www\.upwork\.com\/acs-old/,
  );
});

test('flow: an IdP-initiated Response is recognised and said', () => {
  const flow = flowOf(idpInitiatedHar());
  assert.deepEqual(flow.initiation, ['idp-initiated']);
  assert.deepEqual(codes(flow), ['flow.unsolicited']);
  assert.equal(flow.findings[0].severity, 'info');
  assert.equal(flow.messages[0].requestId, undefined);
  assert.equal(flow.messages[0].verdict, 'valid');
});

test('flow: an IdP-initiated Response after an answered sign-in is unsolicited, with no request left waiting', () => {
  const entries = [spInitiatedHar(), idpInitiatedHar()].flatMap((text) => JSON.parse(text).log.entries);
  const flow = flowOf(har(entries));
  assert.deepEqual(flow.initiation, ['sp-initiated', 'idp-initiated']);
  assert.deepEqual(
    flow.messages.map((m) => [m.messageType, m.answers]),
    [
      ['AuthnRequest', undefined],
      ['Response', 0],
      ['Response', undefined],
    ],
  );
  const unsolicited = flow.findings.filter((f) => f.code === 'flow.unsolicited');
  assert.deepEqual(
    unsolicited.map((f) => [f.messageIndex, f.severity]),
    [[2, 'info']],
  );
  // Message 1 is an AuthnRequest before it: the finding must not say there is none.
  assert.equal(
    unsolicited[0].message,
    'Message 3 is an IdP-initiated (unsolicited) Response: it has no InResponseTo, and the AuthnRequest before it (message 1) was answered by message 2. The SP must allow IdP-initiated sign-in.',
  );
});

test('flow: a logout request and its response are linked; a response to another one is not', () => {
  const flow = flowOf(logoutHar());
  assert.deepEqual(
    flow.messages.map((m) => [m.messageType, m.binding, m.direction, m.id]),
    [
      ['LogoutRequest', 'redirect', 'to-idp', '_logout-sp-7'],
      ['LogoutResponse', 'redirect', 'to-sp', '_logout-resp-1'],
    ],
  );
  assert.equal(flow.messages[1].answers, 0);
  assert.equal(flow.messages[1].url.startsWith(`${SLO_URL}?SAMLResponse=`), true);
  assert.deepEqual(codes(flow), []);
  // Issued 09:59:35, received 09:59:36: one second behind.
  assert.equal(flow.clock?.offsetSeconds, -1);

  const other = flowOf(logoutHar('_logout-sp-9'));
  assert.deepEqual(codes(other), ['flow.unanswered-request', 'flow.unknown-request']);
  assert.equal(other.messages[1].verdict, 'invalid');
});

test('flow: the IdP clock far from the capture is reported with the allowed skew', () => {
  // Posted 10 minutes before the IdP says it issued the response.
  const response = base64(buildResponse({ inResponseTo: undefined }));
  const source = har([
    harEntry({ time: at(-660), method: 'POST', url: ACS_URL, form: [{ name: 'SAMLResponse', value: response }] }),
  ]);
  const flow = flowOf(source);
  assert.deepEqual(flow.clock, { offsetSeconds: 600, messageIndex: 0, allowedSkewSeconds: 180 });
  const clock = flow.findings.find((f) => f.code === 'flow.clock-offset')!;
  assert.match(clock.message, /10 min 0 s ahead of the time the browser recorded, more than the 180 s/);
});

test('flow: SAMLart is recognised, with the note that a capture cannot resolve it', () => {
  const flow = flowOf(
    har([
      harEntry({
        time: at(0),
        url: `${ACS_URL}?SAMLart=AAQAAMFbLinlXaCM%2BFIxiDwGOLAy2T71gbpO7ZhNzAgEANlB90ECfpNEVLg%3D`,
      }),
    ]),
  );
  assert.equal(flow.messages[0].binding, 'artifact');
  assert.equal(flow.messages[0].messageType, undefined);
  assert.deepEqual(codes(flow), ['flow.artifact']);
  assert.match(flow.findings[0].message, /back channel.*cannot be shown or validated/);
  assert.equal(flow.verdict, 'not-verifiable');
});

test('flow: a base64-encoded page with an auto-posting form counts when the post itself was not captured', () => {
  const response = base64(buildResponse());
  const page = `<html><body onload="document.forms[0].submit()"><form method="post" action="${ACS_URL}"><input type="hidden" name="SAMLResponse" value="${response}"/><input type="hidden" name="RelayState" value="a&amp;b"/></form></body></html>`;
  const flow = flowOf(
    har([harEntry({ time: at(-50), method: 'POST', url: `${IDP_SSO_URL}/login`, body: page, bodyBase64: true })]),
  );
  assert.equal(flow.messages.length, 1);
  assert.equal(flow.messages[0].source, 'page-form');
  assert.equal(flow.messages[0].url, ACS_URL);
  assert.equal(flow.messages[0].relayState, 'a&b');
  assert.equal(flow.messages[0].messageType, 'Response');
});

test('flow: POST-SimpleSign: the form-level signature is checked with the IdP key from the metadata', () => {
  const response = base64(buildResponse({ inResponseTo: undefined }));
  const sigAlg = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  // SAML Bindings §3.5.4.1: the form values, unencoded, in this order (RelayState when present);
  // harEntry posts them form-encoded, as a browser does.
  const octets = `SAMLResponse=${response}&RelayState=r&b&SigAlg=${sigAlg}`;
  const signed = crypto.sign('sha256', Buffer.from(octets), idpKeyPair().privateKeyPem).toString('base64');
  const withSignature = (signature: string, options = { documents: metadataDocuments() }) =>
    flowOf(
      har([
        harEntry({
          time: at(-50),
          method: 'POST',
          url: ACS_URL,
          form: [
            { name: 'SAMLResponse', value: response },
            { name: 'RelayState', value: 'r&b' },
            { name: 'SigAlg', value: sigAlg },
            { name: 'Signature', value: signature },
          ],
        }),
      ]),
      options,
    );
  const valid = withSignature(signed);
  assert.equal(valid.messages[0].binding, 'simplesign');
  assert.equal(valid.messages[0].messageType, 'Response');
  const checked = valid.findings.find((f) => f.code === 'flow.simplesign-signature');
  assert.equal(checked?.severity, 'info', JSON.stringify(valid.findings));
  assert.match(checked?.message ?? '', /verifies with/);

  const forged = crypto.sign('sha256', Buffer.from(octets.replace('r&b', 'evil')), idpKeyPair().privateKeyPem);
  const invalid = withSignature(forged.toString('base64'));
  const failed = invalid.findings.find((f) => f.code === 'flow.simplesign-signature');
  assert.equal(failed?.severity, 'error');
  assert.match(failed?.message ?? '', /does not verify/);
  assert.equal(invalid.messages[0].verdict, 'invalid');

  // Without the IdP's metadata no key is known: said, not guessed.
  const untrusted = withSignature(signed, { documents: [] });
  assert.ok(codes(untrusted).includes('flow.simplesign-not-checked'));
});

test('flow: a SAML-tracer export, also with its posted values hashed', () => {
  for (const hashPost of [false, true]) {
    const flow = flowOf(samlTracerExport({ hashPost }));
    assert.equal(flow.format, 'saml-tracer');
    assert.deepEqual(
      flow.messages.map((m) => [m.messageType, m.binding, m.time]),
      [
        ['AuthnRequest', 'redirect', undefined],
        ['Response', 'post', undefined],
      ],
      `hashPost ${hashPost}`,
    );
    assert.equal(flow.messages[1].answers, 0);
    assert.equal(flow.messages[1].verdict, 'valid');
    // No time per request in this format: no clock offset.
    assert.equal(flow.clock, undefined);
  }
});

test('flow: unreadable captures get specific messages', () => {
  const cases: [string, string, RegExp][] = [
    ['', 'capture.empty', /empty/],
    [spInitiatedHar().slice(0, 500), 'capture.truncated', /cut off/],
    ['{"log": {"entries": [}}', 'capture.not-json', /not valid JSON: Unexpected token '}'/],
    ['<EntityDescriptor/>', 'capture.not-json', /markup/],
    ['{"foo": 1, "bar": 2}', 'capture.not-capture', /JSON object with "foo", "bar", neither a HAR/],
    ['[1, 2]', 'capture.not-capture', /JSON array/],
    ['{"log": {"version": "1.2"}}', 'capture.not-capture', /no "log.entries"/],
    ['{"log": {"entries": []}}', 'capture.no-entries', /Preserve log/],
    ['{"requests": [], "timestamp": "x"}', 'capture.no-entries', /SAML-tracer/],
  ];
  for (const [source, code, message] of cases) {
    const read = readCapture(source);
    assert.equal(read.ok, false, source);
    if (!read.ok) {
      assert.equal(read.code, code, source);
      assert.match(read.message, message);
    }
  }
});

test('flow: entries without content, bad bodies and huge bodies are noted, the rest is read', () => {
  const huge = 'x'.repeat(9 * 1024 * 1024);
  const source = JSON.stringify({
    log: {
      entries: [
        { startedDateTime: 'yesterday', request: { method: 'GET', url: 'https://www.upwork.com/' }, response: {} },
        {},
        { request: { method: 'GET' } },
        { request: { url: 'https://a.example/' }, response: { content: { text: '%%%', encoding: 'base64' } } },
        { request: { url: 'https://b.example/' }, response: { content: { text: huge } } },
        JSON.parse(idpInitiatedHar()).log.entries[0],
      ],
    },
  });
  const read = readCapture(source);
  assert.ok(read.ok);
  assert.deepEqual(
    read.notes.map((n) => n.message),
    [
      'Entry 1: startedDateTime "yesterday" is not a date; its time is unknown.',
      'Entry 2 has no request URL; it was skipped.',
      'Entry 3 has no request URL; it was skipped.',
      'Entry 4: the response body says encoding "base64" but is not base64; it was not searched for a SAML form.',
      'Entry 5: the response body is 9.0 MB, larger than any SAML page; it was not searched for a SAML form.',
    ],
  );
  const flow = flowOf(source);
  assert.equal(flow.messages.length, 1);
  assert.equal(flow.messages[0].entryIndex, 5);
});

test('flow: a capture without SAML, and a message that does not decode', () => {
  const none = flowFromCapture(har([harEntry({ time: at(0), url: 'https://www.upwork.com/' })]));
  assert.equal(none.ok, false);
  if (!none.ok) assert.match(none.message, /1 request, none carrying SAMLRequest, SAMLResponse or SAMLart/);

  const broken = flowOf(
    har([harEntry({ time: at(0), method: 'POST', url: ACS_URL, form: [{ name: 'SAMLResponse', value: 'PHNhbWxw' }] })]),
  );
  assert.deepEqual(codes(broken), ['flow.undecodable']);
  // "PHNhbWxw" is base64 for "<samlp": XML cut off inside its first tag.
  assert.equal(broken.messages[0].decodeError?.code, 'decode.truncated');
  assert.equal(broken.verdict, 'invalid');
});
