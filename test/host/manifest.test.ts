// package.json, src/ids.ts and package.nls.json describe the same commands and strings.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ALL_COMMAND_IDS, EXTENSION_ID } from '../../src/ids';

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every `%key%` placeholder anywhere in a JSON value. */
function placeholders(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%([^%\s]+)%$/.exec(value);
    if (match) found.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) placeholders(item, found);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) placeholders(item, found);
  }
  return found;
}

suite('Manifest', () => {
  let extensionRoot: string;
  let manifest: any;

  suiteSetup(() => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this extension host`);
    extensionRoot = extension.extensionPath;
    // Read from disk rather than extension.packageJSON, which VS Code has already localised.
    manifest = readJson(join(extensionRoot, 'package.json'));
  });

  test('the extension id is publisher.name from package.json', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  });

  test('contributed commands and ALL_COMMAND_IDS are the same set', () => {
    const contributed: string[] = manifest.contributes.commands.map((entry: { command: string }) => entry.command);
    const notInIds = contributed.filter((command) => !ALL_COMMAND_IDS.includes(command));
    const notContributed = ALL_COMMAND_IDS.filter((command) => !contributed.includes(command));
    assert.deepEqual(notInIds, [], `in package.json but not in ALL_COMMAND_IDS: ${notInIds.join(', ')}`);
    assert.deepEqual(notContributed, [], `in ALL_COMMAND_IDS but not in package.json: ${notContributed.join(', ')}`);
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  test('every %key% in package.json has a string in package.nls.json', () => {
    const strings = readJson(join(extensionRoot, 'package.nls.json'));
    const used = [...placeholders(manifest)];
    assert.ok(used.length > 0, 'package.json uses no %key% placeholders');
    const missing = used.filter((key) => typeof strings[key] !== 'string' || strings[key].trim() === '');
    assert.deepEqual(missing, [], `missing from package.nls.json: ${missing.join(', ')}`);
  });
});
