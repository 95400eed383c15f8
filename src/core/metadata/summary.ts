/**
 * What validating a message needs from a metadata file: the IdPs' signing certificates (trust) and
 * the SPs' entity IDs, ACS URLs and requested attributes (expectations). The editor computes it in its decode
 * worker, so large aggregates never block the extension host; the command line uses it directly.
 */
import { parseDateTimeOrUndefined } from '../dateTime';
import { parseMetadata } from './parse';
import type { EntityDescriptorNode, MetadataModel, RoleNode } from './model';

export interface IdentityProviderSummary {
  readonly entityId: string;
  /** Base64 DER, whitespace removed, of every KeyDescriptor usable for signing (use="signing" or no use). */
  readonly signingCertificates: readonly string[];
  /**
   * The earliest validUntil that applies to the role: on its RoleDescriptor, its EntityDescriptor or
   * any enclosing EntitiesDescriptor, as written. Absent when none is stated.
   */
  readonly validUntil?: string;
  /** IDPSSODescriptor/@WantAuthnRequestsSigned="true": AuthnRequests to this IdP must be signed. */
  readonly wantAuthnRequestsSigned?: boolean;
}

export interface ServiceProviderSummary {
  readonly entityId: string;
  /** Base64 DER of the SP's signing certificates: they sign AuthnRequests and logout messages. */
  readonly signingCertificates: readonly string[];
  readonly acsUrls: readonly string[];
  /** Names of md:RequestedAttribute elements. */
  readonly expectedAttributes: readonly string[];
  /** SPSSODescriptor/@WantAssertionsSigned="true": the assertion itself must be signed. */
  readonly wantAssertionsSigned: boolean;
  /** SPSSODescriptor/@AuthnRequestsSigned="true": this SP signs its AuthnRequests. */
  readonly authnRequestsSigned?: boolean;
  readonly validUntil?: string;
}

export type MetadataSummary =
  | {
      readonly ok: true;
      readonly identityProviders: readonly IdentityProviderSummary[];
      readonly serviceProviders: readonly ServiceProviderSummary[];
      /** Entities with an AttributeAuthorityDescriptor: they sign responses to attribute queries. */
      readonly attributeAuthorities: readonly IdentityProviderSummary[];
      /** Every EntityDescriptor in the file, whatever its roles. */
      readonly entityCount: number;
    }
  | { readonly ok: false; readonly message: string };

export const EMPTY_METADATA_SUMMARY: MetadataSummary = {
  ok: true,
  identityProviders: [],
  serviceProviders: [],
  attributeAuthorities: [],
  entityCount: 0,
};

function signingCertificates(roles: readonly RoleNode[]): string[] {
  const certificates = roles
    .flatMap((r) => r.keyDescriptors)
    .filter((k) => k.use === undefined || k.use === 'signing')
    .flatMap((k) => k.certificates.map((c) => c.base64.replace(/\s+/g, '')))
    .filter((c) => c !== '');
  return [...new Set(certificates)];
}

/**
 * The validUntil values that bound these roles, compared as written: xs:dateTime values with a
 * time zone compare correctly after parsing, which the caller does (core/trust); here the earliest
 * by parsed instant is kept, and an unparseable one wins so that it is reported rather than hidden.
 */
function earliestValidUntil(model: MetadataModel, entity: EntityDescriptorNode, roles: readonly RoleNode[]) {
  const values: string[] = [];
  for (const role of roles) if (role.validUntil) values.push(role.validUntil.value);
  if (entity.validUntil) values.push(entity.validUntil.value);
  for (let group = entity.group; group !== undefined; group = model.groups[group]?.parentGroup) {
    const value = model.groups[group]?.validUntil?.value;
    if (value) values.push(value);
  }
  let earliest: string | undefined;
  let earliestTime = Infinity;
  for (const value of values) {
    const time = parseDateTimeOrUndefined(value)?.getTime() ?? -Infinity;
    if (time < earliestTime) {
      earliest = value;
      earliestTime = time;
    }
  }
  return earliest;
}

function authority(
  model: MetadataModel,
  entity: EntityDescriptorNode,
  entityId: string,
  kind: 'IDPSSODescriptor' | 'AttributeAuthorityDescriptor',
): IdentityProviderSummary | undefined {
  const roles = entity.roles.filter((r) => r.kind === kind);
  if (roles.length === 0) return undefined;
  const validUntil = earliestValidUntil(model, entity, roles);
  return {
    entityId,
    signingCertificates: signingCertificates(roles),
    ...(validUntil ? { validUntil } : {}),
    ...(roles.some((r) => r.wantAuthnRequestsSigned === true) ? { wantAuthnRequestsSigned: true } : {}),
  };
}

function serviceProvider(
  model: MetadataModel,
  entity: EntityDescriptorNode,
  entityId: string,
): ServiceProviderSummary | undefined {
  const roles = entity.roles.filter((r) => r.kind === 'SPSSODescriptor');
  if (roles.length === 0) return undefined;
  const validUntil = earliestValidUntil(model, entity, roles);
  const acsUrls = roles
    .flatMap((r) => r.endpoints)
    .filter((e) => e.localName === 'AssertionConsumerService' && e.location)
    .map((e) => e.location!.value);
  const expectedAttributes = roles
    .flatMap((r) => r.attributeConsumingServices)
    .flatMap((s) => s.requestedAttributes)
    .map((a) => a.name)
    .filter((name): name is string => Boolean(name));
  return {
    entityId,
    signingCertificates: signingCertificates(roles),
    acsUrls: [...new Set(acsUrls)],
    expectedAttributes: [...new Set(expectedAttributes)],
    wantAssertionsSigned: roles.some((r) => r.wantAssertionsSigned === true),
    ...(roles.some((r) => r.authnRequestsSigned === true) ? { authnRequestsSigned: true } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
}

export function summariseMetadata(text: string): MetadataSummary {
  // Cheap filter: most workspace XML files are not metadata and need no parse at all.
  if (!text.includes('EntityDescriptor')) return EMPTY_METADATA_SUMMARY;
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const identityProviders: IdentityProviderSummary[] = [];
  const serviceProviders: ServiceProviderSummary[] = [];
  const attributeAuthorities: IdentityProviderSummary[] = [];
  const model = parsed.model;
  for (const entity of model.entities) {
    const entityId = entity.entityID?.value;
    if (!entityId) continue;
    const idp = authority(model, entity, entityId, 'IDPSSODescriptor');
    if (idp) identityProviders.push(idp);
    const aa = authority(model, entity, entityId, 'AttributeAuthorityDescriptor');
    if (aa) attributeAuthorities.push(aa);
    const sp = serviceProvider(model, entity, entityId);
    if (sp) serviceProviders.push(sp);
  }
  return { ok: true, identityProviders, serviceProviders, attributeAuthorities, entityCount: model.entities.length };
}
