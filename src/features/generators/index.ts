// The authoring generators: self-signed certificates, SP metadata, test responses, signed metadata.
//
// Their implementation (dist/features/generators.js) loads when one first runs: they need
// node-forge, xml-crypto, xmldom and the validator, and evaluating those when the extension
// activates made activation several times slower for commands most sessions never run.
import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import type * as GeneratorsBundle from '../bundles/generators';
import { once, requireFeature } from '../lazy';

export function registerGenerators(extensionUri: vscode.Uri): vscode.Disposable {
  const generators = once(() => requireFeature<typeof GeneratorsBundle>(extensionUri, 'generators'));
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.GenerateCertificate, () =>
      generators().runGenerateCertificate({ offerInsert: true }),
    ),
    vscode.commands.registerCommand(CommandId.CreateSpMetadata, () => generators().runCreateSpMetadata()),
    vscode.commands.registerCommand(CommandId.BuildTestResponse, () => generators().runBuildTestResponse()),
    vscode.commands.registerCommand(CommandId.SignMetadata, () => generators().runSignMetadata()),
  );
}
