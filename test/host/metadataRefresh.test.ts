// "SAML: Refresh Metadata from Source" through the real command, against a server on 127.0.0.1
// whose document changes between requests: the diff document, the modal (stubbed to accept or
// decline), and what was written, or that nothing was. The download's refusals are checked one by
// one in test/unit/metadataRefresh.download.test.ts.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import type { RefreshOutcome } from '../../src/features/metadataRefresh';
import { makeEcCertificate, makeRsaKeyPair } from '../fixtures/builder/keys';
import { samlLensApi } from './certificates.fixtures';
import { WindowStubs } from './windowStubs';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const publisher = makeRsaKeyPair('publisher.test');
const stranger = makeRsaKeyPair('stranger.test');

class Modal extends WindowStubs {
  readonly asked: { message: string; detail?: string }[] = [];
  constructor(accept: boolean) {
    super();
    this.replace(
      'showWarningMessage',
      (message: string, options: vscode.MessageOptions, ...items: string[]): Promise<string | undefined> => {
        this.asked.push({ message, detail: options.detail });
        return Promise.resolve(accept ? items[0] : undefined);
      },
    );
    this.replace('showErrorMessage', () => Promise.resolve(undefined));
    this.replace('showInformationMessage', () => Promise.resolve(undefined));
  }
}

suite('Refresh Metadata from Source', function () {
  this.timeout(60_000);
  const first = makeEcCertificate('signer 2025').certificateBase64;
  const second = makeEcCertificate('signer 2027').certificateBase64;
  const before = buildIdpMetadata({ tenantId: TENANT, signingCertificates: [first], signWith: publisher });
  const after = buildIdpMetadata({ tenantId: TENANT, signingCertificates: [first, second], signWith: publisher });
  const byStranger = buildIdpMetadata({ tenantId: TENANT, signingCertificates: [second], signWith: stranger });
  let served: Record<string, string>;
  let server: http.Server;
  let base: string;
  let folder: string;
  let file: string;
  let modal: Modal | undefined;
  const settings = () => vscode.workspace.getConfiguration('samlLens');
  const refresh = (path: string) =>
    settings()
      .update(
        'metadata.sources',
        [{ file, url: `${base}${path}`, signer: join(folder, 'publisher.pem') }],
        vscode.ConfigurationTarget.Global,
      )
      .then(() =>
        vscode.commands.executeCommand<RefreshOutcome>('samlLens.refreshMetadataFromSource', {
          file: vscode.Uri.file(file),
        }),
      );

  suiteSetup(async () => {
    await samlLensApi();
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-refresh-'));
    file = join(folder, 'idp.xml');
    writeFileSync(join(folder, 'publisher.pem'), publisher.certificatePem);
    server = http.createServer((request, response) => {
      const body = served[request.url ?? ''];
      if (body === undefined) response.writeHead(404, 'Not Found').end();
      else response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  setup(() => {
    writeFileSync(file, before);
    served = { '/federationmetadata.xml': after, '/stranger.xml': byStranger };
  });

  teardown(() => modal?.restore());

  suiteTeardown(async () => {
    await settings().update('metadata.sources', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    server.closeAllConnections();
    server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('accepted: the diff shows the new certificate and the file holds the download', async () => {
    modal = new Modal(true);
    const outcome = await refresh('/federationmetadata.xml');
    assert.equal(outcome.written, true, outcome.message);
    assert.equal(readFileSync(file, 'utf8'), after);
    assert.equal(modal.asked.length, 1);
    assert.equal(modal.asked[0].message, 'Replace idp.xml with the downloaded metadata?');
    assert.match(modal.asked[0].detail ?? '', /Entities: 0 added, 0 removed, 1 changed, 0 unchanged\./);
    assert.match(modal.asked[0].detail ?? '', /signed by a certificate you pinned/);
    const diff = vscode.window.activeTextEditor?.document;
    assert.equal(diff?.uri.scheme, 'saml-lens-diff');
    assert.match(diff.getText(), /added signing certificate [0-9A-F:]{95} \(CN=signer 2027\)/);
  });

  test('declined: nothing is written', async () => {
    modal = new Modal(false);
    const outcome = await refresh('/federationmetadata.xml');
    assert.deepEqual([outcome.written, outcome.step], [false, 'declined']);
    assert.equal(modal.asked.length, 1);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  test('signed by another key than the pinned signer: refused before asking, nothing written', async () => {
    modal = new Modal(true);
    const outcome = await refresh('/stranger.xml');
    assert.deepEqual([outcome.written, outcome.step], [false, 'signature']);
    assert.match(outcome.message, /^idp\.xml was not refreshed: the signature check failed\. .*signed by another key/);
    assert.equal(modal.asked.length, 0);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  test('an HTTP error: the download step is named, nothing written', async () => {
    modal = new Modal(true);
    const outcome = await refresh('/gone.xml');
    assert.deepEqual([outcome.written, outcome.step], [false, 'download']);
    assert.match(outcome.message, /the download failed\. .*answered HTTP 404 Not Found/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
