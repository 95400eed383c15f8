// The loopback test IdP as an SP and a browser see it, over real HTTP on 127.0.0.1: its metadata,
// AuthnRequests in both bindings (signed and not, checked against the SP metadata), the login page,
// the signed Response judged by SAML Lens's validator against the *served* metadata, each defect's
// failing findings, every request it must refuse (after which it keeps working), and stop().
// node-saml, a real SP library, signs B.Simon in through it (SP- and IdP-initiated) and logs out.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { generateCertificate } from '../../src/core/build/certificate';
import { buildSpMetadata } from '../../src/core/build/metadata';
import { buildAuthnRequest, encodeRedirect } from '../../src/core/build/response';
import { RESPONSE_DEFECTS, expectedFailuresFor } from '../../src/core/build/testResponse';
import { decodeSamlInput } from '../../src/core/messages/decode';
import { summariseMetadata } from '../../src/core/metadata/summary';
import { validateDecoded, validateResponse } from '../../src/core/validate';
import type { ValidationReport } from '../../src/core/validate/types';
import {
  IDP_PATHS,
  LoopbackIdentityProvider,
  type SignInEvent,
} from '../../src/features/testIdentityProvider/headless/loopbackIdentityProvider';
import {
  serviceProvidersInMetadata,
  testServiceProvider,
  type WorkspaceServiceProvider,
} from '../../src/features/testIdentityProvider/headless/serviceProviders';
import { DEFAULT_TEST_USERS } from '../../src/features/testIdentityProvider/headless/testUsers';
import { MAX_BODY_BYTES } from '../../src/features/testSignIn/headless/loopbackServer';
import {
  BINDING_REDIRECT,
  LoopbackServiceProvider,
  type ReceivedResponse,
} from '../../src/features/testSignIn/headless/loopbackServiceProvider';
import { flowFromCapture } from '../../src/core/flow';
import { HarRecorder } from '../../src/features/testSignIn/headless/harRecorder';
import { call, formField, type Reply } from '../fixtures/signIn/browse';
import { nodeSamlConfig } from '../fixtures/signIn/nodeSamlServiceProvider';

const NOW = new Date('2026-03-01T10:00:00Z');
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const ATTRIBUTES = ['FirstName', 'LastName', 'Country', 'Email'];

function keyPair(commonName: string) {
  // Node's key generation (fast), certified by the project's certificate builder.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName },
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2035-01-01T00:00:00Z'),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  );
}

const IDP_KEY = keyPair('SAML Lens test IdP');
const SP_KEY = keyPair('Signing SP');
const OTHER_KEY = keyPair('Someone else');

/** An SP that does not sign its requests, and one whose metadata says AuthnRequestsSigned="true". */
const PLAIN_SP = {
  entityId: 'https://upwork.example.com/saml',
  acsUrl: 'https://upwork.example.com/saml/acs',
  sloUrl: 'https://upwork.example.com/saml/slo',
};
const SIGNING_SP = { entityId: 'https://signing-sp.example.com/saml', acsUrl: 'https://signing-sp.example.com/acs' };

function workspaceServiceProviders(): WorkspaceServiceProvider[] {
  const plain = buildSpMetadata({
    entityId: PLAIN_SP.entityId,
    acsUrls: [PLAIN_SP.acsUrl],
    sloUrl: PLAIN_SP.sloUrl,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    requestedAttributes: ATTRIBUTES.map((name) => ({ name, isRequired: true })),
    serviceName: 'Upwork Enterprise',
    wantAssertionsSigned: true,
  });
  const signing = buildSpMetadata({
    entityId: SIGNING_SP.entityId,
    acsUrls: [SIGNING_SP.acsUrl],
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    certificate: SP_KEY.certificatePem,
    requestedAttributes: [],
    serviceName: 'Signing SP',
    wantAssertionsSigned: true,
  });
  return [plain, signing].flatMap((text, index) => {
    const read = serviceProvidersInMetadata(text, `sp-${index}.xml`);
    assert.ok(read.ok);
    return read.serviceProviders;
  });
}

const running: LoopbackIdentityProvider[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((idp) => idp.stop()));
});

