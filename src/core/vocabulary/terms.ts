import type { TermKind, VocabularyTerm } from '../vocabulary';

type Extra = Pick<VocabularyTerm, 'friendlyName' | 'deprecated' | 'insecure'>;

function group(
  kind: TermKind,
  rows: readonly (readonly [uri: string, shortName: string, description: string, extra?: Extra])[],
): VocabularyTerm[] {
  return rows.map(([uri, shortName, description, extra]) => ({ uri, kind, shortName, description, ...extra }));
}

const B2 = 'urn:oasis:names:tc:SAML:2.0:bindings:';
const BINDINGS = group('binding', [
  [
    `${B2}HTTP-Redirect`,
    'HTTP-Redirect',
    'The message is DEFLATE-compressed, base64-encoded and sent as a URL query parameter (SAMLRequest/SAMLResponse); any signature is carried in the Signature and SigAlg query parameters.',
  ],
  [
    `${B2}HTTP-POST`,
    'HTTP-POST',
    'The message is base64-encoded into a hidden form field that the browser posts to the endpoint; signatures are embedded in the XML.',
  ],
  [
    `${B2}HTTP-Artifact`,
    'HTTP-Artifact',
    'The browser carries only a short artifact; the receiver fetches the actual message over a back channel from the ArtifactResolutionService.',
  ],
  [
    `${B2}SOAP`,
    'SOAP',
    'The message travels in a SOAP 1.1 envelope over a direct server-to-server HTTP connection (artifact resolution, attribute queries, back-channel logout).',
  ],
  [
    `${B2}PAOS`,
    'PAOS (ECP)',
    'Reverse SOAP over HTTP used by the Enhanced Client or Proxy (ECP) profile, where a non-browser client relays messages between SP and IdP.',
  ],
  [`${B2}URI`, 'URI', 'An assertion is retrieved by dereferencing a URI that identifies it (AssertionIDRequest).'],
  [
    `${B2}HTTP-POST-SimpleSign`,
    'HTTP-POST-SimpleSign',
    'Like HTTP-POST, but the signature covers the form fields and is sent in Signature/SigAlg form fields instead of an XML signature.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:profiles:holder-of-key:SSO:browser',
    'Holder-of-Key Web SSO',
    "Browser SSO in which the assertion is bound to the client's TLS certificate; the actual binding is named by the hoksso:ProtocolBinding attribute.",
  ],
  [
    'urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol',
    'IdP discovery response',
    'Endpoint of an SP to which a discovery service returns the chosen IdP (idpdisc:DiscoveryResponse).',
  ],
  [
    'urn:oasis:names:tc:SAML:profiles:SSO:request-init',
    'Request initiation',
    'Endpoint of an SP that starts SSO when visited, by building an AuthnRequest for the IdP named in the query string (init:RequestInitiator).',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:bindings:SOAP-binding',
    'SAML 1.x SOAP',
    'SAML 1.x back-channel binding over SOAP, used for attribute queries and artifact resolution.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:profiles:browser-post',
    'SAML 1.x Browser/POST',
    'SAML 1.x browser profile in which a signed response is posted by the browser to the SP.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:profiles:artifact-01',
    'SAML 1.x Browser/Artifact',
    'SAML 1.x browser profile in which the SP receives an artifact and resolves it over SOAP.',
  ],
  [
    'urn:mace:shibboleth:1.0:profiles:AuthnRequest',
    'Shibboleth 1.x AuthnRequest',
    'Shibboleth 1.x single sign-on endpoint that accepts the simple GET-based authentication request (providerId, shire, target).',
  ],
]);

const NAMEID_FORMATS = group('nameid-format', [
  [
    'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    'unspecified',
    'The IdP decides how to interpret the NameID; nothing may be assumed about its content or stability.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'emailAddress',
    'The NameID is an email address (addr-spec of RFC 2822); it can change and be reassigned, so it is a poor long-term key.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
    'X509SubjectName',
    "The NameID is an X.509 subject distinguished name as in XML Signature's X509SubjectName.",
  ],
  [
    'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName',
    'WindowsDomainQualifiedName',
    'The NameID is a Windows account name, optionally qualified as DOMAIN\\user.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos',
    'kerberos',
    'The NameID is a Kerberos principal name such as name/instance@REALM.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
    'entity',
    'The NameID is the entityID of a SAML system entity; used for Issuer, where it is the default format.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'persistent',
    'An opaque, stable identifier that is specific to the pair of IdP and SP (pairwise); safe to use as the account key.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    'transient',
    'An opaque identifier that is valid for a single session only; never use it to link accounts.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted',
    'encrypted',
    'Marks an EncryptedID; it may appear only in NameIDPolicy requests, never as the Format of a NameID.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified',
    'unspecified (2.0, non-standard)',
    'Not defined by SAML 2.0 Core although some products emit it.',
    { deprecated: 'Not a standard identifier; use urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified.' },
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress',
    'emailAddress (2.0, non-standard)',
    'Not defined by SAML 2.0 Core although some products emit it.',
    { deprecated: 'Not a standard identifier; use urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress.' },
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified',
    'unspecified (1.0, non-standard)',
    'Not defined by any SAML version although some metadata lists it.',
    { deprecated: 'Not a standard identifier; use urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified.' },
  ],
  [
    'urn:mace:shibboleth:1.0:nameIdentifier',
    'Shibboleth 1.x handle',
    'The opaque, short-lived handle that Shibboleth 1.x IdPs issue as the subject of SAML 1.x assertions.',
    { deprecated: 'Shibboleth 1.x only; SAML 2.0 deployments use transient or persistent identifiers.' },
  ],
]);

