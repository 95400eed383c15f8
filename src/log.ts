import * as vscode from 'vscode';
import { LOG_CHANNEL_NAME } from './ids';

/**
 * The extension is split into bundles loaded on first use (scripts/build.mjs), and each bundle has
 * its own copy of this module: the channel is kept under one process-wide key so that every copy
 * writes to the same "SAML Lens" channel instead of creating another.
 */
const CHANNEL_KEY = Symbol.for('saml-lens.log-channel');
const holder = globalThis as { [CHANNEL_KEY]?: vscode.LogOutputChannel };

/** The one "SAML Lens" log channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  holder[CHANNEL_KEY] ??= vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  return holder[CHANNEL_KEY];
}

export function disposeLog(): void {
  holder[CHANNEL_KEY]?.dispose();
  delete holder[CHANNEL_KEY];
}
