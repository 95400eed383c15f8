import * as vscode from 'vscode';
import {
  NS,
  childElements,
  elementMarkdown,
  elementsNamed,
  kindLabel,
  lookupElement,
  mentionsSaml,
  termMarkdown,
  termsOfKind,
  type AttributeDoc,
  type ElementDoc,
  type TermKind,
  type VocabularyTerm,
} from '../core/vocabulary';
import { namespaceOf, prefixFor, type OpenTag, type XmlContext, xmlContextAt } from '../core/xml/context';

/** Elements whose text content is a URI from the vocabulary. */
const TEXT_VALUE_KINDS: readonly { namespaceUri: string; localName: string; kind: TermKind }[] = [
  { namespaceUri: NS.md, localName: 'NameIDFormat', kind: 'nameid-format' },
  { namespaceUri: NS.saml, localName: 'AuthnContextClassRef', kind: 'authn-context' },
];

/** Attributes whose values come from the vocabulary whatever element carries them (extensions, undocumented elements). */
const VALUES_BY_ATTRIBUTE_NAME: Readonly<Record<string, TermKind>> = {
  Binding: 'binding',
  ProtocolBinding: 'binding',
  NameFormat: 'attrname-format',
  protocolSupportEnumeration: 'protocol',
};

/** Elements a SAML document can start with. */
const ROOT_ELEMENTS: readonly ElementDoc[] = [
  lookupElement(NS.md, 'EntityDescriptor'),
  lookupElement(NS.md, 'EntitiesDescriptor'),
  lookupElement(NS.samlp, 'Response'),
  lookupElement(NS.samlp, 'AuthnRequest'),
  lookupElement(NS.samlp, 'LogoutRequest'),
  lookupElement(NS.samlp, 'LogoutResponse'),
  lookupElement(NS.saml, 'Assertion'),
].filter((element): element is ElementDoc => element !== undefined);

/** Conventional prefixes, used when an element's namespace is not declared yet. */
const CONVENTIONAL_PREFIX = new Map<string, string>(Object.entries(NS).map(([prefix, uri]) => [uri, prefix]));

/**
 * Completions while authoring SAML XML: URIs in attribute values (Binding, Format, NameFormat,
 * protocolSupportEnumeration, Algorithm, Attribute Name…), URIs in element content
 * (NameIDFormat, AuthnContextClassRef), attribute names, and the child elements the schema allows.
 * Registered by ./authoring.ts.
 */
export class SamlCompletionProvider implements vscode.CompletionItemProvider {
  private readonly samlCache = new WeakMap<vscode.TextDocument, { version: number; isSaml: boolean }>();

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): vscode.CompletionItem[] | undefined {
    if (!this.isSaml(document)) return undefined;
    const text = document.getText();
    const offset = document.offsetAt(position);
    const context = xmlContextAt(text, offset);
    switch (context.kind) {
      case 'attribute-value':
        return attributeValueItems(document, text, offset, context);
      case 'attribute-name':
        return attributeNameItems(document, text, offset, context);
      case 'element-name':
        return elementNameItems(document, text, offset, context);
      case 'text':
        return textValueItems(document, text, offset, context);
      case 'none':
        return undefined;
    }
  }

  private isSaml(document: vscode.TextDocument): boolean {
    const cached = this.samlCache.get(document);
    if (cached?.version === document.version) return cached.isSaml;
    const isSaml = mentionsSaml(document.getText());
    this.samlCache.set(document, { version: document.version, isSaml });
    return isSaml;
  }
}

/** The documentation of an element, resolving its namespace; falls back to the local name when the prefix is unbound. */
function documentedElement(tag: OpenTag, ancestors: readonly OpenTag[]): ElementDoc | undefined {
  const namespaceUri = namespaceOf(tag, ancestors);
  if (namespaceUri !== undefined) return lookupElement(namespaceUri, tag.localName);
  return elementsNamed(tag.localName)[0];
}

/** Range from `start` to the end of the word at the cursor (so accepting replaces the whole word). */
function rangeFrom(
  document: vscode.TextDocument,
  text: string,
  start: number,
  offset: number,
  isWordChar: (c: string) => boolean,
): vscode.Range {
  let end = offset;
  while (end < text.length && isWordChar(text[end])) end++;
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

function attributeValueItems(
  document: vscode.TextDocument,
  text: string,
  offset: number,
  context: Extract<XmlContext, { kind: 'attribute-value' }>,
): vscode.CompletionItem[] | undefined {
  const element = documentedElement(context.tag, context.ancestors);
  const fallbackKind = VALUES_BY_ATTRIBUTE_NAME[context.attribute.slice(context.attribute.indexOf(':') + 1)];
  const attribute: AttributeDoc | undefined =
    element?.attributes?.find((candidate) => candidate.name === context.attribute) ??
    (fallbackKind ? { name: context.attribute, description: '', values: fallbackKind } : undefined);
  if (!attribute?.values) return undefined;
  const range = rangeFrom(document, text, context.tokenStart, offset, (c) => c !== context.quote && !/\s/.test(c));
  if (typeof attribute.values === 'string') {
    const alreadyListed = new Set(text.slice(context.valueStart, context.tokenStart).split(/\s+/));
    return termsOfKind(attribute.values)
      .filter((term) => !alreadyListed.has(term.uri))
      .map((term) => termItem(term, range));
  }
  return attribute.values.map((value) => {
    const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.EnumMember);
    item.range = range;
    item.documentation = new vscode.MarkdownString(`\`${context.attribute}\`: ${attribute.description}`);
    return item;
  });
}

