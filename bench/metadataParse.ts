/**
 * Measures building the metadata model against `xmllint --noout` on the same file, as ratios.
 *
 *   npx tsx bench/generateAggregate.ts        # once, writes bench/out/aggregate.xml
 *   npx tsx bench/metadataParse.ts [FILE] [--runs 5]
 *
 * Prints, for xmllint, saxes alone (with and without its position option) and parseMetadata, the
 * median wall and CPU times and their ratios to xmllint; the target is parseMetadata ≤ 1.5 × xmllint.
 * On a busy machine wall times swing widely; the CPU ratios are the steadier figure.
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

interface Sample {
  wallMs: number;
  /** CPU time of all the work's threads: steadier than wall time when the machine is busy. */
  cpuMs: number;
}

function measureInProcess(work: () => void): Sample {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** xmllint's wall time, and its CPU time as reported by the shell's `times` for children. */
function measureXmllint(file: string): Sample {
  const started = performance.now();
  const output = execFileSync('bash', ['-c', 'xmllint --noout "$1" && times', 'bench', file]).toString();
  const wallMs = performance.now() - started;
  const childLine = output.trim().split('\n').pop() ?? '';
  const seconds = [...childLine.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, minutes, secs]) => Number(minutes) * 60 + Number(secs),
  );
  return { wallMs, cpuMs: (seconds[0] + seconds[1]) * 1000 };
}

function main(): void {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
  const file = resolve(args[0] ?? resolve(__dirname, 'out', 'aggregate.xml'));
  const text = readFileSync(file, 'utf8');

  let entities = 0;
  let certificates = 0;
  const reference = 'xmllint --noout';
  const contenders: Record<string, () => Sample> = {
    [reference]: () => measureXmllint(file),
    'saxes, xmlns, position: false': () =>
      measureInProcess(() => new SaxesParser({ xmlns: true, position: false }).write(text).close()),
    'saxes, xmlns, position: true': () =>
      measureInProcess(() => new SaxesParser({ xmlns: true, position: true }).write(text).close()),
    'parseMetadata (model)': () =>
      measureInProcess(() => {
        const result = parseMetadata(text);
        if (!result.ok) throw new Error(result.error.message);
        entities = result.model.entities.length;
        certificates = result.model.certificates.length;
      }),
  };
  // Rounds interleave the contenders so that load from other processes hits them alike; each
  // round's figures are divided by that round's xmllint figures.
  const samples: Record<string, Sample[]> = {};
  const wallRatios: Record<string, number[]> = {};
  const cpuRatios: Record<string, number[]> = {};
  for (let round = 0; round < runs; round++) {
    const roundSamples: Record<string, Sample> = {};
    for (const [label, measure] of Object.entries(contenders)) roundSamples[label] = measure();
    for (const [label, sample] of Object.entries(roundSamples)) {
      (samples[label] ??= []).push(sample);
      (wallRatios[label] ??= []).push(sample.wallMs / roundSamples[reference].wallMs);
      (cpuRatios[label] ??= []).push(sample.cpuMs / roundSamples[reference].cpuMs);
    }
  }

  console.log(
    `${file}: ${(text.length / 1e6).toFixed(1)} M characters, ${entities} entities, ${certificates} certificates, ${runs} interleaved rounds, medians`,
  );
  const header = ['', 'wall ms', 'wall ×', 'min wall ×', 'CPU ms', 'CPU ×', 'min CPU ×'];
  console.log(
    `${header[0].padEnd(31)}${header
      .slice(1)
      .map((cell) => cell.padStart(11))
      .join('')}`,
  );
  for (const label of Object.keys(contenders)) {
    const cells = [
      median(samples[label].map((sample) => sample.wallMs)).toFixed(0),
      median(wallRatios[label]).toFixed(2),
      Math.min(...wallRatios[label]).toFixed(2),
      median(samples[label].map((sample) => sample.cpuMs)).toFixed(0),
      median(cpuRatios[label]).toFixed(2),
      Math.min(...cpuRatios[label]).toFixed(2),
    ];
    console.log(`${label.padEnd(31)}${cells.map((cell) => cell.padStart(11)).join('')}`);
  }
}

main();
