// The loopback test SP as a browser and an IdP see it, over real HTTP on 127.0.0.1: the AuthnRequest
// it sends (both bindings), the Response it receives, and every request it must refuse, after which
// it keeps working. It listens on loopback only and stop() frees its port.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { decodeSamlInput } from '../../src/core/messages/decode';
import {
  BINDING_POST,
  BINDING_REDIRECT,
  LoopbackServiceProvider,
  MAX_BODY_BYTES,
  PATHS,
  type ReceivedResponse,
} from '../../src/features/testSignIn/headless/loopbackServiceProvider';
import { HarRecorder } from '../../src/features/testSignIn/headless/harRecorder';
import { call, type Reply } from '../fixtures/signIn/browse';

const IDP = {
  entityId: 'https://sts.windows.net/tenant/',
  ssoUrl: 'https://login.example.org/saml2',
  ssoBinding: BINDING_REDIRECT,
} as const;

const running: LoopbackServiceProvider[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sp) => sp.stop()));
});

async function start(binding: typeof BINDING_REDIRECT | typeof BINDING_POST = BINDING_REDIRECT) {
  const received: ReceivedResponse[] = [];
  const refused: string[] = [];
  const sp = new LoopbackServiceProvider(
    { idp: { ...IDP, ssoBinding: binding }, port: 0, expectedAttributes: ['FirstName', 'Email'] },
    { onResponse: (r) => received.push(r), onRefused: (reason) => refused.push(reason) },
  );
  await sp.start();
  running.push(sp);
  return { sp, received, refused };
}

test('Redirect binding: /saml/login sends the browser to the IdP with an AuthnRequest naming this ACS', async () => {
  const { sp } = await start();
  const reply = await call(sp, 'GET', PATHS.login);
  assert.equal(reply.status, 302);
  const location = new URL(reply.headers.location ?? '');
  assert.equal(`${location.origin}${location.pathname}`, IDP.ssoUrl);
  assert.deepEqual([...location.searchParams.keys()], ['SAMLRequest', 'RelayState'], location.search);
  assert.ok(location.searchParams.get('RelayState'));
  const decoded = decodeSamlInput(location.href);
  assert.ok(decoded.ok, 'the Location decodes as a SAML message');
  assert.equal(decoded.messageType, 'AuthnRequest');
  assert.match(decoded.xml, new RegExp(`AssertionConsumerServiceURL="http://localhost:${sp.port}/saml/acs"`));
  assert.match(decoded.xml, new RegExp(`<saml:Issuer>http://localhost:${sp.port}/saml/metadata</saml:Issuer>`));
  assert.match(decoded.xml, /Destination="https:\/\/login\.example\.org\/saml2"/);
});

test('POST binding: /saml/login answers with a form that posts the AuthnRequest to the IdP', async () => {
  const { sp } = await start(BINDING_POST);
  const reply = await call(sp, 'GET', PATHS.login);
  assert.equal(reply.status, 200);
  assert.match(reply.body, /<form method="post" action="https:\/\/login\.example\.org\/saml2">/);
  const value = /name="SAMLRequest" value="([^"]+)"/.exec(reply.body)?.[1] ?? '';
  const decoded = decodeSamlInput(value);
  assert.ok(decoded.ok && decoded.messageType === 'AuthnRequest');
});

test('the ACS hands over the Response with the ID of the request it answers, or none when IdP-initiated', async () => {
  const { sp, received } = await start();
  const login = await call(sp, 'GET', PATHS.login);
  const location = new URL(login.headers.location ?? '');
  const relayState = location.searchParams.get('RelayState') ?? '';
  const requestXml = decodeSamlInput(location.href);
  const requestId = requestXml.ok ? /ID="([^"]+)"/.exec(requestXml.xml)?.[1] : undefined;

  const answered = await call(sp, 'POST', PATHS.acs, {
    body: new URLSearchParams({ SAMLResponse: 'PHNhbWxwOlJlc3BvbnNlLz4=', RelayState: relayState }).toString(),
  });
  assert.equal(answered.status, 200);
  assert.match(answered.body, /response to its request/);
  const unsolicited = await call(sp, 'POST', PATHS.acs, { body: 'SAMLResponse=abc%2B%2F%3D' });
  assert.equal(unsolicited.status, 200);
  assert.match(unsolicited.body, /IdP-initiated response/);

  assert.equal(received.length, 2);
  assert.equal(received[0].requestId, requestId);
  assert.equal(received[0].samlResponse, 'PHNhbWxwOlJlc3BvbnNlLz4=');
  assert.equal(received[1].requestId, undefined);
  assert.equal(received[1].samlResponse, 'abc+/=', 'form encoding is undone');
});