async function start(clock: 'fixed' | 'system' = 'fixed') {
  const now = clock === 'fixed' ? () => NOW : undefined;
  const refused: string[] = [];
  const signIns: SignInEvent[] = [];
  const idp = new LoopbackIdentityProvider(
    { port: 0, signingKey: IDP_KEY, users: DEFAULT_TEST_USERS, serviceProviders: workspaceServiceProviders, now },
    { onRefused: (reason) => refused.push(reason), onSignIn: (event) => signIns.push(event) },
  );
  await idp.start();
  running.push(idp);
  return { idp, refused, signIns };
}

function authnRequest(idp: LoopbackIdentityProvider, sp: { entityId: string; acsUrl: string }, id = '_req1') {
  return buildAuthnRequest({
    id,
    issuer: sp.entityId,
    destination: idp.url(IDP_PATHS.sso),
    assertionConsumerServiceUrl: sp.acsUrl,
    issueInstant: NOW,
  });
}

/** The path and query of a Redirect-binding URL on the IdP. */
function redirectPath(idp: LoopbackIdentityProvider, xml: string, key?: { privateKeyPem: string }): string {
  const url = encodeRedirect(
    xml,
    { destination: idp.url(IDP_PATHS.sso), parameter: 'SAMLRequest', relayState: 'state-1' },
    key,
  );
  return url.slice(idp.baseUrl.length);
}

/** Picks a user (and defect) on the login page as a browser posts the form. */
function submitLogin(idp: LoopbackIdentityProvider, loginPage: string, defect = 'none', user = '0'): Promise<Reply> {
  const request = formField(loginPage, 'request') ?? '';
  return call(idp, 'POST', IDP_PATHS.login, { body: new URLSearchParams({ request, user, defect }).toString() });
}

/** What the SP would do: validate the posted Response against the IdP's served metadata. */
async function judge(idp: LoopbackIdentityProvider, posted: Reply, requestId?: string): Promise<ValidationReport> {
  const metadata = summariseMetadata((await call(idp, 'GET', IDP_PATHS.metadata)).body);
  assert.ok(metadata.ok);
  const [served] = metadata.identityProviders;
  return validateResponse(Buffer.from(formField(posted.body, 'SAMLResponse') ?? '', 'base64').toString('utf8'), {
    now: NOW,
    trustedCertificates: served.signingCertificates.map((base64) => ({
      base64,
      source: 'served metadata',
      entityId: served.entityId,
    })),
    idpEntityId: served.entityId,
    sp: {
      entityId: PLAIN_SP.entityId,
      acsUrls: [PLAIN_SP.acsUrl],
      expectedAttributes: ATTRIBUTES.map((name) => ({ name })),
      source: 'SP metadata',
    },
    receivedAt: PLAIN_SP.acsUrl,
    requestId,
    requireSignedAssertion: true,
  });
}

const failures = (report: ValidationReport) =>
  [...new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.code))].sort();

test('metadata: an IdP at the loopback URLs with the signing certificate, parseable by SAML Lens', async () => {
  const { idp } = await start();
  const reply = await call(idp, 'GET', IDP_PATHS.metadata);
  assert.equal(reply.status, 200);
  assert.match(reply.headers['content-type'] ?? '', /^application\/samlmetadata\+xml/);
  const summary = summariseMetadata(reply.body);
  assert.ok(summary.ok);
  assert.deepEqual(
    summary.identityProviders.map((i) => i.entityId),
    [`http://localhost:${idp.port}/saml/metadata`],
  );
  const der = new crypto.X509Certificate(IDP_KEY.certificatePem).raw.toString('base64');
  assert.deepEqual(summary.identityProviders[0].signingCertificates, [der]);
  for (const binding of [REDIRECT, POST]) {
    assert.match(
      reply.body,
      new RegExp(`SingleSignOnService Binding="${binding}" Location="http://localhost:${idp.port}/saml/sso"`),
    );
    assert.match(
      reply.body,
      new RegExp(`SingleLogoutService Binding="${binding}" Location="http://localhost:${idp.port}/saml/slo"`),
    );
  }
});