function termItem(term: VocabularyTerm, range: vscode.Range): vscode.CompletionItem {
  const item = new vscode.CompletionItem(
    { label: term.uri, detail: ` ${term.shortName}`, description: term.friendlyName ?? kindLabel(term.kind) },
    vscode.CompletionItemKind.Value,
  );
  item.range = range;
  item.documentation = new vscode.MarkdownString(termMarkdown(term));
  // Let people type the short name ("POST", "persistent") as well as the URI.
  item.filterText = `${term.uri} ${term.shortName}`;
  if (term.insecure || term.deprecated) {
    item.tags = [vscode.CompletionItemTag.Deprecated];
    item.sortText = `~${term.uri}`;
  }
  return item;
}

function attributeNameItems(
  document: vscode.TextDocument,
  text: string,
  offset: number,
  context: Extract<XmlContext, { kind: 'attribute-name' }>,
): vscode.CompletionItem[] | undefined {
  const element = documentedElement(context.tag, context.ancestors);
  if (!element?.attributes) return undefined;
  const range = rangeFrom(document, text, context.nameStart, offset, (c) => /[\w:.-]/.test(c));
  return element.attributes
    .filter((attribute) => !context.tag.attributes.has(attribute.name))
    .map((attribute) => attributeNameItem(attribute, range));
}

function attributeNameItem(attribute: AttributeDoc, range: vscode.Range): vscode.CompletionItem {
  const item = new vscode.CompletionItem(attribute.name, vscode.CompletionItemKind.Property);
  item.range = range;
  item.insertText = new vscode.SnippetString(`${attribute.name}="$1"`);
  item.documentation = new vscode.MarkdownString(attribute.description);
  if (attribute.values) {
    item.detail = typeof attribute.values === 'string' ? kindLabel(attribute.values) : attribute.values.join(' | ');
    item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
  }
  return item;
}

function elementNameItems(
  document: vscode.TextDocument,
  text: string,
  offset: number,
  context: Extract<XmlContext, { kind: 'element-name' }>,
): vscode.CompletionItem[] {
  const parentDoc = context.parent ? documentedElement(context.parent, context.ancestors.slice(1)) : undefined;
  if (context.parent && !parentDoc) return [];
  const candidates = parentDoc ? childElements(parentDoc) : ROOT_ELEMENTS;
  const range = rangeFrom(document, text, context.nameStart, offset, (c) => /[\w:.-]/.test(c));
  return candidates.map((child, index) => elementItem(child, index, context.ancestors, range));
}

function elementItem(
  element: ElementDoc,
  schemaIndex: number,
  scope: readonly OpenTag[],
  range: vscode.Range,
): vscode.CompletionItem {
  const boundPrefix = prefixFor(element.namespaceUri, scope);
  const prefix = boundPrefix ?? CONVENTIONAL_PREFIX.get(element.namespaceUri) ?? '';
  const name = prefix ? `${prefix}:${element.localName}` : element.localName;
  // Declare the namespace on the new element when nothing in scope binds it.
  const declaration = boundPrefix === undefined ? ` xmlns${prefix ? `:${prefix}` : ''}="${element.namespaceUri}"` : '';
  const item = new vscode.CompletionItem(
    { label: name, description: prefix || element.namespaceUri },
    vscode.CompletionItemKind.Property,
  );
  item.range = range;
  item.filterText = name;
  item.sortText = String(schemaIndex).padStart(3, '0');
  item.documentation = new vscode.MarkdownString(elementMarkdown(element));
  const isEmptyEndpoint = !element.children && element.attributes?.some((attribute) => attribute.name === 'Location');
  item.insertText = new vscode.SnippetString(
    isEmptyEndpoint ? `${name}${declaration} $0/>` : `${name}${declaration}$1>$0</${name}>`,
  );
  return item;
}

function textValueItems(
  document: vscode.TextDocument,
  text: string,
  offset: number,
  context: Extract<XmlContext, { kind: 'text' }>,
): vscode.CompletionItem[] | undefined {
  if (!context.parent) return undefined;
  const namespaceUri = namespaceOf(context.parent, context.ancestors.slice(1));
  const entry = TEXT_VALUE_KINDS.find(
    (candidate) =>
      candidate.localName === context.parent!.localName &&
      (namespaceUri === undefined || candidate.namespaceUri === namespaceUri),
  );
  if (!entry) return undefined;
  let tokenStart = offset;
  while (tokenStart > context.textStart && !/\s/.test(text[tokenStart - 1])) tokenStart--;
  const range = rangeFrom(document, text, tokenStart, offset, (c) => c !== '<' && !/\s/.test(c));
  return termsOfKind(entry.kind).map((term) => termItem(term, range));
}
