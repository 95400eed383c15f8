// "SAML: Open Capture as Flow" and "Save Redacted Capture" in a real extension host: a HAR file
// made of the samples (the signed AuthnRequest of samples/requests, then the sample response of
// samples/responses), the view's rows, opening a row in the decode panel with the capture's request
// ID, and the redacted copy. Expected values are worked out from samples/README.md and the times
// written into the capture here.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { CommandId, EXTENSION_ID } from '../../src/ids';
import { WindowStubs } from './windowStubs';

function sample(relative: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  return readFileSync(path.join(folder.uri.fsPath, relative), 'utf8').trim();
}

const REQUEST_ID = '_upwork-enterprise-authn-request-1';
const ACS = 'https://www.upwork.com/ab/account-security/saml/acs';

/** The AuthnRequest sent at 23:59:50, the Response (IssueInstant 00:00:00) posted at 00:00:05. */
function sampleEntries(): Record<string, unknown>[] {
  const entry = (time: string, method: string, url: string, form?: string) => ({
    startedDateTime: time,
    request: {
      method,
      url,
      headers: [{ name: 'Cookie', value: 'sid=host-test-session-42' }],
      ...(form && { postData: { mimeType: 'application/x-www-form-urlencoded', text: form } }),
    },
    response: { status: 200, headers: [], content: { size: 0, mimeType: 'text/html' } },
  });
  return [
    entry('2026-11-28T23:59:50.000Z', 'GET', sample('requests/upwork-enterprise-authn-request.redirect-url.txt')),
    entry(
      '2026-11-29T00:00:05.000Z',
      'POST',
      ACS,
      `SAMLResponse=${encodeURIComponent(sample('responses/b.simon-valid.saml.txt'))}`,
    ),
  ];
}

function sampleHar(): string {
  return JSON.stringify({ log: { version: '1.2', entries: sampleEntries() } });
}

/**
 * The same sign-in among pages of a busy browsing session: 270 page loads of 100,000 characters
 * each before it and 270 after, about 54 million characters in all, over the 50 MB above which
 * VS Code shares no document with extensions.
 */
function largeHar(): string {
  const page = (index: number, time: string) => ({
    startedDateTime: time,
    request: { method: 'GET', url: `https://intranet.example.com/page/${index}`, headers: [] },
    response: {
      status: 200,
      headers: [],
      content: {
        size: 100_000,
        mimeType: 'text/html',
        text: `<p>${'lorem ipsum '.repeat(8_333)}</p>`.slice(0, 100_000),
      },
    },
  });
  const before = Array.from({ length: 270 }, (_, i) => page(i, '2026-11-28T23:50:00.000Z'));
  const after = Array.from({ length: 270 }, (_, i) => page(270 + i, '2026-11-29T00:10:00.000Z'));
  return JSON.stringify({ log: { version: '1.2', entries: [...before, ...sampleEntries(), ...after] } });
}

class SaveStubs extends WindowStubs {
  constructor(output: vscode.Uri) {
    super();
    this.replace('showQuickPick', async (items: readonly { saml: boolean }[]) => items.find((i) => i.saml));
    this.replace('showSaveDialog', async () => output);
    this.replace('showInformationMessage', async () => undefined);
  }
}

