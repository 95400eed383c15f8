// Secrets in a real extension host: no setting holds a private key, and a private key named by mistake
// where a certificate belongs is refused without any of it reaching the panel model, the validation
// report or the settings. (Keys chosen for decryption are tested in decode.keys.test.ts.)
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { EXTENSION_ID } from '../../src/ids';

function samplesRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  return folder.uri.fsPath;
}

/** The whole key, its base64 body, and each line of it. */
function assertNoKey(output: string, pem: string, where: string): void {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const lines = pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'));
  for (const fragment of [body, ...lines, body.slice(0, 40)])
    assert.ok(!output.includes(fragment), `${where} contains private key material: …${fragment.slice(0, 24)}…`);
}

suite('Secrets', () => {
  test('no setting holds a private key (decryption keys live in secret storage)', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: {
        configuration:
          | { properties: Record<string, { description?: string; markdownDescription?: string }> }
          | { properties: Record<string, { description?: string; markdownDescription?: string }> }[];
      };
    };
    // Descriptions are "%key%" placeholders resolved from package.nls.json.
    const nls = JSON.parse(readFileSync(path.join(extension.extensionPath, 'package.nls.json'), 'utf8')) as Record<
      string,
      string
    >;
    const resolve = (text = '') => text.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? text);
    const sections = Array.isArray(manifest.contributes.configuration)
      ? manifest.contributes.configuration
      : [manifest.contributes.configuration];
    const settings = sections.flatMap((section) => Object.entries(section.properties));
    assert.ok(settings.length > 0);
    for (const [key, property] of settings) {
      const text = `${key} ${resolve(property.description)} ${resolve(property.markdownDescription)}`;
      assert.doesNotMatch(text, /%[\w.]+%/, `${key}: unresolved description`);
      assert.doesNotMatch(text, /private key|decryption key|privateKey|\.p12|\.pfx/i, key);
    }
  });

  test('a private key named in samlLens.trustedCertificates is refused and none of it reaches the panel, the report or the settings', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SamlLensApi;
    const decode = api.decode!;
    const keyFile = path.join(samplesRoot(), 'keys', 'entra-id-signing.throwaway-test-key.pem');
    const keyPem = readFileSync(keyFile, 'utf8');
    assert.match(keyPem, /PRIVATE KEY/);
    const config = vscode.workspace.getConfiguration('samlLens');
    await config.update('trustedCertificates', [keyFile], vscode.ConfigurationTarget.Global);
    try {
      const result = await decode.decodeText(
        readFileSync(path.join(samplesRoot(), 'responses', 'b.simon-valid.saml.txt'), 'utf8'),
        { now: new Date('2026-11-29T12:00:00Z') },
      );
      assert.ok(result.ok, result.ok ? '' : result.message);
      const note = result.model.trust.find((n) => n.source.startsWith('not usable'));
      assert.ok(note, `the key file is reported as unusable: ${JSON.stringify(result.model.trust)}`);
      const outputs = {
        model: JSON.stringify(result.model),
        report: JSON.stringify(decode.lastReport()),
        panel: JSON.stringify(decode.panelState()),
        setting: JSON.stringify(vscode.workspace.getConfiguration('samlLens').inspect('trustedCertificates')),
        lastError: String(decode.lastError() ?? ''),
      };
      for (const [where, output] of Object.entries(outputs)) assertNoKey(output, keyPem, where);
      // The setting holds the path the user typed, nothing read from the file.
      assert.deepEqual(vscode.workspace.getConfiguration('samlLens').get('trustedCertificates'), [keyFile]);
    } finally {
      await config.update('trustedCertificates', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
