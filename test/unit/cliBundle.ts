// The command line as the tests run it: a fresh esbuild bundle of src/cli/main.ts in a folder of
// the test's own, so a test never depends on an earlier `npm run build`.
import path from 'node:path';
import { buildSync } from 'esbuild';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Bundles the CLI into `dir` and returns the path of the script to run with node. */
export function buildCliBundle(dir: string): string {
  const cli = path.join(dir, 'cli.js');
  buildSync({
    entryPoints: [path.join(repoRoot, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: cli,
    logLevel: 'error',
    define: { SAML_LENS_VERSION: '"test"' },
  });
  return cli;
}
