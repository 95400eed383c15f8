// The extension loads in a real extension host, activates, and registers what it contributes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DeferredFeature } from '../../src/features/lazy';
import { EXTENSION_ID } from '../../src/ids';

function samlLens(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this extension host`);
  return extension;
}

suite('Activation', () => {
  test('the sample workspace is open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    assert.equal(path.basename(folders[0].uri.path), 'samples');
  });

  test('the extension activates and reports its version', async () => {
    const extension = samlLens();
    const api = (await extension.activate()) as { version?: unknown } | undefined;
    assert.equal(extension.isActive, true);
    assert.equal(api?.version, extension.packageJSON.version);
  });

  test('every command contributed in package.json is registered', async () => {
    await samlLens().activate();
    const contributed: string[] = samlLens().packageJSON.contributes.commands.map(
      (entry: { command: string }) => entry.command,
    );
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('a command of a feature loaded on first use runs through its stand-in, and every command stays registered', async () => {
    await samlLens().activate();
    // The first run loads the certificate and tree bundle, which replaces the stand-ins with its own commands.
    await vscode.commands.executeCommand('samlLens.metadataTree.clearFilter');
    await vscode.commands.executeCommand('samlLens.metadataTree.clearFilter');
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: string[] = samlLens().packageJSON.contributes.commands.map(
      (entry: { command: string }) => entry.command,
    );
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
  });

  test('a feature that fails to load keeps its commands, and each use says why', async () => {
    let attempts = 0;
    const feature = new DeferredFeature(['samlLens.test.deferredFailing'], () => {
      attempts++;
      throw new Error('the bundle dist/features/missing.js is not there');
    });
    try {
      for (let use = 1; use <= 2; use++) {
        await assert.rejects(
          Promise.resolve(vscode.commands.executeCommand('samlLens.test.deferredFailing')),
          /dist\/features\/missing\.js is not there/,
        );
        assert.equal(attempts, use, 'each use tries to load the feature again');
      }
    } finally {
      feature.dispose();
    }
    assert.ok(
      !(await vscode.commands.getCommands(true)).includes('samlLens.test.deferredFailing'),
      'disposing removes the stand-in',
    );
  });

  test('the log command runs without error', async () => {
    await samlLens().activate();
    await vscode.commands.executeCommand('samlLens.showLog');
  });
});
