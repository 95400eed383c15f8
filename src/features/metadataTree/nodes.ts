import * as vscode from 'vscode';
import type { MetadataSignatureStatus } from '../../core/metadata/signature';
import { SIGNATURE_ICONS, signatureStateLabel } from '../metadataSignatures/labels';
import { CommandId } from '../../ids';
import { formatDate, relativeTime } from '../../core/time';
import { nextTurn } from '../../core/workerChannel';
import {
  type Clock,
  type OutlineAttribute,
  type OutlineCertificate,
  type OutlineContact,
  type OutlineEndpoint,
  type OutlineEntity,
  type OutlineExtensions,
  type OutlineGroup,
  type OutlineKey,
  type OutlineLabelled,
  type OutlineOrganization,
  type OutlineRole,
  type OutlineUiInfo,
  type OutlineUnknown,
  type OutlineValue,
  type Span,
  certificateState,
  isGroup,
  shortUriName,
} from './headless/outline';

/** What nodes need from the tree while building their children. */
export interface NodeContext {
  /** Whether an entity passes the current filter (always true without one). */
  isVisible(entity: OutlineEntity): boolean;
}

/** The `contextValue` of every kind of node; package.json menus match on these. */
export const enum NodeKind {
  Group = 'samlGroup',
  Entity = 'samlEntity',
  Role = 'samlRole',
  Section = 'samlSection',
  Key = 'samlKey',
  KeyWithCertificate = 'samlKeyCertificate',
  Certificate = 'samlCertificate',
  Endpoint = 'samlEndpoint',
  NameIdFormat = 'samlNameIdFormat',
  Attribute = 'samlAttribute',
  Organization = 'samlOrganization',
  Contact = 'samlContact',
  UiInfo = 'samlUiInfo',
  Extensions = 'samlExtensions',
  Detail = 'samlDetail',
  Unknown = 'samlUnknown',
  OtherElement = 'samlOtherElement',
  Error = 'samlError',
}

/**
 * Base of every node: a stable id built from the path (so expansion survives a refresh),
 * the parent (so `reveal` works), the source span to select, and children built on first expand.
 */
/** Localised once: an aggregate's group hands VS Code 12,000 entity nodes at a time. */
let revealTitle: string | undefined;

export abstract class MetadataNode extends vscode.TreeItem {
  private cachedChildren: MetadataNode[] | undefined;

  constructor(
    label: string | vscode.TreeItemLabel,
    readonly parent: MetadataNode | undefined,
    idPart: string,
    /** Where the element is; a group or entity node takes the span of its newer outline (`update`). */
    public span: Span | undefined,
    collapsible: vscode.TreeItemCollapsibleState,
  ) {
    super(label, collapsible);
    this.id = parent ? `${parent.id}/${idPart}` : idPart;
    if (span) {
      revealTitle ??= vscode.l10n.t('Reveal in Editor');
      this.command = { command: CommandId.MetadataTreeRevealInEditor, title: revealTitle, arguments: [this] };
    }
  }

  /** A tooltip worked out only when the row is hovered (`resolveTreeItem`); most nodes set theirs up front. */
  resolveTooltip(): void {}

  protected buildChildren(_context: NodeContext): MetadataNode[] {
    return [];
  }

  children(context: NodeContext): MetadataNode[] {
    this.cachedChildren ??= this.buildChildren(context);
    return this.cachedChildren;
  }

  /** Children built elsewhere (in slices, say) become this node's, unless it built its own meanwhile. */
  protected adoptChildren(children: MetadataNode[]): MetadataNode[] {
    this.cachedChildren ??= children;
    return this.cachedChildren;
  }

  /** Children already built, without building more; used to find the node at an offset. */
  builtChildren(): readonly MetadataNode[] | undefined {
    return this.cachedChildren;
  }

  /** Forgets the children built, so they are built again from the node's outline. */
  protected dropChildren(): void {
    this.cachedChildren = undefined;
  }
}

const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const Expanded = vscode.TreeItemCollapsibleState.Expanded;
const None = vscode.TreeItemCollapsibleState.None;

/** About 5 ms of entity rows. */
const MEMBERS_PER_SLICE = 4_000;

