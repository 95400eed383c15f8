import type { Severity } from '../severity';
import { formatDateTime, relativeTime } from '../time';
import { lookupTerm } from '../vocabulary';
import { parseDateTime } from '../dateTime';
import type {
  AttributeValue,
  EndpointNode,
  EntitiesDescriptorNode,
  EntityDescriptorNode,
  MetadataModel,
  Range,
  RoleNode,
} from './model';

/** Codes of metadata findings; stable, so users can look them up and filter them. */
export const MetadataLintCode = {
  MissingEntityId: 'metadata.missing-entity-id',
  DuplicateEntityId: 'metadata.duplicate-entity-id',
  ValidUntilExpired: 'metadata.valid-until-expired',
  ValidUntilMalformed: 'metadata.valid-until-malformed',
  MissingSigningKey: 'metadata.missing-signing-key',
  IdpWithoutSingleSignOn: 'metadata.idp-without-sso',
  SpWithoutAssertionConsumer: 'metadata.sp-without-acs',
  EndpointMissingLocation: 'metadata.endpoint-missing-location',
  EndpointInvalidUrl: 'metadata.endpoint-invalid-url',
  EndpointNotHttps: 'metadata.endpoint-not-https',
  EndpointLocalHttp: 'metadata.endpoint-local-http',
  DuplicateAcsIndex: 'metadata.duplicate-acs-index',
  MultipleDefaultAcs: 'metadata.multiple-default-acs',
  UnknownBinding: 'metadata.unknown-binding',
  UnknownNameIdFormat: 'metadata.unknown-nameid-format',
} as const;
export type MetadataLintCode = (typeof MetadataLintCode)[keyof typeof MetadataLintCode];

export interface Finding {
  code: MetadataLintCode;
  severity: Severity;
  /** What was found and why it matters. */
  message: string;
  /** How to fix it. */
  fix: string;
  /** UTF-16 offsets into the parsed text. */
  range: Range;
}

export interface LintOptions {
  now: Date;
}

/** Endpoints that browsers post credentials to or that carry SSO/logout messages. */
const HTTPS_CHECKED_ENDPOINTS = new Set(['AssertionConsumerService', 'SingleSignOnService', 'SingleLogoutService']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Every problem found in the model (never only the first), in document order per entity. */
export function lintMetadata(model: MetadataModel, options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  for (const group of model.groups) lintValidUntil(group, 'EntitiesDescriptor', options.now, findings);
  lintDuplicateEntityIds(model.entities, findings);
  for (const entity of model.entities) {
    if (!entity.entityID || entity.entityID.value.trim() === '') {
      findings.push({
        code: MetadataLintCode.MissingEntityId,
        severity: 'error',
        message: 'This EntityDescriptor has no entityID, so no partner can refer to it.',
        fix: 'Add entityID="…" with the entity\'s unique identifier, usually an https URL you control.',
        range: entity.entityID?.range ?? startTag(entity),
      });
    }
    lintValidUntil(entity, 'EntityDescriptor', options.now, findings);
    for (const role of entity.roles) lintRole(role, options.now, findings);
  }
  return findings;
}

function startTag(node: { range: Range; startTagEnd: number }): Range {
  return { start: node.range.start, end: node.startTagEnd };
}

function lintValidUntil(
  node: EntitiesDescriptorNode | EntityDescriptorNode | RoleNode,
  label: string,
  now: Date,
  findings: Finding[],
): void {
  const validUntil = node.validUntil;
  if (!validUntil) return;
  const parsed = parseDateTime(validUntil.value);
  if (!parsed.ok) {
    findings.push({
      code: MetadataLintCode.ValidUntilMalformed,
      severity: 'error',
      message: `validUntil "${validUntil.value}" is not a valid xs:dateTime (${parsed.reason}), so consumers may reject this metadata or ignore the limit.`,
      fix: 'Write the instant in UTC as YYYY-MM-DDThh:mm:ssZ, e.g. 2027-01-31T00:00:00Z.',
      range: validUntil.range,
    });
    return;
  }
  const date = parsed.date;
  if (date.getTime() <= now.getTime()) {
    findings.push({
      code: MetadataLintCode.ValidUntilExpired,
      severity: 'error',
      message: `This ${label} expired ${relativeTime(date, now)} (validUntil ${formatDateTime(date)}); consumers must refuse expired metadata.`,
      fix: 'Download fresh metadata from the publisher, or (if you publish it) regenerate it with a later validUntil and re-sign it.',
      range: validUntil.range,
    });
  }
}

function lintDuplicateEntityIds(entities: EntityDescriptorNode[], findings: Finding[]): void {
  const seen = new Map<string, number>();
  for (const entity of entities) {
    const id = entity.entityID?.value.trim();
    if (!id) continue;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, entity.index);
      continue;
    }
    findings.push({
      code: MetadataLintCode.DuplicateEntityId,
      severity: 'error',
      message: `entityID "${id}" was already used by entity #${first + 1} in this file; which one a consumer picks is undefined.`,
      fix: 'Remove the duplicate EntityDescriptor or give it its own entityID.',
      range: (entity.entityID as AttributeValue).range,
    });
  }
}

