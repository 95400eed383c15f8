// "SAML: Test Sign-in with an Identity Provider" in a real extension host. The test plays the IdP
// (an HTTP server on 127.0.0.1 that reads the AuthnRequest and answers with a signed Response for
// B.Simon, built with the project's builders and a throwaway key) and the browser (it follows the
// redirect and posts the IdP's form). The response must reach the decode panel validated against
// the IdP's metadata and the test SP's expectations, with the request ID; then nothing listens.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { generateCertificate } from '../../src/core/build/certificate';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import { buildSamlResponse } from '../../src/core/build/response';
import { autoPostForm } from '../../src/core/build/testResponse';
import { decodeSamlInput } from '../../src/core/messages/decode';
import type { TestSignInState } from '../../src/features/testSignIn/controller';
import { EXTENSION_ID } from '../../src/ids';
import { browse, formOf } from '../fixtures/signIn/browse';
import { freePort, refusesConnections } from '../fixtures/signIn/ports';
import { Notifications } from './windowStubs';
import { pollUntil } from './poll';

const TENANT = '9d3c1e2a-5b4f-4c6d-8e7f-a1b2c3d4e5f6';
const IDP_ENTITY_ID = `https://sts.windows.net/${TENANT}/`;
const ATTRIBUTES = ['FirstName', 'LastName', 'Country', 'Email'];

/** The IdP's side: the AuthnRequest in, a signed Response for B.Simon out, as an auto-posting form. */
function startIdentityProvider(keys: { privateKeyPem: string; certificatePem: string }): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const decoded = decodeSamlInput(`http://127.0.0.1${request.url ?? ''}`);
    if (!decoded.ok || decoded.messageType !== 'AuthnRequest') {
      response.writeHead(400).end(decoded.ok ? decoded.messageType : decoded.message);
      return;
    }
    const attribute = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(decoded.xml)?.[1] ?? '';
    const acs = attribute('AssertionConsumerServiceURL');
    const spEntityId = /<saml:Issuer>([^<]+)<\/saml:Issuer>/.exec(decoded.xml)?.[1] ?? '';
    const now = Date.now();
    const xml = buildSamlResponse({
      issuer: IDP_ENTITY_ID,
      destination: acs,
      audience: spEntityId,
      recipient: acs,
      nameId: 'B.Simon@contoso.com',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      attributes: [
        { name: 'FirstName', values: ['B'] },
        { name: 'LastName', values: ['Simon'] },
        { name: 'Country', values: ['US'] },
        { name: 'Email', values: ['B.Simon@contoso.com'] },
      ],
      issueInstant: new Date(now - 1000),
      notBefore: new Date(now - 5 * 60_000),
      notOnOrAfter: new Date(now + 60 * 60_000),
      inResponseTo: attribute('ID'),
      signResponse: false,
      signAssertion: true,
      ...keys,
    });
    const relayState = new URL(`http://127.0.0.1${request.url ?? ''}`).searchParams.get('RelayState') ?? undefined;
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(autoPostForm(acs, Buffer.from(xml, 'utf8').toString('base64'), relayState));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