/** Nodes of `members`, the first of which is member `first` of its group (positions make group ids). */
function entityNodes(
  members: readonly (OutlineGroup | OutlineEntity)[],
  parent: MetadataNode | undefined,
  context: NodeContext,
  first = 0,
): MetadataNode[] {
  const nodes: MetadataNode[] = [];
  members.forEach((member, index) => {
    if (isGroup(member)) {
      const group = new GroupNode(member, parent, first + index, context);
      if (group.visibleCount > 0) nodes.push(group);
    } else if (context.isVisible(member)) {
      nodes.push(new EntityNode(member, parent));
    }
  });
  return nodes;
}

function countVisible(group: OutlineGroup, context: NodeContext): number {
  let count = 0;
  for (const member of group.members) {
    count += isGroup(member) ? countVisible(member, context) : context.isVisible(member) ? 1 : 0;
  }
  return count;
}

/**
 * Puts the root's signature status first in its description, and its full explanation in the
 * tooltip; `status` undefined means the document holds no signature.
 */
export function showSignatureStatus(
  node: MetadataNode,
  status: MetadataSignatureStatus | undefined,
  problems: readonly string[],
): void {
  const state = status?.state ?? 'unsigned';
  const shown = node as MetadataNode & { withoutSignature?: vscode.TreeItem['description'] };
  shown.withoutSignature ??= node.description;
  node.description = [signatureStateLabel(state), shown.withoutSignature].filter(Boolean).join(' · ');
  const tooltip = new vscode.MarkdownString();
  if (typeof node.label === 'string') tooltip.appendText(node.label).appendMarkdown('\n\n');
  tooltip.appendMarkdown(`$(${SIGNATURE_ICONS[state].id}) `);
  tooltip.supportThemeIcons = true;
  tooltip.appendText(
    status?.message ?? vscode.l10n.t('The document is not signed: nothing shows it is authentic or unaltered.'),
  );
  for (const line of [...(status?.reasons.map((r) => r.message) ?? []), ...(status?.warnings ?? []), ...problems])
    tooltip.appendMarkdown('\n\n- ').appendText(line);
  node.tooltip = tooltip;
}

/** The children of the tree's root for one outline. */
export function rootNodes(root: OutlineGroup | OutlineEntity, context: NodeContext): MetadataNode[] {
  return entityNodes([root], undefined, context);
}

export class GroupNode extends MetadataNode {
  readonly visibleCount: number;

  constructor(
    public group: OutlineGroup,
    parent: MetadataNode | undefined,
    position: number,
    context: NodeContext,
  ) {
    // A top-level aggregate starts expanded: the entities are what the user came for.
    super(
      group.name ?? vscode.l10n.t('EntitiesDescriptor'),
      parent,
      `g${position}`,
      group.span,
      parent ? Collapsed : Expanded,
    );
    this.visibleCount = countVisible(group, context);
    this.description = vscode.l10n.t('{0} entities', this.visibleCount.toLocaleString(vscode.env.language));
    this.iconPath = new vscode.ThemeIcon('folder-library');
    this.contextValue = NodeKind.Group;
    this.tooltip = group.name ? `EntitiesDescriptor Name="${group.name}"` : 'EntitiesDescriptor';
  }

  protected override buildChildren(context: NodeContext): MetadataNode[] {
    return entityNodes(this.group.members, this, context);
  }

  /**
   * The children, built a slice of members at a time with the event loop free in between: VS Code
   * asks for all of a node's children at once, and 48,000 entity rows in one go kept the host busy
   * for 60 ms. The same nodes as `children()`; whichever finishes first is kept.
   */
  async childrenInSlices(context: NodeContext): Promise<MetadataNode[]> {
    const built = this.builtChildren();
    if (built) return built as MetadataNode[];
    const nodes: MetadataNode[] = [];
    const { members } = this.group;
    for (let from = 0; from < members.length; from += MEMBERS_PER_SLICE) {
      if (from > 0) await nextTurn();
      const slice = entityNodes(members.slice(from, from + MEMBERS_PER_SLICE), this, context, from);
      for (const node of slice) nodes.push(node);
    }
    return this.adoptChildren(nodes);
  }

  /** The same group in a newer outline of the same shape: its members' nodes stay. */
  update(group: OutlineGroup): void {
    this.group = group;
    this.span = group.span;
  }
}

const IDP_ICON = new vscode.ThemeIcon('shield');
const ENTITY_ICON = new vscode.ThemeIcon('globe');