function lintRole(role: RoleNode, now: Date, findings: Finding[]): void {
  lintValidUntil(role, role.kind, now, findings);
  const isIdp = role.kind === 'IDPSSODescriptor';
  const isSp = role.kind === 'SPSSODescriptor';

  if ((isIdp || isSp) && !role.keyDescriptors.some((key) => key.use === undefined || key.use === 'signing')) {
    findings.push({
      code: MetadataLintCode.MissingSigningKey,
      severity: isIdp ? 'error' : 'warning',
      message: isIdp
        ? 'This IdP publishes no signing key, so service providers cannot verify its responses and assertions.'
        : 'This SP publishes no signing key, so IdPs cannot verify its signed AuthnRequests or logout messages.',
      fix: 'Add <md:KeyDescriptor use="signing"> with the signing certificate in ds:KeyInfo/ds:X509Data/ds:X509Certificate.',
      range: startTag(role),
    });
  }
  if (isIdp && !role.endpoints.some((endpoint) => endpoint.localName === 'SingleSignOnService')) {
    findings.push({
      code: MetadataLintCode.IdpWithoutSingleSignOn,
      severity: 'error',
      message:
        'This IDPSSODescriptor has no SingleSignOnService, so service providers have nowhere to send users to sign in.',
      fix: 'Add <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://…"/>.',
      range: startTag(role),
    });
  }
  const consumers = role.endpoints.filter((endpoint) => endpoint.localName === 'AssertionConsumerService');
  if (isSp && consumers.length === 0) {
    findings.push({
      code: MetadataLintCode.SpWithoutAssertionConsumer,
      severity: 'error',
      message: 'This SPSSODescriptor has no AssertionConsumerService, so an IdP has nowhere to send the SAML response.',
      fix: 'Add <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://…" index="0"/>.',
      range: startTag(role),
    });
  }
  if (isSp) lintAssertionConsumers(consumers, findings);

  for (const endpoint of role.endpoints) lintEndpoint(endpoint, findings);

  for (const format of role.nameIDFormats) {
    if (lookupTerm(format.value)?.kind === 'nameid-format') continue;
    findings.push({
      code: MetadataLintCode.UnknownNameIdFormat,
      severity: 'warning',
      message: `NameIDFormat "${format.value}" is not a NameID format defined by SAML; partners will probably not support it.`,
      fix: 'Use a standard format such as urn:oasis:names:tc:SAML:2.0:nameid-format:persistent or urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress (check for typos).',
      range: format.range,
    });
  }
}

function lintAssertionConsumers(consumers: EndpointNode[], findings: Finding[]): void {
  const indexes = new Map<number, EndpointNode>();
  for (const consumer of consumers) {
    if (consumer.index === undefined) continue;
    if (indexes.has(consumer.index)) {
      findings.push({
        code: MetadataLintCode.DuplicateAcsIndex,
        severity: 'error',
        message: `Another AssertionConsumerService already has index="${consumer.index}"; an AuthnRequest that names this index is ambiguous.`,
        fix: 'Give every AssertionConsumerService a distinct index.',
        range: startTag(consumer),
      });
    } else {
      indexes.set(consumer.index, consumer);
    }
  }
  const defaults = consumers.filter((consumer) => consumer.isDefault === true);
  for (const extra of defaults.slice(1)) {
    findings.push({
      code: MetadataLintCode.MultipleDefaultAcs,
      severity: 'error',
      message: 'More than one AssertionConsumerService has isDefault="true"; which one an IdP uses is undefined.',
      fix: 'Keep isDefault="true" on one AssertionConsumerService only.',
      range: startTag(extra),
    });
  }
}

function lintEndpoint(endpoint: EndpointNode, findings: Finding[]): void {
  const name = endpoint.localName;
  if (endpoint.binding && lookupTerm(endpoint.binding.value.trim())?.kind !== 'binding') {
    findings.push({
      code: MetadataLintCode.UnknownBinding,
      severity: 'warning',
      message: `${name} Binding "${endpoint.binding.value}" is not a known SAML binding; partners will not know how to send messages here.`,
      fix: 'Use a binding URI such as urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST or …:HTTP-Redirect (check for typos).',
      range: endpoint.binding.range,
    });
  }
  if (!endpoint.location || endpoint.location.value.trim() === '') {
    findings.push({
      code: MetadataLintCode.EndpointMissingLocation,
      severity: 'error',
      message: `${name} has no Location, so there is no address to send messages to.`,
      fix: 'Add Location="https://…" with the endpoint\'s URL.',
      range: endpoint.location?.range ?? startTag(endpoint),
    });
  }
  for (const [attribute, value] of [
    ['Location', endpoint.location],
    ['ResponseLocation', endpoint.responseLocation],
  ] as const) {
    if (!value || value.value.trim() === '') continue;
    lintEndpointUrl(name, attribute, value, findings);
  }
}

function lintEndpointUrl(name: string, attribute: string, value: AttributeValue, findings: Finding[]): void {
  let url: URL;
  try {
    url = new URL(value.value.trim());
  } catch {
    findings.push({
      code: MetadataLintCode.EndpointInvalidUrl,
      severity: 'error',
      message: `${name} ${attribute} "${value.value}" is not an absolute URL.`,
      fix: 'Write the full URL including the scheme, e.g. https://sso.example.org/saml/acs.',
      range: value.range,
    });
    return;
  }
  if (!HTTPS_CHECKED_ENDPOINTS.has(name) || url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) {
    findings.push({
      code: MetadataLintCode.EndpointLocalHttp,
      severity: 'info',
      message: `${name} ${attribute} uses plain http on ${url.hostname}: fine for local development, not for production.`,
      fix: 'Switch to https before this metadata leaves your machine.',
      range: value.range,
    });
    return;
  }
  findings.push({
    code: MetadataLintCode.EndpointNotHttps,
    severity: 'warning',
    message: `${name} ${attribute} uses ${url.protocol.replace(/:$/, '')} instead of https, so SAML messages (and the sessions they create) can be read or changed in transit.`,
    fix: `Serve the endpoint over TLS and change the ${attribute} to https://${url.host}${url.pathname}.`,
    range: value.range,
  });
}
