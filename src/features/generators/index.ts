// The authoring generators: self-signed certificates, SP metadata, test responses, signed metadata.
//
// Each command loads its module on first use: they need node-forge, xml-crypto, xmldom and the
// validator, and evaluating those when the extension activates made activation several times slower
// for commands most sessions never run.
import * as vscode from 'vscode';
import { CommandId } from '../../ids';

export function registerGenerators(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.GenerateCertificate, async () =>
      (await import('./generateCertificate')).runGenerateCertificate({ offerInsert: true }),
    ),
    vscode.commands.registerCommand(CommandId.CreateSpMetadata, async () => (await import('./createSpMetadata')).runCreateSpMetadata()),
    vscode.commands.registerCommand(CommandId.BuildTestResponse, async () => (await import('./buildTestResponse')).runBuildTestResponse()),
    vscode.commands.registerCommand(CommandId.SignMetadata, async () => (await import('./signMetadata')).runSignMetadata()),
  );
}
