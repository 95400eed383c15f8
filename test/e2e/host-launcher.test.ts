// The extension-host launcher must fail, and count correctly, when a host test fails: run it
// on the deliberately failing fixture suite (test/host/fixtures) and check its exit code and report.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eFile, repoRoot } from './harness';

function runLauncher(env: Record<string, string>) {
  const launcher = join(repoRoot, 'scripts', 'vscode', 'run-host-tests.ts');
  return spawnSync(process.execPath, ['--import', 'tsx', launcher, '--no-build'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: LAUNCHER_TIMEOUT_MS,
    // On timeout the launcher gets SIGTERM, which stops its VS Code server before it exits.
    killSignal: 'SIGTERM',
  });
}

/** One launcher run; the test around it gets a minute more. */
const LAUNCHER_TIMEOUT_MS = 180_000;

e2eFile('host test launcher', () => {
  test(
    'a failing host test makes the launcher exit non-zero and is counted',
    { timeout: LAUNCHER_TIMEOUT_MS + 60_000 },
    () => {
      const fixture = join(repoRoot, 'out', 'test', 'host', 'fixtures', 'deliberately-failing.test.js');
      assert.ok(existsSync(fixture), `${fixture} is missing; run npm run build first`);
      const run = runLauncher({ SAML_LENS_HOST_FIXTURES: '1', SAML_LENS_HOST_GREP: 'Launcher fixture' });
      assert.equal(run.status, 1, `launcher exit code ${run.status}\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /✔ Launcher fixture › a passing test is counted as passed/);
      assert.match(run.stdout, /✖ Launcher fixture › a failing test is counted as failed/);
      assert.match(run.stdout, /this assertion fails on purpose/);
      assert.match(run.stdout, /^host: 1 passed, 1 failed$/m);
    },
  );

  test(
    'a run in which no host test matches fails instead of passing empty',
    { timeout: LAUNCHER_TIMEOUT_MS + 60_000 },
    () => {
      const run = runLauncher({ SAML_LENS_HOST_GREP: 'no test has this title' });
      assert.equal(run.status, 1, `launcher exit code ${run.status}\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /no extension host tests ran/);
      assert.match(run.stdout, /^host: 0 passed, 0 failed$/m);
    },
  );
});