const ATTRNAME_FORMATS = group('attrname-format', [
  [
    'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
    'unspecified',
    'The interpretation of the attribute Name is left to the parties; the default when NameFormat is omitted.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
    'uri',
    'The attribute Name is a URI, such as urn:oid:2.5.4.42 or a claim URI; required by the SAML V2.0 attribute profiles of most federations.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    'basic',
    'The attribute Name is a simple string (an xs:Name such as FirstName) without any namespace.',
  ],
  [
    'urn:mace:shibboleth:1.0:attributeNamespace:uri',
    'SAML 1.x URI attribute namespace',
    'SAML 1.x AttributeNamespace saying the AttributeName is a URI.',
  ],
]);

const PROTOCOLS = group('protocol', [
  [
    'urn:oasis:names:tc:SAML:2.0:protocol',
    'SAML 2.0',
    'The role supports the SAML 2.0 protocols; required in protocolSupportEnumeration of any SAML 2.0 role.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.1:protocol',
    'SAML 1.1',
    'The role supports the SAML 1.1 protocols (legacy).',
    { deprecated: 'SAML 1.1 is superseded by SAML 2.0.' },
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:protocol',
    'SAML 1.0',
    'The role supports the SAML 1.0 protocols (legacy).',
    { deprecated: 'SAML 1.0 is superseded by SAML 2.0.' },
  ],
  [
    'urn:mace:shibboleth:1.0',
    'Shibboleth 1.x',
    'The role supports the Shibboleth 1.x profiles of SAML 1.x.',
    { deprecated: 'Shibboleth 1.x reached end of life; use SAML 2.0.' },
  ],
  [
    'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
    'WS-Trust 1.3',
    'The role issues security tokens through WS-Trust 1.3 (active clients such as rich applications).',
  ],
  [
    'http://schemas.xmlsoap.org/ws/2005/02/trust',
    'WS-Trust (February 2005)',
    'The role issues security tokens through the pre-standard WS-Trust 2005 draft.',
  ],
  [
    'http://schemas.xmlsoap.org/ws/2003/07/secext',
    'WS-Security (2003 draft)',
    'The pre-standard WS-Security namespace, listed by some older products as a supported protocol or binding.',
    {
      deprecated:
        'A draft namespace; WS-Security 1.0 uses http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd.',
    },
  ],
  [
    'http://docs.oasis-open.org/wsfed/federation/200706',
    'WS-Federation',
    'The role supports WS-Federation passive requestor profile (seen on fed: RoleDescriptors in ADFS and Entra ID metadata).',
  ],
]);