export class EntityNode extends MetadataNode {
  constructor(
    public entity: OutlineEntity,
    parent: MetadataNode | undefined,
  ) {
    super(entity.entityID || vscode.l10n.t('(no entityID)'), parent, `e:${entity.key}`, entity.span, Collapsed);
    this.describe();
    this.contextValue = NodeKind.Entity;
  }

  private describe(): void {
    const entity = this.entity;
    const kinds = [...new Set(entity.roles.map(roleLabel))].join(', ');
    this.description = [entity.displayName, kinds].filter(Boolean).join(' · ');
    this.iconPath = entity.roles.some((r) => r.kind === 'idp') ? IDP_ICON : ENTITY_ICON;
  }

  /** The entity as a newer outline has it; its key (so the node's id) is the same. */
  update(entity: OutlineEntity): void {
    this.entity = entity;
    this.span = entity.span;
    this.label = entity.entityID || vscode.l10n.t('(no entityID)');
    this.tooltip = undefined;
    this.describe();
    this.dropChildren();
  }

  override resolveTooltip(): void {
    this.tooltip ??= new vscode.MarkdownString()
      .appendText(this.entity.entityID)
      .appendMarkdown('\n\n')
      .appendText(String(this.description));
  }

  protected override buildChildren(): MetadataNode[] {
    const nodes: MetadataNode[] = this.entity.roles.map((role, i) => new RoleNode(role, this, i));
    if (this.entity.uiInfo) nodes.push(new UiInfoNode(this.entity.uiInfo, this));
    if (this.entity.extensions) nodes.push(new ExtensionsNode(this.entity.extensions, this));
    if (this.entity.organization) nodes.push(new OrganizationNode(this.entity.organization, this));
    this.entity.contacts.forEach((contact, i) => nodes.push(new ContactNode(contact, this, i)));
    this.entity.unknown.forEach((unknown, i) => nodes.push(new UnknownNode(unknown, this, i)));
    return nodes;
  }
}

/**
 * Short name of a role's kind: "IdP", "SP", "WS-Fed STS"… Kept once made: an aggregate's root
 * rows ask for one per role of 12,000 entities, and each `l10n.t` call costs microseconds.
 */
export function roleLabel(role: OutlineRole): string {
  const key = role.kind === 'other' ? `other:${role.otherType ?? ''}` : role.kind;
  let label = roleLabels.get(key);
  if (label === undefined) {
    label = translatedRoleLabel(role);
    roleLabels.set(key, label);
  }
  return label;
}

const roleLabels = new Map<string, string>();

function translatedRoleLabel(role: OutlineRole): string {
  switch (role.kind) {
    case 'idp':
      return vscode.l10n.t('IdP');
    case 'sp':
      return vscode.l10n.t('SP');
    case 'aa':
      return vscode.l10n.t('Attribute authority');
    case 'authn':
      return vscode.l10n.t('Authn authority');
    case 'pdp':
      return vscode.l10n.t('PDP');
    case 'sts':
      return vscode.l10n.t('WS-Fed STS');
    case 'app':
      return vscode.l10n.t('WS-Fed application');
    case 'other':
      return role.otherType ? vscode.l10n.t('Role {0}', role.otherType) : vscode.l10n.t('Role');
  }
}

const ROLE_ICONS: Record<OutlineRole['kind'], string> = {
  idp: 'key',
  sp: 'server',
  aa: 'symbol-field',
  authn: 'verified',
  pdp: 'law',
  sts: 'key',
  app: 'server-process',
  other: 'symbol-interface',
};

export class RoleNode extends MetadataNode {
  constructor(
    readonly role: OutlineRole,
    parent: EntityNode,
    position: number,
  ) {
    super(roleLabel(role), parent, `r${position}:${role.kind}`, role.span, Collapsed);
    this.description = role.elementName;
    this.iconPath = new vscode.ThemeIcon(ROLE_ICONS[role.kind]);
    this.contextValue = NodeKind.Role;
  }

