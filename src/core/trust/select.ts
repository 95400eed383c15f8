/**
 * The one rule that picks the keys to trust and the service provider to check against, for the
 * command line and the editor alike, so that a verdict in the terminal is the verdict in the panel.
 *
 * Keys: the signing keys of the entity whose entityID equals the message's Issuer, in the role that
 * signs this kind of message (IDPSSODescriptor for a Response, or an AttributeAuthorityDescriptor
 * when no IdP matches, as for a response to an attribute query; SPSSODescriptor for an AuthnRequest;
 * either for logout messages), in any metadata document given; in a document named for the purpose
 * (`--idp-metadata`, a service provider's `idpMetadata`) that holds a single such entity, that one
 * ("the only IdP in the file", so that a wrong Issuer is reported as such); plus every certificate, public
 * key and fingerprint configured. A certificate inside the message is never a source of trust.
 *
 * Expectations: a configured service provider (settings) or an SP in the metadata whose entityID is
 * the Audience, or whose ACS URL is the Destination or a Recipient; in a document named for the
 * purpose (`--sp-metadata`) holding a single SP, that one. Options given outright override fields.
 *
 * Each choice says how it was made ("matched by Issuer", "matched by Audience", "the only IdP in
 * the file", "configured"), and problems with the sources (expired metadata, an aggregate without the
 * entity the message names, a SHA-1 fingerprint) become findings of the report.
 */
import { parseDateTimeOrUndefined } from '../dateTime';
import type { IdentityProviderSummary, ServiceProviderSummary } from '../metadata/summary';
import type { SamlMessageType } from '../messages/decode';
import type { MessageAddressing } from '../messages/text';
import { FindingList } from '../validate/findings';
import type {
  ExpectedAttribute,
  Finding,
  ServiceProviderExpectations,
  TrustedCertificate,
  ValidationContext,
} from '../validate/types';
import { anchorLabel } from './anchors';

/** The parts of a metadata summary the selection reads (a successful MetadataSummary fits). */
export interface MetadataContents {
  readonly identityProviders: readonly IdentityProviderSummary[];
  readonly serviceProviders: readonly ServiceProviderSummary[];
  readonly attributeAuthorities?: readonly IdentityProviderSummary[];
  /** Every EntityDescriptor in the file; for messages such as "none of the 442 entities". */
  readonly entityCount?: number;
}

export interface MetadataDocument {
  /** The file as the user knows it: a path. */
  readonly label: string;
  readonly contents: MetadataContents;
  /**
   * What the user named the file for. In a file named for IdP trust ('idp') or SP expectations
   * ('sp') the single entity of that role is used even when it does not match, and an aggregate in
   * which nothing matches is reported; a file merely found ('found', e.g. in the workspace) is used
   * only where an entity matches.
   */
  readonly namedFor: 'idp' | 'sp' | 'found';
  /** Overrides how a use of this document is described (e.g. "chosen in the panel"). */
  readonly how?: string;
  /** What the document may be used for (default both): keys, expectations. */
  readonly useFor?: 'trust' | 'expectations';
}

const forTrust = (d: MetadataDocument) => d.useFor !== 'expectations';
const forExpectations = (d: MetadataDocument) => d.useFor !== 'trust';

/** A certificate, public key or fingerprint the user configured, and how it was given. */
export type ConfiguredAnchor = TrustedCertificate & { readonly how?: string };

export interface ConfiguredServiceProvider {
  readonly entityId?: string;
  readonly acsUrls?: readonly string[];
  readonly expectedAttributes?: readonly string[];
  readonly wantAssertionsSigned?: boolean;
  /** Shown to the user: "samlLens.serviceProviders", "command-line options". */
  readonly source: string;
  /** When set, the entry is used whatever the message says, described this way (e.g. "chosen in the panel"). */
  readonly how?: string;
}

