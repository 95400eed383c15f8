// "SAML: Compare Metadata" through the real command: two files, and a file against its last
// committed version in a git repository made for the test. The diff itself is checked in
// test/unit/metadata.diff.test.ts; here, that the command shows it as a read-only document.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { generateCertificate } from '../../src/core/build/certificate';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import { GIT, skipTestWithout } from '../requirements';
import { samlLensApi } from './certificates.fixtures';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function certificate(commonName: string, notAfter: string): string {
  return generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    {
      subject: { commonName },
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date(notAfter),
      seed: commonName,
    },
  ).certificateBase64;
}

suite('Compare Metadata', function () {
  this.timeout(60_000);
  let folder: string;
  const oldCertificate = certificate('old signer', '2099-01-01T00:00:00Z');
  const newCertificate = certificate('new signer', '2099-06-01T00:00:00Z');
  const before = buildIdpMetadata({ tenantId: TENANT, signingCertificates: [oldCertificate] });
  const after = buildIdpMetadata({ tenantId: TENANT, signingCertificates: [newCertificate] });

  suiteSetup(async () => {
    await samlLensApi();
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-compare-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  test('two files: a read-only Markdown document with the verdict', async () => {
    writeFileSync(join(folder, 'old.xml'), before);
    writeFileSync(join(folder, 'new.xml'), after);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('samlLens.compareMetadata', {
      old: vscode.Uri.file(join(folder, 'old.xml')),
      new: vscode.Uri.file(join(folder, 'new.xml')),
    });
    assert.ok(uri, 'the command returns the diff document');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.toString(), uri.toString());
    assert.equal(document.languageId, 'markdown');
    const text = document.getText();
    assert.match(text, /^# old\.xml → new\.xml\n/);
    assert.match(
      text,
      /- ✗ The signing certificate [0-9A-F:]{95} \(CN=old signer\), valid until 2099-01-01 00:00:00 UTC, is gone/,
    );
    assert.match(
      text,
      /- ! The IdP https:\/\/sts\.windows\.net\/72f988bf-86f1-41af-91ab-2d7cd011db47\/ added signing certificate [0-9A-F:]{95} \(CN=new signer\)/,
    );
    // Served by a content provider, which the editor opens read-only.
    assert.equal(uri.scheme, 'saml-lens-diff');
  });

  test('a file against its last committed version (git show HEAD)', async function () {
    skipTestWithout(this, GIT);
    const git = (...args: string[]) => {
      const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
        cwd: folder,
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
    };
    git('init', '-q');
    writeFileSync(join(folder, 'idp.xml'), before);
    git('add', 'idp.xml');
    git('commit', '-q', '-m', 'metadata');
    writeFileSync(
      join(folder, 'idp.xml'),
      buildIdpMetadata({ tenantId: TENANT, signingCertificates: [oldCertificate, newCertificate] }),
    );
    await vscode.commands.executeCommand('samlLens.compareMetadata', {
      old: 'HEAD',
      new: vscode.Uri.file(join(folder, 'idp.xml')),
    });
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /^# idp\.xml \(HEAD\) → idp\.xml\n/);
    assert.match(
      text,
      /added signing certificate [0-9A-F:]{95} \(CN=new signer\), valid from 2024-01-01 00:00:00 UTC to 2099-06-01 00:00:00 UTC; trust both until the old one expires on 2099-01-01 00:00:00 UTC or the IdP switches\./,
    );
    assert.ok(!text.includes('✗'), 'nothing was removed');
  });
});
