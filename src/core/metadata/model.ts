/**
 * The SAML metadata model: plain data (no classes, functions or Maps) so it survives structured
 * cloning out of a worker and JSON serialisation.
 *
 * Shape:
 * - `entities` lists every md:EntityDescriptor in document order, wherever it sits; `groups` lists
 *   every md:EntitiesDescriptor. Nesting is kept by index: a group knows its `parentGroup`,
 *   `groups` and `entities`; an entity knows its `group`. A file whose root is an EntityDescriptor
 *   has no groups.
 * - entity → `roles` (IDPSSODescriptor, SPSSODescriptor, AttributeAuthorityDescriptor,
 *   AuthnAuthorityDescriptor, PDPDescriptor, or a generic RoleDescriptor with its resolved xsi:type)
 *   → `keyDescriptors` (with certificate texts), `endpoints`, `nameIDFormats`, `attributes`,
 *   `attributeConsumingServices`, `extensions`.
 * - `certificates` lists every X509Certificate element in the document, wherever it is (key
 *   descriptors, Signature KeyInfo, unknown elements), with the context it was found in.
 *
 * Elements are identified by namespace URI and local name, never by prefix. Every node has a `range`
 * from the `<` of its start tag to just after the `>` of its end tag; key attribute values and
 * certificate texts have their own ranges. Offsets are UTF-16 code unit offsets into the parsed text.
 * Children the model does not know are kept as `OtherElement`s (their own descendants are not).
 */

export interface Range {
  start: number;
  end: number;
}

/** An attribute value as written (after XML unescaping), with the range of the raw text between the quotes. */
export interface AttributeValue {
  value: string;
  range: Range;
}

/** Text content of a simple element such as md:NameIDFormat, with the element's range. */
export interface TextElement {
  value: string;
  range: Range;
}

/** Text with an xml:lang (mdui:DisplayName, md:OrganizationName, …). */
export interface LocalizedText extends TextElement {
  lang?: string;
}

export interface QualifiedName {
  namespaceURI: string;
  localName: string;
}

/** An element the model does not interpret, kept so views can show that it is there. */
export interface OtherElement extends QualifiedName {
  range: Range;
}

/** Offset just after the start tag's `>`: [range.start, startTagEnd) is the start tag, what diagnostics underline. */
export interface HasStartTag {
  startTagEnd: number;
}

export interface EntitiesDescriptorNode extends HasStartTag {
  kind: 'EntitiesDescriptor';
  index: number;
  range: Range;
  name?: AttributeValue;
  id?: string;
  validUntil?: AttributeValue;
  cacheDuration?: AttributeValue;
  signed: boolean;
  /** Offset of the first ds:Signature child's start tag, when signed. */
  signatureStart?: number;
  parentGroup?: number;
  /** Indexes into `MetadataModel.groups` of the nested EntitiesDescriptors. */
  groups: number[];
  /** Indexes into `MetadataModel.entities` of the direct child EntityDescriptors. */
  entities: number[];
  extensions?: ExtensionsNode;
  other: OtherElement[];
}

export interface EntityDescriptorNode extends HasStartTag {
  kind: 'EntityDescriptor';
  index: number;
  range: Range;
  entityID?: AttributeValue;
  id?: string;
  validUntil?: AttributeValue;
  cacheDuration?: AttributeValue;
  /** Has a ds:Signature child. Whether it verifies is core/metadata/signature.ts's business. */
  signed: boolean;
  /** Offset of the first ds:Signature child's start tag, when signed. */
  signatureStart?: number;
  group?: number;
  roles: RoleNode[];
  extensions?: ExtensionsNode;
  organization?: OrganizationNode;
  contacts: ContactPersonNode[];
  other: OtherElement[];
}

export type RoleKind =
  | 'IDPSSODescriptor'
  | 'SPSSODescriptor'
  | 'AttributeAuthorityDescriptor'
  | 'AuthnAuthorityDescriptor'
  | 'PDPDescriptor'
  | 'RoleDescriptor';

/** Every RoleKind, for code that needs the names at run time. */
export const ROLE_KIND_NAMES: readonly RoleKind[] = [
  'IDPSSODescriptor',
  'SPSSODescriptor',
  'AttributeAuthorityDescriptor',
  'AuthnAuthorityDescriptor',
  'PDPDescriptor',
  'RoleDescriptor',
];

