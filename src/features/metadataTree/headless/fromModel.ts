/**
 * Turns the core metadata model (plain data, possibly from the worker) into the tree's outline:
 * role kinds with labels, display names, certificate validity, "unknown element" markers.
 */
import { readOutline, readValidity } from '../../../core/certs/validity';
import { commonName, readName } from '../../../core/certs/names';
import { decodeCertificateDer } from '../../../core/certs/decode';
import { NS } from '../../../core/xml/namespaces';
import type {
  AttributeNode,
  ContactPersonNode,
  EndpointNode,
  EntitiesDescriptorNode,
  EntityDescriptorNode,
  ExtensionsNode,
  LocalizedText,
  MetadataModel,
  OtherElement,
  OrganizationNode,
  RoleNode,
  UIInfoNode,
} from '../../../core/metadata/model';
import type {
  MetadataOutline,
  OutlineAttribute,
  OutlineCertificate,
  OutlineContact,
  OutlineEndpoint,
  OutlineEntity,
  OutlineExtensions,
  OutlineGroup,
  OutlineLabelled,
  OutlineOrganization,
  OutlineRole,
  OutlineUiInfo,
  OutlineUnknown,
  RoleKind,
  Span,
} from './outline';

const PREFIX_OF_NAMESPACE = new Map<string, string>(Object.entries(NS).map(([prefix, uri]) => [uri, prefix]));

function qualifiedLabel(element: { namespaceURI: string; localName: string }): string {
  const prefix = PREFIX_OF_NAMESPACE.get(element.namespaceURI);
  if (prefix) return `${prefix}:${element.localName}`;
  return element.namespaceURI
    ? `${element.localName} (${element.namespaceURI})`
    : `${element.localName} (no namespace)`;
}

function unknownOf(elements: readonly OtherElement[] | undefined): OutlineUnknown[] {
  return (elements ?? []).map((e) => ({
    name: qualifiedLabel(e),
    knownNamespace: PREFIX_OF_NAMESPACE.has(e.namespaceURI),
    span: e.range,
  }));
}

/** English first, then text without a language, then whatever comes first. */
function preferredText(texts: readonly LocalizedText[] | undefined): string | undefined {
  if (!texts?.length) return undefined;
  const english = texts.find((t) => t.lang?.toLowerCase().startsWith('en'));
  return (english ?? texts.find((t) => !t.lang) ?? texts[0]).value.trim();
}

function localized(label: string, texts: readonly LocalizedText[]): OutlineLabelled[] {
  return texts.map((t) => ({ label: t.lang ? `${label} (${t.lang})` : label, value: t.value.trim(), span: t.range }));
}

function roleKind(role: RoleNode): RoleKind {
  switch (role.kind) {
    case 'IDPSSODescriptor':
      return 'idp';
    case 'SPSSODescriptor':
      return 'sp';
    case 'AttributeAuthorityDescriptor':
      return 'aa';
    case 'AuthnAuthorityDescriptor':
      return 'authn';
    case 'PDPDescriptor':
      return 'pdp';
    case 'RoleDescriptor': {
      // WS-Federation roles are told apart by xsi:type, resolved to a namespace by the model.
      const type = role.xsiType;
      if (type?.namespaceURI === NS.fed && type.localName === 'SecurityTokenServiceType') return 'sts';
      if (type?.namespaceURI === NS.fed && type.localName === 'ApplicationServiceType') return 'app';
      return 'other';
    }
  }
}

/**
 * A certificate with its dates read up front (cheap, and needed for the counts and the filter);
 * the subject is decoded only when a node asks for it.
 */
function outlineCertificate(text: string, span: Span): OutlineCertificate {
  let validity = readValidity(text);
  let base64 = text;
  let note: string | undefined;
  if (!validity.ok && validity.error.innerBase64) {
    // A whole PEM file base64-encoded again: the certificate inside is real, so show and export that.
    note = validity.error.message;
    base64 = validity.error.innerBase64;
    validity = readValidity(base64);
  }
  return withLazySubject({
    base64,
    span,
    notBefore: validity.ok ? validity.value.notBefore : undefined,
    notAfter: validity.ok ? validity.value.notAfter : undefined,
    invalid: validity.ok ? undefined : validity.error.message,
    note,
  });
}

/**
 * An outline certificate whose `subjectCommonName` is decoded on first read. The getter lives on the
 * prototype and the cache in a private field, so an outline sent from the worker as JSON does not
 * decode every subject of an aggregate, and the objects keep a fast shape (a getter defined on each
 * object made counting 24,000 certificates several times slower).
 */
