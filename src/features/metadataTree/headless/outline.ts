/**
 * What the metadata tree shows, independent of VS Code: a flat, index-friendly outline built once
 * from the core metadata model (see fromModel.ts), plus the pure helpers the view needs
 * (counts, filtering, "which node holds this offset").
 *
 * Spans are UTF-16 offsets into the text the outline was built from (the editor's text or the
 * file read from disk), so they map onto `TextDocument.positionAt` directly.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The kinds of role the tree distinguishes; `other` covers extension RoleDescriptors. */
export type RoleKind = 'idp' | 'sp' | 'aa' | 'authn' | 'pdp' | 'sts' | 'app' | 'other';

export interface OutlineCertificate {
  readonly base64: string;
  readonly span: Span;
  /** Validity dates, when the certificate could be read; `invalid` holds the reason otherwise. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly subjectCommonName?: string;
  readonly invalid?: string;
  /** Something odd about how the certificate is written (e.g. a double-encoded PEM). */
  readonly note?: string;
}

export interface OutlineKey {
  /** `signing`, `encryption`, or undefined when the KeyDescriptor has no `use` (both). */
  readonly use?: string;
  readonly span: Span;
  readonly certificates: readonly OutlineCertificate[];
}

export interface OutlineEndpoint {
  /** The element's local name: SingleSignOnService, AssertionConsumerService… */
  readonly service: string;
  readonly binding: string;
  readonly location: string;
  readonly responseLocation?: string;
  readonly index?: string;
  readonly isDefault?: string;
  readonly span: Span;
}

export interface OutlineValue {
  readonly value: string;
  readonly span: Span;
}

export interface OutlineAttribute {
  readonly kind: 'requested' | 'offered';
  readonly name: string;
  readonly friendlyName?: string;
  readonly nameFormat?: string;
  readonly required: boolean;
  readonly span: Span;
}

export interface OutlineLabelled {
  /** What the value is: "DisplayName (en)", "Logo 64×64", "Email"… */
  readonly label: string;
  readonly value: string;
  readonly span: Span;
}

export interface OutlineUiInfo {
  readonly span: Span;
  readonly items: readonly OutlineLabelled[];
}

/** What an md:Extensions element holds besides UI info: registration, entity attributes, scopes. */
export interface OutlineExtensions {
  readonly span: Span;
  readonly items: readonly OutlineLabelled[];
}

export interface OutlineOrganization {
  readonly span: Span;
  readonly displayName?: string;
  readonly items: readonly OutlineLabelled[];
}

export interface OutlineContact {
  readonly span: Span;
  readonly contactType: string;
  readonly name?: string;
  readonly items: readonly OutlineLabelled[];
}

/** An element the model does not interpret; shown rather than dropped. */
export interface OutlineUnknown {
  /** Prefixed name for SAML-family namespaces ("fed:ClaimTypesOffered"), else "local (namespace)". */
  readonly name: string;
  /** In a namespace of the SAML family, so expected there but not shown in detail. */
  readonly knownNamespace: boolean;
  readonly span: Span;
}

export interface OutlineRole {
  readonly kind: RoleKind;
  /** The element as written in the tree: "IDPSSODescriptor", `RoleDescriptor xsi:type="fed:…"`. */
  readonly elementName: string;
  /** For a RoleDescriptor of a type the tree does not name: the xsi:type as written. */
  readonly otherType?: string;
  readonly span: Span;
  readonly keys: readonly OutlineKey[];
  readonly endpoints: readonly OutlineEndpoint[];
  readonly nameIdFormats: readonly OutlineValue[];
  readonly attributes: readonly OutlineAttribute[];
  readonly uiInfo?: OutlineUiInfo;
  readonly extensions?: OutlineExtensions;
  readonly unknown: readonly OutlineUnknown[];
}

