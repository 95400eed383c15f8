import * as vscode from 'vscode';
import { LOG_CHANNEL_NAME } from './ids';

let channel: vscode.LogOutputChannel | undefined;

/** The one "SAML Lens" log channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
