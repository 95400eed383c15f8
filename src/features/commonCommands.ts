import * as vscode from 'vscode';
import { CommandId } from '../ids';
import { log } from '../log';

/** Small commands that belong to no single feature: show the log, open the sample workspace. */
export function registerCommonCommands(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.ShowLog, () => log().show()),
    vscode.commands.registerCommand(CommandId.OpenSamples, async () => {
      const samples = vscode.Uri.joinPath(context.extensionUri, 'samples');
      await vscode.commands.executeCommand('vscode.openFolder', samples, { forceNewWindow: true });
    }),
  );
}
