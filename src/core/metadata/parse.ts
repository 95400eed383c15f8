import { NS } from '../vocabulary';
import { decodeAttributeValue, scanXml, type XmlTag, type XmlError, type XmlLimits, type XmlVisitor } from '../xml';
import type {
  AttributeConsumingServiceNode,
  AttributeNode,
  AttributeValue,
  CertificateOccurrence,
  ContactPersonNode,
  EndpointNode,
  EntitiesDescriptorNode,
  EntityDescriptorNode,
  ExtensionsNode,
  KeyDescriptorNode,
  LocalizedText,
  LogoNode,
  MetadataModel,
  OrganizationNode,
  OtherElement,
  Range,
  RoleKind,
  RoleNode,
  ScopeNode,
  TextElement,
  UIInfoNode,
} from './model';
import { ROLE_KIND_NAMES } from './model';

export type MetadataParseOptions = XmlLimits;

/**
 * `ok: false` when the text is not (safe, well-formed) XML; `partial` then holds what was read
 * before the error (elements still open at that point have `range.end === -1`). Any well-formed
 * XML gives a model, with zero entities if it is not metadata.
 */
export type MetadataParseResult =
  { ok: true; model: MetadataModel; errors: [] } | { ok: false; error: XmlError; partial: MetadataModel };

/**
 * Metadata files are often large aggregates, so the default size limit is generous: four times
 * today's largest federations (a 190 MB aggregate of 48,000 entities parses to some 0.6 GB of
 * model), well under V8's longest string (about 512 M characters).
 */
export const DEFAULT_METADATA_MAX_LENGTH = 256 * 1024 * 1024;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
// Local copies: the hot path compares against these for every element, and a module export may be a getter.
const MD = NS.md;
const SAML = NS.saml;
const DS = NS.ds;
const MDUI = NS.mdui;
const MDRPI = NS.mdrpi;
const MDATTR = NS.mdattr;
const SHIBMD = NS.shibmd;
const XSI = NS.xsi;

/** What an open element is, for deciding how to read its children. */
const enum FrameType {
  Document,
  Group,
  Entity,
  Role,
  KeyDescriptor,
  /** KeyInfo, X509Data, … inside a KeyDescriptor: certificates found here belong to it. */
  KeyInfo,
  Extensions,
  UIInfo,
  EntityAttributes,
  Attribute,
  AttributeConsumingService,
  Organization,
  Contact,
  /** A leaf whose text content is wanted; `onText` receives it when the element closes. */
  Text,
  X509Certificate,
  Signature,
  /** Anything else: only X509Certificate descendants matter. */
  Other,
}

/**
 * How a Text frame's content is stored when its element closes: an array gets the trimmed text
 * pushed (or untrimmed for attribute values), an object gets it in the field `key`.
 */
type TextTarget = string[] | object;
/** Text key marking array targets whose text is kept untrimmed. */
const RAW_TEXT = '#raw';
const SLASH_CODE = 0x2f;

const ROLE_KINDS: ReadonlySet<string> = new Set<RoleKind>(ROLE_KIND_NAMES);

/**
 * Builds the metadata model in one pass over the text (no DOM), keeping only what the model needs.
 * Never throws for bad input.
 */
export function parseMetadata(text: string, options: MetadataParseOptions = {}): MetadataParseResult {
  const builder = new ModelBuilder(text);
  const scanned = scanXml(text, builder, { maxLength: DEFAULT_METADATA_MAX_LENGTH, ...options });
  if (!scanned.ok) return { ok: false, error: scanned.error, partial: builder.model };
  return { ok: true, model: builder.model, errors: [] };
}

class ModelBuilder implements XmlVisitor {
  captureText = false;
  readonly model: MetadataModel = {
    root: { namespaceURI: '', localName: '', range: { start: 0, end: 0 } },
    groups: [],
    entities: [],
    certificates: [],
  };
  // The open elements as parallel stacks rather than one object per element: most elements need
  // no state, and allocation is what a 50 MB aggregate makes expensive.
  private readonly types: FrameType[] = [FrameType.Document];
  /** The model node each frame fills in; its type depends on the frame type. */
  private readonly nodes: unknown[] = [undefined];
  /** The range whose end is set when the element closes. */
  private readonly ranges: (Range | undefined)[] = [undefined];
  private readonly startTagEnds: number[] = [0];
  /** For Text frames: the field of the node that receives the text (undefined: the node is an array). */
  private readonly textKeys: (string | undefined)[] = [undefined];
  /** Text of the innermost Text frame (they are leaves, so one buffer is enough). */
  private textBuffer = '';

