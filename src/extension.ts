import * as vscode from 'vscode';
import type { SamlLensApi } from './api';
import { registerCertificates } from './features/certificates';
import { registerCommonCommands } from './features/commonCommands';
import { registerMetadataTree } from './features/metadataTree';
import { registerCompletions } from './features/completions';
import { registerDecode } from './features/decode/register';
import { registerGenerators } from './features/generators';
import { registerVocabularyHover } from './features/vocabularyHover';
import { disposeLog, log } from './log';

export function activate(context: vscode.ExtensionContext): SamlLensApi {
  const api: { -readonly [K in keyof SamlLensApi]: SamlLensApi[K] } = {
    version: context.extension.packageJSON.version,
  };
  const certificates = registerCertificates(context);
  api.certificates = certificates.api;
  context.subscriptions.push(
    registerCommonCommands(context),
    registerMetadataTree(context, (tree) => (api.metadataTree = tree)),
    certificates,
    registerCompletions(),
    registerVocabularyHover(),
    registerDecode(context, (decode) => (api.decode = decode)),
    registerGenerators(),
  );
  log().info(`SAML Lens ${api.version} activated`);
  return api;
}

export function deactivate(): void {
  disposeLog();
}
