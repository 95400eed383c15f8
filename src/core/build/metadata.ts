// SAML metadata documents for samples, tests and the "create SP metadata" command: an Entra ID–style
// Federation Metadata document for an IdP, and a complete SP metadata document.
// Output is pretty-printed and deterministic: the same spec always gives the same bytes.

import { createHash } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { NS } from '../xml/namespaces';
import { escapeAttribute, escapeText } from '../xml/escape';

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const WSFED = 'http://docs.oasis-open.org/wsfed/federation/200706';
const WSAUTH = 'http://docs.oasis-open.org/wsfed/authorization/200706';
const WSA = 'http://www.w3.org/2005/08/addressing';
const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;
const ATTRNAME_FORMAT_BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
const ATTRNAME_FORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/** Pretty-printed XML lines: each entry is one line, indented by nesting depth. */
class XmlLines {
  private readonly lines: string[] = [];
  private depth = 0;

  line(content: string): this {
    this.lines.push(`${'  '.repeat(this.depth)}${content}`);
    return this;
  }

  open(startTag: string): this {
    this.line(startTag);
    this.depth++;
    return this;
  }

  close(endTag: string): this {
    this.depth--;
    return this.line(endTag);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function attributes(pairs: Record<string, string | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
}

/** Any whitespace inside the base64 (from a PEM or a pasted file) is dropped: one line per certificate. */
function compactBase64(certificate: string): string {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(certificate)?.[1] ?? certificate;
  const compact = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    throw new Error('The certificate must be base64 (DER) or a PEM "CERTIFICATE" block.');
  return compact;
}

function keyDescriptor(
  xml: XmlLines,
  use: 'signing' | 'encryption' | undefined,
  certificate: string,
  keyInfoNamespace: string,
): void {
  xml.open(`<${keyInfoNamespace === 'md' ? 'md:' : ''}KeyDescriptor${attributes({ use })}>`);
  if (keyInfoNamespace === 'md') {
    xml
      .open(`<ds:KeyInfo xmlns:ds="${NS.ds}">`)
      .open('<ds:X509Data>')
      .line(`<ds:X509Certificate>${compactBase64(certificate)}</ds:X509Certificate>`);
    xml.close('</ds:X509Data>').close('</ds:KeyInfo>').close('</md:KeyDescriptor>');
  } else {
    xml
      .open(`<KeyInfo xmlns="${NS.ds}">`)
      .open('<X509Data>')
      .line(`<X509Certificate>${compactBase64(certificate)}</X509Certificate>`);
    xml.close('</X509Data>').close('</KeyInfo>').close('</KeyDescriptor>');
  }
}

/** An NCName ID derived from the inputs (GUID-shaped, like Entra's), so that output is stable. */
function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `_${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------- IdP (Entra ID style)

export interface ClaimType {
  readonly uri: string;
  readonly displayName: string;
  readonly description: string;
}

/** The claims an Entra ID tenant advertises in fed:ClaimTypesOffered (descriptions in our words). */
export const ENTRA_CLAIM_TYPES: readonly ClaimType[] = [
  {
    uri: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    displayName: 'Name',
    description: 'The user principal name, which can change.',
  },
  {
    uri: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
    displayName: 'Subject',
    description: 'A stable identifier of the user for this application.',
  },
  {
    uri: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    displayName: 'Given Name',
    description: "The user's first name.",
  },
  {
    uri: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
    displayName: 'Surname',
    description: "The user's last name.",
  },
  {
    uri: 'http://schemas.microsoft.com/identity/claims/displayname',
    displayName: 'Display Name',
    description: "The user's display name.",
  },
  {
    uri: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    displayName: 'Email',
    description: "The user's email address.",
  },
  {
    uri: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country',
    displayName: 'Country',
    description: "The user's country or region.",
  },
  {
    uri: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
    displayName: 'ObjectIdentifier',
    description: 'The immutable directory identifier of the user.',
  },
  {
    uri: 'http://schemas.microsoft.com/identity/claims/tenantid',
    displayName: 'TenantId',
    description: 'The directory (tenant) the user belongs to.',
  },
  {
    uri: 'http://schemas.microsoft.com/identity/claims/identityprovider',
    displayName: 'IdentityProvider',
    description: 'The identity provider that authenticated the user.',
  },
  {
    uri: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod',
    displayName: 'Authentication Method',
    description: 'How the user authenticated.',
  },
  {
    uri: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    displayName: 'Groups',
    description: 'The groups the user is a member of.',
  },
  {
    uri: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    displayName: 'Role Claim',
    description: 'The application roles assigned to the user.',
  },
];

export interface IdpSigningKey {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface IdpMetadataSpec {
  /** Directory (tenant) ID, a GUID. */
  readonly tenantId: string;
  /** Signing certificates, base64 or PEM; more than one during a rollover. */
  readonly signingCertificates: readonly string[];
  /** The EntityDescriptor ID; default derived from the tenant and certificates. */
  readonly id?: string;
  readonly claimTypes?: readonly ClaimType[];
  /** Sign the whole document (enveloped, RSA-SHA256, exclusive c14n) as Entra does. */
  readonly signWith?: IdpSigningKey;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function endpointReference(xml: XmlLines, element: string, address: string): void {
  xml
    .open(`<${element}>`)
    .open(`<wsa:EndpointReference xmlns:wsa="${WSA}">`)
    .line(`<wsa:Address>${escapeText(address)}</wsa:Address>`);
  xml.close('</wsa:EndpointReference>').close(`</${element}>`);
}

/**
 * Federation Metadata as Entra ID publishes it for a SAML application: EntityDescriptor with ID and
 * entityID https://sts.windows.net/<tenant>/, WS-Federation RoleDescriptors (SecurityTokenService and
 * ApplicationService), and an IDPSSODescriptor with Redirect/POST endpoints on login.microsoftonline.com.
 */
export function buildIdpMetadata(spec: IdpMetadataSpec): string {
  if (!GUID.test(spec.tenantId)) throw new Error(`The tenant ID must be a GUID, got ${JSON.stringify(spec.tenantId)}.`);
  if (spec.signingCertificates.length === 0) throw new Error('An IdP needs at least one signing certificate.');
  const tenant = spec.tenantId.toLowerCase();
  const certificates = spec.signingCertificates.map(compactBase64);
  const id = spec.id ?? derivedId('idp', tenant, ...certificates);
  const entityId = `https://sts.windows.net/${tenant}/`;
  const wsFederation = `https://login.microsoftonline.com/${tenant}/wsfed`;
  const saml2 = `https://login.microsoftonline.com/${tenant}/saml2`;
  const wsFedRole = `protocolSupportEnumeration="${WSFED}" xmlns:xsi="${NS.xsi}" xmlns:fed="${WSFED}"`;

  const xml = new XmlLines();
  xml.line('<?xml version="1.0" encoding="utf-8"?>');
  xml.open(`<EntityDescriptor${attributes({ ID: id, entityID: entityId })} xmlns="${NS.md}">`);

  xml.open(`<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" ${wsFedRole}>`);
  for (const certificate of certificates) keyDescriptor(xml, 'signing', certificate, 'default');
  xml.open('<fed:ClaimTypesOffered>');
  for (const claim of spec.claimTypes ?? ENTRA_CLAIM_TYPES) {
    xml.open(`<auth:ClaimType${attributes({ Uri: claim.uri })} xmlns:auth="${WSAUTH}">`);
    xml
      .line(`<auth:DisplayName>${escapeText(claim.displayName)}</auth:DisplayName>`)
      .line(`<auth:Description>${escapeText(claim.description)}</auth:Description>`);
    xml.close('</auth:ClaimType>');
  }
  xml.close('</fed:ClaimTypesOffered>');
  endpointReference(xml, 'fed:SecurityTokenServiceEndpoint', wsFederation);
  endpointReference(xml, 'fed:PassiveRequestorEndpoint', wsFederation);
  xml.close('</RoleDescriptor>');

  xml.open(`<RoleDescriptor xsi:type="fed:ApplicationServiceType" ${wsFedRole}>`);
  for (const certificate of certificates) keyDescriptor(xml, 'signing', certificate, 'default');
  endpointReference(xml, 'fed:TargetScopes', entityId);
  endpointReference(xml, 'fed:ApplicationServiceEndpoint', wsFederation);
  endpointReference(xml, 'fed:PassiveRequestorEndpoint', wsFederation);
  xml.close('</RoleDescriptor>');

  xml.open(`<IDPSSODescriptor protocolSupportEnumeration="${PROTOCOL}">`);
  for (const certificate of certificates) keyDescriptor(xml, 'signing', certificate, 'default');
  xml.line(`<SingleLogoutService${attributes({ Binding: BINDING.redirect, Location: saml2 })} />`);
  xml.line(`<SingleSignOnService${attributes({ Binding: BINDING.redirect, Location: saml2 })} />`);
  xml.line(`<SingleSignOnService${attributes({ Binding: BINDING.post, Location: saml2 })} />`);
  xml.close('</IDPSSODescriptor>');
  xml.close('</EntityDescriptor>');

  const unsigned = xml.toString();
  return spec.signWith ? signWholeDocument(unsigned, id, spec.signWith) : unsigned;
}

/**
 * Enveloped signature (RSA-SHA256, exclusive c14n) over the root element with this ID, placed as
 * the root's first child, where the schema puts it. The root must have at least one child element.
 */
export function signWholeDocument(xml: string, id: string, key: IdpSigningKey): string {
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: `/*[@ID='${id}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  // Before the first child element, so the Signature starts on its own indented line.
  signer.computeSignature(xml, { location: { reference: '/*/*[1]', action: 'before' } });
  return signer.getSignedXml();
}

// ---------------------------------------------------------------- SP

export interface RequestedAttribute {
  readonly name: string;
  readonly friendlyName?: string;
  /** Default: uri when the name is a URI, basic otherwise. */
  readonly nameFormat?: string;
  readonly isRequired: boolean;
}

export interface SpMetadataSpec {
  readonly entityId: string;
  /** AssertionConsumerService URLs (HTTP-POST); the first is the default. */
  readonly acsUrls: readonly string[];
  /** SingleLogoutService URL (HTTP-Redirect). */
  readonly sloUrl?: string;
  readonly nameIdFormat: string;
  /** The SP's certificate (base64 or PEM), published for signing and encryption. */
  readonly certificate?: string;
  readonly requestedAttributes: readonly RequestedAttribute[];
  /** AttributeConsumingService ServiceName (English). */
  readonly serviceName: string;
  readonly wantAssertionsSigned: boolean;
  /** Default: true when a certificate is given. */
  readonly authnRequestsSigned?: boolean;
  readonly organization?: { readonly name: string; readonly displayName: string; readonly url: string };
  readonly technicalContact?: { readonly givenName?: string; readonly email: string };
}

function requireUrl(value: string, what: string): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${what} must be an absolute URL, got ${JSON.stringify(value)}.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error(`${what} must be an http(s) URL, got ${JSON.stringify(value)}.`);
}

/** A complete SP metadata document (md: prefix), elements in schema order. */
export function buildSpMetadata(spec: SpMetadataSpec): string {
  if (!spec.entityId.trim()) throw new Error('The SP needs an entityID.');
  if (spec.entityId.length > 1024) throw new Error('entityID must be at most 1024 characters (SAML metadata §2.3.2).');
  if (spec.acsUrls.length === 0) throw new Error('The SP needs at least one AssertionConsumerService URL.');
  spec.acsUrls.forEach((url, index) => requireUrl(url, `AssertionConsumerService URL #${index + 1}`));
  if (spec.sloUrl !== undefined) requireUrl(spec.sloUrl, 'SingleLogoutService URL');
  const names = new Set<string>();
  for (const requested of spec.requestedAttributes) {
    if (!requested.name.trim()) throw new Error('A requested attribute has an empty name.');
    if (names.has(requested.name))
      throw new Error(`The attribute ${JSON.stringify(requested.name)} is requested twice.`);
    names.add(requested.name);
  }

  const xml = new XmlLines();
  xml.line('<?xml version="1.0" encoding="UTF-8"?>');
  xml.open(`<md:EntityDescriptor xmlns:md="${NS.md}"${attributes({ entityID: spec.entityId })}>`);
  const signed = spec.authnRequestsSigned ?? spec.certificate !== undefined;
  xml.open(
    `<md:SPSSODescriptor${attributes({
      AuthnRequestsSigned: String(signed),
      WantAssertionsSigned: String(spec.wantAssertionsSigned),
      protocolSupportEnumeration: PROTOCOL,
    })}>`,
  );
  if (spec.certificate !== undefined) {
    keyDescriptor(xml, 'signing', spec.certificate, 'md');
    keyDescriptor(xml, 'encryption', spec.certificate, 'md');
  }
  if (spec.sloUrl !== undefined)
    xml.line(`<md:SingleLogoutService${attributes({ Binding: BINDING.redirect, Location: spec.sloUrl })}/>`);
  xml.line(`<md:NameIDFormat>${escapeText(spec.nameIdFormat)}</md:NameIDFormat>`);
  spec.acsUrls.forEach((url, index) => {
    xml.line(
      `<md:AssertionConsumerService${attributes({ Binding: BINDING.post, Location: url, index: String(index), isDefault: index === 0 ? 'true' : undefined })}/>`,
    );
  });
  if (spec.requestedAttributes.length > 0) {
    xml.open('<md:AttributeConsumingService index="0" isDefault="true">');
    xml.line(`<md:ServiceName xml:lang="en">${escapeText(spec.serviceName)}</md:ServiceName>`);
    for (const requested of spec.requestedAttributes) {
      const nameFormat =
        requested.nameFormat ??
        (/^[a-z][a-z0-9+.-]*:/i.test(requested.name) ? ATTRNAME_FORMAT_URI : ATTRNAME_FORMAT_BASIC);
      xml.line(
        `<md:RequestedAttribute${attributes({
          Name: requested.name,
          NameFormat: nameFormat,
          FriendlyName: requested.friendlyName,
          isRequired: String(requested.isRequired),
        })}/>`,
      );
    }
    xml.close('</md:AttributeConsumingService>');
  }
  xml.close('</md:SPSSODescriptor>');
  if (spec.organization) {
    xml.open('<md:Organization>');
    xml.line(`<md:OrganizationName xml:lang="en">${escapeText(spec.organization.name)}</md:OrganizationName>`);
    xml.line(
      `<md:OrganizationDisplayName xml:lang="en">${escapeText(spec.organization.displayName)}</md:OrganizationDisplayName>`,
    );
    xml.line(`<md:OrganizationURL xml:lang="en">${escapeText(spec.organization.url)}</md:OrganizationURL>`);
    xml.close('</md:Organization>');
  }
  if (spec.technicalContact) {
    xml.open('<md:ContactPerson contactType="technical">');
    if (spec.technicalContact.givenName)
      xml.line(`<md:GivenName>${escapeText(spec.technicalContact.givenName)}</md:GivenName>`);
    xml.line(`<md:EmailAddress>mailto:${escapeText(spec.technicalContact.email)}</md:EmailAddress>`);
    xml.close('</md:ContactPerson>');
  }
  xml.close('</md:EntityDescriptor>');
  return xml.toString();
}
