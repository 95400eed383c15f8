/** Small helpers the benchmark steps share: summaries of repeated timings and running other tools. */
import { spawnSync } from 'node:child_process';

export interface Summary {
  runs: number;
  min: number;
  median: number;
  /** Nine in ten runs were at most this (nearest rank); what a person meets often enough to feel. */
  p90?: number;
  max: number;
}

/** The nearest-rank percentile: the smallest value that `fraction` of the values do not exceed. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('nothing was measured');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('nothing was measured');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { runs: sorted.length, min: sorted[0], median, p90: percentile(sorted, 0.9), max: sorted[sorted.length - 1] };
}

/** Wall time of `work` in milliseconds. */
export function timeMs(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

/** CPU time (user + system) of this process while `work` runs, in milliseconds. */
export function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Wall and CPU time of one run of an external command, which must succeed. */
export function timeCommand(command: string, args: readonly string[]): { wallMs: number; cpuMs: number } {
  // bash's `times` prints the CPU time of finished children: the command's own CPU, not ours.
  const script = `"$@" >/dev/null 2>&1 || { echo "exit $?" >&2; exit 1; }; times`;
  const started = performance.now();
  const result = spawnSync('bash', ['-c', script, 'bench', command, ...args], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.trim()}`);
  const childLine = result.stdout.trim().split('\n').pop() ?? '';
  const seconds = [...childLine.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, minutes, secs]) => Number(minutes) * 60 + Number(secs),
  );
  if (seconds.length < 2) throw new Error(`could not read the CPU time of ${command} from "${childLine}"`);
  return { wallMs, cpuMs: (seconds[0] + seconds[1]) * 1000 };
}

export function commandExists(command: string): boolean {
  return spawnSync('bash', ['-c', `command -v "$1"`, 'bench', command], { stdio: 'ignore' }).status === 0;
}

/** Lets pending garbage go before a measurement, when node runs with --expose-gc. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
