// Would a file written here end up in a git repository? Asked before saving a private key, since a
// key once committed stays in the history. git itself answers (work tree and .gitignore rules,
// including global excludes); without git, a .git entry in the folder or a parent still counts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export type GitExposure =
  | { inRepository: false }
  /** `ignored`: git's ignore rules exclude the file; undefined when git could not be asked. */
  | { inRepository: true; root: string; ignored: boolean | undefined };

export interface GitRun {
  code: number | 'not-installed';
  stdout: string;
}

/** Runs git in `cwd`; a committed metadata aggregate can be tens of MB, hence the large buffer. */
export function runGit(gitCommand: string, args: string[], cwd: string): Promise<GitRun> {
  return new Promise((resolve) => {
    execFile(
      gitCommand,
      args,
      { cwd, timeout: 10_000, windowsHide: true, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
          return resolve({ code: 'not-installed', stdout: '' });
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout) });
      },
    );
  });
}

/** The nearest folder at or above `folder` that holds a .git directory or file (worktrees, submodules). */
function findGitRootByWalking(folder: string): string | undefined {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** Whether `filePath` (which need not exist yet; its folder must) lies in a git work tree and is ignored there. */
export async function gitExposure(filePath: string, gitCommand = 'git'): Promise<GitExposure> {
  const folder = path.dirname(path.resolve(filePath));
  const topLevel = await runGit(gitCommand, ['rev-parse', '--show-toplevel'], folder);
  if (topLevel.code === 'not-installed') {
    const root = findGitRootByWalking(folder);
    return root ? { inRepository: true, root, ignored: undefined } : { inRepository: false };
  }
  // Exit code 128: not a work tree (or inside .git itself, where nothing is committed either).
  if (topLevel.code !== 0) return { inRepository: false };
  const root = topLevel.stdout.trim();
  // check-ignore exits 0 when ignored, 1 when not (also for a file already tracked: it stays exposed), 128 on error.
  const ignore = await runGit(gitCommand, ['check-ignore', '--quiet', '--', path.resolve(filePath)], folder);
  return { inRepository: true, root, ignored: ignore.code === 0 ? true : ignore.code === 1 ? false : undefined };
}
