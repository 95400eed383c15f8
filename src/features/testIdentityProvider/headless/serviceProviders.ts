// The service providers the loopback IdP knows: every SPSSODescriptor in the workspace's metadata
// files, with what answering an AuthnRequest needs (ACS endpoints with their bindings, signing
// certificates, AuthnRequestsSigned, SingleLogoutService) and where it was read from.
import { postAcsEndpoints, requestedAttributesOf, type TestServiceProvider } from '../../../core/build/testResponse';
import { parseMetadata } from '../../../core/metadata/parse';
import type { ExpectedAttribute } from '../../../core/validate/types';

export interface SpEndpoint {
  readonly url: string;
  readonly binding: string;
  readonly index?: number;
  readonly isDefault?: boolean;
}

export interface WorkspaceServiceProvider {
  readonly entityId: string;
  /** The metadata file, as the editor names it (a workspace-relative path). */
  readonly source: string;
  readonly acs: readonly SpEndpoint[];
  /** SingleLogoutService endpoints, ResponseLocation preferred (where a LogoutResponse goes). */
  readonly slo: readonly SpEndpoint[];
  /** Base64 DER of the SP's signing certificates: they sign its AuthnRequests. */
  readonly signingCertificates: readonly string[];
  readonly authnRequestsSigned: boolean;
  readonly wantAssertionsSigned: boolean;
  readonly nameIdFormat?: string;
  readonly requestedAttributes: readonly ExpectedAttribute[];
}

/** Every SP of a metadata document; a document that cannot be read has none (the caller says so). */
export function serviceProvidersInMetadata(
  text: string,
  source: string,
): { ok: true; serviceProviders: WorkspaceServiceProvider[] } | { ok: false; message: string } {
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: `${source} cannot be read: ${parsed.error.message}` };
  const serviceProviders: WorkspaceServiceProvider[] = [];
  for (const entity of parsed.model.entities) {
    const entityId = entity.entityID?.value;
    const roles = entity.roles.filter((role) => role.kind === 'SPSSODescriptor');
    if (!entityId || roles.length === 0) continue;
    const endpoints = (localName: string): SpEndpoint[] =>
      roles
        .flatMap((role) => role.endpoints)
        .filter((e) => e.localName === localName && e.location?.value && e.binding?.value)
        .map((e) => ({
          url: (localName === 'SingleLogoutService' && e.responseLocation?.value) || e.location!.value,
          binding: e.binding!.value,
          ...(e.index !== undefined && { index: e.index }),
          ...(e.isDefault !== undefined && { isDefault: e.isDefault }),
        }));
    const keys = roles.flatMap((role) => role.keyDescriptors).filter((k) => k.use === undefined || k.use === 'signing');
    const service = roles.flatMap((role) => role.attributeConsumingServices)[0];
    serviceProviders.push({
      entityId,
      source,
      acs: endpoints('AssertionConsumerService'),
      slo: endpoints('SingleLogoutService'),
      signingCertificates: [...new Set(keys.flatMap((k) => k.certificates.map((c) => c.base64.replace(/\s+/g, ''))))],
      authnRequestsSigned: roles.some((role) => role.authnRequestsSigned === true),
      wantAssertionsSigned: roles.some((role) => role.wantAssertionsSigned === true),
      nameIdFormat: roles.flatMap((role) => role.nameIDFormats)[0]?.value.trim(),
      requestedAttributes: requestedAttributesOf(service),
    });
  }
  return { ok: true, serviceProviders };
}

/** The ACS endpoints a response can be posted to: HTTP-POST, the default first. */
export function postAcs(sp: WorkspaceServiceProvider): SpEndpoint[] {
  return postAcsEndpoints(sp.acs, (endpoint) => endpoint.binding);
}

/** What the response builder needs to know of this SP, posting to `acsUrl`. */
export function testServiceProvider(sp: WorkspaceServiceProvider, acsUrl: string): TestServiceProvider {
  return {
    entityId: sp.entityId,
    acsUrl,
    acsUrls: postAcs(sp).map((e) => e.url),
    nameIdFormat: sp.nameIdFormat,
    wantAssertionsSigned: sp.wantAssertionsSigned,
    requestedAttributes: sp.requestedAttributes,
  };
}
