// A bounded fuzzing run in every test run (2,000 cases); `npm run fuzz -- --cases 100000` for long runs.
// The seed is printed; FUZZ_SEED replays a run exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { formatSummary, loadSeeds, runFuzz, TEXT_MUTATIONS } from '../fuzz/fuzzer';
import { seededRandom } from '../fuzz/random';

const repoRoot = path.resolve(__dirname, '..', '..');
const CASES = Number(process.env.FUZZ_CASES ?? 2000);

test('the generator is reproducible: the same seed gives the same mutations', () => {
  const text = '<a><b x="1">text</b><c/></a>';
  const run = (seed: number) => {
    const random = seededRandom(seed);
    return TEXT_MUTATIONS.map((m) => m.apply(text, random).slice(0, 200));
  };
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

test(`fuzz: ${CASES} mutated responses, metadata and certificates never crash, hang or show planted values as verified`, async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const seeds = await loadSeeds(repoRoot);
  const summary = runFuzz(seeds, seed, CASES, (line) => console.log(line));
  console.log(formatSummary(summary));
  assert.ok(seeds.responses.length > 50 && seeds.metadata.length > 0 && seeds.certificates.length > 0);
  assert.equal(
    summary.failures.length,
    0,
    `seed ${seed}: ${summary.failures
      .slice(0, 5)
      .map(
        (f) => `case ${f.fuzzCase.number} (${f.fuzzCase.description}): ${f.problems.join('; ')} — input in ${f.file}`,
      )
      .join('\n')}`,
  );
});
