// What the VSIX holds (`vsce ls`, which applies .vscodeignore): every file the installed extension
// opens at run time, and none of the sources, tests or samples.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '..', '..');

test('the package holds the files read at run time and nothing of the sources', () => {
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const listed = spawnSync(process.execPath, [vsce, 'ls'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  const files = new Set(listed.stdout.split('\n').filter(Boolean));

  // Read by VS Code or by the extension itself, by path, after installation.
  for (const file of [
    'package.json',
    'package.nls.json',
    'l10n/bundle.l10n.json',
    'docs/diagnostics.md', // the diagnostics' code links open it
    'media/icon.png',
    'syntaxes/saml.injection.tmLanguage.json',
    'snippets/saml-xml.code-snippets',
    'snippets/saml-json.code-snippets',
  ]) {
    assert.ok(files.has(file), `${file} is missing from the package`);
  }
  const strays = [...files].filter(
    (file) => /^(src|test|samples|scripts|bench|node_modules|out)\//.test(file) || file.endsWith('.map'),
  );
  assert.deepEqual(strays, []);
});