suite('SAML flow', () => {
  let api: SamlLensApi;
  let capture: vscode.Uri;
  let dir: string;

  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SamlLensApi;
    dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-flow-'));
    capture = vscode.Uri.file(path.join(dir, 'signin.har'));
    writeFileSync(capture.fsPath, sampleHar());
  });

  test('Open Capture as Flow shows one row per message, with its verdict and findings', async () => {
    const flow = (await vscode.commands.executeCommand(CommandId.OpenCaptureAsFlow, capture)) as
      { messages: unknown[] } | undefined;
    assert.ok(flow, 'the command returned no flow');
    const rows = api.flow!.rows();
    assert.deepEqual(
      rows.map((r) => r.label),
      ['invalid', '23:59:50  → IdP  Redirect  AuthnRequest', '00:00:05  → SP  POST  Response'],
    );
    // Issued 00:00:00, posted 00:00:05: the IdP's clock reads 5 s behind the browser's.
    assert.match(rows[0].description, /IdP clock -5 s from the capture \(allowed 180 s\)/);
    assert.match(rows[1].description, new RegExp(`${REQUEST_ID}$`));
    // The sample response answers no request, although the capture's AuthnRequest waits for one.
    assert.match(rows[2].description, /^invalid · _r77fd4356617ee8caf1d77ae4a6f4aab1$/);
    const codes = rows[2].children.map((c) => c.description);
    assert.ok(codes.includes('flow.unsolicited'), codes.join(', '));
    assert.ok(codes.includes('in-response-to.mismatch'), codes.join(', '));
  });

  test('a row opens its message in the decode panel, checked against the captured request ID', async () => {
    const flow = api.flow!.lastFlow();
    assert.ok(flow);
    const response = flow.messages[1];
    const result = (await vscode.commands.executeCommand(CommandId.FlowOpenMessage, {
      kind: 'message',
      message: response,
    })) as { ok: boolean } | undefined;
    assert.equal(result?.ok, true);
    const report = api.decode!.lastReport();
    assert.ok(report);
    const mismatch = report.findings.find((f) => f.code === 'in-response-to.mismatch');
    assert.equal(mismatch?.expected, REQUEST_ID);
  });

  test('Save Redacted Capture writes a copy without the cookie and the user, the capture untouched', async () => {
    const before = readFileSync(capture.fsPath, 'utf8');
    const output = vscode.Uri.file(path.join(dir, 'signin.redacted.har'));
    const stubs = new SaveStubs(output);
    try {
      const saved = await vscode.commands.executeCommand(CommandId.SaveRedactedCapture, capture);
      assert.equal((saved as vscode.Uri | undefined)?.fsPath, output.fsPath);
    } finally {
      stubs.restore();
    }
    const written = readFileSync(output.fsPath, 'utf8');
    assert.equal(written.includes('host-test-session-42'), false);
    const form: string = JSON.parse(written).log.entries[1].request.postData.text;
    const response = Buffer.from(decodeURIComponent(form.replace(/^SAMLResponse=/, '')), 'base64').toString('utf8');
    assert.match(response, /<saml:NameID [^>]*>\[redacted NameID\]<\/saml:NameID>/);
    assert.equal(response.includes('B.Simon'), false);
    assert.equal(readFileSync(capture.fsPath, 'utf8'), before);
  });

  test('a capture over 50 MB opens from disk through the command with the Explorer menu’s argument', async function () {
    this.timeout(240_000);
    const large = vscode.Uri.file(path.join(dir, 'busy-session.har'));
    const text = largeHar();
    assert.ok(text.length > 52_000_000 && text.length < 60_000_000, `generated ${text.length} characters`);
    writeFileSync(large.fsPath, text);
    // Open in an editor, as a person looking at it would have it: VS Code keeps its text to itself.
    await vscode.commands.executeCommand('vscode.open', large);
    assert.equal(
      vscode.workspace.textDocuments.some((d) => d.uri.fsPath === large.fsPath),
      false,
      'VS Code shared the document after all',
    );
    try {
      // The Explorer's context menu passes the file's URI.
      const flow = (await vscode.commands.executeCommand(CommandId.OpenCaptureAsFlow, large)) as
        { messages: unknown[] } | undefined;
      assert.equal(flow?.messages.length, 2);
      const rows = api.flow!.rows();
      assert.deepEqual(
        rows.map((r) => r.label),
        ['invalid', '23:59:50  → IdP  Redirect  AuthnRequest', '00:00:05  → SP  POST  Response'],
      );
      assert.match(rows[1].description, new RegExp(`${REQUEST_ID}$`));
      assert.match(rows[2].description, /^invalid · _r77fd4356617ee8caf1d77ae4a6f4aab1$/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
