// Every user-facing string goes through vscode.l10n.t; the committed English bundle must list them
// all, or translators (and VS Code's fallback) miss new strings. `npm run l10n` regenerates it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '..', '..');

test('l10n/bundle.l10n.json holds exactly the strings the sources pass to vscode.l10n.t', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'saml-lens-l10n-'));
  const cli = path.join(repoRoot, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'export', '--outDir', out, path.join(repoRoot, 'src')], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const fresh = JSON.parse(readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8'));
  const committed = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8'));
  assert.deepEqual(
    Object.keys(committed).sort(),
    Object.keys(fresh).sort(),
    'run `npm run l10n` and commit l10n/bundle.l10n.json',
  );
  assert.ok(Object.keys(fresh).length > 50, 'the extension has many user-facing strings');
});
