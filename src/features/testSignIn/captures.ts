// Where the test servers' captures go: each run of the test SP or the test IdP is written as a HAR
// file to the extension's storage when it stops, and offered in the SAML flow view.
import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import { log } from '../../log';
import type { HarRecorder } from './headless/harRecorder';

/** Writes what `recorder` holds to `<storage>/captures/<name>-<time>.har`; undefined when it holds nothing. */
export async function saveCapture(
  storage: vscode.Uri,
  name: string,
  recorder: HarRecorder,
): Promise<vscode.Uri | undefined> {
  if (recorder.size === 0) return undefined;
  const folder = vscode.Uri.joinPath(storage, 'captures');
  const file = vscode.Uri.joinPath(folder, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.har`);
  try {
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(recorder.toHar(), null, 1), 'utf8'));
    log().info(`${name}: the capture of this run is ${file.fsPath}`);
    return file;
  } catch (error) {
    log().warn(`${name}: the capture could not be written to ${file.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Offers the capture in the SAML flow view (a notification; nothing waits for it). */
export function offerCapture(file: vscode.Uri, what: string): void {
  const open = vscode.l10n.t('Open as SAML Flow');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('SAML Lens: {0} was recorded as a HAR capture.', what), open)
    .then((choice) => {
      if (choice === open) void vscode.commands.executeCommand(CommandId.OpenCaptureAsFlow, file);
    });
}
