// Reading the clipboard from a command. In the browser, vscode.env.clipboard.readText() waits on the
// page's clipboard permission: behind a permission prompt, or (access denied, page not focused)
// behind VS Code's sticky "Unable to read from the browser's clipboard" notification, which settles
// the read only when someone closes it. A command never waits on that: every clipboard read goes
// through readClipboard(), which gives up after a time limit, and a command awaits no more than
// CLIPBOARD_TIME_LIMIT_MS of it (withTimeLimit) before going on.
import * as vscode from 'vscode';

/** How long a command waits for the clipboard before going on without it. */
export const CLIPBOARD_TIME_LIMIT_MS = 300;

/**
 * Resolves with what `promise` resolves to, or with `undefined` once `timeLimitMs` has passed
 * without an answer; rejects when `promise` rejects in time. A late answer or failure is dropped.
 */
export function withTimeLimit<T>(promise: PromiseLike<T>, timeLimitMs: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), timeLimitMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The clipboard's text, or `undefined` when it could not be read within the time limit (no
 * answer, access denied, an error). Never rejects.
 */
export async function readClipboard(timeLimitMs = CLIPBOARD_TIME_LIMIT_MS): Promise<string | undefined> {
  try {
    return await withTimeLimit(vscode.env.clipboard.readText(), timeLimitMs);
  } catch {
    return undefined;
  }
}
