// `npm run bench`: bundles bench/run.ts with esbuild (so the project's code is measured bundled,
// as it ships, not through tsx's per-file transform), then runs the bundle with --expose-gc so the
// steps can collect garbage between rounds. Arguments are passed through.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const benchDir = import.meta.dirname;
const bundle = join(benchDir, 'out', 'bench.js');
await esbuild.build({
  entryPoints: [join(benchDir, 'run.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // esbuild cannot bundle itself; playwright-core loads its own files at run time.
  external: ['esbuild', 'playwright-core'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', bundle, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
