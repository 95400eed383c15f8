import * as vscode from 'vscode';
import { elementMarkdown, elementsNamed, lookupElement, lookupTerm, mentionsSaml, namespaceMarkdown, termMarkdown } from '../core/vocabulary';
import { tokenAt } from '../core/xmlContext';

/**
 * Hovers that explain SAML vocabulary: a known URI (binding, format, algorithm, status code,
 * claim…, or a namespace) in an attribute value or element content, or a known element name.
 * Certificates have their own hover elsewhere.
 */
export function registerVocabularyHover(): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ language: 'xml' }, new VocabularyHoverProvider());
}

class VocabularyHoverProvider implements vscode.HoverProvider {
  private readonly samlCache = new WeakMap<vscode.TextDocument, { version: number; isSaml: boolean }>();

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.isSaml(document)) return undefined;
    const text = document.getText();
    const token = tokenAt(text, document.offsetAt(position));
    if (!token) return undefined;
    const range = new vscode.Range(document.positionAt(token.start), document.positionAt(token.end));
    if (token.kind === 'value') {
      const term = lookupTerm(token.value);
      const markdown = term ? termMarkdown(term) : namespaceMarkdown(token.value);
      return markdown ? new vscode.Hover(new vscode.MarkdownString(markdown), range) : undefined;
    }
    // An unbound prefix (a pasted fragment) still gets help when the local name is unambiguous.
    const candidates = token.namespaceUri !== undefined ? [lookupElement(token.namespaceUri, token.tag.localName)] : elementsNamed(token.tag.localName);
    const element = candidates.length === 1 ? candidates[0] : undefined;
    return element ? new vscode.Hover(new vscode.MarkdownString(elementMarkdown(element)), range) : undefined;
  }

  private isSaml(document: vscode.TextDocument): boolean {
    const cached = this.samlCache.get(document);
    if (cached?.version === document.version) return cached.isSaml;
    const isSaml = mentionsSaml(document.getText());
    this.samlCache.set(document, { version: document.version, isSaml });
    return isSaml;
  }
}
