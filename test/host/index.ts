// Entry point of the extension-host tests: VS Code loads this bundle (extensionTestsPath) inside
// the extension host and calls run(). It runs every bundled test file with mocha (TDD interface:
// suite/test/suiteSetup/setup) and writes the results to the file the launcher named.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';
import { FIXTURES_ENV, GREP_ENV, RESULTS_FILE_ENV, type HostRunResults } from './results';

/** Bundled test files (`*.test.js`) below `dir`; fixtures only when asked for. */
function findTestBundles(dir: string, includeFixtures: boolean): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'fixtures' || includeFixtures) found.push(...findTestBundles(path, includeFixtures));
    } else if (name.endsWith('.test.js')) {
      found.push(path);
    }
  }
  return found;
}

function fullTitle(test: Mocha.Runnable): string {
  return test.titlePath().join(' › ');
}

export async function run(): Promise<void> {
  const results: HostRunResults = { done: false, tests: [], passed: 0, failed: 0, skipped: 0 };
  const resultsFile = process.env[RESULTS_FILE_ENV];
  const report = () => {
    if (!resultsFile) return;
    mkdirSync(dirname(resultsFile), { recursive: true });
    // Write then rename, so the launcher never reads half a file.
    writeFileSync(`${resultsFile}.tmp`, JSON.stringify(results, null, 2));
    renameSync(`${resultsFile}.tmp`, resultsFile);
  };
  try {
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
    const grep = process.env[GREP_ENV];
    if (grep) mocha.grep(grep);
    const files = findTestBundles(__dirname, process.env[FIXTURES_ENV] === '1');
    for (const file of files) mocha.addFile(file);
    await mocha.loadFilesAsync();

    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('test', (test) => {
        results.running = fullTitle(test);
        report();
      });
      runner.on('pass', (test) => {
        results.passed++;
        results.tests.push({ title: fullTitle(test), state: 'passed', durationMs: test.duration });
        report();
      });
      // Also fires for failing hooks, which then count as one failure each.
      runner.on('fail', (test, error: Error) => {
        results.failed++;
        results.tests.push({ title: fullTitle(test), state: 'failed', error: error.stack ?? String(error) });
        report();
      });
      runner.on('pending', (test) => {
        results.skipped++;
        results.tests.push({ title: fullTitle(test), state: 'skipped' });
        report();
      });
    });
  } catch (error) {
    results.error = (error as Error).stack ?? String(error);
  }
  results.done = true;
  delete results.running;
  report();
  if (results.error) throw new Error(results.error);
  if (results.failed > 0) throw new Error(`${results.failed} extension host test(s) failed`);
}
