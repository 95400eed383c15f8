import * as vscode from 'vscode';
import type * as AuthoringBundle from './bundles/authoring';
import { once, requireFeature } from './lazy';

const XML: vscode.DocumentSelector = { language: 'xml' };
const COMPLETION_TRIGGER_CHARACTERS = ['"', "'", '<', ' ', ':'];

/**
 * Completions and vocabulary hovers in XML (./completions.ts, ./vocabularyHover.ts). Their tables
 * of SAML terms and elements (dist/features/authoring.js) load on the first request.
 */
export function registerAuthoring(extensionUri: vscode.Uri): vscode.Disposable {
  const providers = once(() => {
    const bundle = requireFeature<typeof AuthoringBundle>(extensionUri, 'authoring');
    return { completions: new bundle.SamlCompletionProvider(), hover: new bundle.VocabularyHoverProvider() };
  });
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(
      XML,
      {
        provideCompletionItems: (document, position) =>
          providers().completions.provideCompletionItems(document, position),
      },
      ...COMPLETION_TRIGGER_CHARACTERS,
    ),
    vscode.languages.registerHoverProvider(XML, {
      provideHover: (document, position) => providers().hover.provideHover(document, position),
    }),
  );
}
