// The test SP signs in against an identity provider built with samlify (a real SAML library): the
// AuthnRequest it sends is one samlify parses, and the Response samlify answers with arrives at the
// ACS with the request's ID and validates with SAML Lens's validator against samlify's metadata.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { decodeSamlInput } from '../../src/core/messages/decode';
import { validateDecoded } from '../../src/core/validate';
import {
  BINDING_REDIRECT,
  LoopbackServiceProvider,
  PATHS,
  type ReceivedResponse,
} from '../../src/features/testSignIn/headless/loopbackServiceProvider';
import { identityProvidersForSignIn } from '../../src/features/testSignIn/headless/identityProviders';
import { B_SIMON, startSamlifyIdentityProvider } from '../fixtures/signIn/samlifyIdentityProvider';

function get(
  url: string,
  method = 'GET',
  form?: Record<string, string>,
): Promise<{ status: number; location?: string; body: string }> {
  const target = new URL(url);
  const body = form && new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: Number(target.port),
        method,
        path: `${target.pathname}${target.search}`,
        headers: { Host: target.host, ...(body && { 'Content-Type': 'application/x-www-form-urlencoded' }) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, location: response.headers.location, body: text }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

test('SP-initiated sign-in between the test SP and a samlify IdP: valid, answering the request, with the four claims', async () => {
  const idp = await startSamlifyIdentityProvider();
  after(() => idp.close());
  const choices = identityProvidersForSignIn(idp.metadataXml);
  assert.ok(choices.ok, choices.ok ? '' : choices.message);
  assert.deepEqual(choices.identityProviders, [
    { entityId: idp.entityId, ssoUrl: idp.ssoUrl, ssoBinding: BINDING_REDIRECT },
  ]);

  const received: ReceivedResponse[] = [];
  const sp = new LoopbackServiceProvider(
    { idp: choices.identityProviders[0], port: 0, expectedAttributes: Object.keys(B_SIMON.attributes) },
    { onResponse: (r) => received.push(r) },
  );
  await sp.start();
  after(() => sp.stop());
  idp.setServiceProviderMetadataUrl(sp.url(PATHS.metadata));

  const login = await get(sp.url(PATHS.login));
  assert.equal(login.status, 302);
  const idpPage = await get(login.location!);
  assert.equal(idpPage.status, 200, idpPage.body);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(idpPage.body)?.[1] ?? '';
  assert.equal(/action="([^"]+)"/.exec(idpPage.body)?.[1], sp.url(PATHS.acs));
  const posted = await get(sp.url(PATHS.acs), 'POST', {
    SAMLResponse: field('SAMLResponse'),
    RelayState: field('RelayState'),
  });
  assert.equal(posted.status, 200, posted.body);
  await new Promise((resolve) => setTimeout(resolve, 50));

  assert.equal(received.length, 1);
  assert.equal(idp.log.length, 1);
  assert.equal(received[0].requestId, idp.log[0].requestId, 'the ACS knows which of its requests samlify answered');
  const decoded = decodeSamlInput(received[0].samlResponse);
  assert.ok(decoded.ok);
  const report = validateDecoded(decoded, {
    now: new Date(),
    trustedCertificates: [{ pem: idp.certificatePem, source: 'samlify IdP metadata', entityId: idp.entityId }],
    sp: {
      entityId: sp.entityId,
      acsUrls: [sp.url(PATHS.acs)],
      expectedAttributes: Object.keys(B_SIMON.attributes).map((name) => ({ name, required: true })),
      source: 'test SP',
    },
    idpEntityId: idp.entityId,
    receivedAt: sp.url(PATHS.acs),
    requestId: received[0].requestId,
  });
  const failed = report.findings.filter((f) => f.status === 'fail').map((f) => `${f.code}: ${f.message}`);
  assert.deepEqual(failed, []);
  assert.equal(report.verdict, 'valid');
  assert.equal(report.subject.nameId?.value, B_SIMON.email);
  assert.deepEqual(Object.fromEntries(report.attributes.map((a) => [a.name, a.values[0]])), B_SIMON.attributes);
});
