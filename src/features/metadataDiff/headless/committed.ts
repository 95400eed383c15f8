// The last committed version of a file, as `git show HEAD:./name` prints it from the file's folder.
import * as path from 'node:path';
import { runGit } from '../../generators/headless/gitTracking';

export type CommittedText = { ok: true; text: string } | { ok: false; message: string };

export async function committedText(filePath: string, gitCommand = 'git'): Promise<CommittedText> {
  const folder = path.dirname(path.resolve(filePath));
  const name = path.basename(filePath);
  const inside = await runGit(gitCommand, ['rev-parse', '--is-inside-work-tree'], folder);
  if (inside.code === 'not-installed')
    return { ok: false, message: 'git is not installed, so the last committed version cannot be read.' };
  if (inside.code !== 0) return { ok: false, message: `${name} is not in a git repository.` };
  const shown = await runGit(gitCommand, ['show', `HEAD:./${name}`], folder);
  if (shown.code !== 0)
    return { ok: false, message: `${name} has no committed version (git show HEAD:./${name} found nothing).` };
  return { ok: true, text: shown.stdout };
}