  constructor(private readonly source: string) {}

  open(tag: XmlTag, start: number, startTagEnd: number, resolvePrefix: (prefix: string) => string | undefined): void {
    const top = this.types.length - 1;
    const parentType = this.types[top];
    const parent = this.nodes[top];
    const uri = tag.uri;
    const local = tag.local;

    if (local === 'X509Certificate') {
      this.push(FrameType.X509Certificate, undefined, undefined, startTagEnd);
      return;
    }
    if (uri === DS && local === 'Signature') {
      if (parentType === FrameType.Group || parentType === FrameType.Entity || parentType === FrameType.Role) {
        const signedParent = parent as { signed: boolean; signatureStart?: number };
        if (!signedParent.signed) signedParent.signatureStart = start;
        signedParent.signed = true;
      }
      this.push(FrameType.Signature, undefined, undefined, startTagEnd);
      return;
    }
    switch (parentType) {
      case FrameType.Document:
        this.model.root = { namespaceURI: uri, localName: local, range: { start, end: start } };
        this.openGroupChild(tag, uri, local, start, startTagEnd, undefined);
        return;
      case FrameType.Group:
        this.openGroupChild(tag, uri, local, start, startTagEnd, parent as EntitiesDescriptorNode);
        return;
      case FrameType.Entity:
        this.openEntityChild(tag, uri, local, start, startTagEnd, parent as EntityDescriptorNode, resolvePrefix);
        return;
      case FrameType.Role:
        this.openRoleChild(tag, uri, local, start, startTagEnd, parent as RoleNode);
        return;
      case FrameType.KeyDescriptor:
      case FrameType.KeyInfo:
        if (uri === DS && local === 'KeyName') {
          this.pushText((parent as KeyDescriptorNode).keyNames, undefined, undefined, startTagEnd);
        } else {
          // KeyInfo, X509Data, …: stay in the key descriptor's context to find certificates and key names.
          this.push(FrameType.KeyInfo, parent, undefined, startTagEnd);
        }
        return;
      case FrameType.Extensions:
        this.openExtensionsChild(tag, uri, local, start, startTagEnd, parent as ExtensionsNode);
        return;
      case FrameType.UIInfo:
        this.openUIInfoChild(tag, uri, local, start, startTagEnd, parent as UIInfoNode);
        return;
      case FrameType.EntityAttributes:
        if (uri === SAML && local === 'Attribute') {
          this.openAttribute(tag, start, startTagEnd, (parent as ExtensionsNode).entityAttributes);
          return;
        }
        break;
      case FrameType.Attribute:
        if (uri === SAML && local === 'AttributeValue') {
          // Attribute values keep their whitespace: it can be significant.
          this.pushText((parent as AttributeNode).values, RAW_TEXT, undefined, startTagEnd);
          return;
        }
        break;
      case FrameType.AttributeConsumingService:
        this.openAttributeConsumingServiceChild(
          tag,
          uri,
          local,
          start,
          startTagEnd,
          parent as AttributeConsumingServiceNode,
        );
        return;
      case FrameType.Organization:
        this.openOrganizationChild(tag, uri, local, start, startTagEnd, parent as OrganizationNode);
        return;
      case FrameType.Contact:
        this.openContactChild(uri, local, startTagEnd, parent as ContactPersonNode);
        return;
      default:
        // Text, X509Certificate, Signature, Other: descendants are not modelled.
        break;
    }
    this.push(FrameType.Other, undefined, undefined, startTagEnd);
  }

  text(data: string): void {
    this.textBuffer += data;
  }

  close(tag: XmlTag, closeTagStart: number, end: number): void {
    const type = this.types.pop() as FrameType;
    const node = this.nodes.pop();
    const range = this.ranges.pop();
    const startTagEnd = this.startTagEnds.pop() as number;
    const textKey = this.textKeys.pop();
    if (type === FrameType.Text) {
      const text = this.textBuffer;
      this.textBuffer = '';
      if (Array.isArray(node)) node.push(textKey === RAW_TEXT ? text : text.trim());
      else (node as Record<string, unknown>)[textKey as string] = text.trim();
    } else if (type === FrameType.X509Certificate) {
      this.addCertificate(tag, startTagEnd, closeTagStart, end);
    }
    if (range !== undefined) range.end = end;
    if (this.types.length === 1) this.model.root.range.end = end;
    this.captureText = this.types[this.types.length - 1] === FrameType.Text;
  }