const S = 'urn:oasis:names:tc:SAML:2.0:status:';
const STATUS = group('status', [
  [`${S}Success`, 'Success', 'The request succeeded.'],
  [
    `${S}Requester`,
    'Requester',
    "The request could not be performed because of an error on the requester's side (top-level code).",
  ],
  [
    `${S}Responder`,
    'Responder',
    "The request could not be performed because of an error on the responder's side (top-level code).",
  ],
  [
    `${S}VersionMismatch`,
    'VersionMismatch',
    'The responder could not process the request because of its SAML version (top-level code).',
  ],
  [`${S}AuthnFailed`, 'AuthnFailed', 'The IdP could not authenticate the principal.'],
  [
    `${S}InvalidAttrNameOrValue`,
    'InvalidAttrNameOrValue',
    'Unexpected or invalid content in a saml:Attribute or saml:AttributeValue.',
  ],
  [
    `${S}InvalidNameIDPolicy`,
    'InvalidNameIDPolicy',
    'The IdP cannot or will not support the requested NameIDPolicy (often a NameID format the IdP does not offer for this SP).',
  ],
  [
    `${S}NoAuthnContext`,
    'NoAuthnContext',
    'The IdP cannot authenticate the principal with the requested authentication context.',
  ],
  [
    `${S}NoAvailableIDP`,
    'NoAvailableIDP',
    "A proxying IdP could resolve or reach none of the IdPs in the request's IDPList.",
  ],
  [
    `${S}NoPassive`,
    'NoPassive',
    'IsPassive was true but the principal could not be authenticated without interaction.',
  ],
  [`${S}NoSupportedIDP`, 'NoSupportedIDP', "A proxying IdP supports none of the IdPs named in the request's IDPList."],
  [`${S}PartialLogout`, 'PartialLogout', 'Logout succeeded at the responder but not at every session participant.'],
  [
    `${S}ProxyCountExceeded`,
    'ProxyCountExceeded',
    'The IdP would have to proxy the request but the ProxyCount forbids it.',
  ],
  [
    `${S}RequestDenied`,
    'RequestDenied',
    'The responder chose not to honour the request (policy, unknown SP, user not assigned to the application…).',
  ],
  [`${S}RequestUnsupported`, 'RequestUnsupported', 'The responder does not support the request.'],
  [
    `${S}RequestVersionDeprecated`,
    'RequestVersionDeprecated',
    'The responder no longer accepts requests of this SAML version.',
  ],
  [
    `${S}RequestVersionTooHigh`,
    'RequestVersionTooHigh',
    "The request's major SAML version is higher than the responder supports.",
  ],
  [
    `${S}RequestVersionTooLow`,
    'RequestVersionTooLow',
    "The request's major SAML version is lower than the responder supports.",
  ],
  [
    `${S}ResourceNotRecognized`,
    'ResourceNotRecognized',
    'The resource named in the request is unknown to the responder.',
  ],
  [
    `${S}TooManyResponses`,
    'TooManyResponses',
    'The response would contain more elements than the responder can return.',
  ],
  [
    `${S}UnknownAttrProfile`,
    'UnknownAttrProfile',
    'The request references an attribute profile the responder does not know.',
  ],
  [`${S}UnknownPrincipal`, 'UnknownPrincipal', 'The principal named in the request is not known to the responder.'],
  [
    `${S}UnsupportedBinding`,
    'UnsupportedBinding',
    'The responder cannot send the response with the requested protocol binding.',
  ],
]);

const AC = 'urn:oasis:names:tc:SAML:2.0:ac:classes:';
const AUTHN_CONTEXTS = group('authn-context', [
  [`${AC}unspecified`, 'unspecified', 'The authentication method is not specified.'],
  [`${AC}Password`, 'Password', 'The principal authenticated with a password over an unprotected channel.'],
  [
    `${AC}PasswordProtectedTransport`,
    'PasswordProtectedTransport',
    'The principal authenticated with a password over a protected (TLS) session; the usual value for web sign-in.',
  ],
  [
    `${AC}PreviousSession`,
    'PreviousSession',
    'The principal was authenticated earlier and the IdP reused that session (single sign-on).',
  ],
  [
    `${AC}X509`,
    'X509',
    'The principal authenticated with an X.509 certificate and its private key (digital signature).',
  ],
  [`${AC}TLSClient`, 'TLSClient', 'The principal authenticated with a client certificate during the TLS handshake.'],
  [`${AC}Smartcard`, 'Smartcard', 'The principal authenticated with a smart card.'],
  [
    `${AC}SmartcardPKI`,
    'SmartcardPKI',
    'The principal authenticated with a key held on a smart card, unlocked with a PIN.',
  ],
  [
    `${AC}SoftwarePKI`,
    'SoftwarePKI',
    'The principal authenticated with a key stored in software, unlocked with a PIN or password.',
  ],
  [
    `${AC}Kerberos`,
    'Kerberos',
    'The principal authenticated with Kerberos (for example integrated Windows authentication).',
  ],
  [
    `${AC}InternetProtocol`,
    'InternetProtocol',
    'The principal was identified only by the IP address it connected from.',
  ],
  [
    `${AC}InternetProtocolPassword`,
    'InternetProtocolPassword',
    'The principal was identified by IP address together with a password.',
  ],
  [
    `${AC}MobileOneFactorUnregistered`,
    'MobileOneFactorUnregistered',
    'One-factor authentication from a mobile device without prior registration.',
  ],
  [
    `${AC}MobileTwoFactorUnregistered`,
    'MobileTwoFactorUnregistered',
    'Two-factor authentication from a mobile device without prior registration.',
  ],
  [
    `${AC}MobileOneFactorContract`,
    'MobileOneFactorContract',
    'One-factor authentication from a mobile device registered under a contract.',
  ],
  [
    `${AC}MobileTwoFactorContract`,
    'MobileTwoFactorContract',
    'Two-factor authentication from a mobile device registered under a contract.',
  ],
  [
    `${AC}TimeSyncToken`,
    'TimeSyncToken',
    'The principal authenticated with a time-synchronised one-time-password token.',
  ],
  [`${AC}Telephony`, 'Telephony', 'The principal was identified by a fixed-line telephone number.'],
  [
    `${AC}NomadTelephony`,
    'NomadTelephony',
    'The principal was identified by a telephone number plus a password while roaming.',
  ],
  [
    `${AC}PersonalTelephony`,
    'PersonalTelephony',
    'The principal was identified by a telephone number that belongs to a person.',
  ],
  [
    `${AC}AuthenticatedTelephony`,
    'AuthenticatedTelephony',
    'The principal was identified by a telephone number plus a further secret.',
  ],
  [`${AC}SecureRemotePassword`, 'SecureRemotePassword', 'The principal authenticated with the SRP password protocol.'],
  [`${AC}PGP`, 'PGP', 'The principal authenticated with a PGP key.'],
  [`${AC}SPKI`, 'SPKI', 'The principal authenticated with an SPKI key.'],
  [`${AC}XMLDSig`, 'XMLDSig', 'The principal authenticated by signing with XML Signature.'],
  [
    'https://refeds.org/profile/mfa',
    'REFEDS MFA',
    'The principal passed multi-factor authentication meeting the REFEDS MFA profile.',
  ],
  [
    'https://refeds.org/profile/sfa',
    'REFEDS SFA',
    'The principal passed single-factor authentication meeting the REFEDS SFA profile.',
  ],
  [
    'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
    'Microsoft password',
    'ADFS / Entra ID value for password authentication.',
  ],
  [
    'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/windows',
    'Microsoft Windows',
    'ADFS / Entra ID value for integrated Windows authentication.',
  ],
  [
    'http://schemas.microsoft.com/claims/multipleauthn',
    'Microsoft multiple authentication',
    'ADFS / Entra ID value meaning the user completed multi-factor authentication.',
  ],
]);