  protected override buildChildren(): MetadataNode[] {
    const role = this.role;
    const nodes: MetadataNode[] = [];
    if (role.keys.length) {
      nodes.push(
        new SectionNode(
          vscode.l10n.t('Keys'),
          this,
          'keys',
          role.keys,
          'key',
          (key, parent, i) => new KeyNode(key, parent, i),
        ),
      );
    }
    if (role.endpoints.length) {
      nodes.push(
        new SectionNode(
          vscode.l10n.t('Endpoints'),
          this,
          'endpoints',
          role.endpoints,
          'link',
          (e, parent, i) => new EndpointNode(e, parent, i),
        ),
      );
    }
    if (role.nameIdFormats.length) {
      nodes.push(
        new SectionNode(
          vscode.l10n.t('NameID formats'),
          this,
          'nameid',
          role.nameIdFormats,
          'symbol-string',
          (f, parent, i) => new NameIdFormatNode(f, parent, i),
        ),
      );
    }
    if (role.attributes.length) {
      nodes.push(
        new SectionNode(
          vscode.l10n.t('Attributes'),
          this,
          'attributes',
          role.attributes,
          'list-unordered',
          (a, parent, i) => new AttributeNode(a, parent, i),
        ),
      );
    }
    if (role.uiInfo) nodes.push(new UiInfoNode(role.uiInfo, this));
    if (role.extensions) nodes.push(new ExtensionsNode(role.extensions, this));
    role.unknown.forEach((unknown, i) => nodes.push(new UnknownNode(unknown, this, i)));
    return nodes;
  }
}

/** A heading that groups the role's keys, endpoints, formats or attributes. */
export class SectionNode<T> extends MetadataNode {
  constructor(
    label: string,
    parent: RoleNode,
    readonly section: string,
    private readonly items: readonly T[],
    icon: string,
    private readonly makeNode: (item: T, parent: SectionNode<T>, index: number) => MetadataNode,
  ) {
    super(label, parent, section, undefined, Collapsed);
    this.description = String(items.length);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = `${NodeKind.Section}.${section}`;
  }

  protected override buildChildren(): MetadataNode[] {
    return this.items.map((item, i) => this.makeNode(item, this, i));
  }
}

function certificateLabelParts(
  certificate: OutlineCertificate,
  clock: Clock,
): { description: string; icon: vscode.ThemeIcon } {
  const now = clock.now;
  const state = certificateState(certificate, clock);
  switch (state) {
    case 'expired':
      return {
        description: vscode.l10n.t('expired {0}', formatDate(certificate.notAfter!)),
        icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
      };
    case 'expiring':
      return {
        description: vscode.l10n.t('expires {0}', relativeTime(certificate.notAfter!, now)),
        icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
      };
    case 'not-yet-valid':
      return {
        description: vscode.l10n.t('not valid before {0}', formatDate(certificate.notBefore!)),
        icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
      };
    case 'unreadable':
      return {
        description: certificate.invalid ?? vscode.l10n.t('not a readable certificate'),
        icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
      };
    case 'valid':
      return {
        description: vscode.l10n.t('valid until {0}', formatDate(certificate.notAfter!)),
        icon: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
      };
  }
}

/** A node that carries a certificate, for the copy/save/details commands. */
export interface CertificateCarrier {
  readonly certificate: OutlineCertificate;
}

export function carriesCertificate(node: unknown): node is MetadataNode & CertificateCarrier {
  return node instanceof MetadataNode && (node as Partial<CertificateCarrier>).certificate !== undefined;
}

export class KeyNode extends MetadataNode {
  /** The first certificate; the others (rare) become child nodes. */
  readonly certificate: OutlineCertificate | undefined;

  constructor(
    readonly key: OutlineKey,
    parent: MetadataNode,
    position: number,
  ) {
    const first = key.certificates[0];
    const use = key.use ?? vscode.l10n.t('signing and encryption');
    const subject = !first
      ? vscode.l10n.t('no certificate')
      : first.invalid
        ? vscode.l10n.t('unreadable certificate')
        : (first.subjectCommonName ?? vscode.l10n.t('certificate'));
    super(`${use}: ${subject}`, parent, `k${position}`, key.span, key.certificates.length > 1 ? Collapsed : None);
    this.certificate = first;
    this.contextValue = first ? NodeKind.KeyWithCertificate : NodeKind.Key;
    this.iconPath = new vscode.ThemeIcon('key');
  }

  /** Dates depend on the clock, so they are applied when the provider hands the item out. */
  applyClock(clock: Clock): void {
    if (!this.certificate) return;
    const { description, icon } = certificateLabelParts(this.certificate, clock);
    this.description =
      this.key.certificates.length > 1
        ? vscode.l10n.t('{0} (+{1} more)', description, this.key.certificates.length - 1)
        : description;
    this.iconPath = icon;
    this.tooltip = certificateTooltip(this.certificate, clock.now);
  }