export interface TrustSelectionInput {
  readonly messageType: SamlMessageType;
  readonly addressing: MessageAddressing;
  /** The validation clock: metadata past its validUntil is reported. */
  readonly now: Date;
  readonly documents: readonly MetadataDocument[];
  readonly anchors?: readonly ConfiguredAnchor[];
  /** Configured service providers, used when one matches the message (or is pinned with `how`). */
  readonly serviceProviders?: readonly ConfiguredServiceProvider[];
  /** Expectations given outright (command-line options): each field given replaces the one chosen. */
  readonly spOverride?: ConfiguredServiceProvider;
  /** Do not check against any service provider (chosen in the panel). */
  readonly noServiceProvider?: boolean;
}

export interface TrustChoice {
  /** 'IdP https://…', 'SP https://…' (as signer), 'Service provider', 'Trusted public key', … */
  readonly what: string;
  readonly role: 'signer' | 'anchor' | 'service-provider';
  readonly entityId?: string;
  /** The file or setting it came from. */
  readonly source: string;
  /** "matched by Issuer", "matched by Audience", "the only IdP in the file", "configured", … */
  readonly how: string;
  /** Keys it contributed (signers and anchors). */
  readonly keys?: number;
}

export interface TrustSelection {
  readonly trustedCertificates: TrustedCertificate[];
  /** The entity whose keys were chosen: the expected Issuer. */
  readonly idpEntityId?: string;
  readonly sp?: ServiceProviderExpectations;
  /** The chosen SP metadata says WantAssertionsSigned="true". */
  readonly requireSignedAssertion: boolean;
  /** Why an AuthnRequest must be signed (AuthnRequestsSigned / WantAuthnRequestsSigned), when metadata says so. */
  readonly requireSignedRequest?: string;
  readonly choices: TrustChoice[];
  readonly findings: Finding[];
}

type SignerRole = 'IdP' | 'AttributeAuthority' | 'SP';

function signerRoles(messageType: SamlMessageType): SignerRole[] {
  if (messageType === 'Response') return ['IdP'];
  if (messageType === 'AuthnRequest') return ['SP'];
  return ['IdP', 'SP'];
}

function entitiesOf(contents: MetadataContents, role: SignerRole): readonly IdentityProviderSummary[] {
  if (role === 'IdP') return contents.identityProviders;
  if (role === 'AttributeAuthority') return contents.attributeAuthorities ?? [];
  return contents.serviceProviders;
}