const SHA1_SIGNATURE = 'SHA-1 is collision-prone; sign with RSA-SHA256 or stronger.';
const HMAC =
  'HMAC signatures use a shared secret; with a public certificate as the key anyone can forge them (CVE-2018-7644).';
const SIGNATURE_ALGORITHMS = group('signature-algorithm', [
  [
    'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    'RSA-SHA1',
    'RSA PKCS#1 v1.5 signature over a SHA-1 digest.',
    { insecure: SHA1_SIGNATURE },
  ],
  [
    'http://www.w3.org/2000/09/xmldsig#dsa-sha1',
    'DSA-SHA1',
    'DSA signature over a SHA-1 digest.',
    { insecure: SHA1_SIGNATURE },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#rsa-md5',
    'RSA-MD5',
    'RSA signature over an MD5 digest.',
    { insecure: 'MD5 is broken; such signatures can be forged.' },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#rsa-sha224',
    'RSA-SHA224',
    'RSA PKCS#1 v1.5 signature over a SHA-224 digest.',
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'RSA-SHA256',
    'RSA PKCS#1 v1.5 signature over a SHA-256 digest; the common default today.',
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
    'RSA-SHA384',
    'RSA PKCS#1 v1.5 signature over a SHA-384 digest.',
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
    'RSA-SHA512',
    'RSA PKCS#1 v1.5 signature over a SHA-512 digest.',
  ],
  [
    'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
    'RSASSA-PSS-SHA256',
    'RSA-PSS signature with SHA-256 and MGF1.',
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1',
    'ECDSA-SHA1',
    'ECDSA signature over a SHA-1 digest.',
    { insecure: SHA1_SIGNATURE },
  ],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224', 'ECDSA-SHA224', 'ECDSA signature over a SHA-224 digest.'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', 'ECDSA-SHA256', 'ECDSA signature over a SHA-256 digest.'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384', 'ECDSA-SHA384', 'ECDSA signature over a SHA-384 digest.'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512', 'ECDSA-SHA512', 'ECDSA signature over a SHA-512 digest.'],
  ['http://www.w3.org/2009/xmldsig11#dsa-sha256', 'DSA-SHA256', 'DSA signature over a SHA-256 digest.'],
  [
    'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
    'HMAC-SHA1',
    'Keyed-hash message authentication code with SHA-1.',
    { insecure: HMAC },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256',
    'HMAC-SHA256',
    'Keyed-hash message authentication code with SHA-256.',
    { insecure: HMAC },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#hmac-sha384',
    'HMAC-SHA384',
    'Keyed-hash message authentication code with SHA-384.',
    { insecure: HMAC },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#hmac-sha512',
    'HMAC-SHA512',
    'Keyed-hash message authentication code with SHA-512.',
    { insecure: HMAC },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#hmac-md5',
    'HMAC-MD5',
    'Keyed-hash message authentication code with MD5.',
    { insecure: HMAC },
  ],
]);

const DIGEST_ALGORITHMS = group('digest-algorithm', [
  [
    'http://www.w3.org/2000/09/xmldsig#sha1',
    'SHA-1',
    'SHA-1 digest of the referenced content.',
    { insecure: 'SHA-1 is collision-prone; use SHA-256 or stronger.' },
  ],
  [
    'http://www.w3.org/2001/04/xmldsig-more#md5',
    'MD5',
    'MD5 digest of the referenced content.',
    { insecure: 'MD5 is broken; the referenced content can be substituted.' },
  ],
  ['http://www.w3.org/2001/04/xmldsig-more#sha224', 'SHA-224', 'SHA-224 digest of the referenced content.'],
  [
    'http://www.w3.org/2001/04/xmlenc#sha256',
    'SHA-256',
    'SHA-256 digest of the referenced content; the common default today.',
  ],
  ['http://www.w3.org/2001/04/xmldsig-more#sha384', 'SHA-384', 'SHA-384 digest of the referenced content.'],
  ['http://www.w3.org/2001/04/xmlenc#sha512', 'SHA-512', 'SHA-512 digest of the referenced content.'],
  ['http://www.w3.org/2001/04/xmlenc#ripemd160', 'RIPEMD-160', 'RIPEMD-160 digest; rarely supported.'],
]);