export interface OutlineEntity {
  /** Position among all entities of the document, in document order. */
  readonly index: number;
  /**
   * Identifies the entity across edits: its entityID and which occurrence of that entityID it is.
   * Unlike the index, it survives inserting or removing other entities.
   */
  readonly key: string;
  readonly entityID: string;
  readonly displayName?: string;
  readonly span: Span;
  readonly roles: readonly OutlineRole[];
  /** UI info placed on the entity itself rather than on a role (seen in some aggregates). */
  readonly uiInfo?: OutlineUiInfo;
  readonly extensions?: OutlineExtensions;
  readonly organization?: OutlineOrganization;
  readonly contacts: readonly OutlineContact[];
  readonly unknown: readonly OutlineUnknown[];
}

/** An EntitiesDescriptor: a group of entities and nested groups. */
export interface OutlineGroup {
  readonly name?: string;
  readonly span: Span;
  readonly members: readonly (OutlineGroup | OutlineEntity)[];
}

export interface OutlineParseError {
  readonly message: string;
  /** Offset the error points at, when the parser knew it. */
  readonly offset?: number;
}

export interface MetadataOutline {
  /** The root: a group for an aggregate, an entity for single-entity metadata. */
  readonly root?: OutlineGroup | OutlineEntity;
  /** Every entity, in document order (so `entities[i].index === i`). */
  readonly entities: readonly OutlineEntity[];
  readonly error?: OutlineParseError;
  /** Top-level parts the model did not recognise (e.g. a root that is not metadata). */
  readonly unknown: readonly OutlineUnknown[];
}

/**
 * Moves every span of an entity's outline by `delta` characters, in place: after an edit elsewhere
 * the host keeps the outline of an entity the edit did not touch, and the tree's nodes point at
 * these very spans.
 */
export function moveEntity(entity: OutlineEntity, delta: number): void {
  const move = (item: { readonly span: Span } | undefined) => {
    if (!item) return;
    const span = item.span as { start: number; end: number };
    span.start += delta;
    span.end += delta;
  };
  const moveAll = (items: readonly { readonly span: Span }[]) => items.forEach(move);
  const moveItems = (holder: { readonly span: Span; readonly items: readonly OutlineLabelled[] } | undefined) => {
    move(holder);
    if (holder) moveAll(holder.items);
  };
  move(entity);
  for (const role of entity.roles) {
    move(role);
    for (const key of role.keys) {
      move(key);
      moveAll(key.certificates);
    }
    moveAll(role.endpoints);
    moveAll(role.nameIdFormats);
    moveAll(role.attributes);
    moveItems(role.uiInfo);
    moveItems(role.extensions);
    moveAll(role.unknown);
  }
  moveItems(entity.uiInfo);
  moveItems(entity.extensions);
  moveItems(entity.organization);
  entity.contacts.forEach(moveItems);
  moveAll(entity.unknown);
}

