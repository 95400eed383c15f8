import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { InputError } from './errors';

/** Reads all of standard input (for `-`, or when no INPUT is given and stdin is piped). */
export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    throw new InputError(`Could not read standard input: ${(error as Error).message}`);
  }
}

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new InputError(`Cannot read ${what} "${path}": ${reason}.`);
  }
}

/**
 * A message argument is a file when such a file exists, `-` for stdin, and otherwise the text itself
 * (base64, a URL, a form body, a log line or XML pasted on the command line).
 */
export function readMessageArgument(
  argument: string | undefined,
  stdinIsTty: boolean,
): { text: string; origin: string } {
  if (argument === undefined) {
    if (stdinIsTty)
      throw new InputError('No message given: pass a file, the text itself, or - to read standard input.');
    return { text: readStdin(), origin: 'standard input' };
  }
  if (argument === '-') return { text: readStdin(), origin: 'standard input' };
  if (isFile(argument)) return { text: readTextFile(argument, 'message file'), origin: argument };
  return { text: argument, origin: 'the command line' };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const GLOB_CHARS = /[*?[]/;

/** `**` any folders, `*` and `?` within a name, `[abc]` a class: enough for `certs metadata/**\/*.xml`. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) source += '\\[';
      else {
        source += pattern.slice(i, end + 1);
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '.git') continue;
    const path = join(dir, name);
    const stats = statSync(path);
    if (stats.isDirectory()) walk(path, out);
    else out.push(path);
  }
}

/**
 * Expands the file arguments of `certs` (shells usually expand globs already; quoted ones and
 * Windows shells do not). A pattern that matches nothing is an error, so a typo cannot pass CI.
 */
export function expandFileArguments(patterns: readonly string[]): string[] {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!GLOB_CHARS.test(pattern)) {
      files.push(pattern);
      continue;
    }
    const normalised = pattern.split(sep).join('/');
    const firstGlob = normalised.search(GLOB_CHARS);
    const base = normalised.slice(0, normalised.lastIndexOf('/', firstGlob) + 1) || './';
    const matcher = globToRegExp(normalised.replace(/^\.\//, ''));
    const candidates: string[] = [];
    try {
      walk(resolve(base), candidates);
    } catch {
      throw new InputError(`No files match "${pattern}".`);
    }
    const matched = candidates
      .map((absolute) =>
        (base === './'
          ? absolute.slice(process.cwd().length + 1)
          : join(base, absolute.slice(resolve(base).length + 1))
        )
          .split(sep)
          .join('/'),
      )
      .filter((relative) => matcher.test(relative.replace(/^\.\//, '')));
    if (matched.length === 0) throw new InputError(`No files match "${pattern}".`);
    files.push(...matched);
  }
  return files;
}