const WITH_COMMENTS =
  'Comments become part of the signed content, which enables comment-injection tricks; use the variant without comments.';
const CANONICALIZATIONS = group('canonicalization', [
  [
    'http://www.w3.org/2001/10/xml-exc-c14n#',
    'Exclusive C14N',
    'Exclusive XML canonicalization without comments: only namespaces actually used are rendered, so a signed element can be moved into another document; the usual choice for SAML.',
  ],
  [
    'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
    'Exclusive C14N with comments',
    'Exclusive XML canonicalization keeping comments.',
    { insecure: WITH_COMMENTS },
  ],
  [
    'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    'C14N 1.0',
    'Inclusive XML canonicalization 1.0 without comments: in-scope namespaces from ancestors are rendered too.',
  ],
  [
    'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
    'C14N 1.0 with comments',
    'Inclusive XML canonicalization 1.0 keeping comments.',
    { insecure: WITH_COMMENTS },
  ],
  [
    'http://www.w3.org/2006/12/xml-c14n11',
    'C14N 1.1',
    'Inclusive XML canonicalization 1.1 without comments (fixes xml:id and xml:base handling).',
  ],
  [
    'http://www.w3.org/2006/12/xml-c14n11#WithComments',
    'C14N 1.1 with comments',
    'Inclusive XML canonicalization 1.1 keeping comments.',
    { insecure: WITH_COMMENTS },
  ],
]);

const TRANSFORMS = group('transform', [
  [
    'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
    'Enveloped signature',
    'Removes the Signature element itself before digesting, so a signature can sit inside the element it signs; required by SAML.',
  ],
  ['http://www.w3.org/2000/09/xmldsig#base64', 'Base64 decode', 'Decodes base64 content before digesting.'],
  [
    'http://www.w3.org/TR/1999/REC-xpath-19991116',
    'XPath filter',
    'Selects the signed nodes with an XPath expression.',
    { insecure: 'XPath transforms can hide what is really signed and cost unbounded time; SAML profiles forbid them.' },
  ],
  [
    'http://www.w3.org/2002/06/xmldsig-filter2',
    'XPath Filter 2.0',
    'Selects the signed nodes by XPath set operations.',
    { insecure: 'XPath transforms can hide what is really signed; SAML profiles forbid them.' },
  ],
  [
    'http://www.w3.org/TR/1999/REC-xslt-19991116',
    'XSLT',
    'Transforms the content with an XSLT stylesheet before digesting.',
    { insecure: 'XSLT can run arbitrary processing and hide what is signed; never accept it.' },
  ],
]);

const CBC =
  'CBC mode without integrity protection is open to padding-oracle attacks ("How to Break XML Encryption"); use AES-GCM.';
const ENCRYPTION_ALGORITHMS = group('encryption-algorithm', [
  [
    'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
    'AES-128-CBC',
    'AES with a 128-bit key in CBC mode.',
    { insecure: CBC },
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#aes192-cbc',
    'AES-192-CBC',
    'AES with a 192-bit key in CBC mode.',
    { insecure: CBC },
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
    'AES-256-CBC',
    'AES with a 256-bit key in CBC mode.',
    { insecure: CBC },
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
    '3DES-CBC',
    'Triple DES in CBC mode.',
    { insecure: `Triple DES has a 64-bit block (Sweet32) and ${CBC}` },
  ],
  ['http://www.w3.org/2009/xmlenc11#aes128-gcm', 'AES-128-GCM', 'AES with a 128-bit key in authenticated GCM mode.'],
  ['http://www.w3.org/2009/xmlenc11#aes192-gcm', 'AES-192-GCM', 'AES with a 192-bit key in authenticated GCM mode.'],
  ['http://www.w3.org/2009/xmlenc11#aes256-gcm', 'AES-256-GCM', 'AES with a 256-bit key in authenticated GCM mode.'],
  [
    'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
    'RSA PKCS#1 v1.5',
    'Key transport with RSA PKCS#1 v1.5 padding.',
    { insecure: 'Open to Bleichenbacher padding-oracle attacks; use RSA-OAEP.' },
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    'RSA-OAEP (MGF1-SHA1)',
    'Key transport with RSA-OAEP padding and MGF1 with SHA-1.',
  ],
  [
    'http://www.w3.org/2009/xmlenc11#rsa-oaep',
    'RSA-OAEP',
    'Key transport with RSA-OAEP; digest and mask generation function are given as child elements.',
  ],
  [
    'http://www.w3.org/2009/xmlenc11#mgf1sha256',
    'MGF1-SHA256',
    'Mask generation function MGF1 with SHA-256, used with RSA-OAEP.',
  ],
  [
    'http://www.w3.org/2009/xmlenc11#ECDH-ES',
    'ECDH-ES key agreement',
    'Derives the key-encryption key by elliptic-curve Diffie-Hellman with an ephemeral key (used with EC encryption certificates).',
  ],
  [
    'http://www.w3.org/2009/xmlenc11#ConcatKDF',
    'ConcatKDF',
    'Key derivation function (NIST SP 800-56A concatenation KDF) used with ECDH-ES.',
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#kw-aes128',
    'AES-128 key wrap',
    'Wraps the content key with a shared 128-bit AES key.',
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#kw-aes192',
    'AES-192 key wrap',
    'Wraps the content key with a shared 192-bit AES key.',
  ],
  [
    'http://www.w3.org/2001/04/xmlenc#kw-aes256',
    'AES-256 key wrap',
    'Wraps the content key with a shared 256-bit AES key.',
  ],
]);

