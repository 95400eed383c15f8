// Long fuzzing runs: `npm run fuzz -- --cases 100000 --seed 42`. Exits 1 when any case fails;
// each failing input is written to a temp file whose path is printed.
import path from 'node:path';
import { formatSummary, loadSeeds, runFuzz } from './fuzzer';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} takes a whole number, not "${value}".`);
    process.exit(64);
  }
  return Number(value);
}

async function main(): Promise<void> {
  const seed = wholeNumber(option('seed') ?? process.env.FUZZ_SEED, 'seed', Math.floor(Math.random() * 2 ** 31));
  const cases = wholeNumber(option('cases'), 'cases', 10_000);
  console.log(`fuzz seed ${seed}, ${cases} cases`);
  const seeds = await loadSeeds(path.resolve(__dirname, '..', '..'));
  console.log(
    `seeds: ${seeds.responses.length} responses, ${seeds.metadata.length} metadata files, ${seeds.certificates.length} certificates`,
  );
  const summary = runFuzz(seeds, seed, cases, (line) => console.log(line));
  console.log(formatSummary(summary));
  process.exit(summary.failures.length ? 1 : 0);
}

void main();
