/**
 * What validating a message needs from a metadata file: the IdPs' signing certificates (trust) and
 * the SPs' entity IDs, ACS URLs and requested attributes (expectations). The editor computes it in its decode
 * worker, so large aggregates never block the extension host; the command line uses it directly.
 */
import { parseMetadata } from './parse';
import type { EntityDescriptorNode, RoleNode } from './model';

export interface IdentityProviderSummary {
  readonly entityId: string;
  /** Base64 DER, whitespace removed, of every KeyDescriptor usable for signing (use="signing" or no use). */
  readonly signingCertificates: readonly string[];
}

export interface ServiceProviderSummary {
  readonly entityId: string;
  /** Base64 DER of the SP's signing certificates: they sign AuthnRequests and logout messages. */
  readonly signingCertificates: readonly string[];
  readonly acsUrls: readonly string[];
  /** Names of md:RequestedAttribute elements. */
  readonly expectedAttributes: readonly string[];
}

export type MetadataSummary =
  | {
      readonly ok: true;
      readonly identityProviders: readonly IdentityProviderSummary[];
      readonly serviceProviders: readonly ServiceProviderSummary[];
    }
  | { readonly ok: false; readonly message: string };

function signingCertificates(roles: readonly RoleNode[]): string[] {
  const certificates = roles
    .flatMap((r) => r.keyDescriptors)
    .filter((k) => k.use === undefined || k.use === 'signing')
    .flatMap((k) => k.certificates.map((c) => c.base64.replace(/\s+/g, '')))
    .filter((c) => c !== '');
  return [...new Set(certificates)];
}

function identityProvider(entity: EntityDescriptorNode, entityId: string): IdentityProviderSummary | undefined {
  const roles = entity.roles.filter((r) => r.kind === 'IDPSSODescriptor');
  if (roles.length === 0) return undefined;
  return { entityId, signingCertificates: signingCertificates(roles) };
}

function serviceProvider(entity: EntityDescriptorNode, entityId: string): ServiceProviderSummary | undefined {
  const roles = entity.roles.filter((r) => r.kind === 'SPSSODescriptor');
  if (roles.length === 0) return undefined;
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
  };
}

export function summariseMetadata(text: string): MetadataSummary {
  // Cheap filter: most workspace XML files are not metadata and need no parse at all.
  if (!text.includes('EntityDescriptor')) return { ok: true, identityProviders: [], serviceProviders: [] };
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const identityProviders: IdentityProviderSummary[] = [];
  const serviceProviders: ServiceProviderSummary[] = [];
  for (const entity of parsed.model.entities) {
    const entityId = entity.entityID?.value;
    if (!entityId) continue;
    const idp = identityProvider(entity, entityId);
    if (idp) identityProviders.push(idp);
    const sp = serviceProvider(entity, entityId);
    if (sp) serviceProviders.push(sp);
  }
  return { ok: true, identityProviders, serviceProviders };
}