const SUBJECT_CONFIRMATIONS = group('subject-confirmation', [
  [
    'urn:oasis:names:tc:SAML:2.0:cm:bearer',
    'bearer',
    'Whoever presents the assertion is the subject; the SubjectConfirmationData must limit Recipient, NotOnOrAfter and InResponseTo. Used by Web browser SSO.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
    'holder-of-key',
    'The presenter must prove possession of the key given in SubjectConfirmationData/KeyInfo.',
  ],
  [
    'urn:oasis:names:tc:SAML:2.0:cm:sender-vouches',
    'sender-vouches',
    'The sending party vouches for the subject; the receiver must trust the sender by other means.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:cm:bearer',
    'SAML 1.x bearer',
    'SAML 1.x confirmation: whoever presents the assertion is the subject.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:cm:holder-of-key',
    'SAML 1.x holder-of-key',
    'SAML 1.x confirmation by proof of possession of a key.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:cm:sender-vouches',
    'SAML 1.x sender-vouches',
    'SAML 1.x confirmation vouched for by the sender.',
  ],
  [
    'urn:oasis:names:tc:SAML:1.0:cm:artifact',
    'SAML 1.x artifact',
    'SAML 1.1 confirmation for assertions obtained via the Browser/Artifact profile.',
  ],
]);

const C = 'urn:oasis:names:tc:SAML:2.0:consent:';
const CONSENTS = group('consent', [
  [`${C}unspecified`, 'unspecified', "No claim is made about the principal's consent; the default."],
  [`${C}obtained`, 'obtained', "The principal's consent was obtained by the issuer of the message."],
  [`${C}prior`, 'prior', 'Consent was obtained before the action that led to the message.'],
  [`${C}current-implicit`, 'current-implicit', "Consent is implied by the principal's current action."],
  [`${C}current-explicit`, 'current-explicit', 'The principal explicitly consented at the time of the action.'],
  [`${C}unavailable`, 'unavailable', 'The issuer could not obtain consent.'],
  [`${C}inapplicable`, 'inapplicable', 'The issuer deems consent unnecessary for this action.'],
]);

const ENTITY_CATEGORIES = group('entity-category', [
  [
    'http://macedir.org/entity-category',
    'entity-category (attribute)',
    'Name of the entity attribute (mdattr:EntityAttributes) that lists the categories an entity belongs to.',
  ],
  [
    'http://macedir.org/entity-category-support',
    'entity-category-support (attribute)',
    'Name of the entity attribute through which an IdP declares the categories it supports releasing attributes to.',
  ],
  [
    'urn:oasis:names:tc:SAML:attribute:assurance-certification',
    'assurance-certification (attribute)',
    'Name of the entity attribute listing assurance certifications such as REFEDS SIRTFI.',
  ],
  [
    'urn:oasis:names:tc:SAML:profiles:subject-id:req',
    'subject-id:req (attribute)',
    'Name of the entity attribute through which an SP says which subject identifier it requires (subject-id, pairwise-id, none or any).',
  ],
  [
    'http://refeds.org/category/research-and-scholarship',
    'REFEDS Research and Scholarship',
    'The SP supports research and scholarship; IdPs supporting the category release name, email, eduPersonPrincipalName and affiliation to it.',
  ],
  [
    'https://refeds.org/category/code-of-conduct/v2',
    'REFEDS Data Protection Code of Conduct v2',
    'The SP commits to the REFEDS Data Protection Code of Conduct when processing released attributes.',
  ],
  [
    'http://www.geant.net/uri/dataprotection-code-of-conduct/v1',
    'GÉANT Data Protection Code of Conduct v1',
    'The SP commits to the GÉANT Data Protection Code of Conduct.',
    { deprecated: 'Superseded by https://refeds.org/category/code-of-conduct/v2.' },
  ],
  [
    'https://refeds.org/category/personalized',
    'REFEDS Personalized Access',
    'The SP needs identifying attributes (name, email, subject-id) to provide a personalised service.',
  ],
  [
    'https://refeds.org/category/pseudonymous',
    'REFEDS Pseudonymous Access',
    'The SP needs only a pseudonymous identifier and affiliation.',
  ],
  [
    'https://refeds.org/category/anonymous',
    'REFEDS Anonymous Access',
    'The SP needs only proof of affiliation, no identifier.',
  ],
  [
    'http://refeds.org/category/hide-from-discovery',
    'REFEDS Hide from Discovery',
    'The IdP asks discovery services not to list it.',
  ],
  [
    'https://refeds.org/sirtfi',
    'REFEDS SIRTFI',
    'The entity follows the Security Incident Response Trust Framework for Federated Identity.',
  ],
  [
    'http://id.incommon.org/category/registered-by-incommon',
    'Registered by InCommon',
    'The entity was registered by the InCommon federation.',
  ],
]);