test('Redirect binding: the login page lists the users and defects; the signed response validates against the served metadata', async () => {
  const { idp, signIns } = await start();
  const login = await call(idp, 'GET', redirectPath(idp, authnRequest(idp, PLAIN_SP)));
  assert.equal(login.status, 200, login.body);
  assert.match(login.body, /B\.Simon@contoso\.com/);
  assert.match(login.body, /FirstName: B; LastName: Simon; Country: US; Email: B\.Simon@contoso\.com/);
  for (const defect of RESPONSE_DEFECTS) assert.match(login.body, new RegExp(`name="defect" value="${defect.defect}"`));
  assert.match(login.body, /AuthnRequest _req1 for https:\/\/upwork\.example\.com\/saml/);

  const posted = await submitLogin(idp, login.body);
  assert.equal(posted.status, 200, posted.body);
  assert.match(posted.body, /<form method="post" action="https:\/\/upwork\.example\.com\/saml\/acs">/);
  assert.equal(formField(posted.body, 'RelayState'), 'state-1');
  const report = await judge(idp, posted, '_req1');
  assert.deepEqual(failures(report), []);
  assert.equal(report.verdict, 'valid');
  assert.ok(report.findings.some((f) => f.code === 'in-response-to.match' && f.status === 'pass'));
  assert.equal(signIns.length, 1);
  assert.equal(signIns[0].requestId, '_req1');

  const again = await submitLogin(idp, login.body);
  assert.equal(again.status, 400, 'a sign-in is answered once');
  assert.match(again.body, /unknown or already answered/);
});

test('POST binding: an AuthnRequest in a form is answered the same way', async () => {
  const { idp } = await start();
  const form = new URLSearchParams({
    SAMLRequest: Buffer.from(authnRequest(idp, PLAIN_SP, '_posted'), 'utf8').toString('base64'),
    RelayState: 'state-2',
  });
  const login = await call(idp, 'POST', IDP_PATHS.sso, { body: form.toString() });
  assert.equal(login.status, 200, login.body);
  const posted = await submitLogin(idp, login.body);
  assert.equal(formField(posted.body, 'RelayState'), 'state-2');
  const report = await judge(idp, posted, '_posted');
  assert.deepEqual(failures(report), []);
  assert.equal(report.verdict, 'valid');
});

test('two sign-ins in the same second get different Response and assertion IDs (an SP refuses a replayed assertion ID)', async () => {
  const { idp } = await start(); // the fixed clock: both responses are issued at the same instant
  const ids: string[] = [];
  for (const request of ['_same1', '_same2']) {
    const login = await call(idp, 'GET', redirectPath(idp, authnRequest(idp, PLAIN_SP, request)));
    const xml = Buffer.from(formField((await submitLogin(idp, login.body)).body, 'SAMLResponse') ?? '', 'base64');
    const text = xml.toString('utf8');
    ids.push(
      /<samlp:Response [^>]*\bID="([^"]+)"/.exec(text)?.[1] ?? '',
      /<saml:Assertion [^>]*\bID="([^"]+)"/.exec(text)?.[1] ?? '',
    );
  }
  assert.equal(ids.filter(Boolean).length, 4, ids.join(', '));
  assert.equal(new Set(ids).size, 4, `IDs repeat: ${ids.join(', ')}`);
});

test('each defect chosen on the login page gives exactly its failing findings', async () => {
  const { idp } = await start();
  const sp = workspaceServiceProviders()[0];
  for (const { defect } of RESPONSE_DEFECTS) {
    const login = await call(idp, 'GET', redirectPath(idp, authnRequest(idp, PLAIN_SP, `_d-${defect}`)));
    const posted = await submitLogin(idp, login.body, defect);
    assert.equal(posted.status, 200, posted.body);
    const report = await judge(idp, posted, `_d-${defect}`);
    assert.deepEqual(
      failures(report),
      expectedFailuresFor(defect, testServiceProvider(sp, PLAIN_SP.acsUrl)).sort(),
      defect,
    );
  }
});

