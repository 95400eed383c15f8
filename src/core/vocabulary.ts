/**
 * The SAML vocabulary: well-known URIs (bindings, formats, algorithms, status codes, claims…)
 * and the elements of metadata, assertions and protocol messages, each with a short description.
 * Used by completions, hovers, the highlighting tests and the metadata lint.
 */
import { ELEMENT_DOCS } from './vocabulary/elements';
import { NS } from './xml/namespaces';
import { TERMS } from './vocabulary/terms';

export { NS };
export type { NamespaceKey } from './xml/namespaces';

export type TermKind =
  | 'binding'
  | 'nameid-format'
  | 'attrname-format'
  | 'protocol'
  | 'claim'
  | 'status'
  | 'authn-context'
  | 'signature-algorithm'
  | 'digest-algorithm'
  | 'canonicalization'
  | 'transform'
  | 'encryption-algorithm'
  | 'subject-confirmation'
  | 'consent'
  | 'entity-category';

export interface VocabularyTerm {
  uri: string;
  kind: TermKind;
  shortName: string;
  /** One or two sentences. */
  description: string;
  /** The conventional FriendlyName of an attribute (eduPerson / X.500 OIDs). */
  friendlyName?: string;
  /** Why the term should no longer be used, and what replaces it. */
  deprecated?: string;
  /** Why the term is unsafe (weak or broken algorithm, dangerous transform). */
  insecure?: string;
}

export interface AttributeDoc {
  name: string;
  description: string;
  /** The allowed values: a vocabulary kind, or a fixed list. */
  values?: TermKind | readonly string[];
}

export interface ElementDoc {
  namespaceUri: string;
  localName: string;
  description: string;
  /** Local names allowed as children, in schema order. */
  children?: readonly string[];
  attributes?: readonly AttributeDoc[];
}

const termsByUri = new Map<string, VocabularyTerm>();
const termsByKind = new Map<TermKind, VocabularyTerm[]>();
for (const term of TERMS) {
  if (termsByUri.has(term.uri)) throw new Error(`Duplicate vocabulary term ${term.uri}`);
  termsByUri.set(term.uri, term);
  const list = termsByKind.get(term.kind) ?? [];
  list.push(term);
  termsByKind.set(term.kind, list);
}

const elementsByName = new Map<string, ElementDoc>();
for (const element of ELEMENT_DOCS) {
  const key = elementKey(element.namespaceUri, element.localName);
  if (elementsByName.has(key)) throw new Error(`Duplicate element doc ${key}`);
  elementsByName.set(key, element);
}

function elementKey(namespaceUri: string, localName: string): string {
  return `${namespaceUri}\u0000${localName}`;
}

/** The term for an exact URI (SAML URIs are compared as exact strings). */
export function lookupTerm(uri: string): VocabularyTerm | undefined {
  return termsByUri.get(uri.trim());
}

export function termsOfKind(kind: TermKind): readonly VocabularyTerm[] {
  return termsByKind.get(kind) ?? [];
}

export function allTerms(): readonly VocabularyTerm[] {
  return TERMS;
}

export function lookupElement(namespaceUri: string, localName: string): ElementDoc | undefined {
  return elementsByName.get(elementKey(namespaceUri, localName));
}

export function allElements(): readonly ElementDoc[] {
  return ELEMENT_DOCS;
}

/** Documented elements with this local name, in any SAML namespace (for names whose prefix is unbound). */
export function elementsNamed(localName: string): readonly ElementDoc[] {
  return ELEMENT_DOCS.filter((element) => element.localName === localName);
}

const NAMESPACE_DESCRIPTIONS: Record<keyof typeof NS, string> = {
  md: 'SAML 2.0 metadata: entities, their IdP/SP roles, keys and endpoints.',
  saml: 'SAML 2.0 assertions: Issuer, Subject, Conditions and statements.',
  samlp: 'SAML 2.0 protocol messages: AuthnRequest, Response, LogoutRequest and their Status.',
  ds: 'XML Signature: Signature, SignedInfo, KeyInfo and X.509 certificates.',
  xenc: 'XML Encryption: EncryptedData, EncryptedKey and their algorithms.',
  mdui: 'Metadata UI extension: display names, descriptions, logos and discovery hints.',
  mdrpi: 'Metadata registration and publication info: which federation registered an entity.',
  mdattr: 'Metadata entity attributes: entity categories and assurance certifications.',
  shibmd: 'Shibboleth metadata extension: the scopes an IdP may assert.',
  alg: 'Metadata algorithm support: the digest and signing methods an entity accepts.',
  fed: 'WS-Federation: the RoleDescriptor types and endpoints in ADFS and Entra ID metadata.',
  xsi: 'XML Schema instance: xsi:type selects an extension type such as fed:SecurityTokenServiceType.',
  idpdisc: 'IdP discovery protocol: the SP endpoint a discovery service returns to.',
  init: 'Request initiation protocol: the SP endpoint that starts single sign-on.',
};

