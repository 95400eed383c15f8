// `npm test`: prepares what the tests need, then runs the three layers in order and ends with
// one line for the whole run, "N passed, N failed" (", N skipped" when any).
//
//   setup  build (esbuild), the offline VS Code server cache and Chromium (scripts/vscode/setup.ts)
//   lint   the type checks (`npm run typecheck`), ESLint and Prettier (`npm run lint`), one check each
//   unit   test/unit/**/*.test.ts with Node's test runner (plain Node, no VS Code), run twice: under
//          TZ=UTC and under TZ=America/Los_Angeles, so no test depends on the machine's time zone
//   host   test/host/**/*.test.ts inside a real VS Code extension host (scripts/vscode/run-host-tests.ts)
//   e2e    test/e2e/**/*.test.ts driving the real workbench in Chromium (Node's test runner)
//
// Each layer runs in its own process group under a time limit (LAYER_LIMITS_MIN below,
// SAML_LENS_LAYER_LIMIT_MIN=N for all); a layer over its limit is stopped, group and all, and
// counts as failed. SAML_LENS_LAYERS=unit,e2e runs
// only the named layers (setup still runs).
//
// Exits non-zero when any layer fails, reports no result, runs zero tests or runs out of time.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { ensureNodeModules } from './ensure-node-modules.mjs';

const repoRoot = resolve(import.meta.dirname, '..');
const resultsDir = join(repoRoot, '.test-results');
const node = process.execPath;

/**
 * Minutes each layer may take before its processes are stopped and it counts as failed;
 * SAML_LENS_LAYER_LIMIT_MIN=N sets them all (e.g. on a slow machine).
 */
const LAYER_LIMITS_MIN = Object.fromEntries(
  Object.entries({ setup: 30, lint: 10, unit: 15, host: 20, e2e: 30 }).map(([layer, minutes]) => [
    layer,
    Number(process.env.SAML_LENS_LAYER_LIMIT_MIN) || minutes,
  ]),
);
/** After SIGTERM, how long a layer's processes get to stop their servers and browsers before SIGKILL. */
const KILL_GRACE_MS = 15_000;

/** The process group of the command now running, for Ctrl-C and for the exit of this script. */
let runningGroup;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (runningGroup) killGroup(runningGroup, signal);
    process.exit(code);
  });
}
process.on('exit', () => runningGroup && killGroup(runningGroup, 'SIGKILL'));

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs a command in its own process group and resolves with its exit status. After `limitMin`
 * minutes the whole group gets SIGTERM (the test processes then stop the VS Code servers and
 * browsers they started), then SIGKILL; the status is then 1 and `timedOut` is set.
 */
function run(command, args, { env, limitMin, what = command } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env, detached: true });
    runningGroup = child.pid;
    let timedOut = false;
    const timers = [];
    if (limitMin) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          console.error(
            `\n${what}: still running after its ${+limitMin.toFixed(1)} min limit; stopping all its processes`,
          );
          killGroup(child.pid, 'SIGTERM');
          timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS));
        }, limitMin * 60_000),
      );
    }
    child.once('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
    });
    child.once('close', (code) => {
      timers.forEach(clearTimeout);
      // Anything the command left behind in its group goes with it.
      killGroup(child.pid, 'SIGKILL');
      runningGroup = undefined;
      resolvePromise({ status: timedOut ? 1 : (code ?? 1), timedOut });
    });
  });
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

/** Runs each static check; one passed or failed count per check. The limit is for all of them. */
async function runChecks(checks, limitMin) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const deadline = Date.now() + limitMin * 60_000;
  let timedOut = false;
  for (const [name, command, args] of checks) {
    const left = (deadline - Date.now()) / 60_000;
    const result =
      left > 0 ? await run(command, args, { limitMin: left, what: 'lint' }) : { status: 1, timedOut: true };
    timedOut ||= result.timedOut;
    console.log(`${name}: ${result.status === 0 ? 'ok' : 'failed'}`);
    counts[result.status === 0 ? 'passed' : 'failed'] += 1;
  }
  return { status: counts.failed === 0 ? 0 : 1, counts, timedOut };
}

/** The unit layer under one time zone; TAP file and layer name say which. */
function unitLayer(timeZone) {
  const slug = timeZone.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    name: `unit (TZ=${timeZone})`,
    limit: 'unit',
    async run(limitMin) {
      const tap = join(resultsDir, `unit-${slug}.tap`);
      const { status, timedOut } = await run(node, ['scripts/run-unit-tests.mjs', ...reporterArgs(tap)], {
        env: { ...process.env, TZ: timeZone },
        limitMin,
        what: this.name,
      });
      return { status, counts: countsFromTap(tap), timedOut };
    },
  };
}

/** Time zones the unit tests run under: UTC, and one far from it with daylight saving time. */
const UNIT_TIME_ZONES = ['UTC', 'America/Los_Angeles'];

const npx = (tool) => join(repoRoot, 'node_modules', '.bin', tool);

