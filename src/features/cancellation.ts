import type * as vscode from 'vscode';

/**
 * The AbortSignal for a VS Code cancellation token: the project's workers and core functions take
 * AbortSignal, VS Code hands out tokens.
 */
export function abortSignalFor(token: vscode.CancellationToken | undefined): AbortSignal | undefined {
  if (!token) return undefined;
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