test('metadata: the entityID and ACS URL to register, with the expected attributes requested', async () => {
  const { sp } = await start();
  const reply = await call(sp, 'GET', PATHS.metadata);
  assert.equal(reply.status, 200);
  assert.match(reply.headers['content-type'] ?? '', /^application\/samlmetadata\+xml/);
  assert.match(reply.body, new RegExp(`entityID="http://localhost:${sp.port}/saml/metadata"`));
  assert.match(reply.body, new RegExp(`Location="http://localhost:${sp.port}/saml/acs"`));
  assert.match(reply.body, /RequestedAttribute[^>]*Name="FirstName"/);
});

test('refused, each with its own reason, and the listener keeps working', async () => {
  const { sp, received, refused } = await start();
  const cases: Array<[Promise<Reply>, number, RegExp]> = [
    [call(sp, 'GET', PATHS.login, { host: 'evil.example:80' }), 421, /not at Host &quot;evil\.example:80&quot;/],
    [call(sp, 'POST', PATHS.acs, { body: 'RelayState=x' }), 400, /no SAMLResponse field/],
    [call(sp, 'POST', PATHS.acs, { body: '{}', type: 'application/json' }), 415, /not &quot;application\/json&quot;/],
    [call(sp, 'POST', PATHS.acs, { body: `SAMLResponse=${'A'.repeat(MAX_BODY_BYTES + 10)}` }), 413, /at most 1048576/],
    [call(sp, 'GET', PATHS.acs), 405, /GET is not accepted at \/saml\/acs/],
    [call(sp, 'GET', '/admin'), 404, /Nothing here/],
  ];
  for (const [reply, status, reason] of cases) {
    const { status: got, body } = await reply;
    assert.equal(got, status, body);
    assert.match(body, reason);
  }
  assert.equal(received.length, 0);
  assert.equal(refused.length, cases.length);
  assert.equal((await call(sp, 'GET', PATHS.login)).status, 302, 'still serving');
});

test('listens on 127.0.0.1 only; a port in use is named; stop() frees the port even with a connection open', async () => {
  const { sp } = await start();
  const port = sp.port;
  await assert.rejects(
    new LoopbackServiceProvider({ idp: IDP, port }, { onResponse: () => undefined }).start(),
    new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use; choose another in samlLens\\.testSignIn\\.port`),
  );
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  await sp.stop();
  assert.equal(sp.listening, false);
  const again = new LoopbackServiceProvider({ idp: IDP, port }, { onResponse: () => undefined });
  await again.start();
  running.push(again);
  assert.equal(again.port, port);
  socket.destroy();
});

test('recorded as HAR: each exchange with its request, its response headers (Location too) and its body', async () => {
  const recorder = new HarRecorder();
  const sp = new LoopbackServiceProvider({ idp: IDP, port: 0, recorder }, { onResponse: () => undefined });
  await sp.start();
  running.push(sp);
  const login = await call(sp, 'GET', PATHS.login);
  await call(sp, 'POST', PATHS.acs, { body: 'SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4%3D&RelayState=x' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const [redirect, posted] = recorder.toHar().log.entries;
  assert.equal(redirect.request.url, `http://localhost:${sp.port}${PATHS.login}`);
  assert.equal(redirect.response.status, 302);
  assert.equal(redirect.response.redirectURL, login.headers.location);
  assert.ok(redirect.response.headers.some((h) => h.name === 'location' && h.value === login.headers.location));
  assert.equal(posted.request.method, 'POST');
  assert.deepEqual(posted.request.postData?.params, [
    { name: 'SAMLResponse', value: 'PHNhbWxwOlJlc3BvbnNlLz4=' },
    { name: 'RelayState', value: 'x' },
  ]);
  assert.match(posted.response.content.mimeType, /^text\/html/);
  assert.match(posted.response.content.text, /IdP-initiated response/);
});
