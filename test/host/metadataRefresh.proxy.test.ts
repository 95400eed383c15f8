// "SAML: Refresh Metadata from Source" with `http.proxy` set: the download of an https source goes
// through the proxy VS Code is configured with (the extension host applies http.proxy to Node's
// http/https), and a plain-http source on 127.0.0.1 stays direct. The proxy is a small CONNECT
// server on 127.0.0.1 that records what it is asked and refuses, or is not listening at all.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import type { RefreshOutcome } from '../../src/features/metadataRefresh';
import { makeEcCertificate } from '../fixtures/builder/keys';
import { samlLensApi } from './certificates.fixtures';
import { freePort } from '../fixtures/signIn/ports';
import { WindowStubs } from './windowStubs';

const SOURCE = 'https://idp.example.test/metadata.xml';

class Modal extends WindowStubs {
  readonly asked: string[] = [];
  constructor() {
    super();
    this.replace('showWarningMessage', (message: string): Promise<string | undefined> => {
      this.asked.push(message);
      return Promise.resolve(undefined);
    });
    this.replace('showErrorMessage', () => Promise.resolve(undefined));
    this.replace('showInformationMessage', () => Promise.resolve(undefined));
  }
}

suite('Refresh Metadata through a proxy', function () {
  this.timeout(60_000);
  const metadata = buildIdpMetadata({
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    signingCertificates: [makeEcCertificate('signer').certificateBase64],
  });
  const seen: string[] = [];
  let proxy: http.Server;
  let proxyUrl: string;
  let direct: http.Server;
  let directBase: string;
  let folder: string;
  let file: string;
  let modal: Modal | undefined;
  const http_ = () => vscode.workspace.getConfiguration('http');
  const refresh = async (url: string) => {
    await vscode.workspace
      .getConfiguration('samlLens')
      .update('metadata.sources', [{ file, url }], vscode.ConfigurationTarget.Global);
    return vscode.commands.executeCommand<RefreshOutcome>('samlLens.refreshMetadataFromSource', {
      file: vscode.Uri.file(file),
    });
  };

  suiteSetup(async () => {
    await samlLensApi();
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-proxy-'));
    file = join(folder, 'idp.xml');
    writeFileSync(file, metadata);
    proxy = http.createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.writeHead(403, 'Forbidden').end();
    });
    proxy.on('connect', (request: http.IncomingMessage, socket: import('node:net').Socket) => {
      seen.push(`CONNECT ${request.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    direct = http.createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadata),
    );
    await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', resolve));
    directBase = `http://127.0.0.1:${(direct.address() as AddressInfo).port}`;
    await http_().update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
  });

  setup(() => {
    seen.length = 0;
    modal = new Modal();
  });

  teardown(() => modal?.restore());

  suiteTeardown(async () => {
    await http_().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('samlLens')
      .update('metadata.sources', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const server of [proxy, direct]) {
      server.closeAllConnections();
      server.close();
    }
    rmSync(folder, { recursive: true, force: true });
  });

  test('an https source is asked for through the proxy; its refusal is named', async () => {
    const outcome = await refresh(SOURCE);
    assert.deepEqual(seen, ['CONNECT idp.example.test:443'], outcome.message);
    assert.deepEqual([outcome.written, outcome.step], [false, 'download']);
    assert.equal(
      outcome.message,
      `idp.xml was not refreshed: the download failed. Download failed: The proxy ${proxyUrl} (http.proxy) refused to connect to idp.example.test:443: it answered HTTP 403 Forbidden.`,
    );
    assert.equal(readFileSync(file, 'utf8'), metadata);
  });

  test('a proxy that is not listening: the download step names it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await http_().update('proxy', closed, vscode.ConfigurationTarget.Global);
    try {
      const outcome = await refresh(SOURCE);
      assert.deepEqual([outcome.written, outcome.step], [false, 'download']);
      assert.equal(
        outcome.message,
        `idp.xml was not refreshed: the download failed. Download failed: The proxy ${closed} (http.proxy) cannot be reached (Failed to establish a socket connection to proxies: PROXY ${closed.replace('http://', '')}).`,
      );
    } finally {
      await http_().update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
    }
  });

  test('plain http to 127.0.0.1 stays direct', async () => {
    const outcome = await refresh(`${directBase}/metadata.xml`);
    assert.deepEqual(seen, []);
    assert.equal(outcome.step, undefined, outcome.message);
    assert.match(outcome.message, /^idp\.xml is already what http:\/\/127\.0\.0\.1:\d+\/metadata\.xml publishes\./);
  });
});