suite('Test sign-in', () => {
  let idp: http.Server;
  let dir: string;
  let metadataFile: string;
  let port: number;
  let notifications: Notifications;

  suiteSetup(async () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keys = generateCertificate(
      { keyType: 'rsa', bits: 2048 },
      {
        subject: { commonName: 'Microsoft Azure Federated SSO Certificate' },
        notBefore: new Date('2025-01-01T00:00:00Z'),
        notAfter: new Date('2035-01-01T00:00:00Z'),
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    );
    idp = await startIdentityProvider(keys);
    const ssoUrl = `http://127.0.0.1:${(idp.address() as net.AddressInfo).port}/saml2`;
    dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-sign-in-'));
    metadataFile = path.join(dir, 'entra-idp-metadata.xml');
    const metadata = buildIdpMetadata({ tenantId: TENANT, signingCertificates: [keys.certificatePem] });
    writeFileSync(metadataFile, metadata.split(`https://login.microsoftonline.com/${TENANT}/saml2`).join(ssoUrl));
    port = await freePort();
    const configuration = vscode.workspace.getConfiguration('samlLens');
    await configuration.update('testSignIn.port', port, vscode.ConfigurationTarget.Global);
    await configuration.update('testSignIn.expectedAttributes', ATTRIBUTES, vscode.ConfigurationTarget.Global);
    // The workbench here is served to a browser on this machine, which reaches the port directly.
    await configuration.update('testSignIn.baseUrl', `http://localhost:${port}`, vscode.ConfigurationTarget.Global);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('samlLens.stopTestSignIn');
    const configuration = vscode.workspace.getConfiguration('samlLens');
    await configuration.update('testSignIn.port', undefined, vscode.ConfigurationTarget.Global);
    await configuration.update('testSignIn.expectedAttributes', undefined, vscode.ConfigurationTarget.Global);
    await configuration.update('testSignIn.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await new Promise((resolve) => idp.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  setup(() => (notifications = new Notifications(['Open as SAML Flow'])));
  teardown(() => notifications.restore());

  const start = () =>
    vscode.commands.executeCommand<TestSignInState | undefined>('samlLens.testSignIn', {
      idpMetadata: vscode.Uri.file(metadataFile).toString(),
      openBrowser: false,
    });

  test('SP-initiated: the IdP’s response reaches the panel, valid against its metadata with the request ID; then nothing listens', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SamlLensApi;
    const state = await start();
    assert.ok(state?.listening, `not listening: ${notifications.errors.join('; ')}`);
    assert.equal(state.port, port);
    const base = `http://localhost:${port}`;
    assert.equal(state.acsUrl, `${base}/saml/acs`);
    assert.equal(state.entityId, `${base}/saml/metadata`);
    await pollUntil('the notification', () => notifications.infos.length > 0);
    // Entra ID's portal names the fields "Identifier (Entity ID)" and "Reply URL (Assertion Consumer Service URL)".
    assert.ok(notifications.infos[0].includes(`Identifier (Entity ID): ${base}/saml/metadata`), notifications.infos[0]);
    assert.ok(notifications.infos[0].includes(`Reply URL (Assertion Consumer Service URL): ${base}/saml/acs`));

    // The browser: the SP's login redirects to the IdP, whose page posts the response to the ACS.
    const login = await browse(state.loginUrl!);
    assert.equal(login.status, 302, login.body);
    const idpPage = await browse(login.location!);
    assert.equal(idpPage.status, 200, idpPage.body);
    const form = formOf(idpPage.body);
    assert.equal(form.action, state.acsUrl);
    const posted = await browse(form.action, 'POST', form.fields);
    assert.equal(posted.status, 200);
    assert.match(posted.body, /response to its request/);

    const decode = api.decode!;
    const report = await pollUntil('the report in the panel', () => {
      const last = decode.lastReport();
      return last?.findings.some((f) => f.code === 'in-response-to.match') && last;
    });
    const failed = report.findings.filter((f) => f.status === 'fail').map((f) => `${f.code}: ${f.message}`);
    assert.deepEqual(failed, []);
    assert.equal(report.verdict, 'valid');
    assert.ok(report.findings.some((f) => f.code === 'attributes.expected' && f.status === 'pass'));
    const sources = JSON.stringify(decode.lastModel());
    assert.match(sources, /the test sign-in's SP/);
    assert.match(sources, /entra-idp-metadata\.xml/);
    assert.equal(decode.panelState().open, true);

    assert.ok(await refusesConnections(port), 'the test SP stopped once the response arrived');

    // The run was recorded: the capture it offers opens as a flow of that request and its response.
    await pollUntil('the capture notification', () =>
      notifications.infos.some((m) => /recorded as a HAR capture/.test(m)),
    );
    const requestId = report.conditions.inResponseTo;
    // The view may still show a capture an earlier test opened: wait for this sign-in's.
    const flow = await pollUntil('the capture in the flow view', () => {
      const shown = api.flow?.lastFlow();
      return shown?.messages.some((m) => m.id === requestId) && shown;
    });
    assert.deepEqual(
      flow.messages.map((m) => [m.messageType, m.direction, m.messageType === 'Response' ? m.inResponseTo : m.id]),
      [
        ['AuthnRequest', 'to-idp', requestId],
        ['Response', 'to-sp', requestId],
      ],
      JSON.stringify(api.flow!.rows()),
    );
    assert.deepEqual(flow.initiation, ['sp-initiated']);
  });

  test('without testSignIn.baseUrl, the URLs to register are the address VS Code’s port forwarding gives', async () => {
    const configuration = vscode.workspace.getConfiguration('samlLens');
    await configuration.update('testSignIn.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    try {
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(`http://localhost:${port}`));
      const state = await start();
      assert.equal(state?.acsUrl, `${external.toString(true).replace(/\/$/, '')}/saml/acs`);
      await vscode.commands.executeCommand('samlLens.stopTestSignIn');
    } finally {
      await configuration.update('testSignIn.baseUrl', `http://localhost:${port}`, vscode.ConfigurationTarget.Global);
    }
  });

  test('Stop Test Sign-in closes the listener: the port refuses connections', async () => {
    const state = await start();
    assert.ok(state?.listening);
    assert.equal(await refusesConnections(port), false);
    await vscode.commands.executeCommand('samlLens.stopTestSignIn');
    assert.ok(await refusesConnections(port));
  });

  test('a port already in use: a specific message, and nothing starts', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const state = await start();
      assert.equal(state, undefined);
      assert.match(notifications.errors.join('\n'), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