const ROLE_WORDS: Record<SignerRole, string> = { IdP: 'IdP', AttributeAuthority: 'attribute authority', SP: 'SP' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** Up to three entityIDs nearest to `wanted`, for "closest: …" in a no-match message. */
export function closestEntityIds(wanted: string, candidates: readonly string[]): string[] {
  const cap = (s: string) => s.slice(0, 256);
  const target = cap(wanted).toLowerCase();
  // A cheap shortlist first (shared prefix), so a 10,000-entity aggregate costs little.
  const prefix = (s: string) => {
    let i = 0;
    while (i < s.length && i < target.length && s[i] === target[i]) i++;
    return i;
  };
  const unique = [...new Set(candidates)];
  const shortlist =
    unique.length <= 200
      ? unique
      : unique
          .map((id) => ({ id, score: prefix(cap(id).toLowerCase()) }))
          .sort((x, y) => y.score - x.score)
          .slice(0, 200)
          .map((x) => x.id);
  return shortlist
    .map((id) => ({ id, distance: levenshtein(target, cap(id).toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance || x.id.localeCompare(y.id))
    .slice(0, 3)
    .map((x) => x.id);
}

/**
 * "None of the 442 entities in F is an IdP with entityID X (the message's Issuer); closest: …".
 * `wanted` is what the message names, each with the field it comes from and what it is compared
 * with; the closest entityIDs are those nearest to the first.
 */
function noMatchMessage(
  document: MetadataDocument,
  role: string,
  wanted: readonly { value: string; field: string; as: string }[],
  ids: readonly string[],
): string {
  const count = document.contents.entityCount ?? ids.length;
  if (wanted.length === 0) {
    const plural = role === 'attribute authority' ? 'attribute authorities' : `${role}s`;
    return `${document.label} holds ${ids.length} ${plural} and the message names nothing to choose one by.`;
  }
  const named = wanted.map((w) => `${w.as} ${w.value} (the message's ${w.field})`).join(' or ');
  const closest = closestEntityIds(wanted[0].value, ids);
  return `None of the ${count} ${count === 1 ? 'entity' : 'entities'} in ${document.label} is an ${role} with ${named}${closest.length ? `; closest: ${closest.join(', ')}` : ''}.`;
}

function expiryFinding(
  findings: FindingList,
  entity: { entityId: string; validUntil?: string },
  label: string,
  now: Date,
  used: string,
): void {
  if (!entity.validUntil) return;
  const until = parseDateTimeOrUndefined(entity.validUntil);
  if (!until || until.getTime() > now.getTime()) return;
  findings.warn('trust.metadata-expired', {
    message: `The metadata of ${entity.entityId} in ${label} expired on ${entity.validUntil} (validUntil); its ${used} are still used for this check.`,
    found: entity.validUntil,
    expected: `validUntil after ${now.toISOString()}`,
    fix: 'Download the current metadata from its publisher (and check its signature): peers that enforce validUntil refuse expired metadata.',
  });
}

/** How a service provider matches the message: "matched by Audience" (entityID), "… by Destination" or "… by Recipient" (ACS URL). */
export function serviceProviderMatch(
  sp: { entityId?: string; acsUrls?: readonly string[] },
  addressing: MessageAddressing,
): string | undefined {
  const acsUrls = sp.acsUrls ?? [];
  if (sp.entityId !== undefined && addressing.audiences.includes(sp.entityId)) return 'matched by Audience';
  if (addressing.destination && acsUrls.includes(addressing.destination)) return 'matched by Destination';
  if (addressing.recipients.some((r) => acsUrls.includes(r))) return 'matched by Recipient';
  return undefined;
}

function selectSigners(input: TrustSelectionInput, findings: FindingList) {
  const trusted: TrustedCertificate[] = [];
  const choices: TrustChoice[] = [];
  const issuer = input.addressing.issuer;
  const roles = signerRoles(input.messageType);
  const use = (document: MetadataDocument, entity: IdentityProviderSummary, role: SignerRole, how: string): void => {
    const source = `${document.label} (${entity.entityId})`;
    for (const base64 of entity.signingCertificates) trusted.push({ base64, source, entityId: entity.entityId });
    choices.push({
      what: `${role === 'AttributeAuthority' ? 'Attribute authority' : role} ${entity.entityId}`,
      role: 'signer',
      entityId: entity.entityId,
      source: document.label,
      how: document.how ?? how,
      keys: entity.signingCertificates.length,
    });
    expiryFinding(findings, entity, document.label, input.now, 'signing keys');
  };

  // 1. Matched by Issuer, in every document.
  const match = (role: SignerRole) => {
    let found = false;
    for (const document of input.documents.filter(forTrust)) {
      for (const entity of entitiesOf(document.contents, role)) {
        if (issuer === undefined || entity.entityId !== issuer) continue;
        use(
          document,
          entity,
          role,
          role === 'AttributeAuthority' ? 'matched by Issuer (AttributeAuthorityDescriptor)' : 'matched by Issuer',
        );
        found = true;
      }
    }
    return found;
  };
  let matched = false;
  for (const role of roles) matched = match(role) || matched;
  // A response to an attribute query is signed by an attribute authority.
  if (!matched && input.messageType === 'Response') matched = match('AttributeAuthority');
  if (matched) return { trusted, choices };

  // 2. The single entity of a file named for it; or say why nothing in it was used.
  for (const document of input.documents.filter(forTrust)) {
    const named =
      document.namedFor === 'idp'
        ? roles.filter((r) => r !== 'SP')
        : document.namedFor === 'sp'
          ? roles.filter((r) => r === 'SP')
          : [];
    for (const role of named) {
      const entities = entitiesOf(document.contents, role);
      if (entities.length === 1) {
        use(document, entities[0], role, `the only ${ROLE_WORDS[role]} in the file`);
      } else if (entities.length > 1) {
        findings.notChecked('trust.no-matching-entity', {
          message: noMatchMessage(
            document,
            ROLE_WORDS[role],
            issuer ? [{ value: issuer, field: 'Issuer', as: 'entityID' }] : [],
            entities.map((e) => e.entityId),
          ),
          found: issuer ?? '(no Issuer)',
          fix: `Use the metadata of the entity that issued this message, or check the Issuer: entityIDs are compared exactly (scheme, host, trailing slash).`,
        });
      }
    }
  }
  return { trusted, choices };
}

function expectationsFrom(
  sp: ConfiguredServiceProvider | ServiceProviderSummary,
  source: string,
): ServiceProviderExpectations {
  return {
    entityId: sp.entityId,
    acsUrls: [...(sp.acsUrls ?? [])],
    expectedAttributes: (sp.expectedAttributes ?? []).map((name): ExpectedAttribute => ({ name, required: true })),
    ...(sp.wantAssertionsSigned ? { wantAssertionsSigned: true } : {}),
    source,
  };
}

function selectServiceProvider(
  input: TrustSelectionInput,
  findings: FindingList,
): { sp?: ServiceProviderExpectations; choice?: TrustChoice } {
  if (input.noServiceProvider) return {};
  const configured = input.serviceProviders ?? [];
  const fromConfigured = (entry: ConfiguredServiceProvider, how: string) => ({
    sp: expectationsFrom(entry, `${entry.source} (${how})`),
    choice: {
      what: 'Service provider',
      role: 'service-provider',
      entityId: entry.entityId,
      source: entry.source,
      how,
    } as const,
  });
  const fromDocument = (document: MetadataDocument, entity: ServiceProviderSummary, how: string) => {
    const described = document.how ?? how;
    expiryFinding(findings, entity, document.label, input.now, 'expectations');
    return {
      sp: expectationsFrom(entity, `SP metadata ${document.label} (${described})`),
      choice: {
        what: 'Service provider',
        role: 'service-provider',
        entityId: entity.entityId,
        source: document.label,
        how: described,
      } as const,
    };
  };

  const pinned = configured.find((c) => c.how);
  if (pinned) return fromConfigured(pinned, pinned.how!);
  for (const entry of configured) {
    const reason = serviceProviderMatch(entry, input.addressing);
    if (reason) return fromConfigured(entry, reason);
  }
  for (const document of input.documents.filter(forExpectations)) {
    for (const entity of document.contents.serviceProviders) {
      const reason = serviceProviderMatch(entity, input.addressing);
      if (reason) return fromDocument(document, entity, reason);
    }
  }
  for (const document of input.documents.filter((d) => d.namedFor === 'sp' && forExpectations(d))) {
    const entities = document.contents.serviceProviders;
    if (entities.length === 1) return fromDocument(document, entities[0], 'the only SP in the file');
    if (entities.length > 1) {
      const { audiences, destination } = input.addressing;
      const wanted = [
        ...audiences.map((value) => ({ value, field: 'Audience', as: 'entityID' })),
        ...(destination ? [{ value: destination, field: 'Destination', as: 'ACS URL' }] : []),
      ];
      findings.notChecked('trust.no-matching-entity', {
        message: noMatchMessage(
          document,
          'SP',
          wanted,
          entities.map((e) => e.entityId),
        ),
        found: wanted.map((w) => w.value).join(', ') || '(no Audience or Destination)',
        fix: 'Use the metadata of the service provider this message is addressed to; its entityID must equal the Audience, or one of its ACS URLs the Destination.',
      });
    }
  }
  return {};
}

export function selectTrust(input: TrustSelectionInput): TrustSelection {
  const findings = new FindingList();
  const { trusted, choices } = selectSigners(input, findings);
  for (const anchor of input.anchors ?? []) {
    const { how, ...certificate } = anchor;
    trusted.push(certificate);
    const label = anchorLabel(anchor);
    choices.push({
      what: `Trusted ${label}`,
      role: 'anchor',
      source:
        anchor.kind === 'fingerprint' && anchor.fingerprint
          ? `${anchor.fingerprint.algorithm}:${anchor.fingerprint.hex} (${anchor.source})`
          : anchor.source,
      how: how ?? 'configured',
      keys: 1,
    });
    if (anchor.kind === 'fingerprint' && anchor.fingerprint?.algorithm === 'sha1') {
      findings.warn('trust.fingerprint-sha1', {
        message: `The trusted certificate from ${anchor.source} is named by its SHA-1 fingerprint ${anchor.fingerprint.hex}; it is accepted, but SHA-1 is not collision-resistant.`,
        found: `sha1:${anchor.fingerprint.hex}`,
        fix: 'Name the certificate by its SHA-256 fingerprint (openssl x509 -noout -fingerprint -sha256) or give the certificate itself.',
      });
    }
  }
  const signerIds = [...new Set(choices.filter((c) => c.role === 'signer').map((c) => c.entityId!))];

  const selected = selectServiceProvider(input, findings);
  let sp = selected.sp;
  if (selected.choice) choices.push(selected.choice);
  const override = input.spOverride;
  if (override && (override.entityId || override.acsUrls?.length || override.expectedAttributes)) {
    const overridden = expectationsFrom(override, override.source);
    sp = {
      entityId: override.entityId ?? sp?.entityId,
      acsUrls: override.acsUrls?.length ? overridden.acsUrls : sp?.acsUrls,
      expectedAttributes: override.expectedAttributes ? overridden.expectedAttributes : sp?.expectedAttributes,
      ...(sp?.wantAssertionsSigned ? { wantAssertionsSigned: true } : {}),
      source: sp ? `${sp.source} and ${override.source}` : override.source,
    };
    choices.push({
      what: 'Service provider',
      role: 'service-provider',
      entityId: sp.entityId,
      source: override.source,
      how: override.how ?? 'configured',
    });
  }
  const requireSignedRequest = input.messageType === 'AuthnRequest' ? requestSigningRule(input, signerIds) : undefined;
  return {
    trustedCertificates: trusted,
    idpEntityId: signerIds.length === 1 ? signerIds[0] : undefined,
    sp,
    requireSignedAssertion: sp?.wantAssertionsSigned === true,
    ...(requireSignedRequest ? { requireSignedRequest } : {}),
    choices,
    findings: findings.items,
  };
}

/**
 * Metadata 2.4.3 and 2.4.4: the SP that sent the request (matched by Issuer) promises to sign it
 * (AuthnRequestsSigned), or the IdP it is for (a file named for the IdP) wants it signed
 * (WantAuthnRequestsSigned). Says which, for the finding's message.
 */
function requestSigningRule(input: TrustSelectionInput, signerIds: readonly string[]): string | undefined {
  for (const document of input.documents) {
    for (const sp of document.contents.serviceProviders) {
      if (sp.authnRequestsSigned && signerIds.includes(sp.entityId))
        return `the SP metadata ${document.label} (${sp.entityId}) says AuthnRequestsSigned="true"`;
    }
  }
  for (const document of input.documents.filter((d) => d.namedFor === 'idp')) {
    for (const idp of document.contents.identityProviders) {
      if (idp.wantAuthnRequestsSigned)
        return `the IdP metadata ${document.label} (${idp.entityId}) says WantAuthnRequestsSigned="true"`;
    }
  }
  return undefined;
}

export interface ContextOptions {
  readonly now: Date;
  readonly clockSkewSeconds?: number;
  readonly requestId?: string;
  readonly decryptionKeyPem?: string;
  readonly strictSha1?: boolean;
}

/** The validation context for a selection: the same for the command line and the editor. */
export function contextFromSelection(selection: TrustSelection, options: ContextOptions): ValidationContext {
  return {
    now: options.now,
    clockSkewSeconds: options.clockSkewSeconds,
    trustedCertificates: selection.trustedCertificates,
    idpEntityId: selection.idpEntityId,
    sp: selection.sp,
    requireSignedAssertion: selection.requireSignedAssertion || undefined,
    requireSignedRequest: selection.requireSignedRequest,
    requestId: options.requestId,
    strictSha1: options.strictSha1,
    decryptionKeyPem: options.decryptionKeyPem,
    selectionFindings: selection.findings,
  };
}

/** One line per choice, for the command line and the panel's sources section. */
export function describeChoice(choice: TrustChoice): string {
  const keys =
    choice.role === 'signer' && choice.keys !== undefined ? `, ${plural(choice.keys, 'signing certificate')}` : '';
  return `${choice.source} (${choice.how})${keys}`;
}
