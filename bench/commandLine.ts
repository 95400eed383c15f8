/**
 * The command line as a person's shell or a CI loop runs it: whole processes, start-up included,
 * each round interleaved with its reference so that load from other processes hits both alike.
 *
 * - `saml-lens certs` on the aggregate against `xmllint --noout` of the same file (wall time), and
 *   the peak memory (RSS) of the two;
 * - `saml-lens validate` of the 10 KB response against `node -e 0` (what any Node command costs to
 *   start), with `xmlsec1 --verify` of the same document beside it.
 *
 * The CLI is measured as it ships: a minified bundle built here as `npm run build:prod` builds it.
 * Wall time, CPU time and peak RSS of each process come from GNU time (Debian's `time` package).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Measurement } from './inProcess';
import { repoRoot } from './paths';
import { summarise } from './stats';

export const TIME_COMMAND = '/usr/bin/time';

interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
  status: number;
}

/** One run of a command under GNU time; `okStatuses` are the exit codes that mean it did its work. */
export function runMeasured(command: string, args: readonly string[], okStatuses: readonly number[] = [0]): ProcessRun {
  const result = spawnSync(TIME_COMMAND, ['-f', 'measured %e %U %S %M %x', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const line = result.stderr
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('measured '));
  if (!line) throw new Error(`${TIME_COMMAND} printed no figures for ${command}: ${result.stderr.trim()}`);
  const [elapsed, user, system, rssKB, status] = line.split(' ').slice(1).map(Number);
  if (!okStatuses.includes(status))
    throw new Error(`${command} ${args.join(' ')} exited with ${status}: ${result.stderr.trim().split('\n')[0]}`);
  return { wallMs: elapsed * 1000, cpuMs: (user + system) * 1000, peakRssMB: rssKB / 1024, status };
}

/** The CLI bundle as `scripts/build.mjs --production` makes it, in bench/out so dist/ is left alone. */
export async function buildShippedCli(outFile: string): Promise<void> {
  mkdirSync(dirname(outFile), { recursive: true });
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  await esbuild.build({
    entryPoints: [join(repoRoot, 'src/cli/main.ts')],
    outfile: outFile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { SAML_LENS_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  });
}

function ratios(subject: readonly number[], reference: readonly number[]): number[] {
  return subject.map((value, i) => value / reference[i]);
}

/** `saml-lens certs AGGREGATE` against `xmllint --noout AGGREGATE`: two rows, time and memory. */
export function measureCliCerts(cli: string, aggregate: string, runs: number): Measurement[] {
  // Exit 1 means a certificate is expired or expiring: the aggregate has both, by design.
  const certs = () => runMeasured(process.execPath, [cli, 'certs', aggregate], [1]);
  const xmllint = () => runMeasured('xmllint', ['--noout', aggregate]);
  certs(); // Warms the file cache for both.
  const ours: ProcessRun[] = [];
  const reference: ProcessRun[] = [];
  for (let round = 0; round < runs; round++) {
    reference.push(xmllint());
    ours.push(certs());
  }
  const wall = (list: ProcessRun[]) => list.map((r) => r.wallMs);
  const rss = (list: ProcessRun[]) => list.map((r) => r.peakRssMB);
  const wallRatio = summarise(ratios(wall(ours), wall(reference)));
  const rssRatio = summarise(ratios(rss(ours), rss(reference)));
  const cpuRatio = summarise(
    ratios(
      ours.map((r) => r.cpuMs),
      reference.map((r) => r.cpuMs),
    ),
  );
  return [
    {
      name: 'cli certs',
      subject: 'saml-lens certs on the aggregate, whole process (node start-up, reading, model, findings, output)',
      subjectMs: summarise(wall(ours)),
      reference: 'xmllint --noout of the same file, whole process',
      referenceMs: summarise(wall(reference)),
      ratio: wallRatio,
      target: '≤ 1.5 × xmllint (wall time)',
      met: wallRatio.median <= 1.5,
      notes: [
        `${runs} interleaved rounds after one warm-up run`,
        `CPU time: ours ${summarise(ours.map((r) => r.cpuMs)).median.toFixed(0)} ms, xmllint ${summarise(reference.map((r) => r.cpuMs)).median.toFixed(0)} ms, ratio ${cpuRatio.median.toFixed(2)} ×`,
      ],
      extra: { cpuRatio },
    },
    {
      name: 'cli memory',
      subject: 'peak RSS of saml-lens certs on the aggregate',
      subjectMs: summarise(rss(ours)),
      unit: 'MB',
      reference: 'peak RSS of xmllint --noout of the same file',
      referenceMs: summarise(rss(reference)),
      ratio: rssRatio,
      target: '≤ 1.5 × xmllint',
      met: rssRatio.median <= 1.5,
      notes: [`the same ${runs} rounds; the text of the 48 MB file alone is 96 MB as a UTF-16 string`],
    },
  ];
}

/** `saml-lens validate` of the bench's signed response, against `node -e 0`; xmlsec1 beside it. */
export function measureCliValidate(
  cli: string,
  message: { file: string; certificateFile: string; now: string; xmlsecArgs: readonly string[] },
  runs: number,
): Measurement {
  const validate = () =>
    runMeasured(process.execPath, [
      cli,
      'validate',
      message.file,
      '--trust-key',
      message.certificateFile,
      '--now',
      message.now,
    ]);
  const node = () => runMeasured(process.execPath, ['-e', '0']);
  const xmlsec = () => runMeasured('xmlsec1', message.xmlsecArgs);
  validate();
  const ours: number[] = [];
  const reference: number[] = [];
  const xmlsec1: number[] = [];
  for (let round = 0; round < runs; round++) {
    reference.push(node().wallMs);
    ours.push(validate().wallMs);
    xmlsec1.push(xmlsec().wallMs);
  }
  const ratio = summarise(ratios(ours, reference));
  const oursMs = summarise(ours);
  const xmlsec1Ms = summarise(xmlsec1);
  return {
    name: 'cli validate',
    subject: 'saml-lens validate of the signed 10 KB response (--trust-key), whole process',
    subjectMs: oursMs,
    reference: 'node -e 0, whole process',
    referenceMs: summarise(reference),
    ratio,
    target: '≤ 1.5 × node -e 0 (wall time)',
    met: ratio.median <= 1.5,
    notes: [
      `${runs} interleaved rounds after one warm-up run`,
      `xmlsec1 --verify of the same document: ${xmlsec1Ms.median.toFixed(0)} ms (${(oursMs.median / xmlsec1Ms.median).toFixed(2)} × ours against it)`,
    ],
    extra: { xmlsec1Ms },
  };
}
