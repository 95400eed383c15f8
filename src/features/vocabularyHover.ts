import * as vscode from 'vscode';
import {
  attributeMarkdown,
  elementMarkdown,
  elementsNamed,
  lookupElement,
  lookupTerm,
  mentionsSaml,
  namespaceMarkdown,
  termMarkdown,
  type ElementDoc,
} from '../core/vocabulary';
import { tokenAt } from '../core/xml/context';

/**
 * Hovers that explain SAML vocabulary: a known URI (binding, format, algorithm, status code,
 * claim…, or a namespace) in an attribute value or element content, or a known element or attribute name.
 * Certificates have their own hover elsewhere. Registered by ./authoring.ts.
 */
export class VocabularyHoverProvider implements vscode.HoverProvider {
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
    const element = documentedElement(token.namespaceUri, token.tag.localName);
    if (!element) return undefined;
    if (token.kind === 'element-name')
      return new vscode.Hover(new vscode.MarkdownString(elementMarkdown(element)), range);
    const attribute = element.attributes?.find((candidate) => candidate.name === token.name);
    return attribute
      ? new vscode.Hover(new vscode.MarkdownString(attributeMarkdown(element, attribute)), range)
      : undefined;
  }

  private isSaml(document: vscode.TextDocument): boolean {
    const cached = this.samlCache.get(document);
    if (cached?.version === document.version) return cached.isSaml;
    const isSaml = mentionsSaml(document.getText());
    this.samlCache.set(document, { version: document.version, isSaml });
    return isSaml;
  }
}

/** The element's documentation; with an unbound prefix (a pasted fragment), by local name when unambiguous. */
function documentedElement(namespaceUri: string | undefined, localName: string): ElementDoc | undefined {
  if (namespaceUri !== undefined) return lookupElement(namespaceUri, localName);
  const candidates = elementsNamed(localName);
  return candidates.length === 1 ? candidates[0] : undefined;
}