export function isGroup(member: OutlineGroup | OutlineEntity): member is OutlineGroup {
  return 'members' in member;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When certificate states are judged: the instant, and how many days ahead count as "expiring". */
export interface Clock {
  readonly now: Date;
  readonly warnDays: number;
}

export type CertificateState = 'valid' | 'expiring' | 'expired' | 'not-yet-valid' | 'unreadable';

export function certificateState(certificate: OutlineCertificate, clock: Clock): CertificateState {
  if (!certificate.notAfter || !certificate.notBefore) return 'unreadable';
  const nowMs = clock.now.getTime();
  if (certificate.notAfter.getTime() < nowMs) return 'expired';
  if (certificate.notBefore.getTime() > nowMs) return 'not-yet-valid';
  if (certificate.notAfter.getTime() - nowMs <= clock.warnDays * DAY_MS) return 'expiring';
  return 'valid';
}

export function* entityCertificates(entity: OutlineEntity): Iterable<OutlineCertificate> {
  for (const role of entity.roles) {
    for (const key of role.keys) yield* key.certificates;
  }
}

export interface OutlineCounts {
  readonly entities: number;
  readonly idps: number;
  readonly sps: number;
  /** Distinct certificates (by base64) that expire within the warning period. */
  readonly expiring: number;
  /** Distinct certificates that have already expired. */
  readonly expired: number;
}

export function countOutline(outline: MetadataOutline, clock: Clock): OutlineCounts {
  let idps = 0;
  let sps = 0;
  const expiring = new Set<string>();
  const expired = new Set<string>();
  // Plain loops rather than entityCertificates(): on 12,000 entities the generator took most of the time.
  for (const entity of outline.entities) {
    let idp = false;
    let sp = false;
    for (const role of entity.roles) {
      idp ||= role.kind === 'idp';
      sp ||= role.kind === 'sp';
      for (const key of role.keys) {
        for (const certificate of key.certificates) {
          const state = certificateState(certificate, clock);
          if (state === 'expiring') expiring.add(certificate.base64);
          else if (state === 'expired') expired.add(certificate.base64);
        }
      }
    }
    if (idp) idps++;
    if (sp) sps++;
  }
  return { entities: outline.entities.length, idps, sps, expiring: expiring.size, expired: expired.size };
}

/**
 * A parsed filter: whitespace-separated terms that must all match.
 * `role:idp` (or sp, aa, sts…) keeps entities with that role, `cert:expiring` / `cert:expired`
 * keeps entities with such a certificate, any other word must appear in the entityID or a display name.
 */
export interface EntityFilter {
  readonly text: string;
  readonly words: readonly string[];
  readonly roles: readonly RoleKind[];
  readonly certificates: readonly ('expiring' | 'expired')[];
}

export const ROLE_WORDS: Readonly<Record<string, RoleKind>> = {
  idp: 'idp',
  sp: 'sp',
  aa: 'aa',
  authn: 'authn',
  pdp: 'pdp',
  sts: 'sts',
  app: 'app',
  other: 'other',
};

/** A bad term is reported by kind so the view can word the message. */
export type FilterParse = { filter: EntityFilter } | { error: 'role' | 'cert'; value: string };

export function parseFilter(text: string): FilterParse {
  const words: string[] = [];
  const roles: RoleKind[] = [];
  const certificates: ('expiring' | 'expired')[] = [];
  for (const term of text.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    const [prefix, value] = term.includes(':')
      ? [term.slice(0, term.indexOf(':')), term.slice(term.indexOf(':') + 1)]
      : ['', term];
    if (prefix === 'role') {
      const kind = ROLE_WORDS[value];
      if (!kind) return { error: 'role', value };
      roles.push(kind);
    } else if (prefix === 'cert') {
      if (value !== 'expiring' && value !== 'expired') return { error: 'cert', value };
      certificates.push(value);
    } else {
      // Anything else, including URLs with colons, is plain text to look for.
      words.push(term);
    }
  }
  return { filter: { text: text.trim(), words, roles, certificates } };
}

/** Lower-cased text a plain word is matched against; computed once per outline. */
export function searchTextOf(entity: OutlineEntity): string {
  const names = [entity.entityID, entity.displayName ?? '', entity.organization?.displayName ?? ''];
  for (const item of entity.uiInfo?.items ?? []) if (item.label.startsWith('DisplayName')) names.push(item.value);
  for (const role of entity.roles) {
    for (const item of role.uiInfo?.items ?? []) if (item.label.startsWith('DisplayName')) names.push(item.value);
  }
  return names.join('\n').toLowerCase();
}

export function entityMatches(entity: OutlineEntity, searchText: string, filter: EntityFilter, clock: Clock): boolean {
  for (const word of filter.words) if (!searchText.includes(word)) return false;
  for (const role of filter.roles) if (!entity.roles.some((r) => r.kind === role)) return false;
  for (const wanted of filter.certificates) if (!hasCertificateIn(entity, wanted, clock)) return false;
  return true;
}

// Plain loops rather than entityCertificates(): a filter judges every entity of an aggregate.
function hasCertificateIn(entity: OutlineEntity, wanted: CertificateState, clock: Clock): boolean {
  for (const role of entity.roles) {
    for (const key of role.keys) {
      for (const certificate of key.certificates) if (certificateState(certificate, clock) === wanted) return true;
    }
  }
  return false;
}

export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset < span.end;
}

/** "HTTP-Redirect" from "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect". */
export function shortUriName(uri: string): string {
  const trimmed = uri.trim();
  const cut = Math.max(trimmed.lastIndexOf(':'), trimmed.lastIndexOf('/'), trimmed.lastIndexOf('#'));
  return cut >= 0 && cut < trimmed.length - 1 ? trimmed.slice(cut + 1) : trimmed;
}
