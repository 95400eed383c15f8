// Runs the four real SP libraries on a set of cases and collects their verdicts.
//
// The cases go to one temporary JSON file; each driver reads all of them in one process (so each
// library and interpreter starts once) and prints one JSON line per case. The drivers run at the
// same time, each with a time limit after which it is killed.
//
// A library or interpreter that is not installed is reported with what to install. Locally the
// caller gets the verdicts of the others and the reasons in `missing` (tests skip those libraries);
// with CI=true or SAML_LENS_REQUIRE_ALL=1 a missing one fails the run instead. Anything else a
// driver does wrong (crash, timeout, a line that is not a verdict, a case with no verdict) always
// fails.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DRIVER_MISSING_LIBRARY, PEER_LIBRARIES, type PeerCase, type PeerLibrary, type PeerVerdict } from './cases';

const repoRoot = path.resolve(__dirname, '..', '..');
const here = __dirname;

export interface Driver {
  /** Absolute path of the interpreter. */
  command: string;
  args: string[];
  /** What to install when the interpreter itself is missing. */
  interpreterHint: string;
}

/** Debian's interpreters by path: the first python3 on PATH may be another one without Debian's packages. */
const DRIVERS: Record<PeerLibrary, Driver> = {
  'node-saml': {
    command: process.execPath,
    args: ['--import', 'tsx', path.join(here, 'node-saml.ts')],
    interpreterHint: 'Node.js',
  },
  samlify: {
    command: process.execPath,
    args: ['--import', 'tsx', path.join(here, 'samlify.ts')],
    interpreterHint: 'Node.js',
  },
  'python3-saml': {
    command: '/usr/bin/python3',
    args: [path.join(here, 'python3-saml.py')],
    interpreterHint: 'the Debian package python3-onelogin-saml2 (it brings python3)',
  },
  'ruby-saml': {
    command: '/usr/bin/ruby',
    args: [path.join(here, 'ruby-saml.rb')],
    interpreterHint: 'the Debian package ruby-saml (it brings ruby)',
  },
};

/**
 * A driver's time limit: a minute to start, plus two seconds a case. samlify's schema validator
 * (libxml2 in WebAssembly) starts afresh for every message, about half a second each on a quiet
 * machine, and a loaded CI machine is slower still.
 */
export function driverTimeoutMs(caseCount: number): number {
  return 60_000 + 2_000 * caseCount;
}

/** Verdicts by case ID, then by library; `missing` names the libraries that could not run, and why. */
export class PeerVerdicts extends Map<string, Map<PeerLibrary, PeerVerdict>> {
  readonly missing = new Map<PeerLibrary, string>();
}

export interface RunPeersOptions {
  /** Default: all four. */
  libraries?: readonly PeerLibrary[];
  /** Per driver; default driverTimeoutMs(number of cases). */
  timeoutMs?: number;
  /** Fail when a library is missing instead of reporting it; default: CI=true or SAML_LENS_REQUIRE_ALL=1. */
  requireAll?: boolean;
  /** Stand-in drivers, for the tests of this runner itself. */
  drivers?: Partial<Record<PeerLibrary, Driver>>;
}

export function peersRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.SAML_LENS_REQUIRE_ALL === '1';
}

type DriverOutcome = { kind: 'verdicts'; verdicts: PeerVerdict[] } | { kind: 'missing'; reason: string };

class DriverError extends Error {}

function lastLines(text: string, count = 15): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

function runDriver(library: PeerLibrary, driver: Driver, casesFile: string, timeoutMs: number): Promise<DriverOutcome> {
  if (!fs.existsSync(driver.command)) {
    return Promise.resolve({
      kind: 'missing',
      reason: `${library}: ${driver.command} is not installed; install ${driver.interpreterHint}`,
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(driver.command, [...driver.args, casesFile], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TZ: 'UTC' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new DriverError(`${library}: could not start ${driver.command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const command = [driver.command, ...driver.args, casesFile].join(' ');
      if (timedOut) {
        reject(
          new DriverError(
            `${library}: the driver did not finish within ${timeoutMs / 1000} s and was killed (${command})\n${lastLines(stderr)}`,
          ),
        );
      } else if (code === DRIVER_MISSING_LIBRARY) {
        resolve({ kind: 'missing', reason: lastLines(stderr, 3) || `${library}: the library is not installed` });
      } else if (code !== 0) {
        reject(
          new DriverError(`${library}: the driver exited with ${code ?? signal} (${command})\n${lastLines(stderr)}`),
        );
      } else {
        try {
          resolve({ kind: 'verdicts', verdicts: parseVerdicts(library, stdout) });
        } catch (error) {
          reject(error instanceof Error ? error : new DriverError(String(error)));
        }
      }
    });
  });
}

function parseVerdicts(library: PeerLibrary, stdout: string): PeerVerdict[] {
  const verdicts: PeerVerdict[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let parsed: Partial<PeerVerdict>;
    try {
      parsed = JSON.parse(line) as Partial<PeerVerdict>;
    } catch {
      throw new DriverError(`${library}: the driver printed a line that is not JSON: ${line.slice(0, 200)}`);
    }
    if (
      typeof parsed.id !== 'string' ||
      parsed.library !== library ||
      typeof parsed.version !== 'string' ||
      typeof parsed.accepted !== 'boolean' ||
      typeof parsed.message !== 'string'
    ) {
      throw new DriverError(`${library}: the driver printed a line that is not a verdict: ${line.slice(0, 200)}`);
    }
    verdicts.push(parsed as PeerVerdict);
  }
  return verdicts;
}

/** Runs the drivers on all cases at once; see the file comment for what fails and what is reported. */
export async function runPeers(cases: readonly PeerCase[], options: RunPeersOptions = {}): Promise<PeerVerdicts> {
  const libraries = options.libraries ?? PEER_LIBRARIES;
  const timeoutMs = options.timeoutMs ?? driverTimeoutMs(cases.length);
  const requireAll = options.requireAll ?? peersRequired();
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error('Peer case IDs must be unique.');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saml-lens-peers-'));
  let outcomes: PromiseSettledResult<DriverOutcome>[];
  try {
    const casesFile = path.join(dir, 'cases.json');
    fs.writeFileSync(casesFile, JSON.stringify(cases));
    outcomes = await Promise.allSettled(
      libraries.map((library) =>
        runDriver(library, options.drivers?.[library] ?? DRIVERS[library], casesFile, timeoutMs),
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const results = new PeerVerdicts(cases.map((c) => [c.id, new Map()]));
  const failures: string[] = [];
  outcomes.forEach((outcome, index) => {
    const library = libraries[index];
    if (outcome.status === 'rejected') {
      failures.push(outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason));
      return;
    }
    if (outcome.value.kind === 'missing') {
      results.missing.set(library, outcome.value.reason);
      if (requireAll)
        failures.push(`${outcome.value.reason} (CI=true or SAML_LENS_REQUIRE_ALL=1: every library must run)`);
      return;
    }
    for (const verdict of outcome.value.verdicts) {
      const byLibrary = results.get(verdict.id);
      if (!byLibrary) failures.push(`${library}: a verdict for an unknown case ${JSON.stringify(verdict.id)}`);
      else if (byLibrary.has(library)) failures.push(`${library}: two verdicts for case ${verdict.id}`);
      else byLibrary.set(library, verdict);
    }
    const without = cases.filter((c) => !results.get(c.id)?.has(library)).map((c) => c.id);
    if (without.length) failures.push(`${library}: no verdict for ${without.join(', ')}`);
  });
  if (failures.length) throw new Error(`The peer libraries could not give every verdict:\n${failures.join('\n')}`);
  return results;
}