test('AuthnRequestsSigned="true": a request signed with the SP key passes; unsigned or signed by another key is refused', async () => {
  const { idp, refused } = await start();
  const xml = authnRequest(idp, SIGNING_SP);
  const signed = await call(idp, 'GET', redirectPath(idp, xml, SP_KEY));
  assert.equal(signed.status, 200, signed.body);

  const wrongKey = await call(idp, 'GET', redirectPath(idp, xml, OTHER_KEY));
  assert.equal(wrongKey.status, 400);
  assert.match(
    wrongKey.body,
    /The AuthnRequest from https:\/\/signing-sp\.example\.com\/saml is refused: .*signature/i,
  );
  const unsigned = await call(idp, 'GET', redirectPath(idp, xml));
  assert.equal(unsigned.status, 400);
  assert.match(
    unsigned.body,
    /The AuthnRequest is not signed, but the SP metadata \(sp-1\.xml\) says AuthnRequestsSigned=&quot;true&quot;/,
  );
  assert.equal(refused.length, 2);
});

test('refused, each with its own reason, and the listener keeps working', async () => {
  const { idp, refused } = await start();
  const foreignAcs = authnRequest(idp, { entityId: PLAIN_SP.entityId, acsUrl: 'https://evil.example.com/acs' });
  const unknownSp = authnRequest(idp, { entityId: 'https://stranger.example.com', acsUrl: PLAIN_SP.acsUrl });
  const redirectBinding = buildAuthnRequest({
    id: '_rb',
    issuer: PLAIN_SP.entityId,
    destination: idp.url(IDP_PATHS.sso),
    assertionConsumerServiceUrl: PLAIN_SP.acsUrl,
    issueInstant: NOW,
    protocolBinding: REDIRECT,
  });
  const cases: Array<[Promise<Reply>, number, RegExp]> = [
    [
      call(idp, 'GET', redirectPath(idp, foreignAcs)),
      400,
      /asks for the response at https:\/\/evil\.example\.com\/acs, which is not an AssertionConsumerService in the SP metadata \(sp-0\.xml\); it lists https:\/\/upwork\.example\.com\/saml\/acs \(HTTP-POST\)/,
    ],
    [
      call(idp, 'GET', redirectPath(idp, unknownSp)),
      403,
      /No SP metadata in the workspace has the entityID https:\/\/stranger\.example\.com/,
    ],
    [call(idp, 'GET', redirectPath(idp, redirectBinding)), 400, /answers with the HTTP-POST binding only/],
    [call(idp, 'GET', IDP_PATHS.sso, { host: 'evil.example:80' }), 421, /not at Host &quot;evil\.example:80&quot;/],
    [call(idp, 'GET', `${IDP_PATHS.sso}?RelayState=x`), 400, /takes a SAMLRequest .* this query has none/],
    [call(idp, 'GET', `${IDP_PATHS.sso}?SAMLRequest=%25%25%25`), 400, /The SAMLRequest cannot be decoded/],
    [
      call(idp, 'POST', IDP_PATHS.sso, { body: `SAMLRequest=${'A'.repeat(MAX_BODY_BYTES + 10)}` }),
      413,
      /at most 1048576/,
    ],
    [
      call(idp, 'POST', IDP_PATHS.sso, { body: '{}', type: 'application/json' }),
      415,
      /not &quot;application\/json&quot;/,
    ],
    [call(idp, 'POST', IDP_PATHS.login, { body: 'request=nope&user=0' }), 400, /unknown or already answered/],
    [
      call(idp, 'GET', `${IDP_PATHS.login}?sp=https%3A%2F%2Fnobody`),
      403,
      /No SP metadata in the workspace has the entityID https:\/\/nobody/,
    ],
    [call(idp, 'PUT', IDP_PATHS.sso), 405, /PUT is not accepted at \/saml\/sso/],
    [call(idp, 'GET', '/admin'), 404, /Nothing here: this test IdP serves/],
  ];
  for (const [reply, status, reason] of cases) {
    const { status: got, body } = await reply;
    assert.equal(got, status, body);
    assert.match(body, reason);
  }
  // A browser's own request for an icon is answered 404 and not logged as refused.
  assert.equal((await call(idp, 'GET', '/favicon.ico')).status, 404);
  assert.equal(refused.length, cases.length);
  const login = await call(idp, 'GET', redirectPath(idp, authnRequest(idp, PLAIN_SP)));
  assert.equal(login.status, 200, 'still serving');
  const badUser = await submitLogin(idp, login.body, 'none', '7');
  assert.match(badUser.body, /names no known test user \(user=&quot;7&quot;\)/);
  const badDefect = await submitLogin(idp, login.body, 'sneaky');
  assert.match(badDefect.body, /Unknown defect &quot;sneaky&quot;/);
});