  protected override buildChildren(): MetadataNode[] {
    if (this.key.certificates.length < 2) return [];
    return this.key.certificates.map((certificate, i) => new CertificateNode(certificate, this, i));
  }
}

export class CertificateNode extends MetadataNode {
  constructor(
    readonly certificate: OutlineCertificate,
    parent: KeyNode,
    position: number,
  ) {
    const label = certificate.invalid
      ? vscode.l10n.t('unreadable certificate')
      : (certificate.subjectCommonName ?? vscode.l10n.t('certificate'));
    super(label, parent, `c${position}`, certificate.span, None);
    this.contextValue = NodeKind.Certificate;
  }

  applyClock(clock: Clock): void {
    const { description, icon } = certificateLabelParts(this.certificate, clock);
    this.description = description;
    this.iconPath = icon;
    this.tooltip = certificateTooltip(this.certificate, clock.now);
  }
}

function certificateTooltip(certificate: OutlineCertificate, now: Date): string {
  if (!certificate.notAfter || !certificate.notBefore)
    return certificate.invalid ?? vscode.l10n.t('not a readable certificate');
  return [
    certificate.note,
    certificate.subjectCommonName ? `CN=${certificate.subjectCommonName}` : undefined,
    vscode.l10n.t('Valid from {0} to {1}', formatDate(certificate.notBefore), formatDate(certificate.notAfter)),
    certificate.notAfter.getTime() < now.getTime()
      ? vscode.l10n.t('Expired {0}', relativeTime(certificate.notAfter, now))
      : vscode.l10n.t('Expires {0}', relativeTime(certificate.notAfter, now)),
  ]
    .filter(Boolean)
    .join('\n');
}

