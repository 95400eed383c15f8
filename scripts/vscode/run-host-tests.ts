// Runs the extension-host tests (test/host) inside a real VS Code and reports them here.
//
//   node --import tsx scripts/vscode/run-host-tests.ts [--no-build] [--summary FILE]
//
// By default VS Code is the offline server from setup.ts, shown in headless Chromium; the
// extension host calls run() of out/test/host/index.js, which writes its results to a JSON
// file that this launcher waits for. SAML_LENS_VSCODE=electron uses @vscode/test-electron
// instead (it downloads a desktop VS Code, so it needs internet or a cached download).
// Environment: SAML_LENS_HOST_GREP=text runs only matching tests; the run fails when it reports
// no progress for SAML_LENS_HOST_TIMEOUT_MS (default 180000).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { FIXTURES_ENV, GREP_ENV, RESULTS_FILE_ENV, type HostRunResults } from '../../test/host/results';
import { launchChromium } from './browser';
import { pollUntil, startServer, type RunningServer } from './server';

const repoRoot = resolve(__dirname, '..', '..');
const samplesFolder = join(repoRoot, 'samples');
const testsEntry = join(repoRoot, 'out', 'test', 'host', 'index.js');
const resultsDir = join(repoRoot, '.test-results');

export interface LayerSummary {
  passed: number;
  failed: number;
  skipped: number;
  /** Why the layer could not run or report, when it could not. */
  error?: string;
}

function hostEnvironment(resultsFile: string): Record<string, string> {
  const env: Record<string, string> = { [RESULTS_FILE_ENV]: resultsFile };
  for (const name of [GREP_ENV, FIXTURES_ENV]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

/** The run could not finish; carries what the tests reported before that. */
class IncompleteRun extends Error {
  constructor(
    message: string,
    readonly partial: HostRunResults | undefined,
  ) {
    super(message);
  }
}

function readResults(resultsFile: string): HostRunResults | undefined {
  if (!existsSync(resultsFile)) return undefined;
  try {
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as HostRunResults;
  } catch {
    return undefined; // Still being written; poll again.
  }
}

/** Runs the tests through the offline server and Chromium; resolves with what run() wrote. */
async function runInServer(resultsFile: string, timeoutMs: number): Promise<HostRunResults> {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer({ extensionPath: repoRoot, env: hostEnvironment(resultsFile) });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.workbenchUrl({ folder: samplesFolder, extensionTestsPath: testsEntry }));
    // Waits while the run makes progress; gives up when nothing new is reported for timeoutMs
    // (mocha fails a test that outlives its timeout, so a longer silence means the host is stuck).
    let lastProgress = '';
    let lastProgressAt = Date.now();
    try {
      return await pollUntil(
        'the extension host tests to finish',
        () => {
          const results = readResults(resultsFile);
          if (results?.done) return results;
          const progress = results ? `${results.tests.length} ${results.running}` : '';
          if (progress !== lastProgress) {
            lastProgress = progress;
            lastProgressAt = Date.now();
          } else if (Date.now() - lastProgressAt > timeoutMs) {
            const where = results
              ? `${results.tests.length} tests finished, "${results.running}" running`
              : 'no test started (did the workbench load the extension?)';
            throw new Error(`no progress for ${timeoutMs} ms: ${where}`);
          }
          return undefined;
        },
        Number.POSITIVE_INFINITY,
        500,
      );
    } catch (error) {
      const screenshot = join(resultsDir, 'screenshots', 'host-tests-timeout.png');
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot }).catch(() => undefined);
      const serverTail = server.output().trim().split('\n').slice(-40).join('\n');
      throw new IncompleteRun(
        `${(error as Error).message}\nworkbench screenshot: ${screenshot}\n` +
          (pageErrors.length ? `page errors:\n  ${pageErrors.join('\n  ')}\n` : '') +
          `last server output:\n${serverTail}`,
        readResults(resultsFile),
      );
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

/** Runs the tests in a desktop VS Code downloaded by @vscode/test-electron. */
async function runInElectron(resultsFile: string): Promise<HostRunResults> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsEntry,
      extensionTestsEnv: hostEnvironment(resultsFile),
      launchArgs: [samplesFolder, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    // A failing test also rejects here; the results file tells the two apart.
    const results = readResults(resultsFile);
    if (results) return results;
    throw error;
  }
  const results = readResults(resultsFile);
  if (!results) throw new Error(`VS Code exited without writing ${resultsFile}`);
  return results;
}

