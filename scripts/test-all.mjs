// `npm test`: prepares what the tests need, then runs the three layers in order and ends with
// one line for the whole run, "N passed, N failed" (", N skipped" when any).
//
//   setup  build (esbuild), the offline VS Code server cache and Chromium (scripts/vscode/setup.ts)
//   lint   the type checks (`npm run typecheck`), ESLint and Prettier (`npm run lint`), one check each
//   unit   test/unit/**/*.test.ts with Node's test runner (plain Node, no VS Code)
//   host   test/host/**/*.test.ts inside a real VS Code extension host (scripts/vscode/run-host-tests.ts)
//   e2e    test/e2e/**/*.test.ts driving the real workbench in Chromium (Node's test runner)
//
// Exits non-zero when any layer fails, reports no result, or runs zero tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureNodeModules } from './ensure-node-modules.mjs';

const repoRoot = resolve(import.meta.dirname, '..');
const resultsDir = join(repoRoot, '.test-results');
const node = process.execPath;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (result.error) console.error(`could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function heading(text) {
  console.log(`\n━━ ${text}`);
}

function formatCounts({ passed, failed, skipped }) {
  const line = `${passed} passed, ${failed} failed`;
  return skipped > 0 ? `${line}, ${skipped} skipped` : line;
}

/** Counts from the summary comments node's TAP reporter writes at the end ("# pass 3"). */
function countsFromTap(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const count = (name) => {
    const matches = [...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
    return matches.length ? Number(matches.at(-1)[1]) : undefined;
  };
  const passed = count('pass');
  if (passed === undefined) return undefined;
  return {
    passed,
    failed: (count('fail') ?? 0) + (count('cancelled') ?? 0),
    skipped: (count('skipped') ?? 0) + (count('todo') ?? 0),
  };
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(dir, name))
    .sort();
}

/** Node-test-runner flags: readable spec output here, TAP into a file for counting. */
function reporterArgs(tapFile) {
  return [
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
  ];
}

/** Runs each static check; one passed or failed count per check. */
function runChecks(checks) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [name, command, args] of checks) {
    const status = run(command, args);
    console.log(`${name}: ${status === 0 ? 'ok' : 'failed'}`);
    counts[status === 0 ? 'passed' : 'failed'] += 1;
  }
  return { status: counts.failed === 0 ? 0 : 1, counts };
}

const npx = (tool) => join(repoRoot, 'node_modules', '.bin', tool);

const layers = [
  {
    name: 'lint',
    run() {
      return runChecks([
        ['typecheck (extension and tests)', npx('tsc'), ['-p', '.', '--noEmit']],
        ['typecheck (core: no vscode)', npx('tsc'), ['-p', 'src/core', '--noEmit']],
        ['typecheck (webview page)', npx('tsc'), ['-p', 'src/webview-ui', '--noEmit']],
        ['eslint (layers, cycles, promises)', npx('eslint'), ['.']],
        ['prettier', npx('prettier'), ['--check', '.']],
      ]);
    },
  },
  {
    name: 'unit',
    run() {
      const tap = join(resultsDir, 'unit.tap');
      const status = run(node, ['scripts/run-unit-tests.mjs', ...reporterArgs(tap)]);
      return { status, counts: countsFromTap(tap) };
    },
  },
  {
    name: 'host',
    run() {
      const summaryFile = join(resultsDir, 'host-summary.json');
      const status = run(node, [
        '--import',
        'tsx',
        'scripts/vscode/run-host-tests.ts',
        '--no-build',
        '--summary',
        summaryFile,
      ]);
      const counts = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined;
      return { status, counts };
    },
  },
  {
    name: 'e2e',
    run() {
      const files = testFiles('test/e2e');
      if (files.length === 0) {
        console.error('No end-to-end tests found under test/e2e.');
        return { status: 1, counts: undefined };
      }
      const tap = join(resultsDir, 'e2e.tap');
      // One file at a time: each starts its own VS Code server and browser.
      const status = run(node, ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporterArgs(tap), ...files]);
      console.log(`screenshots: ${join(resultsDir, 'screenshots')}`);
      return { status, counts: countsFromTap(tap) };
    },
  },
];

function setup() {
  heading('setup');
  if (!ensureNodeModules(repoRoot)) return false;
  // Only this run's own files: others may be running tests in the same checkout.
  for (const file of ['unit.tap', 'e2e.tap', 'host-summary.json']) rmSync(join(resultsDir, file), { force: true });
  mkdirSync(resultsDir, { recursive: true });
  if (run(node, ['scripts/build.mjs']) !== 0) {
    console.error('The build failed.');
    return false;
  }
  console.log('build: ok');
  if (run(node, ['--import', 'tsx', 'scripts/vscode/setup.ts']) !== 0) return false;
  return true;
}

const total = { passed: 0, failed: 0, skipped: 0 };
const layerLines = [];
let anyLayerFailed = false;

if (!setup()) {
  anyLayerFailed = true;
  total.failed += 1;
  layerLines.push('setup: failed, no tests ran');
} else {
  for (const layer of layers) {
    heading(`${layer.name} tests`);
    const { status, counts } = layer.run();
    const found = counts ?? { passed: 0, failed: 0, skipped: 0 };
    const ran = found.passed + found.failed + found.skipped;
    let problem = '';
    if (!counts) problem = 'reported no results';
    else if (ran === 0) problem = 'ran zero tests';
    else if (status !== 0 && found.failed === 0) problem = `exited with code ${status}`;
    // A layer that broke without naming a failing test still counts as one failure,
    // so the summary can never read "0 failed" for a failed run.
    if (problem && found.failed === 0) found.failed = 1;
    if (problem || found.failed > 0) anyLayerFailed = true;
    total.passed += found.passed;
    total.failed += found.failed;
    total.skipped += found.skipped;
    const line = `${layer.name}: ${formatCounts(found)}${problem ? ` (${problem})` : ''}`;
    layerLines.push(line);
    console.log(line);
  }
}

heading('summary');
for (const line of layerLines) console.log(line);
console.log(formatCounts(total));
process.exitCode = anyLayerFailed ? 1 : 0;