export class EndpointNode extends MetadataNode {
  constructor(
    readonly endpoint: OutlineEndpoint,
    parent: MetadataNode,
    position: number,
  ) {
    super(`${shortUriName(endpoint.binding)} ${endpoint.location}`, parent, `p${position}`, endpoint.span, None);
    const details = [endpoint.service];
    if (endpoint.index !== undefined) details.push(vscode.l10n.t('index {0}', endpoint.index));
    if (endpoint.isDefault === 'true' || endpoint.isDefault === '1') details.push(vscode.l10n.t('default'));
    this.description = details.join(' · ');
    this.tooltip = [
      `${endpoint.service}`,
      `Binding: ${endpoint.binding}`,
      `Location: ${endpoint.location}`,
      endpoint.responseLocation ? `ResponseLocation: ${endpoint.responseLocation}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    this.iconPath = new vscode.ThemeIcon('link');
    this.contextValue = NodeKind.Endpoint;
  }
}

export class NameIdFormatNode extends MetadataNode {
  constructor(
    readonly format: OutlineValue,
    parent: MetadataNode,
    position: number,
  ) {
    super(shortUriName(format.value), parent, `f${position}`, format.span, None);
    this.description = format.value;
    this.tooltip = format.value;
    this.iconPath = new vscode.ThemeIcon('symbol-string');
    this.contextValue = NodeKind.NameIdFormat;
  }
}

export class AttributeNode extends MetadataNode {
  constructor(
    readonly attribute: OutlineAttribute,
    parent: MetadataNode,
    position: number,
  ) {
    super(attribute.friendlyName || attribute.name, parent, `a${position}`, attribute.span, None);
    const details = [attribute.kind === 'requested' ? vscode.l10n.t('requested') : vscode.l10n.t('offered')];
    if (attribute.required) details.push(vscode.l10n.t('required'));
    if (attribute.friendlyName) details.push(attribute.name);
    this.description = details.join(' · ');
    this.tooltip = [attribute.name, attribute.nameFormat].filter(Boolean).join('\n');
    this.iconPath = new vscode.ThemeIcon(attribute.required ? 'symbol-field' : 'symbol-property');
    this.contextValue = NodeKind.Attribute;
  }
}

/** A "label: value" line under Organization, a contact or UI info. */
export class DetailNode extends MetadataNode {
  constructor(
    readonly item: OutlineLabelled,
    parent: MetadataNode,
    position: number,
  ) {
    super(item.label, parent, `d${position}`, item.span, None);
    this.description = item.value;
    this.tooltip = item.value;
    this.contextValue = NodeKind.Detail;
  }
}

export class OrganizationNode extends MetadataNode {
  constructor(
    readonly organization: OutlineOrganization,
    parent: MetadataNode,
  ) {
    super(
      vscode.l10n.t('Organization'),
      parent,
      'org',
      organization.span,
      organization.items.length ? Collapsed : None,
    );
    this.description = organization.displayName;
    this.iconPath = new vscode.ThemeIcon('organization');
    this.contextValue = NodeKind.Organization;
  }

  protected override buildChildren(): MetadataNode[] {
    return this.organization.items.map((item, i) => new DetailNode(item, this, i));
  }
}

export class ContactNode extends MetadataNode {
  constructor(
    readonly contact: OutlineContact,
    parent: MetadataNode,
    position: number,
  ) {
    super(
      vscode.l10n.t('Contact ({0})', contact.contactType),
      parent,
      `contact${position}`,
      contact.span,
      contact.items.length ? Collapsed : None,
    );
    this.description = contact.name;
    this.iconPath = new vscode.ThemeIcon('person');
    this.contextValue = NodeKind.Contact;
  }

  protected override buildChildren(): MetadataNode[] {
    return this.contact.items.map((item, i) => new DetailNode(item, this, i));
  }
}

export class UiInfoNode extends MetadataNode {
  constructor(
    readonly uiInfo: OutlineUiInfo,
    parent: MetadataNode,
  ) {
    super(vscode.l10n.t('UI info'), parent, 'ui', uiInfo.span, uiInfo.items.length ? Collapsed : None);
    this.description = uiInfo.items.find((i) => i.label.startsWith('DisplayName'))?.value;
    this.iconPath = new vscode.ThemeIcon('preview');
    this.contextValue = NodeKind.UiInfo;
  }

  protected override buildChildren(): MetadataNode[] {
    return this.uiInfo.items.map((item, i) => new DetailNode(item, this, i));
  }
}

/** Registration, entity attributes (entity categories…) and scopes from md:Extensions. */
export class ExtensionsNode extends MetadataNode {
  constructor(
    readonly extensions: OutlineExtensions,
    parent: MetadataNode,
  ) {
    super(vscode.l10n.t('Extensions'), parent, 'ext', extensions.span, Collapsed);
    this.description = String(extensions.items.length);
    this.iconPath = new vscode.ThemeIcon('extensions');
    this.contextValue = NodeKind.Extensions;
  }

  protected override buildChildren(): MetadataNode[] {
    return this.extensions.items.map((item, i) => new DetailNode(item, this, i));
  }
}

export class UnknownNode extends MetadataNode {
  constructor(
    readonly unknown: OutlineUnknown,
    parent: MetadataNode | undefined,
    position: number,
  ) {
    // A SAML-family element (e.g. WS-Federation's ClaimTypesOffered) is expected, just not detailed;
    // anything else is marked unknown.
    super(
      unknown.knownNamespace ? unknown.name : vscode.l10n.t('Unknown element'),
      parent,
      `u${position}`,
      unknown.span,
      None,
    );
    this.description = unknown.knownNamespace ? vscode.l10n.t('not shown in detail') : unknown.name;
    this.tooltip = unknown.knownNamespace
      ? vscode.l10n.t('{0} is not shown in detail; click to see it in the editor.', unknown.name)
      : vscode.l10n.t('SAML Lens does not know the element {0} here; it is shown as it is.', unknown.name);
    this.iconPath = new vscode.ThemeIcon(unknown.knownNamespace ? 'symbol-misc' : 'question');
    this.contextValue = unknown.knownNamespace ? NodeKind.OtherElement : NodeKind.Unknown;
  }
}

/** A document that could not be parsed: one node with the message; clicking it goes to the error. */
export class ErrorNode extends MetadataNode {
  constructor(
    readonly message: string,
    readonly line: number | undefined,
    offset: number | undefined,
  ) {
    super(message, undefined, 'error', offset === undefined ? undefined : { start: offset, end: offset }, None);
    this.description = line === undefined ? undefined : vscode.l10n.t('line {0}', line + 1);
    this.tooltip = message;
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    this.contextValue = NodeKind.Error;
  }
}
