// "SAML: Start Test Identity Provider" in a real extension host, with the samples/ workspace open: the
// IdP answers the SP of samples/upwork-enterprise/sp-metadata.xml (found in the workspace by its
// entityID), IdP-initiated from My Apps, with a Response SAML Lens's validator accepts against the
// served metadata; an unsigned AuthnRequest from that SP (AuthnRequestsSigned="true") is refused with
// the file named; Stop frees the port; a taken port and a broken users file are named.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildAuthnRequest, encodeRedirect } from '../../src/core/build/response';
import { summariseMetadata } from '../../src/core/metadata/summary';
import { validateResponse } from '../../src/core/validate';
import type { TestIdentityProviderState } from '../../src/features/testIdentityProvider/controller';
import { EXTENSION_ID } from '../../src/ids';
import { browse, formOf } from '../fixtures/signIn/browse';
import { freePort, refusesConnections } from '../fixtures/signIn/ports';
import { Notifications } from './windowStubs';

const SP_ENTITY_ID = 'https://www.upwork.com/upwork-enterprise';
const SP_ACS = 'https://www.upwork.com/ab/account-security/saml/acs';

suite('Test identity provider', () => {
  let port: number;
  let notifications: Notifications;
  const configuration = () => vscode.workspace.getConfiguration('samlLens');
  const start = () =>
    vscode.commands.executeCommand<TestIdentityProviderState | undefined>('samlLens.startTestIdentityProvider', {
      notify: false,
      keys: 'throwaway',
    });
  const stop = () => vscode.commands.executeCommand('samlLens.stopTestIdentityProvider');

  suiteSetup(async () => {
    port = await freePort();
    await configuration().update('testIdentityProvider.port', port, vscode.ConfigurationTarget.Global);
    // The workbench here is served to a browser on this machine, which reaches the port directly.
    await configuration().update(
      'testIdentityProvider.baseUrl',
      `http://localhost:${port}`,
      vscode.ConfigurationTarget.Global,
    );
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  suiteTeardown(async () => {
    await stop();
    for (const key of ['port', 'baseUrl', 'usersFile'])
      await configuration().update(`testIdentityProvider.${key}`, undefined, vscode.ConfigurationTarget.Global);
  });

  setup(() => (notifications = new Notifications()));
  teardown(async () => {
    notifications.restore();
    await stop();
  });

  test('IdP-initiated from My Apps: B.Simon’s response for the sample SP is valid against the served metadata', async () => {
    const state = await start();
    assert.ok(state?.running, `not running: ${notifications.errors.join('; ')}`);
    assert.equal(state.port, port);
    assert.equal(state.metadataUrl, `http://localhost:${port}/saml/metadata`);
    assert.equal(state.keySource, 'throwaway');
    assert.deepEqual(state.users, ['B.Simon@contoso.com']);

    const metadata = summariseMetadata((await browse(`http://localhost:${port}/saml/metadata`)).body);
    assert.ok(metadata.ok);
    const apps = await browse(`http://localhost:${port}/`);
    assert.match(apps.body, /upwork-enterprise.*\(upwork-enterprise\/sp-metadata\.xml\)/);
    const login = await browse(`http://localhost:${port}/saml/login?sp=${encodeURIComponent(SP_ENTITY_ID)}`);
    assert.equal(login.status, 200, login.body);
    const posted = await browse(`http://localhost:${port}/saml/login`, 'POST', {
      request: formOf(login.body).fields.request,
      user: '0',
      defect: 'none',
    });
    assert.match(posted.body, new RegExp(`action="${SP_ACS}"`));

    const [idp] = metadata.identityProviders;
    const report = validateResponse(Buffer.from(formOf(posted.body).fields.SAMLResponse, 'base64').toString('utf8'), {
      now: new Date(),
      trustedCertificates: idp.signingCertificates.map((base64) => ({
        base64,
        source: 'served',
        entityId: idp.entityId,
      })),
      idpEntityId: idp.entityId,
      sp: { entityId: SP_ENTITY_ID, acsUrls: [SP_ACS], source: 'sample SP' },
      receivedAt: SP_ACS,
      requireSignedAssertion: true,
    });
    assert.deepEqual(
      report.findings.filter((f) => f.status === 'fail').map((f) => `${f.code}: ${f.message}`),
      [],
    );
    assert.equal(report.verdict, 'valid');
  });

  test('an unsigned AuthnRequest from an SP whose metadata says AuthnRequestsSigned is refused, naming the file', async () => {
    const state = await start();
    const xml = buildAuthnRequest({
      id: '_host1',
      issuer: SP_ENTITY_ID,
      destination: state!.ssoUrl!,
      assertionConsumerServiceUrl: SP_ACS,
      issueInstant: new Date(),
    });
    const url = encodeRedirect(xml, { destination: state!.ssoUrl!, parameter: 'SAMLRequest' });
    const reply = await browse(url);
    assert.equal(reply.status, 400);
    assert.match(reply.body, /upwork-enterprise\/sp-metadata\.xml\) says AuthnRequestsSigned=&quot;true&quot;/);
  });

  test('Stop Test Identity Provider closes the listener: the port refuses connections', async () => {
    const state = await start();
    assert.ok(state?.running);
    assert.equal(await refusesConnections(port), false);
    await stop();
    assert.ok(await refusesConnections(port));
  });

  test('a port already in use: a specific message, and nothing starts', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      assert.equal(await start(), undefined);
      assert.match(
        notifications.errors.join('\n'),
        new RegExp(
          `Port ${port} on 127\\.0\\.0\\.1 is already in use; choose another in samlLens\\.testIdentityProvider\\.port`,
        ),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('a test users file that is not valid: its problem named, and nothing starts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-idp-users-'));
    const file = path.join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ users: [{ nameId: 'a', attributes: { Age: 42 } }] }));
    try {
      await configuration().update('testIdentityProvider.usersFile', file, vscode.ConfigurationTarget.Global);
      assert.equal(await start(), undefined);
      assert.match(
        notifications.errors.join('\n'),
        /users\[0\]\.attributes\.Age must be a string or an array of strings/,
      );
      assert.ok(await refusesConnections(port));
    } finally {
      await configuration().update('testIdentityProvider.usersFile', undefined, vscode.ConfigurationTarget.Global);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