test('listens on 127.0.0.1 only; a port in use is named; stop() frees the port even with a connection open', async () => {
  const { idp } = await start();
  const port = idp.port;
  const second = new LoopbackIdentityProvider({
    port,
    signingKey: IDP_KEY,
    users: DEFAULT_TEST_USERS,
    serviceProviders: () => [],
  });
  await assert.rejects(
    second.start(),
    new RegExp(
      `Port ${port} on 127\\.0\\.0\\.1 is already in use; choose another in samlLens\\.testIdentityProvider\\.port`,
    ),
  );
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  await idp.stop();
  assert.equal(idp.listening, false);
  await second.start();
  running.push(second);
  assert.equal(second.port, port);
  socket.destroy();
});

// ---------------------------------------------------------------- a real SP library on the other side

async function nodeSaml(
  idp: LoopbackIdentityProvider,
  validateInResponseTo = ValidateInResponseTo.always,
): Promise<SAML> {
  const metadata = (await call(idp, 'GET', IDP_PATHS.metadata)).body;
  return new SAML(nodeSamlConfig(metadata, PLAIN_SP, validateInResponseTo));
}

function assertBSimon(profile: Record<string, unknown> | null) {
  assert.ok(profile);
  assert.equal(profile.nameID, 'B.Simon@contoso.com');
  assert.equal(profile.FirstName, 'B');
  assert.equal(profile.LastName, 'Simon');
  assert.equal(profile.Country, 'US');
  assert.equal(profile.Email, 'B.Simon@contoso.com');
}

test('node-saml signs B.Simon in through the test IdP (SP-initiated, InResponseTo checked)', async () => {
  const { idp } = await start('system');
  const saml = await nodeSaml(idp);
  const authorizeUrl = await saml.getAuthorizeUrlAsync('relay-ns', undefined, {});
  assert.ok(authorizeUrl.startsWith(idp.url(IDP_PATHS.sso)), authorizeUrl);
  const login = await call(idp, 'GET', authorizeUrl.slice(idp.baseUrl.length));
  assert.equal(login.status, 200, login.body);
  const posted = await submitLogin(idp, login.body);
  assert.equal(formField(posted.body, 'RelayState'), 'relay-ns');
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: formField(posted.body, 'SAMLResponse')! });
  assertBSimon(profile as Record<string, unknown> | null);
});

test('node-saml accepts an IdP-initiated sign-in chosen on My Apps, and logs out through the SLO endpoint', async () => {
  const { idp } = await start('system');
  const apps = await call(idp, 'GET', IDP_PATHS.apps);
  assert.equal(apps.status, 200);
  const link = /href="(\/saml\/login\?sp=[^"]+)">https:\/\/upwork\.example\.com\/saml</.exec(apps.body)?.[1];
  assert.ok(link, apps.body);
  assert.match(apps.body, /https:\/\/signing-sp\.example\.com\/saml/);
  const login = await call(idp, 'GET', link.replace(/&amp;/g, '&'));
  assert.match(login.body, /IdP-initiated sign-in for https:\/\/upwork\.example\.com\/saml/);
  const posted = await submitLogin(idp, login.body);
  const saml = await nodeSaml(idp, ValidateInResponseTo.never);
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: formField(posted.body, 'SAMLResponse')! });
  assertBSimon(profile as Record<string, unknown> | null);

  // Logout: node-saml's LogoutRequest in, the IdP's signed LogoutResponse back to the SP's SLO URL.
  const logoutUrl = await saml.getLogoutUrlAsync(profile!, 'relay-out', {});
  const logout = await call(idp, 'GET', logoutUrl.slice(idp.baseUrl.length));
  assert.equal(logout.status, 302, logout.body);
  const location = logout.headers.location ?? '';
  assert.ok(location.startsWith(`${PLAIN_SP.sloUrl}?SAMLResponse=`), location);
  const query = location.slice(location.indexOf('?') + 1);
  const { loggedOut } = await saml.validateRedirectAsync(Object.fromEntries(new URLSearchParams(query)), query);
  assert.equal(loggedOut, true);
  const decoded = decodeSamlInput(location);
  assert.ok(decoded.ok && decoded.messageType === 'LogoutResponse');
  const report = validateDecoded(decoded, {
    now: new Date(),
    trustedCertificates: [{ pem: IDP_KEY.certificatePem, source: 'test IdP', entityId: idp.entityId }],
    receivedAt: PLAIN_SP.sloUrl,
  });
  assert.deepEqual(failures(report), []);
  assert.ok(report.findings.some((f) => f.code === 'signature.redirect' && f.status === 'pass'));
});