const layers = [
  {
    name: 'lint',
    limit: 'lint',
    run(limitMin) {
      return runChecks(
        [
          ['typecheck (extension and tests)', npx('tsc'), ['-p', '.', '--noEmit']],
          ['typecheck (core: no vscode)', npx('tsc'), ['-p', 'src/core', '--noEmit']],
          ['typecheck (webview page)', npx('tsc'), ['-p', 'src/webview-ui', '--noEmit']],
          ['eslint (layers, cycles, promises)', npx('eslint'), ['.']],
          ['prettier', npx('prettier'), ['--check', '.']],
        ],
        limitMin,
      );
    },
  },
  ...UNIT_TIME_ZONES.map(unitLayer),
  {
    name: 'host',
    limit: 'host',
    async run(limitMin) {
      const summaryFile = join(resultsDir, 'host-summary.json');
      const { status, timedOut } = await run(
        node,
        ['--import', 'tsx', 'scripts/vscode/run-host-tests.ts', '--no-build', '--summary', summaryFile],
        { limitMin, what: 'host' },
      );
      const counts = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined;
      return { status, counts, timedOut };
    },
  },
  {
    name: 'e2e',
    limit: 'e2e',
    async run(limitMin) {
      const files = testFiles('test/e2e');
      if (files.length === 0) {
        console.error('No end-to-end tests found under test/e2e.');
        return { status: 1, counts: undefined };
      }
      const tap = join(resultsDir, 'e2e.tap');
      // Counted by a reporter that writes as it goes: under --test-force-exit Node 20 may exit
      // before the TAP file gets its summary lines.
      const countsFile = join(resultsDir, 'e2e-counts.json');
      // One file at a time: each starts its own VS Code server and browser. Each file and test has
      // its own limit (test/e2e/harness.ts); --test-timeout bounds anything else, and
      // --test-force-exit ends a file whose tests are over even if something still holds it open.
      const { status, timedOut } = await run(
        node,
        [
          '--import',
          'tsx',
          '--test',
          '--test-concurrency=1',
          `--test-timeout=${E2E_TEST_TIMEOUT_MS}`,
          '--test-force-exit',
          ...reporterArgs(tap),
          '--test-reporter=./scripts/test-counts-reporter.mjs',
          '--test-reporter-destination=stdout',
          ...files,
        ],
        { limitMin, what: 'e2e', env: { ...process.env, SAML_LENS_TEST_COUNTS: countsFile } },
      );
      console.log(`screenshots: ${join(resultsDir, 'screenshots')}`);
      const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : undefined;
      return { status, counts, timedOut };
    },
  },
];

/** Node's test runner: the most any e2e test or hook may take (the harness sets tighter ones). */
const E2E_TEST_TIMEOUT_MS = 300_000;

async function setup() {
  heading('setup');
  if (!ensureNodeModules(repoRoot)) return false;
  // Only this run's own files: others may be running tests in the same checkout.
  for (const file of readdirSync(resultsDir, { withFileTypes: true }).flatMap((entry) =>
    entry.isFile() && /^(unit.*|e2e)\.tap$|^(host-summary|e2e-counts)\.json$/.test(entry.name) ? [entry.name] : [],
  ))
    rmSync(join(resultsDir, file), { force: true });
  mkdirSync(resultsDir, { recursive: true });
  const limitMin = LAYER_LIMITS_MIN.setup;
  if ((await run(node, ['scripts/build.mjs'], { limitMin, what: 'build' })).status !== 0) {
    console.error('The build failed.');
    return false;
  }
  console.log('build: ok');
  if ((await run(node, ['--import', 'tsx', 'scripts/vscode/setup.ts'], { limitMin, what: 'setup' })).status !== 0)
    return false;
  return true;
}

/** The layers to run: all, or those SAML_LENS_LAYERS names (e.g. "unit,e2e"; "unit" means both time zones). */
function selectedLayers() {
  const wanted = process.env.SAML_LENS_LAYERS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!wanted?.length) return layers;
  const unknown = wanted.filter((name) => !layers.some((layer) => layer.limit === name));
  if (unknown.length) {
    console.error(`SAML_LENS_LAYERS names no layer: ${unknown.join(', ')} (layers: lint, unit, host, e2e)`);
    process.exit(2);
  }
  return layers.filter((layer) => wanted.includes(layer.limit));
}

const total = { passed: 0, failed: 0, skipped: 0 };
const layerLines = [];
let anyLayerFailed = false;

const chosen = selectedLayers();
if (!existsSync(resultsDir)) mkdirSync(resultsDir, { recursive: true });
if (!(await setup())) {
  anyLayerFailed = true;
  total.failed += 1;
  layerLines.push('setup: failed, no tests ran');
} else {
  for (const layer of chosen) {
    heading(`${layer.name} tests`);
    const limitMin = LAYER_LIMITS_MIN[layer.limit];
    const { status, counts, timedOut } = await layer.run(limitMin);
    const found = counts ?? { passed: 0, failed: 0, skipped: 0 };
    const ran = found.passed + found.failed + found.skipped;
    let problem = '';
    // A layer stopped at its limit has failed, whatever it managed to count before.
    if (timedOut) problem = `stopped after its ${+limitMin.toFixed(1)} min limit`;
    else if (!counts) problem = 'reported no results';
    else if (ran === 0) problem = 'ran zero tests';
    else if (status !== 0 && found.failed === 0) problem = `exited with code ${status}`;
    // A layer that broke without naming a failing test still counts as one failure,
    // so the summary can never read "0 failed" for a failed run.
    if (problem && (found.failed === 0 || timedOut)) found.failed += 1;
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
