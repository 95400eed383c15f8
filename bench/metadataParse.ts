/**
 * Measures building the metadata model against `xmllint --noout` on the same file, as ratios.
 *
 *   npx tsx bench/generateAggregate.ts        # once, writes bench/out/aggregate.xml
 *   npx tsx bench/metadataParse.ts [FILE] [--runs 5]
 *
 * Prints the median of each: xmllint, saxes alone (with and without position tracking), and
 * parseMetadata; the target is parseMetadata ≤ 1.5 × xmllint.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SaxesParser } from 'saxes';
import { parseMetadata } from '../src/core/metadata';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function main(): void {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
  const file = resolve(args[0] ?? resolve(__dirname, 'out', 'aggregate.xml'));
  const text = readFileSync(file, 'utf8');

  let entities = 0;
  let certificates = 0;
  const contenders: Record<string, () => void> = {
    'xmllint --noout (process)': () => execFileSync('xmllint', ['--noout', file]),
    'saxes, xmlns, position: false': () => new SaxesParser({ xmlns: true, position: false }).write(text).close(),
    'saxes, xmlns, position: true': () => new SaxesParser({ xmlns: true, position: true }).write(text).close(),
    'parseMetadata (model)': () => {
      const result = parseMetadata(text);
      if (!result.ok) throw new Error(result.error.message);
      entities = result.model.entities.length;
      certificates = result.model.certificates.length;
    },
  };
  // Rounds interleave the contenders so that load from other processes hits them alike; each
  // round's times are divided by that round's xmllint time.
  const times: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  for (let round = 0; round < runs; round++) {
    const roundTimes: Record<string, number> = {};
    for (const [label, work] of Object.entries(contenders)) roundTimes[label] = timed(work);
    for (const [label, ms] of Object.entries(roundTimes)) {
      (times[label] ??= []).push(ms);
      (ratios[label] ??= []).push(ms / roundTimes['xmllint --noout (process)']);
    }
  }

  console.log(`${file}: ${(text.length / 1e6).toFixed(1)} M characters, ${entities} entities, ${certificates} certificates, ${runs} interleaved rounds`);
  console.log(`${''.padEnd(32)} ${'min ms'.padStart(8)} ${'median ms'.padStart(10)} ${'median ratio'.padStart(13)} ${'min ratio'.padStart(10)}`);
  for (const label of Object.keys(contenders)) {
    console.log(
      `${label.padEnd(32)} ${Math.min(...times[label]).toFixed(0).padStart(8)} ${median(times[label]).toFixed(0).padStart(10)} ${median(ratios[label]).toFixed(2).padStart(12)}× ${Math.min(...ratios[label]).toFixed(2).padStart(9)}×`,
    );
  }
}

main();