const WS_CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const MS_CLAIMS = 'http://schemas.microsoft.com/identity/claims/';
const MS_WS_CLAIMS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/';
const OID = 'urn:oid:';
const CLAIMS = group('claim', [
  [`${WS_CLAIMS}givenname`, 'givenname', "The user's given (first) name; Entra ID sources it from user.givenname."],
  [`${WS_CLAIMS}surname`, 'surname', "The user's surname (family name); Entra ID sources it from user.surname."],
  [`${WS_CLAIMS}emailaddress`, 'emailaddress', "The user's email address; Entra ID sources it from user.mail."],
  [
    `${WS_CLAIMS}name`,
    'name',
    "The user's name as a unique string; Entra ID sends the user principal name (user.userprincipalname) here.",
  ],
  [`${WS_CLAIMS}upn`, 'upn', 'The user principal name (user@domain).'],
  [
    `${WS_CLAIMS}nameidentifier`,
    'nameidentifier',
    'The subject identifier (ADFS / WIF claim mapped to and from the NameID).',
  ],
  [`${WS_CLAIMS}country`, 'country', "The user's country or region."],
  [`${WS_CLAIMS}streetaddress`, 'streetaddress', "The user's street address."],
  [`${WS_CLAIMS}locality`, 'locality', "The user's city or locality."],
  [`${WS_CLAIMS}stateorprovince`, 'stateorprovince', "The user's state or province."],
  [`${WS_CLAIMS}postalcode`, 'postalcode', "The user's postal code."],
  [`${WS_CLAIMS}mobilephone`, 'mobilephone', "The user's mobile telephone number."],
  [
    `${MS_CLAIMS}objectidentifier`,
    'objectidentifier',
    'The immutable object ID (GUID) of the user in Entra ID; a stable key for the account.',
  ],
  [`${MS_CLAIMS}tenantid`, 'tenantid', 'The ID (GUID) of the Entra ID tenant that issued the token.'],
  [`${MS_CLAIMS}displayname`, 'displayname', "The user's display name."],
  [
    `${MS_CLAIMS}identityprovider`,
    'identityprovider',
    "The identity provider that authenticated the user (e.g. the tenant's issuer, or an external IdP for guests).",
  ],
  [
    'http://schemas.microsoft.com/claims/authnmethodsreferences',
    'authnmethodsreferences',
    'How the user authenticated (e.g. password, multipleauthn).',
  ],
  [`${MS_WS_CLAIMS}groups`, 'groups', 'Object IDs (or names, if configured) of the groups the user belongs to.'],
  [`${MS_WS_CLAIMS}role`, 'role', 'Application roles assigned to the user for this application.'],
  [`${MS_WS_CLAIMS}wids`, 'wids', 'Template IDs of the Entra ID directory roles assigned to the user.'],
  [
    `${MS_WS_CLAIMS}windowsaccountname`,
    'windowsaccountname',
    "The user's on-premises account name in DOMAIN\\sAMAccountName form.",
  ],
  [`${MS_WS_CLAIMS}authenticationmethod`, 'authenticationmethod', 'The method used to authenticate the user (ADFS).'],
  [
    'http://schemas.microsoft.com/claims/groups.link',
    'groups.link',
    'Sent instead of groups when the user is in too many groups (overage); the application must query Microsoft Graph.',
  ],
  [
    'urn:oasis:names:tc:SAML:attribute:subject-id',
    'subject-id',
    'A long-lived, non-reassignable identifier of the form id@scope, the same for every SP.',
    { friendlyName: 'subject-id' },
  ],
  [
    'urn:oasis:names:tc:SAML:attribute:pairwise-id',
    'pairwise-id',
    'A long-lived, non-reassignable identifier of the form id@scope that differs for each SP.',
    { friendlyName: 'pairwise-id' },
  ],
  [`${OID}2.5.4.42`, 'givenName', "The person's given (first) name.", { friendlyName: 'givenName' }],
  [`${OID}2.5.4.4`, 'sn', "The person's surname (family name).", { friendlyName: 'sn' }],
  [`${OID}2.5.4.3`, 'cn', "The person's common (full) name.", { friendlyName: 'cn' }],
  [
    `${OID}2.16.840.1.113730.3.1.241`,
    'displayName',
    'The name the person prefers to be shown with.',
    { friendlyName: 'displayName' },
  ],
  [`${OID}0.9.2342.19200300.100.1.3`, 'mail', "The person's email address.", { friendlyName: 'mail' }],
  [
    `${OID}0.9.2342.19200300.100.1.1`,
    'uid',
    "The person's login name in the home organisation's directory.",
    { friendlyName: 'uid' },
  ],
  [`${OID}2.5.4.10`, 'o', "The name of the person's organisation.", { friendlyName: 'o' }],
  [`${OID}2.5.4.11`, 'ou', "The name of the person's organisational unit.", { friendlyName: 'ou' }],
  [`${OID}2.5.4.12`, 'title', "The person's job title.", { friendlyName: 'title' }],
  [`${OID}2.5.4.6`, 'c', 'The two-letter ISO 3166 country code of the person.', { friendlyName: 'c' }],
  [`${OID}2.5.4.20`, 'telephoneNumber', "The person's telephone number.", { friendlyName: 'telephoneNumber' }],
  [`${OID}0.9.2342.19200300.100.1.41`, 'mobile', "The person's mobile telephone number.", { friendlyName: 'mobile' }],
  [
    `${OID}2.16.840.1.113730.3.1.3`,
    'employeeNumber',
    "The person's employee number.",
    { friendlyName: 'employeeNumber' },
  ],
  [
    `${OID}2.16.840.1.113730.3.1.39`,
    'preferredLanguage',
    "The person's preferred written or spoken language.",
    { friendlyName: 'preferredLanguage' },
  ],
  [
    `${OID}1.2.840.113549.1.9.1`,
    'email',
    'PKCS#9 email address.',
    { friendlyName: 'email', deprecated: 'Use mail (urn:oid:0.9.2342.19200300.100.1.3).' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.1`,
    'eduPersonAffiliation',
    "The person's relationships with the home organisation (member, student, faculty, staff, employee, affiliate, alum, library-walk-in).",
    { friendlyName: 'eduPersonAffiliation' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.5`,
    'eduPersonPrimaryAffiliation',
    "The person's primary relationship with the home organisation.",
    { friendlyName: 'eduPersonPrimaryAffiliation' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.6`,
    'eduPersonPrincipalName',
    'A scoped identifier of the form user@scope; it may be reassigned after some time.',
    { friendlyName: 'eduPersonPrincipalName' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.7`,
    'eduPersonEntitlement',
    'URIs of rights to specific resources.',
    { friendlyName: 'eduPersonEntitlement' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.9`,
    'eduPersonScopedAffiliation',
    "eduPersonAffiliation values qualified with the organisation's scope, such as student@example.edu.",
    { friendlyName: 'eduPersonScopedAffiliation' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.10`,
    'eduPersonTargetedID',
    'A persistent, SP-specific opaque identifier.',
    { friendlyName: 'eduPersonTargetedID', deprecated: 'Use pairwise-id or a persistent NameID.' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.11`,
    'eduPersonAssurance',
    "URIs of the identity assurance profiles the person's identity meets.",
    { friendlyName: 'eduPersonAssurance' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.13`,
    'eduPersonUniqueId',
    'A scoped, persistent, never-reassigned identifier of the person.',
    { friendlyName: 'eduPersonUniqueId' },
  ],
  [
    `${OID}1.3.6.1.4.1.5923.1.1.1.16`,
    'eduPersonOrcid',
    "The person's ORCID iD as an https://orcid.org/ URI.",
    { friendlyName: 'eduPersonOrcid' },
  ],
  [
    `${OID}1.3.6.1.4.1.25178.1.2.9`,
    'schacHomeOrganization',
    "The domain name of the person's home organisation.",
    { friendlyName: 'schacHomeOrganization' },
  ],
  [
    `${OID}1.3.6.1.4.1.25178.1.2.10`,
    'schacHomeOrganizationType',
    "The type of the person's home organisation, as a URN.",
    { friendlyName: 'schacHomeOrganizationType' },
  ],
]);

export const TERMS: readonly VocabularyTerm[] = [
  ...BINDINGS,
  ...NAMEID_FORMATS,
  ...ATTRNAME_FORMATS,
  ...PROTOCOLS,
  ...STATUS,
  ...AUTHN_CONTEXTS,
  ...SIGNATURE_ALGORITHMS,
  ...DIGEST_ALGORITHMS,
  ...CANONICALIZATIONS,
  ...TRANSFORMS,
  ...ENCRYPTION_ALGORITHMS,
  ...SUBJECT_CONFIRMATIONS,
  ...CONSENTS,
  ...ENTITY_CATEGORIES,
  ...CLAIMS,
];
