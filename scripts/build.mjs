// Bundles every entry point with esbuild. `--production` minifies and drops sourcemaps;
// `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
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
  { in: 'src/cli/main.ts', out: 'dist/cli', banner: '#!/usr/bin/env node' },
  { in: 'src/core/worker/metadataWorker.ts', out: 'dist/metadataWorker' },
];

/** Browser-side bundles for webviews. */
const webEntries = [{ in: 'src/webview-ui/main.ts', out: 'media/webview/panel' }];

/** Test bundles: run inside the extension host, so they keep `vscode` external too. */
const testEntries = [
  { in: 'test/host/index.ts', out: 'out/test/host/index' },
];

const contexts = [];
for (const e of nodeEntries.filter((e) => existsSync(e.in))) {
  contexts.push(await esbuild.context({
    ...common,
    entryPoints: [{ in: e.in, out: e.out }],
    outdir: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    banner: e.banner ? { js: e.banner } : undefined,
  }));
}
for (const e of webEntries.filter((e) => existsSync(e.in))) {
  contexts.push(await esbuild.context({
    ...common,
    entryPoints: [{ in: e.in, out: e.out }],
    outdir: '.',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }));
}
if (!production) {
  for (const e of testEntries.filter((e) => existsSync(e.in))) {
    contexts.push(await esbuild.context({
      ...common,
      sourcemap: true,
      entryPoints: [{ in: e.in, out: e.out }],
      outdir: '.',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha'],
    }));
  }
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