function printResults(results: HostRunResults): void {
  for (const test of results.tests) {
    if (test.state === 'passed') console.log(`  ✔ ${test.title} (${test.durationMs ?? 0} ms)`);
    else if (test.state === 'skipped') console.log(`  - ${test.title} (skipped)`);
    else {
      console.log(`  ✖ ${test.title}`);
      console.log(`      ${(test.error ?? '').split('\n').join('\n      ')}`);
    }
  }
}

export async function runHostTests(options: { build?: boolean } = {}): Promise<LayerSummary> {
  if (options.build !== false) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) return { passed: 0, failed: 0, skipped: 0, error: 'the build failed' };
  }
  if (!existsSync(testsEntry)) {
    return {
      passed: 0,
      failed: 0,
      skipped: 0,
      error: `${testsEntry} is missing; the build did not bundle test/host/index.ts`,
    };
  }
  // A folder of its own: other runs in the same checkout must not read or clobber these results.
  const resultsFolder = mkdtempSync(join(tmpdir(), 'saml-lens-host-results-'));
  const resultsFile = join(resultsFolder, 'results.json');
  // Also on Ctrl-C, when the finally below does not run.
  process.once('exit', () => rmSync(resultsFolder, { recursive: true, force: true }));
  const timeoutMs = Number(process.env.SAML_LENS_HOST_TIMEOUT_MS) || 180_000;
  const launcher = process.env.SAML_LENS_VSCODE === 'electron' ? 'electron' : 'server';
  console.log(
    `Extension host tests (VS Code ${launcher === 'electron' ? 'desktop via @vscode/test-electron' : 'offline server + Chromium'})`,
  );
  let results: HostRunResults;
  try {
    results = launcher === 'electron' ? await runInElectron(resultsFile) : await runInServer(resultsFile, timeoutMs);
  } catch (error) {
    const partial = error instanceof IncompleteRun ? error.partial : undefined;
    if (partial) printResults(partial);
    const counts = partial ?? { passed: 0, failed: 0, skipped: 0 };
    return { passed: counts.passed, failed: counts.failed, skipped: counts.skipped, error: (error as Error).message };
  } finally {
    rmSync(resultsFolder, { recursive: true, force: true });
  }
  printResults(results);
  const summary: LayerSummary = { passed: results.passed, failed: results.failed, skipped: results.skipped };
  if (results.error) summary.error = `the test run broke: ${results.error}`;
  else if (!results.done) summary.error = `the run ended while "${results.running}" was running`;
  else if (results.tests.length === 0) summary.error = 'no extension host tests ran';
  return summary;
}

/** "N passed, N failed" plus ", N skipped" when any. */
export function formatCounts(counts: { passed: number; failed: number; skipped: number }): string {
  const line = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.skipped > 0 ? `${line}, ${counts.skipped} skipped` : line;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const summaryIndex = args.indexOf('--summary');
  const summaryFile = summaryIndex >= 0 ? args[summaryIndex + 1] : undefined;
  const summary = await runHostTests({ build: !args.includes('--no-build') });
  if (summary.error) console.error(`Extension host tests could not complete: ${summary.error}`);
  console.log(`host: ${formatCounts(summary)}`);
  if (summaryFile) {
    mkdirSync(dirname(resolve(summaryFile)), { recursive: true });
    writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  }
  process.exit(summary.error || summary.failed > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