export interface RoleNode extends HasStartTag {
  kind: RoleKind;
  range: Range;
  /** For a generic RoleDescriptor: its xsi:type resolved against the namespaces in scope. */
  xsiType?: QualifiedName & { raw: string };
  id?: string;
  validUntil?: AttributeValue;
  cacheDuration?: AttributeValue;
  protocolSupportEnumeration: string[];
  errorURL?: string;
  /** IDPSSODescriptor/@WantAuthnRequestsSigned. */
  wantAuthnRequestsSigned?: boolean;
  /** SPSSODescriptor/@AuthnRequestsSigned. */
  authnRequestsSigned?: boolean;
  /** SPSSODescriptor/@WantAssertionsSigned. */
  wantAssertionsSigned?: boolean;
  signed: boolean;
  /** Offset of the first ds:Signature child's start tag, when signed. */
  signatureStart?: number;
  keyDescriptors: KeyDescriptorNode[];
  /** Every child (or Extensions child) with a Binding attribute: SingleSignOnService, AssertionConsumerService, idpdisc:DiscoveryResponse, … */
  endpoints: EndpointNode[];
  nameIDFormats: TextElement[];
  /** saml:Attribute children (IdP and attribute authority roles). */
  attributes: AttributeNode[];
  attributeConsumingServices: AttributeConsumingServiceNode[];
  extensions?: ExtensionsNode;
  other: OtherElement[];
}

export interface KeyDescriptorNode extends HasStartTag {
  range: Range;
  /** "signing", "encryption", or undefined (the key is used for both). */
  use?: string;
  keyNames: string[];
  certificates: CertificateText[];
}

export interface CertificateText {
  /** The element's text exactly as in the file: may contain line breaks and indentation. */
  base64: string;
  /** Range of the text between the start and end tags. */
  range: Range;
  elementRange: Range;
}

export interface EndpointNode extends QualifiedName, HasStartTag {
  range: Range;
  binding?: AttributeValue;
  location?: AttributeValue;
  responseLocation?: AttributeValue;
  index?: number;
  isDefault?: boolean;
}

export interface AttributeNode {
  range: Range;
  name?: string;
  nameFormat?: string;
  friendlyName?: string;
  values: string[];
  /** Only on md:RequestedAttribute. */
  isRequired?: boolean;
}

export interface AttributeConsumingServiceNode extends HasStartTag {
  range: Range;
  index?: number;
  isDefault?: boolean;
  serviceNames: LocalizedText[];
  serviceDescriptions: LocalizedText[];
  requestedAttributes: AttributeNode[];
}

export interface ExtensionsNode {
  range: Range;
  uiInfo?: UIInfoNode;
  registrationInfo?: RegistrationInfoNode;
  /** mdattr:EntityAttributes/saml:Attribute. */
  entityAttributes: AttributeNode[];
  /** shibmd:Scope. */
  scopes: ScopeNode[];
  other: OtherElement[];
}

export interface UIInfoNode {
  range: Range;
  displayNames: LocalizedText[];
  descriptions: LocalizedText[];
  logos: LogoNode[];
  informationURLs: LocalizedText[];
  privacyStatementURLs: LocalizedText[];
  keywords: LocalizedText[];
}

export interface LogoNode extends LocalizedText {
  height?: number;
  width?: number;
}

export interface RegistrationInfoNode {
  range: Range;
  registrationAuthority?: string;
  registrationInstant?: string;
}

export interface ScopeNode extends TextElement {
  regexp: boolean;
}

export interface OrganizationNode {
  range: Range;
  names: LocalizedText[];
  displayNames: LocalizedText[];
  urls: LocalizedText[];
}

export interface ContactPersonNode {
  range: Range;
  contactType?: string;
  company?: string;
  givenName?: string;
  surName?: string;
  emailAddresses: string[];
  telephoneNumbers: string[];
}

/** Where a certificate was found. */
export type CertificatePlace = 'key-descriptor' | 'signature' | 'other';

export interface CertificateOccurrence extends CertificateText {
  place: CertificatePlace;
  /** Namespace of the X509Certificate element; normally XML-DSig, but some files put it elsewhere. */
  namespaceURI: string;
  entityIndex?: number;
  entityID?: string;
  /** Index into the entity's `roles`. */
  roleIndex?: number;
  roleKind?: RoleKind;
  keyUse?: string;
}

export interface MetadataModel {
  /** The document's root element, whatever it is. */
  root: OtherElement;
  groups: EntitiesDescriptorNode[];
  entities: EntityDescriptorNode[];
  certificates: CertificateOccurrence[];
}