test('the test SP of "Test Sign-in" signs in through the test IdP, both on loopback; their HAR opens as a flow', async () => {
  const received: ReceivedResponse[] = [];
  let known: WorkspaceServiceProvider[] = [];
  const idpRecorder = new HarRecorder();
  const spRecorder = new HarRecorder();
  const idp = new LoopbackIdentityProvider({
    port: 0,
    recorder: idpRecorder,
    signingKey: IDP_KEY,
    users: DEFAULT_TEST_USERS,
    serviceProviders: () => known,
  });
  await idp.start();
  running.push(idp);
  const sp = new LoopbackServiceProvider(
    {
      idp: { entityId: idp.entityId, ssoUrl: idp.url(IDP_PATHS.sso), ssoBinding: BINDING_REDIRECT },
      port: 0,
      recorder: spRecorder,
    },
    { onResponse: (r) => received.push(r) },
  );
  await sp.start();
  try {
    const spMetadata = serviceProvidersInMetadata(sp.metadataXml(), 'test-sp.xml');
    assert.ok(spMetadata.ok);
    known = spMetadata.serviceProviders;
    const toIdp = await call(sp, 'GET', '/saml/login');
    assert.equal(toIdp.status, 302);
    const location = toIdp.headers.location ?? '';
    const login = await call(idp, 'GET', location.slice(idp.baseUrl.length));
    assert.equal(login.status, 200, login.body);
    const posted = await submitLogin(idp, login.body);
    const action = /action="([^"]+)"/.exec(posted.body)?.[1] ?? '';
    assert.equal(action, sp.url('/saml/acs'));
    const answered = await call(sp, 'POST', '/saml/acs', {
      body: new URLSearchParams({
        SAMLResponse: formField(posted.body, 'SAMLResponse')!,
        RelayState: formField(posted.body, 'RelayState')!,
      }).toString(),
    });
    assert.equal(answered.status, 200);
    assert.equal(received.length, 1);
    const requestId = decodeSamlInput(location);
    assert.ok(requestId.ok);
    assert.equal(received[0].requestId, /ID="([^"]+)"/.exec(requestId.xml)?.[1]);
    const xml = Buffer.from(received[0].samlResponse, 'base64').toString('utf8');
    assert.match(xml, new RegExp(`InResponseTo="${received[0].requestId}"`));

    // What both servers saw, as one capture: the flow view's reading of it is the sign-in.
    const har = spRecorder.toHar(idpRecorder);
    assert.deepEqual(
      har.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`),
      ['GET /saml/login 302', 'GET /saml/sso 200', 'POST /saml/login 200', 'POST /saml/acs 200'],
    );
    const flow = flowFromCapture(JSON.stringify(har));
    assert.ok(flow.ok, flow.ok ? '' : flow.message);
    const messages = flow.messages.map((m) => `${m.messageType} ${m.direction} ${m.binding}`);
    assert.deepEqual([...new Set(messages)], ['AuthnRequest to-idp redirect', 'Response to-sp post']);
    const response = flow.messages.find((m) => m.messageType === 'Response')!;
    assert.equal(response.inResponseTo, received[0].requestId);
    assert.deepEqual(flow.initiation, ['sp-initiated']);
  } finally {
    await sp.stop();
  }
});
