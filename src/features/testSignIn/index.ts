// "SAML: Test Sign-in with an Identity Provider" and "SAML: Stop Test Sign-in". The implementation
// (dist/features/testSignIn.js: the loopback SP, the metadata builders) loads on first use; nothing
// listens until a person starts it, and it stops when the window closes.
import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import type * as TestSignInBundle from '../bundles/testSignIn';
import { requireFeature } from '../lazy';
import type { TestSignIn, TestSignInArguments } from './controller';

function argumentsFrom(value: unknown): TestSignInArguments {
  if (typeof value !== 'object' || value === null) return {};
  const given = value as Record<string, unknown>;
  return {
    ...(typeof given.idpMetadata === 'string' && { idpMetadata: given.idpMetadata }),
    ...(typeof given.entityId === 'string' && { entityId: given.entityId }),
    ...(typeof given.openBrowser === 'boolean' && { openBrowser: given.openBrowser }),
  };
}

export function registerTestSignIn(context: vscode.ExtensionContext): vscode.Disposable {
  const { extensionUri } = context;
  let controller: TestSignIn | undefined;
  const load = () =>
    (controller ??= new (requireFeature<typeof TestSignInBundle>(extensionUri, 'testSignIn').TestSignIn)(
      context.globalStorageUri,
    ));
  return vscode.Disposable.from(
    { dispose: () => controller?.dispose() },
    vscode.commands.registerCommand(CommandId.TestSignIn, (args?: unknown) => load().start(argumentsFrom(args))),
    vscode.commands.registerCommand(CommandId.StopTestSignIn, () => controller?.stop()),
  );
}
