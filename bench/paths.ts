/**
 * Folders the benchmark uses. `npm run bench` runs an esbuild bundle of bench/run.ts from bench/out
 * (so the code is measured as it ships: bundled, const enums inlined), but the sources also run
 * unbundled through tsx; both find the same folders.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const benchDir = existsSync(join(__dirname, 'generateAggregate.ts')) ? __dirname : resolve(__dirname, '..');
export const repoRoot = resolve(benchDir, '..');
export const outDir = join(benchDir, 'out');
