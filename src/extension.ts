import * as vscode from 'vscode';
import { registerCommonCommands } from './features/commonCommands';
import { disposeLog, log } from './log';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    registerCommonCommands(context),
  );
  log().info(`SAML Lens ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  disposeLog();
}
