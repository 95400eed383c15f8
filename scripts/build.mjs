// Bundles every entry point with esbuild. `--production` minifies and drops sourcemaps;
// `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';

const production = process.argv.includes('--production');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

/** Node-side bundles: the extension host code, the command line and the workers. */
const nodeEntries = [
  { in: 'src/extension.ts', out: 'dist/extension' },
  {
    in: 'src/cli/main.ts',
    out: 'dist/cli',
    banner: '#!/usr/bin/env node',
    define: { SAML_LENS_VERSION: JSON.stringify(version) },
  },
  { in: 'src/features/metadataDocuments/headless/worker.ts', out: 'dist/metadataWorker' },
  { in: 'src/features/decode/headless/worker.ts', out: 'dist/decodeWorker' },
  { in: 'src/features/flow/headless/worker.ts', out: 'dist/flowWorker' },
  // Features that dist/extension.js requires on first use (src/features/lazy.ts).
  ...['metadata', 'decode', 'authoring', 'generators', 'testSignIn', 'testIdentityProvider'].map((name) => ({
    in: `src/features/bundles/${name}.ts`,
    out: `dist/features/${name}`,
  })),
];

/** Browser-side bundles for webviews. */
const webEntries = [{ in: 'src/webview-ui/main.ts', out: 'media/webview/panel' }];

/**
 * Test bundles: run inside the extension host, so they keep `vscode` external too.
 * Every `.test.ts` file below test/host becomes its own bundle, found at run time by test/host/index.ts,
 * so adding a test file is enough.
 */
const testEntries = [
  { in: 'test/host/index.ts', out: 'out/test/host/index' },
  ...findFiles('test/host', '.test.ts').map((file) => ({ in: file, out: `out/${file.slice(0, -'.ts'.length)}` })),
];

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name).split(sep).join('/'))
    .filter((path) => path.endsWith(suffix))
    .sort();
}

const contexts = [];
for (const e of nodeEntries.filter((e) => existsSync(e.in))) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: [{ in: e.in, out: e.out }],
      outdir: '.',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      banner: e.banner ? { js: e.banner } : undefined,
      define: e.define,
    }),
  );
}
for (const e of webEntries.filter((e) => existsSync(e.in))) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: [{ in: e.in, out: e.out }],
      outdir: '.',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    }),
  );
}
if (!production) {
  // Bundles of deleted test files would still be found and run: remove them. (Not the whole
  // folder: a host test run may be reading it right now.)
  const wanted = new Set(testEntries.map((e) => `${e.out}.js`));
  for (const bundle of findFiles('out/test', '.js')) {
    if (!wanted.has(bundle)) rmSync(bundle, { force: true });
  }
  for (const e of testEntries.filter((e) => existsSync(e.in))) {
    contexts.push(
      await esbuild.context({
        ...common,
        sourcemap: true,
        entryPoints: [{ in: e.in, out: e.out }],
        outdir: '.',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['vscode', 'mocha'],
      }),
    );
  }
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
