// "SAML: Show Certificate Timeline" through the real command: the view opens with one bar per
// certificate of a corpus file with several, and choosing a bar selects that certificate's text.
// The bars' dates are compared with openssl in test/unit/metadata.timeline.test.ts.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TimelineShown } from '../../src/features/certificateTimeline';
import { EXTENSION_ID } from '../../src/ids';
import { pathRequirement, skipTestWithout } from '../requirements';
import { samlLensApi } from './certificates.fixtures';

// The corpus beside the checkout, found from the extension's folder (this file runs from out/test/host/).
const extensionPath =
  vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? resolve(__dirname, '..', '..', '..');
const metadataCorpus = resolve(extensionPath, '..', 'shared', 'corpus', 'metadata');

suite('Certificate Timeline', function () {
  this.timeout(60_000);

  suiteSetup(() => samlLensApi());

  let dir: string | undefined;

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('one bar per certificate, each leading back to its certificate', async function () {
    skipTestWithout(this, pathRequirement(metadataCorpus, '../shared/corpus'));
    // A copy: the document stays loaded after this test, and the corpus suite opens the original.
    dir = mkdtempSync(join(tmpdir(), 'saml-lens-timeline-'));
    const file = join(dir, 'idp-metadata-multi-signing-certs.xml');
    copyFileSync(join(metadataCorpus, 'idp-metadata-multi-signing-certs.xml'), file);
    const certificates = [...readFileSync(file, 'utf8').matchAll(/<(?:ds:)?X509Certificate>([^<]+)</g)].map(
      (m) => m[1],
    );
    const shown = await vscode.commands.executeCommand<TimelineShown>(
      'samlLens.showCertificateTimeline',
      vscode.Uri.file(file),
    );
    assert.ok(shown, 'the command returns the view');
    assert.equal(shown.panel.viewType, 'samlLens.certificateTimeline');
    assert.equal(shown.panel.title, 'Certificates of idp-metadata-multi-signing-certs.xml');
    assert.equal(shown.timeline.bars.length, certificates.length);
    const html = shown.panel.webview.html;
    assert.equal([...html.matchAll(/<g class="bar [a-z-]+" role="link" tabindex="0"/g)].length, certificates.length);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-/);
    await shown.reveal(certificates.length - 1);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, file);
    assert.equal(editor.document.getText(editor.selection), certificates[certificates.length - 1]);
    shown.panel.dispose();
  });
});
