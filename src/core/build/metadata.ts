// SAML metadata documents for samples, tests and the "create SP metadata" command: an Entra ID–style
// Federation Metadata document for an IdP, and a complete SP metadata document.
// Output is pretty-printed and deterministic: the same spec always gives the same bytes.

import { createHash } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { NS } from '../xml/namespaces';
import { buildXml, type XmlTree } from '../xml/build';

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

/** Any whitespace inside the base64 (from a PEM or a pasted file) is dropped: one line per certificate. */
function compactBase64(certificate: string): string {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(certificate)?.[1] ?? certificate;
  const compact = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    throw new Error('The certificate must be base64 (DER) or a PEM "CERTIFICATE" block.');
  return compact;
}

/** A KeyDescriptor with one certificate: md-prefixed (SP), or unprefixed with KeyInfo in the default namespace (Entra). */
function keyDescriptor(
  use: 'signing' | 'encryption',
  certificate: string,
  keyInfoNamespace: 'md' | 'default',
): XmlTree {
  const x509Data = (prefix: string): XmlTree => ({
    [`${prefix}X509Data`]: { [`${prefix}X509Certificate`]: compactBase64(certificate) },
  });
  return keyInfoNamespace === 'md'
    ? { '@use': use, 'ds:KeyInfo': { '@xmlns:ds': NS.ds, ...x509Data('ds:') } }
    : { '@use': use, KeyInfo: { '@xmlns': NS.ds, ...x509Data('') } };
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

function endpointReference(address: string): XmlTree {
  return { 'wsa:EndpointReference': { '@xmlns:wsa': WSA, 'wsa:Address': address } };
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
  const wsFedRole = { '@protocolSupportEnumeration': WSFED, '@xmlns:xsi': NS.xsi, '@xmlns:fed': WSFED };
  const signingKeys = certificates.map((certificate) => keyDescriptor('signing', certificate, 'default'));
  const saml2Endpoint = (binding: string): XmlTree => ({ '@Binding': binding, '@Location': saml2 });

  const unsigned = buildXml(
    {
      '?xml': { '@version': '1.0', '@encoding': 'utf-8' },
      EntityDescriptor: {
        '@ID': id,
        '@entityID': entityId,
        '@xmlns': NS.md,
        RoleDescriptor: [
          {
            '@xsi:type': 'fed:SecurityTokenServiceType',
            ...wsFedRole,
            KeyDescriptor: signingKeys,
            'fed:ClaimTypesOffered': {
              'auth:ClaimType': (spec.claimTypes ?? ENTRA_CLAIM_TYPES).map((claim) => ({
                '@Uri': claim.uri,
                '@xmlns:auth': WSAUTH,
                'auth:DisplayName': claim.displayName,
                'auth:Description': claim.description,
              })),
            },
            'fed:SecurityTokenServiceEndpoint': endpointReference(wsFederation),
            'fed:PassiveRequestorEndpoint': endpointReference(wsFederation),
          },
          {
            '@xsi:type': 'fed:ApplicationServiceType',
            ...wsFedRole,
            KeyDescriptor: signingKeys,
            'fed:TargetScopes': endpointReference(entityId),
            'fed:ApplicationServiceEndpoint': endpointReference(wsFederation),
            'fed:PassiveRequestorEndpoint': endpointReference(wsFederation),
          },
        ],
        IDPSSODescriptor: {
          '@protocolSupportEnumeration': PROTOCOL,
          KeyDescriptor: signingKeys,
          SingleLogoutService: saml2Endpoint(BINDING.redirect),
          SingleSignOnService: [saml2Endpoint(BINDING.redirect), saml2Endpoint(BINDING.post)],
        },
      },
    },
    { pretty: true },
  );
  return spec.signWith ? signWholeDocument(unsigned, id, spec.signWith) : unsigned;
}

export interface SamlIdpMetadataSpec {
  readonly entityId: string;
  /** Signing certificates, base64 or PEM. */
  readonly signingCertificates: readonly string[];
  /** The SingleSignOnService URL, published for the HTTP-Redirect and HTTP-POST bindings. */
  readonly ssoUrl: string;
  /** The SingleLogoutService URL (HTTP-Redirect and HTTP-POST), when there is one. */
  readonly sloUrl?: string;
  readonly nameIdFormats?: readonly string[];
  /** IDPSSODescriptor/@WantAuthnRequestsSigned. */
  readonly wantAuthnRequestsSigned?: boolean;
}

/**
 * A plain SAML 2.0 IdP metadata document (md: prefix, one IDPSSODescriptor) for an IdP at any
 * address, such as the loopback test IdP; buildIdpMetadata is Entra ID's shape at Entra's URLs.
 */
export function buildSamlIdpMetadata(spec: SamlIdpMetadataSpec): string {
  if (!spec.entityId.trim()) throw new Error('The IdP needs an entityID.');
  if (spec.signingCertificates.length === 0) throw new Error('An IdP needs at least one signing certificate.');
  requireUrl(spec.ssoUrl, 'SingleSignOnService URL');
  if (spec.sloUrl !== undefined) requireUrl(spec.sloUrl, 'SingleLogoutService URL');
  const both = (location: string): XmlTree[] => [
    { '@Binding': BINDING.redirect, '@Location': location },
    { '@Binding': BINDING.post, '@Location': location },
  ];
  return buildXml(
    {
      '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
      'md:EntityDescriptor': {
        '@xmlns:md': NS.md,
        '@entityID': spec.entityId,
        'md:IDPSSODescriptor': {
          '@WantAuthnRequestsSigned':
            spec.wantAuthnRequestsSigned === undefined ? undefined : String(spec.wantAuthnRequestsSigned),
          '@protocolSupportEnumeration': PROTOCOL,
          'md:KeyDescriptor': spec.signingCertificates.map((certificate) =>
            keyDescriptor('signing', certificate, 'md'),
          ),
          'md:SingleLogoutService': spec.sloUrl === undefined ? undefined : both(spec.sloUrl),
          'md:NameIDFormat': spec.nameIdFormats ? [...spec.nameIdFormats] : undefined,
          'md:SingleSignOnService': both(spec.ssoUrl),
        },
      },
    },
    { pretty: true },
  );
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

  const signed = spec.authnRequestsSigned ?? spec.certificate !== undefined;
  const english = (text: string): XmlTree => ({ '@xml:lang': 'en', '#text': text });
  return buildXml(
    {
      '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
      'md:EntityDescriptor': {
        '@xmlns:md': NS.md,
        '@entityID': spec.entityId,
        'md:SPSSODescriptor': {
          '@AuthnRequestsSigned': String(signed),
          '@WantAssertionsSigned': String(spec.wantAssertionsSigned),
          '@protocolSupportEnumeration': PROTOCOL,
          'md:KeyDescriptor':
            spec.certificate === undefined
              ? []
              : [keyDescriptor('signing', spec.certificate, 'md'), keyDescriptor('encryption', spec.certificate, 'md')],
          'md:SingleLogoutService':
            spec.sloUrl === undefined ? undefined : { '@Binding': BINDING.redirect, '@Location': spec.sloUrl },
          'md:NameIDFormat': spec.nameIdFormat,
          'md:AssertionConsumerService': spec.acsUrls.map((url, index) => ({
            '@Binding': BINDING.post,
            '@Location': url,
            '@index': String(index),
            '@isDefault': index === 0 ? 'true' : undefined,
          })),
          'md:AttributeConsumingService':
            spec.requestedAttributes.length === 0
              ? undefined
              : {
                  '@index': '0',
                  '@isDefault': 'true',
                  'md:ServiceName': english(spec.serviceName),
                  'md:RequestedAttribute': spec.requestedAttributes.map((requested) => ({
                    '@Name': requested.name,
                    '@NameFormat':
                      requested.nameFormat ??
                      (/^[a-z][a-z0-9+.-]*:/i.test(requested.name) ? ATTRNAME_FORMAT_URI : ATTRNAME_FORMAT_BASIC),
                    '@FriendlyName': requested.friendlyName,
                    '@isRequired': String(requested.isRequired),
                  })),
                },
        },
        'md:Organization': spec.organization && {
          'md:OrganizationName': english(spec.organization.name),
          'md:OrganizationDisplayName': english(spec.organization.displayName),
          'md:OrganizationURL': english(spec.organization.url),
        },
        'md:ContactPerson': spec.technicalContact && {
          '@contactType': 'technical',
          'md:GivenName': spec.technicalContact.givenName || undefined,
          'md:EmailAddress': `mailto:${spec.technicalContact.email}`,
        },
      },
    },
    { pretty: true },
  );
}
