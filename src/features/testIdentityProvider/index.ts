// "SAML: Start Test Identity Provider" and "SAML: Stop Test Identity Provider". The implementation
// (dist/features/testIdentityProvider.js: the loopback IdP, the builders) loads on first use; nothing
// listens until a person starts it, and it stops when the window closes.
import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import type * as TestIdentityProviderBundle from '../bundles/testIdentityProvider';
import { requireFeature } from '../lazy';
import type { StartTestIdentityProviderArguments, TestIdentityProvider } from './controller';

function argumentsFrom(value: unknown): StartTestIdentityProviderArguments {
  if (typeof value !== 'object' || value === null) return {};
  const given = value as Record<string, unknown>;
  const keys = given.keys as Record<string, unknown> | string | undefined;
  return {
    ...(typeof given.notify === 'boolean' && { notify: given.notify }),
    ...(keys === 'throwaway' && { keys }),
    ...(typeof keys === 'object' &&
      keys !== null &&
      typeof keys.keyFile === 'string' &&
      typeof keys.certificateFile === 'string' && {
        keys: { keyFile: keys.keyFile, certificateFile: keys.certificateFile },
      }),
  };
}

export function registerTestIdentityProvider(context: vscode.ExtensionContext): vscode.Disposable {
  const { extensionUri } = context;
  let controller: TestIdentityProvider | undefined;
  const load = () =>
    (controller ??= new (requireFeature<typeof TestIdentityProviderBundle>(
      extensionUri,
      'testIdentityProvider',
    ).TestIdentityProvider)(context.globalStorageUri));
  return vscode.Disposable.from(
    { dispose: () => controller?.dispose() },
    vscode.commands.registerCommand(CommandId.StartTestIdentityProvider, (args?: unknown) =>
      load().start(argumentsFrom(args)),
    ),
    vscode.commands.registerCommand(CommandId.StopTestIdentityProvider, () => controller?.stop()),
  );
}
