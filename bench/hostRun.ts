/**
 * The extension as it ships, measured in a real extension host:
 *
 * 1. builds the production bundles (minified, as `npm run build:prod` does) into a staging copy of
 *    the extension in bench/out/extension (its other folders are links to the repository's), so the
 *    measurement neither waits for nor disturbs development builds in dist/;
 * 2. bundles bench/host/probe.ts, and runs it as the extension-tests module of the offline VS Code
 *    server (scripts/vscode) shown in headless Chromium, as the host tests run.
 */
import * as esbuild from 'esbuild';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../scripts/vscode/browser';
import { pollUntil, startServer } from '../scripts/vscode/server';
import type { ProbeConfig, ProbeResults } from './host/probe';
import { repoRoot } from './paths';

/** The bundles the extension loads at run time, built as `scripts/build.mjs --production` builds them. */
const SHIPPED_BUNDLES = [
  { in: 'src/extension.ts', out: 'dist/extension' },
  { in: 'src/features/metadataDocuments/headless/worker.ts', out: 'dist/metadataWorker' },
  { in: 'src/features/decode/headless/worker.ts', out: 'dist/decodeWorker' },
  // Loaded on first use of their feature (src/features/lazy.ts).
  ...['metadata', 'decode', 'authoring', 'generators'].map((name) => ({
    in: `src/features/bundles/${name}.ts`,
    out: `dist/features/${name}`,
  })),
];

/** Never linked into the staging copy: its own dist, and folders the extension does not read. */
const NOT_LINKED = new Set([
  'dist',
  'node_modules',
  'bench',
  'out',
  '.git',
  '.test-results',
  '.vscode-test',
  'package.json',
]);

function shippedOptions(stagingDir: string, bundle: { in: string; out: string }) {
  return {
    entryPoints: [{ in: join(repoRoot, bundle.in), out: bundle.out }],
    outdir: stagingDir,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    metafile: true,
    logLevel: 'warning',
  } satisfies esbuild.BuildOptions;
}

export interface BundleReport {
  bytes: number;
  /** The bundles dist/extension.js requires on first use of a feature, in bytes. */
  featureBytes: Record<string, number>;
  /** The largest inputs of dist/extension.js, in bytes of output. */
  largestInputs: { path: string; bytes: number }[];
}

/**
 * `sourceMaps` adds source maps next to the minified bundles, so that a CPU profile can name our
 * functions and files; the size reported is always that of the plain production build.
 */
export async function buildStagedExtension(
  stagingDir: string,
  options: { sourceMaps?: boolean } = {},
): Promise<BundleReport> {
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(join(stagingDir, 'dist'), { recursive: true });
  for (const name of readdirSync(repoRoot)) {
    if (!NOT_LINKED.has(name)) symlinkSync(join(repoRoot, name), join(stagingDir, name));
  }
  copyFileSync(join(repoRoot, 'package.json'), join(stagingDir, 'package.json'));
  let report: BundleReport | undefined;
  for (const bundle of SHIPPED_BUNDLES) {
    const result = await esbuild.build(shippedOptions(stagingDir, bundle));
    if (bundle.out === 'dist/extension') {
      const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
      if (!output) throw new Error('esbuild reported no output for src/extension.ts');
      const largestInputs = Object.entries(output.inputs)
        .map(([path, info]) => ({ path, bytes: info.bytesInOutput }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 8);
      report = { bytes: statSync(join(stagingDir, 'dist', 'extension.js')).size, featureBytes: {}, largestInputs };
    }
  }
  for (const bundle of SHIPPED_BUNDLES.filter((b) => b.out.startsWith('dist/features/'))) {
    if (report)
      report.featureBytes[bundle.out.slice('dist/features/'.length)] = statSync(
        join(stagingDir, `${bundle.out}.js`),
      ).size;
  }
  if (!report) throw new Error('dist/extension.js was not built');
  if (options.sourceMaps) {
    for (const bundle of SHIPPED_BUNDLES) {
      await esbuild.build({ ...shippedOptions(stagingDir, bundle), sourcemap: 'linked' });
    }
  }
  return report;
}

/**
 * A copy of the staged extension (links to its folders) whose manifest has no onStartupFinished:
 * VS Code then leaves SAML Lens alone until the probe activates it, so the probe can time a whole
 * activation once the host has finished starting (`coldActivationAfterMs`).
 */
export function stageColdActivationCopy(stagingDir: string): string {
  const coldDir = `${stagingDir}-cold`;
  rmSync(coldDir, { recursive: true, force: true });
  mkdirSync(coldDir, { recursive: true });
  for (const name of readdirSync(stagingDir)) {
    if (name !== 'package.json') symlinkSync(join(stagingDir, name), join(coldDir, name));
  }
  const manifest = JSON.parse(readFileSync(join(stagingDir, 'package.json'), 'utf8')) as {
    activationEvents?: string[];
  };
  manifest.activationEvents = (manifest.activationEvents ?? []).filter((event) => event !== 'onStartupFinished');
  writeFileSync(join(coldDir, 'package.json'), JSON.stringify(manifest, null, 2));
  return coldDir;
}

export async function bundleProbe(source: string, outFile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [source],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
}

function readResults(file: string): ProbeResults | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProbeResults;
  } catch {
    return undefined; // Being written; read again.
  }
}

/** One fresh server + workbench + extension host running the probe; resolves with what it measured. */
export async function runProbe(options: {
  stagingDir: string;
  probeBundle: string;
  workspace: string;
  resultsFile: string;
  config: ProbeConfig;
  timeoutMs: number;
}): Promise<ProbeResults> {
  rmSync(options.resultsFile, { force: true });
  const server = await startServer({
    extensionPath: options.stagingDir,
    env: { SAML_LENS_BENCH_RESULTS: options.resultsFile, SAML_LENS_BENCH_CONFIG: JSON.stringify(options.config) },
  });
  const browser = await launchChromium().catch(async (error) => {
    await server.stop();
    throw error;
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.workbenchUrl({ folder: options.workspace, extensionTestsPath: options.probeBundle }));
    const results = await pollUntil(
      'the benchmark probe in the extension host',
      () => {
        const read = readResults(options.resultsFile);
        return read?.done ? read : undefined;
      },
      options.timeoutMs,
      500,
    ).catch((error: Error) => {
      const partial = readResults(options.resultsFile);
      const tail = server.output().trim().split('\n').slice(-30).join('\n');
      throw new Error(`${error.message}\npartial results: ${JSON.stringify(partial)}\nlast server output:\n${tail}`);
    });
    return results;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