class LazySubjectCertificate implements OutlineCertificate {
  readonly base64: string;
  readonly span: Span;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly invalid?: string;
  readonly note?: string;
  #subject: string | null | undefined;

  constructor(fields: Omit<OutlineCertificate, 'subjectCommonName'>) {
    this.base64 = fields.base64;
    this.span = fields.span;
    this.notBefore = fields.notBefore;
    this.notAfter = fields.notAfter;
    this.invalid = fields.invalid;
    this.note = fields.note;
  }

  get subjectCommonName(): string | undefined {
    if (this.#subject === undefined) this.#subject = subjectCommonNameOf(this.base64) ?? null;
    return this.#subject ?? undefined;
  }
}

export function withLazySubject(fields: Omit<OutlineCertificate, 'subjectCommonName'>): OutlineCertificate {
  return new LazySubjectCertificate(fields);
}

function subjectCommonNameOf(base64: string): string | undefined {
  const outline = readOutline(base64);
  const der = decodeCertificateDer(base64);
  if (!outline.ok || !der.ok) return undefined;
  try {
    return commonName(readName(der.value, outline.value.subject));
  } catch {
    return undefined;
  }
}

function endpointOf(endpoint: EndpointNode): OutlineEndpoint {
  return {
    service: endpoint.localName,
    binding: endpoint.binding?.value ?? '',
    location: endpoint.location?.value ?? '',
    responseLocation: endpoint.responseLocation?.value,
    index: endpoint.index === undefined ? undefined : String(endpoint.index),
    isDefault: endpoint.isDefault === undefined ? undefined : String(endpoint.isDefault),
    span: endpoint.range,
  };
}

function attributeOf(attribute: AttributeNode, kind: OutlineAttribute['kind']): OutlineAttribute {
  return {
    kind,
    name: attribute.name ?? '',
    friendlyName: attribute.friendlyName,
    nameFormat: attribute.nameFormat,
    required: attribute.isRequired === true,
    span: attribute.range,
  };
}

function uiInfoOf(ui: UIInfoNode): OutlineUiInfo {
  return {
    span: ui.range,
    items: [
      ...localized('DisplayName', ui.displayNames),
      ...localized('Description', ui.descriptions),
      ...ui.logos.map((logo) => ({
        label: logo.width && logo.height ? `Logo ${logo.width}×${logo.height}` : 'Logo',
        value: logo.value.trim(),
        span: logo.range,
      })),
      ...localized('InformationURL', ui.informationURLs),
      ...localized('PrivacyStatementURL', ui.privacyStatementURLs),
      ...localized('Keywords', ui.keywords),
    ],
  };
}

function extensionsOf(extensions: ExtensionsNode | undefined): OutlineExtensions | undefined {
  if (!extensions) return undefined;
  const items: OutlineLabelled[] = [];
  const registration = extensions.registrationInfo;
  if (registration?.registrationAuthority) {
    const when = registration.registrationInstant ? ` (${registration.registrationInstant})` : '';
    items.push({
      label: 'RegistrationAuthority',
      value: `${registration.registrationAuthority}${when}`,
      span: registration.range,
    });
  }
  for (const attribute of extensions.entityAttributes) {
    items.push({
      label: attribute.friendlyName || attribute.name || 'Attribute',
      value: attribute.values.map((v) => v.trim()).join(', '),
      span: attribute.range,
    });
  }
  for (const scope of extensions.scopes) {
    items.push({ label: scope.regexp ? 'Scope (regexp)' : 'Scope', value: scope.value.trim(), span: scope.range });
  }
  return items.length ? { span: extensions.range, items } : undefined;
}

function roleOf(role: RoleNode): OutlineRole {
  const kind = roleKind(role);
  return {
    kind,
    otherType: kind === 'other' ? role.xsiType?.raw : undefined,
    elementName:
      role.kind === 'RoleDescriptor' && role.xsiType ? `RoleDescriptor xsi:type="${role.xsiType.raw}"` : role.kind,
    span: role.range,
    keys: role.keyDescriptors.map((key) => ({
      use: key.use,
      span: key.range,
      certificates: key.certificates.map((c) => outlineCertificate(c.base64, c.elementRange)),
    })),
    endpoints: role.endpoints.map(endpointOf),
    nameIdFormats: role.nameIDFormats.map((f) => ({ value: f.value.trim(), span: f.range })),
    attributes: [
      ...role.attributes.map((a) => attributeOf(a, 'offered')),
      ...role.attributeConsumingServices.flatMap((service) =>
        service.requestedAttributes.map((a) => attributeOf(a, 'requested')),
      ),
    ],
    uiInfo: role.extensions?.uiInfo ? uiInfoOf(role.extensions.uiInfo) : undefined,
    extensions: extensionsOf(role.extensions),
    unknown: unknownOf(role.other),
  };
}

function organizationOf(organization: OrganizationNode): OutlineOrganization {
  return {
    span: organization.range,
    displayName: preferredText(organization.displayNames) ?? preferredText(organization.names),
    items: [
      ...localized('OrganizationName', organization.names),
      ...localized('OrganizationDisplayName', organization.displayNames),
      ...localized('OrganizationURL', organization.urls),
    ],
  };
}

function contactOf(contact: ContactPersonNode): OutlineContact {
  const at = contact.range;
  const items: OutlineLabelled[] = [];
  if (contact.company) items.push({ label: 'Company', value: contact.company, span: at });
  if (contact.givenName) items.push({ label: 'GivenName', value: contact.givenName, span: at });
  if (contact.surName) items.push({ label: 'SurName', value: contact.surName, span: at });
  for (const email of contact.emailAddresses) items.push({ label: 'EmailAddress', value: email, span: at });
  for (const phone of contact.telephoneNumbers) items.push({ label: 'TelephoneNumber', value: phone, span: at });
  const name =
    [contact.givenName, contact.surName].filter(Boolean).join(' ') || contact.company || contact.emailAddresses[0];
  return { span: at, contactType: contact.contactType ?? 'unspecified', name, items };
}

function keyOf(entityID: string, occurrence: number): string {
  return `${entityID}#${occurrence}`;
}

function entityOf(entity: EntityDescriptorNode, occurrence: number): OutlineEntity {
  const roles = entity.roles.map(roleOf);
  const uiDisplayName = [entity.extensions, ...entity.roles.map((r) => r.extensions)]
    .map((extensions) => preferredText(extensions?.uiInfo?.displayNames))
    .find(Boolean);
  const organization = entity.organization ? organizationOf(entity.organization) : undefined;
  const entityID = entity.entityID?.value ?? '';
  return {
    index: entity.index,
    key: keyOf(entityID, occurrence),
    entityID,
    displayName: uiDisplayName ?? organization?.displayName,
    span: entity.range,
    roles,
    uiInfo: entity.extensions?.uiInfo ? uiInfoOf(entity.extensions.uiInfo) : undefined,
    extensions: extensionsOf(entity.extensions),
    organization,
    contacts: entity.contacts.map(contactOf),
    unknown: unknownOf(entity.other),
  };
}

function groupOf(
  model: MetadataModel,
  group: EntitiesDescriptorNode,
  entities: readonly OutlineEntity[],
): OutlineGroup {
  const members: (OutlineGroup | OutlineEntity)[] = [
    ...group.groups.map((i) => groupOf(model, model.groups[i], entities)),
    ...group.entities.map((i) => entities[i]),
  ];
  // Nested groups and entities can interleave; show them in document order.
  members.sort((a, b) => a.span.start - b.span.start);
  return { name: group.name?.value, span: group.range, members };
}

/**
 * The outline of a model. `kept` may give, for a model entity and the key it gets, the outline made
 * of that same entity object before (its spans are the model's ranges, so they moved with it).
 */
export function outlineFromModel(
  model: MetadataModel,
  kept?: (entity: EntityDescriptorNode, key: string) => OutlineEntity | undefined,
): MetadataOutline {
  // Duplicate entityIDs happen in real aggregates; the occurrence number keeps their keys apart.
  const seen = new Map<string, number>();
  const entities = model.entities.map((entity) => {
    const id = entity.entityID?.value ?? '';
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    return kept?.(entity, keyOf(id, occurrence)) ?? entityOf(entity, occurrence);
  });
  const rootName = model.root.namespaceURI === NS.md ? model.root.localName : undefined;
  if (rootName === 'EntitiesDescriptor') {
    const rootGroup = model.groups.find((g) => g.parentGroup === undefined);
    if (rootGroup) return { root: groupOf(model, rootGroup, entities), entities, unknown: [] };
  }
  if (rootName === 'EntityDescriptor' && entities.length > 0) {
    return { root: entities[0], entities, unknown: [] };
  }
  if (entities.length > 0) {
    // Entities under a root that is not metadata: keep them, under a group named after that root.
    return {
      root: { name: qualifiedLabel(model.root), span: model.root.range, members: entities },
      entities,
      unknown: [],
    };
  }
  // Not SAML metadata at the root (wrong namespace, another document type): say what is there.
  return { entities, unknown: unknownOf([model.root]) };
}

/** Cheap test before parsing: metadata always names one of these two elements. */
export function looksLikeMetadata(text: string): boolean {
  return text.includes('EntityDescriptor') || text.includes('EntitiesDescriptor');
}
