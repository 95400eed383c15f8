// Typing in a large metadata document: its worker is sent the edits, not the text, and re-reads only
// the entity they fall in. Whatever the edits (several ranges at once, a burst of keystrokes, an
// undo), the diagnostics must be those of the same text opened afresh, which goes the whole way.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { DAY, NOW, buildCertificate, codeOf, pollFor, samlLensApi } from './certificates.fixtures';

const ENTITIES = 600;

function aggregate(certificates: readonly string[]): string {
  const entities = Array.from(
    { length: ENTITIES },
    (_, i) => `  <md:EntityDescriptor entityID="https://sp${i}.example.test/saml">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="signing">
        <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificates[i % certificates.length]}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
      </md:KeyDescriptor>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.test/acs" index="0"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Name="urn:test">
${entities.join('\n')}
</md:EntitiesDescriptor>
`;
}

/** Diagnostics as comparable lines: code, severity, range and message. */
function described(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'SAML Lens')
    .map(
      (d) =>
        `${codeOf(d)} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`,
    )
    .sort();
}

suite('Editing a large metadata document', function () {
  this.timeout(120_000);
  let api: SamlLensApi;
  let folder: string;

  suiteSetup(async () => {
    api = await samlLensApi();
    api.certificates!.setClock(NOW);
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-edits-'));
  });

  suiteTeardown(() => {
    api.certificates?.setClock(undefined);
    rmSync(folder, { recursive: true, force: true });
  });

  test('after edits in several places, a burst of typing and an undo, the diagnostics are those of the text opened afresh', async () => {
    const rsa = { keyType: 'rsa', bits: 2048 } as const;
    const expired = buildCertificate(rsa, {
      subject: { commonName: 'expired.example.test' },
      notBefore: new Date(NOW.getTime() - 400 * DAY),
      notAfter: new Date(NOW.getTime() - 3 * DAY),
      seed: 'edits-expired',
    });
    const valid = buildCertificate(rsa, {
      subject: { commonName: 'valid.example.test' },
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + 400 * DAY),
      seed: 'edits-valid',
    });
    const text = aggregate([valid, expired]);
    assert.ok(text.length > 256 * 1024, 'large enough for the document worker');
    const file = vscode.Uri.file(join(folder, 'aggregate.xml'));
    writeFileSync(file.fsPath, text);
    const document = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(document);
    await pollFor(
      'the expired certificates reported',
      () => described(file).filter((line) => line.startsWith('cert.expired')).length,
      (count) => count === ENTITIES / 2,
    );

    const offsetOf = (needle: string, after = 0) => {
      const at = document.getText().indexOf(needle, after);
      assert.ok(at >= 0, needle);
      return at;
    };
    // Several ranges in one edit, as with several cursors: a certificate broken, a binding changed,
    // a line added inside another entity.
    const multi = new vscode.WorkspaceEdit();
    const certificate = offsetOf(valid, offsetOf('sp10.example.test')) + 30;
    const binding = offsetOf('HTTP-POST', offsetOf('sp301.example.test'));
    const format = offsetOf('</md:NameIDFormat>', offsetOf('sp500.example.test'));
    multi.replace(file, new vscode.Range(document.positionAt(certificate), document.positionAt(certificate + 1)), '%');
    multi.insert(file, document.positionAt(binding), 'X');
    multi.insert(file, document.positionAt(format), '\n      x');
    assert.ok(await vscode.workspace.applyEdit(multi));

    // A burst of keystrokes in one entity, each its own version, not waiting for the diagnostics.
    const typedAt = offsetOf('</md:NameIDFormat>', offsetOf('sp200.example.test'));
    for (const [i, character] of [...'-typed'].entries()) {
      await editor.edit((builder) => builder.insert(document.positionAt(typedAt + i), character));
    }
    // And one undone.
    const undone = offsetOf('Location="', offsetOf('sp400.example.test'));
    await editor.edit((builder) => builder.insert(document.positionAt(undone), 'y'));
    await vscode.commands.executeCommand('undo');

    const copy = vscode.Uri.file(join(folder, 'copy.xml'));
    writeFileSync(copy.fsPath, document.getText());
    const fresh = await vscode.workspace.openTextDocument(copy);
    await vscode.window.showTextDocument(fresh, { preview: false, preserveFocus: true });
    const expected = await pollFor(
      'the copy analysed',
      () => described(copy),
      (lines) => lines.filter((line) => line.startsWith('cert.expired')).length === ENTITIES / 2,
    );
    assert.ok(
      expected.some((line) => line.startsWith('cert.invalid')),
      'the broken certificate is reported in the copy',
    );
    assert.ok(expected.some((line) => line.includes('metadata.unknown-binding')));
    assert.ok(expected.some((line) => line.includes('-typed')));
    await pollFor(
      'the edited document’s diagnostics equal the copy’s',
      () => described(file),
      (lines) => lines.join('\n') === expected.join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
