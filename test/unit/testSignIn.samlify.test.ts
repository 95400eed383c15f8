// The test SP signs in against an identity provider built with samlify (a real SAML library): the
// AuthnRequest it sends is one samlify parses, and the Response samlify answers with arrives at the
// ACS with the request's ID and validates with SAML Lens's validator against samlify's metadata.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSamlInput } from '../../src/core/messages/decode';
import { validateDecoded } from '../../src/core/validate';
import {
  BINDING_REDIRECT,
  LoopbackServiceProvider,
  PATHS,
  type ReceivedResponse,
} from '../../src/features/testSignIn/headless/loopbackServiceProvider';
import { identityProvidersForSignIn } from '../../src/features/testSignIn/headless/identityProviders';
import { browse, formOf } from '../fixtures/signIn/browse';
import { B_SIMON, startSamlifyIdentityProvider } from '../fixtures/signIn/samlifyIdentityProvider';

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

  const login = await browse(sp.url(PATHS.login));
  assert.equal(login.status, 302);
  const idpPage = await browse(login.location!);
  assert.equal(idpPage.status, 200, idpPage.body);
  const form = formOf(idpPage.body);
  assert.equal(form.action, sp.url(PATHS.acs));
  assert.deepEqual(Object.keys(form.fields), ['SAMLResponse', 'RelayState']);
  const posted = await browse(form.action, 'POST', form.fields);
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
