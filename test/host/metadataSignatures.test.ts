// Metadata signatures in the editor: metadata signed with the project's own signer (whose output
// xmlsec1 verifies, test/unit/generators.signMetadata.test.ts), then edited through the VS Code API.
// The tree's root shows the status; an edit puts a diagnostic on the Signature, with the quick fixes
// "Sign Metadata…" and "Remove signature"; a document above the worker threshold gets the same.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { signMetadata } from '../../src/core/build/signMetadata';
import { MetadataSignatureCode } from '../../src/core/metadata/signature';
import { REMOVE_SIGNATURE_TITLE, SIGN_METADATA_TITLE } from '../../src/features/metadataSignatures';
import { WORKER_THRESHOLD } from '../../src/features/metadataTree/load';
import { makeRsaKeyPair } from '../fixtures/builder/keys';
import { pollFor, samlLensApi } from './certificates.fixtures';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

function entity(i: number): string {
  return `  <md:EntityDescriptor entityID="https://sp${i}.example.org/saml">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.org/acs" index="0"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>`;
}

function brokenDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => typeof d.code === 'object' && d.code.value === MetadataSignatureCode.Broken);
}

suite('Metadata signatures in the editor', function () {
  this.timeout(120_000);
  let folder: string;
  const signer = makeRsaKeyPair('metadata-signer.test');

  function signedFile(name: string, xml: string): vscode.Uri {
    const signed = signMetadata(xml, signer);
    assert.ok(signed.ok, signed.ok ? '' : signed.message);
    const file = join(folder, name);
    writeFileSync(file, signed.xml);
    return vscode.Uri.file(file);
  }

  suiteSetup(() => {
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-signatures-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  test('the tree root says "signed, integrity only"; an edit breaks it; Remove signature leaves it unsigned', async () => {
    const api = await samlLensApi();
    const tree = api.metadataTree!;
    const uri = signedFile(
      'signed-sp.xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="${MD}" entityID="https://sp0.example.org/saml">\n  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp0.example.org/acs" index="0"/>\n  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n`,
    );
    if (!tree.treeView.visible) await vscode.commands.executeCommand('samlLens.metadataTree.focus');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });

    const rootDescription = async () => {
      await tree.whenSettled();
      const roots = tree.provider.childrenOf();
      return String(roots[roots.length - 1]?.description ?? '');
    };
    await pollFor('the root to show its signature status', rootDescription, (d) =>
      d.startsWith('signed, integrity only'),
    );
    assert.equal(tree.provider.signatureStatus?.state, 'integrity-only');
    assert.match(tree.provider.signatureStatus!.message, /not who signed it/);
    assert.deepEqual(brokenDiagnostics(uri), [], 'an intact signature has no diagnostic');
    const statusBar = () => api.metadataSignatures!.statusBarText();
    await pollFor('the status bar', statusBar, (text) => text === '$(verified) Metadata: signed, integrity only');

    // One byte of an endpoint URL.
    const at = document.getText().indexOf('https://sp0.example.org/acs') + 'https://sp0.example.org/ac'.length;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 1)), 'z');
    assert.ok(await vscode.workspace.applyEdit(edit));

    const [diagnostic] = await pollFor(
      'the broken-signature diagnostic',
      () => brokenDiagnostics(uri),
      (d) => d.length === 1,
    );
    const signatureStart = document.getText().search(/<(\w+:)?Signature[\s>]/);
    assert.ok(signatureStart > 0);
    assert.deepEqual(diagnostic.range.start, document.positionAt(signatureStart), 'on the Signature start tag');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /the content no longer matches what was signed/);
    assert.match(diagnostic.message, /calculated digest is/);
    await pollFor('the root to say the signature is broken', rootDescription, (d) => d.startsWith('signature broken'));
    await pollFor('the status bar to say broken', statusBar, (text) => text === '$(error) Metadata: signature broken');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(SIGN_METADATA_TITLE), titles.join(', '));
    const remove = actions.find((a) => a.title === REMOVE_SIGNATURE_TITLE);
    assert.ok(remove?.edit, titles.join(', '));
    assert.equal(actions.find((a) => a.title === SIGN_METADATA_TITLE)?.command?.command, 'samlLens.signMetadata');

    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    assert.ok(!document.getText().includes('Signature'), 'the whole Signature element is gone');
    assert.ok(!/\n[ \t]*\n/.test(document.getText()), 'and no empty line is left where it stood');
    await pollFor(
      'the diagnostic to go',
      () => brokenDiagnostics(uri),
      (d) => d.length === 0,
    );
    await pollFor('the root to say unsigned', rootDescription, (d) => d.startsWith('unsigned'));
    await pollFor('the status bar to hide', statusBar, (text) => text === undefined);
  });

  test('a document above the worker threshold is checked in the metadata worker, with the same diagnostic', async () => {
    const count = Math.ceil(WORKER_THRESHOLD / entity(0).length) + 10;
    const entities = Array.from({ length: count }, (_, i) => entity(i)).join('\n');
    const uri = signedFile(
      'signed-aggregate.xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<md:EntitiesDescriptor xmlns:md="${MD}" Name="urn:example:federation">\n${entities}\n</md:EntitiesDescriptor>\n`,
    );
    const document = await vscode.workspace.openTextDocument(uri);
    assert.ok(document.getText().length > WORKER_THRESHOLD);
    await vscode.window.showTextDocument(document, { preview: false });
    // Opened intact: no diagnostic once the check ran (the tree shows the status when it did).
    const tree = (await samlLensApi()).metadataTree!;
    await pollFor(
      'the aggregate status',
      async () => {
        await tree.whenSettled();
        return tree.provider.signatureStatus?.state;
      },
      (s) => s === 'integrity-only',
      60_000,
    );
    assert.deepEqual(brokenDiagnostics(uri), []);

    const at = document.getText().indexOf('urn:example:federation');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, document.positionAt(at + 'urn:example:federation'.length), '2');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [diagnostic] = await pollFor(
      'the broken-signature diagnostic on the aggregate',
      () => brokenDiagnostics(uri),
      (d) => d.length === 1,
      60_000,
    );
    assert.match(
      diagnostic.message,
      /EntitiesDescriptor urn:example:federation2 is broken: the content no longer matches/,
    );
  });

  test('a SHA-256 fingerprint in samlLens.metadata.trustedSigners makes it "signed and trusted"', async () => {
    const tree = (await samlLensApi()).metadataTree!;
    const uri = signedFile(
      'pinned.xml',
      `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://sp0.example.org/saml">\n${entity(1)
        .replace(/^.*\n/, '')
        .replace(/\n[^\n]*$/, '')}\n</md:EntityDescriptor>\n`,
    );
    const fingerprint = new X509Certificate(signer.certificatePem).fingerprint256;
    const settings = vscode.workspace.getConfiguration('samlLens');
    await settings.update(
      'metadata.trustedSigners',
      [{ certificate: `sha256:${fingerprint}`, entityId: 'https://sp0.example.org/saml' }],
      vscode.ConfigurationTarget.Global,
    );
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const status = await pollFor(
        'the pinned status',
        async () => {
          await tree.whenSettled();
          return tree.provider.signatureStatus;
        },
        (s) => s?.state === 'trusted',
      );
      assert.equal(status!.certificate?.sha256, fingerprint);
      const roots = tree.provider.childrenOf();
      assert.match(String(roots[roots.length - 1].description), /^signed and trusted/);
    } finally {
      await settings.update('metadata.trustedSigners', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