/** Markdown explaining a namespace URI used by SAML documents, if it is one. */
export function namespaceMarkdown(uri: string): string | undefined {
  const key = (Object.keys(NS) as (keyof typeof NS)[]).find((candidate) => NS[candidate] === uri.trim());
  return key ? `**${key}** namespace\n\n${NAMESPACE_DESCRIPTIONS[key]}` : undefined;
}

/** Whether a text uses any SAML namespace or URN, i.e. whether SAML authoring help applies. */
export function mentionsSaml(text: string): boolean {
  return text.includes('urn:oasis:names:tc:SAML:');
}

const KIND_LABELS: Record<TermKind, string> = {
  binding: 'SAML binding',
  'nameid-format': 'NameID format',
  'attrname-format': 'attribute NameFormat',
  protocol: 'protocol',
  claim: 'attribute / claim',
  status: 'status code',
  'authn-context': 'authentication context class',
  'signature-algorithm': 'signature algorithm',
  'digest-algorithm': 'digest algorithm',
  canonicalization: 'canonicalization algorithm',
  transform: 'transform',
  'encryption-algorithm': 'encryption algorithm',
  'subject-confirmation': 'subject confirmation method',
  consent: 'consent',
  'entity-category': 'entity category',
};

export function kindLabel(kind: TermKind): string {
  return KIND_LABELS[kind];
}

/** Markdown explaining a term, for hovers and completion documentation. */
export function termMarkdown(term: VocabularyTerm): string {
  const lines = [`**${term.shortName}** — ${kindLabel(term.kind)}`, '', term.description];
  if (term.friendlyName) lines.push('', `FriendlyName: \`${term.friendlyName}\``);
  if (term.insecure) lines.push('', `⚠️ **Insecure:** ${term.insecure}`);
  if (term.deprecated) lines.push('', `**Deprecated:** ${term.deprecated}`);
  return lines.join('\n');
}

/** Markdown explaining an element, for hovers and completion documentation. */
export function elementMarkdown(element: ElementDoc): string {
  const namespaceKey = (Object.keys(NS) as (keyof typeof NS)[]).find((key) => NS[key] === element.namespaceUri);
  const lines = [
    `**${element.localName}** — \`${namespaceKey ?? element.namespaceUri}\` element`,
    '',
    element.description,
  ];
  if (element.children?.length) lines.push('', `Children, in order: ${element.children.join(', ')}`);
  return lines.join('\n');
}

/** Markdown explaining an attribute of a documented element. */
export function attributeMarkdown(element: ElementDoc, attribute: AttributeDoc): string {
  const lines = [`**${attribute.name}** — attribute of \`${element.localName}\``, '', attribute.description];
  if (typeof attribute.values === 'string') lines.push('', `Values: ${kindLabel(attribute.values)} URIs`);
  else if (attribute.values) lines.push('', `Values: ${attribute.values.map((value) => `\`${value}\``).join(', ')}`);
  return lines.join('\n');
}

/** Search order when a child's namespace differs from its parent's (e.g. md → ds:Signature, saml:Attribute). */
const CHILD_NAMESPACE_ORDER: readonly string[] = [
  NS.saml,
  NS.samlp,
  NS.md,
  NS.mdui,
  NS.mdrpi,
  NS.mdattr,
  NS.shibmd,
  NS.alg,
  NS.idpdisc,
  NS.init,
  NS.ds,
  NS.xenc,
];

/**
 * The documented elements allowed as children of `parent`, in schema order. A child name is
 * looked up in the parent's namespace first (md:Extensions vs samlp:Extensions), then elsewhere.
 */
export function childElements(parent: ElementDoc): readonly ElementDoc[] {
  const result: ElementDoc[] = [];
  for (const localName of parent.children ?? []) {
    const doc =
      lookupElement(parent.namespaceUri, localName) ??
      CHILD_NAMESPACE_ORDER.map((ns) => lookupElement(ns, localName)).find((found) => found !== undefined);
    if (doc) result.push(doc);
  }
  return result;
}