  // ---- per-parent child handling -------------------------------------------------------------

  private openGroupChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    group: EntitiesDescriptorNode | undefined,
  ): void {
    if (uri === MD) {
      if (local === 'EntitiesDescriptor') {
        const node: EntitiesDescriptorNode = {
          kind: 'EntitiesDescriptor',
          index: this.model.groups.length,
          range: openRange(start),
          startTagEnd,
          name: this.attributeValue(tag, 'Name'),
          id: plainAttribute(tag, 'ID'),
          validUntil: this.attributeValue(tag, 'validUntil'),
          cacheDuration: this.attributeValue(tag, 'cacheDuration'),
          signed: false,
          parentGroup: group?.index,
          groups: [],
          entities: [],
          other: [],
        };
        this.model.groups.push(node);
        group?.groups.push(node.index);
        return this.pushNode(FrameType.Group, node, startTagEnd);
      }
      if (local === 'EntityDescriptor') {
        const node: EntityDescriptorNode = {
          kind: 'EntityDescriptor',
          index: this.model.entities.length,
          range: openRange(start),
          startTagEnd,
          entityID: this.attributeValue(tag, 'entityID'),
          id: plainAttribute(tag, 'ID'),
          validUntil: this.attributeValue(tag, 'validUntil'),
          cacheDuration: this.attributeValue(tag, 'cacheDuration'),
          signed: false,
          group: group?.index,
          roles: [],
          contacts: [],
          other: [],
        };
        this.model.entities.push(node);
        group?.entities.push(node.index);
        return this.pushNode(FrameType.Entity, node, startTagEnd);
      }
      if (local === 'Extensions' && group) {
        group.extensions = newExtensions(start);
        return this.pushNode(FrameType.Extensions, group.extensions, startTagEnd);
      }
    }
    this.pushOther(group?.other, uri, local, start, startTagEnd);
  }

  private openEntityChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    entity: EntityDescriptorNode,
    resolvePrefix: (prefix: string) => string | undefined,
  ): void {
    if (uri === MD) {
      if (ROLE_KINDS.has(local)) {
        const role = this.newRole(tag, local as RoleKind, start, startTagEnd, resolvePrefix);
        entity.roles.push(role);
        return this.pushNode(FrameType.Role, role, startTagEnd);
      }
      switch (local) {
        case 'Extensions':
          entity.extensions = newExtensions(start);
          return this.pushNode(FrameType.Extensions, entity.extensions, startTagEnd);
        case 'Organization':
          entity.organization = { range: openRange(start), names: [], displayNames: [], urls: [] };
          return this.pushNode(FrameType.Organization, entity.organization, startTagEnd);
        case 'ContactPerson': {
          const contact: ContactPersonNode = {
            range: openRange(start),
            contactType: plainAttribute(tag, 'contactType'),
            emailAddresses: [],
            telephoneNumbers: [],
          };
          entity.contacts.push(contact);
          return this.pushNode(FrameType.Contact, contact, startTagEnd);
        }
      }
    }
    this.pushOther(entity.other, uri, local, start, startTagEnd);
  }

  private openRoleChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    role: RoleNode,
  ): void {
    if (uri === MD) {
      switch (local) {
        case 'KeyDescriptor': {
          const keyDescriptor: KeyDescriptorNode = {
            range: openRange(start),
            startTagEnd,
            use: plainAttribute(tag, 'use'),
            keyNames: [],
            certificates: [],
          };
          role.keyDescriptors.push(keyDescriptor);
          return this.pushNode(FrameType.KeyDescriptor, keyDescriptor, startTagEnd);
        }
        case 'NameIDFormat': {
          const item: TextElement = { value: '', range: openRange(start) };
          role.nameIDFormats.push(item);
          return this.pushText(item, 'value', item.range, startTagEnd);
        }
        case 'Extensions':
          role.extensions = newExtensions(start);
          return this.pushNode(FrameType.Extensions, role.extensions, startTagEnd);
        case 'AttributeConsumingService': {
          const service: AttributeConsumingServiceNode = {
            range: openRange(start),
            startTagEnd,
            index: integerAttribute(tag, 'index'),
            isDefault: booleanAttribute(tag, 'isDefault'),
            serviceNames: [],
            serviceDescriptions: [],
            requestedAttributes: [],
          };
          role.attributeConsumingServices.push(service);
          return this.pushNode(FrameType.AttributeConsumingService, service, startTagEnd);
        }
      }
    }
    if (uri === SAML && local === 'Attribute') {
      this.openAttribute(tag, start, startTagEnd, role.attributes);
      return;
    }
    if (tag.hasAttribute('Binding')) {
      return this.openEndpoint(tag, uri, local, start, startTagEnd, role.endpoints);
    }
    this.pushOther(role.other, uri, local, start, startTagEnd);
  }

  private openExtensionsChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    extensions: ExtensionsNode,
  ): void {
    if (uri === MDUI && local === 'UIInfo') {
      extensions.uiInfo = {
        range: openRange(start),
        displayNames: [],
        descriptions: [],
        logos: [],
        informationURLs: [],
        privacyStatementURLs: [],
        keywords: [],
      };
      return this.pushNode(FrameType.UIInfo, extensions.uiInfo, startTagEnd);
    }
    if (uri === MDRPI && local === 'RegistrationInfo') {
      extensions.registrationInfo = {
        range: openRange(start),
        registrationAuthority: plainAttribute(tag, 'registrationAuthority'),
        registrationInstant: plainAttribute(tag, 'registrationInstant'),
      };
      return this.pushNode(FrameType.Other, extensions.registrationInfo, startTagEnd);
    }
    if (uri === MDATTR && local === 'EntityAttributes') {
      return this.push(FrameType.EntityAttributes, extensions, undefined, startTagEnd);
    }
    if (uri === SHIBMD && local === 'Scope') {
      const scope: ScopeNode = { value: '', range: openRange(start), regexp: booleanAttribute(tag, 'regexp') ?? false };
      extensions.scopes.push(scope);
      return this.pushText(scope, 'value', scope.range, startTagEnd);
    }
    // Role extensions may hold endpoints (idpdisc:DiscoveryResponse, init:RequestInitiator).
    const ownerAt = this.types.length - 2;
    if (this.types[ownerAt] === FrameType.Role && tag.hasAttribute('Binding')) {
      return this.openEndpoint(tag, uri, local, start, startTagEnd, (this.nodes[ownerAt] as RoleNode).endpoints);
    }
    this.pushOther(extensions.other, uri, local, start, startTagEnd);
  }

  private openUIInfoChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    uiInfo: UIInfoNode,
  ): void {
    let list: LocalizedText[] | undefined;
    if (uri === MDUI) {
      switch (local) {
        case 'DisplayName':
          list = uiInfo.displayNames;
          break;
        case 'Description':
          list = uiInfo.descriptions;
          break;
        case 'InformationURL':
          list = uiInfo.informationURLs;
          break;
        case 'PrivacyStatementURL':
          list = uiInfo.privacyStatementURLs;
          break;
        case 'Keywords':
          list = uiInfo.keywords;
          break;
        case 'Logo': {
          const logo: LogoNode = {
            value: '',
            lang: langAttribute(tag),
            range: openRange(start),
            height: integerAttribute(tag, 'height'),
            width: integerAttribute(tag, 'width'),
          };
          uiInfo.logos.push(logo);
          return this.pushText(logo, 'value', logo.range, startTagEnd);
        }
      }
    }
    if (list) this.pushLocalizedText(tag, start, startTagEnd, list);
    else this.push(FrameType.Other, undefined, undefined, startTagEnd);
  }

  private openAttributeConsumingServiceChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    service: AttributeConsumingServiceNode,
  ): void {
    if (uri === MD) {
      if (local === 'ServiceName') return this.pushLocalizedText(tag, start, startTagEnd, service.serviceNames);
      if (local === 'ServiceDescription')
        return this.pushLocalizedText(tag, start, startTagEnd, service.serviceDescriptions);
      if (local === 'RequestedAttribute') {
        const attribute = this.openAttribute(tag, start, startTagEnd, service.requestedAttributes);
        attribute.isRequired = booleanAttribute(tag, 'isRequired');
        return;
      }
    }
    this.push(FrameType.Other, undefined, undefined, startTagEnd);
  }

  private openOrganizationChild(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    organization: OrganizationNode,
  ): void {
    if (uri === MD) {
      if (local === 'OrganizationName') return this.pushLocalizedText(tag, start, startTagEnd, organization.names);
      if (local === 'OrganizationDisplayName')
        return this.pushLocalizedText(tag, start, startTagEnd, organization.displayNames);
      if (local === 'OrganizationURL') return this.pushLocalizedText(tag, start, startTagEnd, organization.urls);
    }
    this.push(FrameType.Other, undefined, undefined, startTagEnd);
  }

  private openContactChild(uri: string, local: string, startTagEnd: number, contact: ContactPersonNode): void {
    if (uri === MD) {
      switch (local) {
        case 'Company':
          return this.pushText(contact as unknown as TextTarget, 'company', undefined, startTagEnd);
        case 'GivenName':
          return this.pushText(contact as unknown as TextTarget, 'givenName', undefined, startTagEnd);
        case 'SurName':
          return this.pushText(contact as unknown as TextTarget, 'surName', undefined, startTagEnd);
        case 'EmailAddress':
          return this.pushText(contact.emailAddresses, undefined, undefined, startTagEnd);
        case 'TelephoneNumber':
          return this.pushText(contact.telephoneNumbers, undefined, undefined, startTagEnd);
      }
    }
    this.push(FrameType.Other, undefined, undefined, startTagEnd);
  }

  // ---- node builders ----------------------------------------------------------------------------

  private newRole(
    tag: XmlTag,
    kind: RoleKind,
    start: number,
    startTagEnd: number,
    resolvePrefix: (prefix: string) => string | undefined,
  ): RoleNode {
    const role: RoleNode = {
      kind,
      range: openRange(start),
      startTagEnd,
      id: plainAttribute(tag, 'ID'),
      validUntil: this.attributeValue(tag, 'validUntil'),
      cacheDuration: this.attributeValue(tag, 'cacheDuration'),
      protocolSupportEnumeration: (plainAttribute(tag, 'protocolSupportEnumeration') ?? '')
        .split(/\s+/)
        .filter(Boolean),
      errorURL: plainAttribute(tag, 'errorURL'),
      signed: false,
      keyDescriptors: [],
      endpoints: [],
      nameIDFormats: [],
      attributes: [],
      attributeConsumingServices: [],
      other: [],
    };
    if (kind === 'IDPSSODescriptor') role.wantAuthnRequestsSigned = booleanAttribute(tag, 'WantAuthnRequestsSigned');
    if (kind === 'SPSSODescriptor') {
      role.authnRequestsSigned = booleanAttribute(tag, 'AuthnRequestsSigned');
      role.wantAssertionsSigned = booleanAttribute(tag, 'WantAssertionsSigned');
    }
    if (kind === 'RoleDescriptor') {
      const xsiType = tag.attributeNS(XSI, 'type');
      if (xsiType !== undefined) {
        const raw = xsiType.trim();
        const colon = raw.indexOf(':');
        const prefix = colon < 0 ? '' : raw.slice(0, colon);
        role.xsiType = { namespaceURI: resolvePrefix(prefix) ?? '', localName: raw.slice(colon + 1), raw };
      }
    }
    return role;
  }

  private openAttribute(tag: XmlTag, start: number, startTagEnd: number, list: AttributeNode[]): AttributeNode {
    const attribute: AttributeNode = {
      range: openRange(start),
      name: plainAttribute(tag, 'Name'),
      nameFormat: plainAttribute(tag, 'NameFormat'),
      friendlyName: plainAttribute(tag, 'FriendlyName'),
      values: [],
    };
    list.push(attribute);
    this.pushNode(FrameType.Attribute, attribute, startTagEnd);
    return attribute;
  }

  private openEndpoint(
    tag: XmlTag,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
    list: EndpointNode[],
  ): void {
    const endpoint: EndpointNode = {
      namespaceURI: uri,
      localName: local,
      range: openRange(start),
      startTagEnd,
      binding: this.attributeValue(tag, 'Binding'),
      location: this.attributeValue(tag, 'Location'),
      responseLocation: this.attributeValue(tag, 'ResponseLocation'),
      index: integerAttribute(tag, 'index'),
      isDefault: booleanAttribute(tag, 'isDefault'),
    };
    list.push(endpoint);
    // An endpoint's children (rare) are not modelled.
    this.pushNode(FrameType.Other, endpoint, startTagEnd);
  }

  private pushLocalizedText(tag: XmlTag, start: number, startTagEnd: number, list: LocalizedText[]): void {
    const item: LocalizedText = { value: '', lang: langAttribute(tag), range: openRange(start) };
    list.push(item);
    this.pushText(item, 'value', item.range, startTagEnd);
  }

  private addCertificate(tag: XmlTag, textStart: number, textEnd: number, end: number): void {
    const elementStart = this.source.lastIndexOf('<', textStart - 1);
    const occurrence: CertificateOccurrence = {
      base64: this.source.slice(textStart, textEnd),
      range: { start: textStart, end: textEnd },
      elementRange: { start: elementStart, end },
      namespaceURI: tag.uri,
      place: 'other',
    };
    // Walk up to find the context; certificates are few, so this costs little.
    for (let i = this.types.length - 1; i > 0; i--) {
      const type = this.types[i];
      if (type === FrameType.Signature && occurrence.place === 'other') {
        occurrence.place = 'signature';
      } else if ((type === FrameType.KeyDescriptor || type === FrameType.KeyInfo) && occurrence.place === 'other') {
        const keyDescriptor = this.nodes[i] as KeyDescriptorNode;
        occurrence.place = 'key-descriptor';
        occurrence.keyUse = keyDescriptor.use;
        keyDescriptor.certificates.push({
          base64: occurrence.base64,
          range: occurrence.range,
          elementRange: occurrence.elementRange,
        });
      } else if (type === FrameType.Role && occurrence.roleKind === undefined) {
        const role = this.nodes[i] as RoleNode;
        occurrence.roleKind = role.kind;
        occurrence.roleIndex = (this.nodes[i - 1] as EntityDescriptorNode).roles.indexOf(role);
      } else if (type === FrameType.Entity) {
        const entity = this.nodes[i] as EntityDescriptorNode;
        occurrence.entityIndex = entity.index;
        occurrence.entityID = entity.entityID?.value;
        break;
      }
    }
    this.model.certificates.push(occurrence);
  }

  // ---- stack helpers ----------------------------------------------------------------------------

  private push(type: FrameType, node: unknown, range: Range | undefined, startTagEnd: number, textKey?: string): void {
    this.types.push(type);
    this.nodes.push(node);
    this.ranges.push(range);
    this.startTagEnds.push(startTagEnd);
    this.textKeys.push(textKey);
    this.captureText = type === FrameType.Text;
  }

  /** A frame that fills in `node` and closes its range. */
  private pushNode(type: FrameType, node: { range: Range }, startTagEnd: number): void {
    this.push(type, node, node.range, startTagEnd);
  }

  /** A leaf whose text goes to `target[key]`, or is pushed onto `target` when it is an array. */
  private pushText(target: TextTarget, key: string | undefined, range: Range | undefined, startTagEnd: number): void {
    this.push(FrameType.Text, target, range, startTagEnd, key);
    // Most texts are plain: the next markup is the end tag and there is no entity reference or CR
    // to normalise, so the source slice is the text and the parser need not build it.
    const nextMarkup = this.source.indexOf('<', startTagEnd);
    if (nextMarkup > 0 && this.source.charCodeAt(nextMarkup + 1) === SLASH_CODE) {
      const raw = this.source.slice(startTagEnd, nextMarkup);
      if (raw.indexOf('&') < 0 && raw.indexOf('\r') < 0) {
        this.textBuffer = raw;
        this.captureText = false;
        return;
      }
    }
    this.textBuffer = '';
  }

  /** Records an unknown child (when there is a list to keep it in); its descendants are ignored. */
  private pushOther(
    list: OtherElement[] | undefined,
    uri: string,
    local: string,
    start: number,
    startTagEnd: number,
  ): void {
    if (!list) return this.push(FrameType.Other, undefined, undefined, startTagEnd);
    const other: OtherElement = { namespaceURI: uri, localName: local, range: openRange(start) };
    list.push(other);
    this.pushNode(FrameType.Other, other, startTagEnd);
  }

  /** An unprefixed attribute with the range of its raw value in the start tag. */
  private attributeValue(tag: XmlTag, name: string): AttributeValue | undefined {
    const range = tag.attributeValueRange(name);
    if (range === undefined) return undefined;
    return { value: decodeAttributeValue(this.source, range.start, range.end), range };
  }
}

function openRange(start: number): Range {
  // The end is filled in when the element closes.
  return { start, end: -1 };
}

function newExtensions(start: number): ExtensionsNode {
  return { range: openRange(start), entityAttributes: [], scopes: [], other: [] };
}

function plainAttribute(tag: XmlTag, name: string): string | undefined {
  return tag.attribute(name);
}

function langAttribute(tag: XmlTag): string | undefined {
  return tag.attributeNS(XML_NS, 'lang');
}

/** xs:boolean: "true"/"1" or "false"/"0"; anything else is treated as absent. */
function booleanAttribute(tag: XmlTag, name: string): boolean | undefined {
  const value = tag.attribute(name)?.trim();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

function integerAttribute(tag: XmlTag, name: string): number | undefined {
  const value = tag.attribute(name)?.trim();
  return value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}
