// What the two Node drivers share: reading the cases, finding the library's exact version, writing
// one JSON line per case to stdout, and exiting with DRIVER_MISSING_LIBRARY when the library is absent.
import * as fs from 'fs';
import * as path from 'path';
import { DRIVER_MISSING_LIBRARY, type PeerCase, type PeerLibrary, type PeerVerdict } from './cases';

/** The cases from the file named by the first argument, or from stdin when there is none or it is "-". */
export function readCases(): PeerCase[] {
  const source = process.argv[2] ?? '-';
  const text = fs.readFileSync(source === '-' ? 0 : source, 'utf8');
  return JSON.parse(text) as PeerCase[];
}

/**
 * Libraries log to the console (samlify's schema validator prints its result with console.debug):
 * stdout carries only the verdict lines, so everything the console prints goes to stderr.
 */
export function keepStdoutForVerdicts(): void {
  for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;
}

export function writeVerdict(verdict: PeerVerdict): void {
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
}

/** Loads an npm module, or exits with DRIVER_MISSING_LIBRARY and says how to install it. */
export function requireLibrary<T>(library: PeerLibrary, moduleName: string): T {
  try {
    return require(moduleName) as T;
  } catch (error) {
    process.stderr.write(
      `${library} cannot be loaded (${(error as Error).message.split('\n')[0]}): ` +
        `run \`npm install\` (${moduleName} is a devDependency)\n`,
    );
    process.exit(DRIVER_MISSING_LIBRARY);
  }
}

/** The version in the installed package's own package.json. */
export function packageVersion(moduleName: string): string {
  let dir = path.dirname(require.resolve(moduleName));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === moduleName && manifest.version) return manifest.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const RealDate = Date;

/**
 * Runs `judge` with Date reading `now` (an ISO instant) as the current time, or with the real clock
 * when `now` is undefined. Only the clock moves: the library's code is untouched. Node libraries read
 * the time through `new Date()` and `Date.now()`, which both go through the replaced class.
 */
export async function withClock<T>(now: string | undefined, judge: () => Promise<T>): Promise<T> {
  if (now === undefined) return judge();
  const offset = new RealDate(now).getTime() - RealDate.now();
  if (Number.isNaN(offset)) throw new Error(`the case's now is not an instant: ${now}`);
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  try {
    return await judge();
  } finally {
    globalThis.Date = RealDate;
  }
}

/**
 * A driver's whole run: every case judged by `validate` with the loaded `library`, one verdict line
 * each; a failure of the driver itself exits 1 with its stack.
 */
export function runDriver<T>(
  library: PeerLibrary,
  moduleName: string,
  load: () => T,
  validate: (loaded: T, c: PeerCase) => Promise<{ accepted: boolean; message: string }>,
): void {
  const run = async () => {
    keepStdoutForVerdicts();
    const loaded = load();
    const version = packageVersion(moduleName);
    for (const c of readCases()) {
      const { accepted, message } = await withClock(c.now, () => validate(loaded, c));
      writeVerdict({ id: c.id, library, version, accepted, message });
    }
  };
  run().catch((error: unknown) => {
    process.stderr.write(`${library} driver failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
