import type { AttributeDoc, ElementDoc } from '../vocabulary';
import { NS } from '../xml/namespaces';

function el(
  namespaceUri: string,
  localName: string,
  description: string,
  children?: readonly string[],
  attributes?: readonly AttributeDoc[],
): ElementDoc {
  return {
    namespaceUri,
    localName,
    description,
    ...(children ? { children } : {}),
    ...(attributes ? { attributes } : {}),
  };
}

// Attributes shared by several element types.
const ID: AttributeDoc = {
  name: 'ID',
  description: 'Unique identifier of the element; signature References point at it with URI="#…".',
};
const VALID_UNTIL: AttributeDoc = {
  name: 'validUntil',
  description: 'Time (UTC, ISO 8601) after which this metadata must no longer be trusted.',
};
const CACHE_DURATION: AttributeDoc = {
  name: 'cacheDuration',
  description:
    'Maximum time (an ISO 8601 duration such as PT6H) a consumer may cache this metadata before refreshing it.',
};
const BINDING: AttributeDoc = {
  name: 'Binding',
  description: 'How messages are sent to this endpoint (a SAML binding URI).',
  values: 'binding',
};
const LOCATION: AttributeDoc = { name: 'Location', description: 'URL of the endpoint.' };
const RESPONSE_LOCATION: AttributeDoc = {
  name: 'ResponseLocation',
  description: 'URL to which responses are sent, when it differs from Location.',
};
const INDEX: AttributeDoc = {
  name: 'index',
  description: 'Number identifying this endpoint among its siblings; requests may select it by index.',
};
const IS_DEFAULT: AttributeDoc = {
  name: 'isDefault',
  description: 'Whether this is the default endpoint when a request names none.',
  values: ['true', 'false'],
};
const ENDPOINT = [BINDING, LOCATION, RESPONSE_LOCATION];
const INDEXED_ENDPOINT = [BINDING, LOCATION, RESPONSE_LOCATION, INDEX, IS_DEFAULT];
const ROLE_ATTRIBUTES: AttributeDoc[] = [
  ID,
  VALID_UNTIL,
  CACHE_DURATION,
  {
    name: 'protocolSupportEnumeration',
    description:
      'Space-separated URIs of the protocols this role supports; must include urn:oasis:names:tc:SAML:2.0:protocol for SAML 2.0.',
    values: 'protocol',
  },
  { name: 'errorURL', description: 'Page where users can get help when an error occurs with this role.' },
];
const ROLE_CHILDREN = ['Signature', 'Extensions', 'KeyDescriptor', 'Organization', 'ContactPerson'];
const SSO_ROLE_CHILDREN = [
  ...ROLE_CHILDREN,
  'ArtifactResolutionService',
  'SingleLogoutService',
  'ManageNameIDService',
  'NameIDFormat',
];
const LANG: AttributeDoc = { name: 'xml:lang', description: 'Language of the text (e.g. en).' };
const ALGORITHM = (values: AttributeDoc['values'], description: string): AttributeDoc => ({
  name: 'Algorithm',
  description,
  values,
});
const NAME_ID_ATTRIBUTES: AttributeDoc[] = [
  { name: 'Format', description: 'What kind of identifier this is (a NameID format URI).', values: 'nameid-format' },
  { name: 'NameQualifier', description: 'The security domain (usually the IdP entityID) that qualifies the name.' },
  { name: 'SPNameQualifier', description: 'The SP or affiliation the name is specific to.' },
  { name: 'SPProvidedID', description: 'An alternative identifier the SP established for the principal.' },
];
const REQUEST_ATTRIBUTES: AttributeDoc[] = [
  ID,
  { name: 'Version', description: 'SAML version; must be 2.0.', values: ['2.0'] },
  { name: 'IssueInstant', description: 'When the message was issued (UTC, ISO 8601).' },
  { name: 'Destination', description: 'URL the message was sent to; the receiver compares it with its own endpoint.' },
  { name: 'Consent', description: 'Whether the principal consented to sending this message.', values: 'consent' },
];
const STATUS_RESPONSE_CHILDREN = ['Issuer', 'Signature', 'Extensions', 'Status'];
const STATUS_RESPONSE_ATTRIBUTES: AttributeDoc[] = [
  ...REQUEST_ATTRIBUTES,
  { name: 'InResponseTo', description: 'ID of the request this message answers; absent for IdP-initiated SSO.' },
];
const ATTRIBUTE_ATTRIBUTES: AttributeDoc[] = [
  {
    name: 'Name',
    description: 'Name of the attribute: a URI (urn:oid:…, a claim URI) or a plain name, as NameFormat says.',
    values: 'claim',
  },
  { name: 'NameFormat', description: 'How to interpret Name (uri, basic or unspecified).', values: 'attrname-format' },
  { name: 'FriendlyName', description: 'A human-readable name for display only; never used to match attributes.' },
];

const METADATA: ElementDoc[] = [
  el(
    NS.md,
    'EntitiesDescriptor',
    'A group of entities, typically a federation aggregate; may be signed as a whole.',
    ['Signature', 'Extensions', 'EntityDescriptor', 'EntitiesDescriptor'],
    [
      ID,
      VALID_UNTIL,
      CACHE_DURATION,
      { name: 'Name', description: "Name of the group, such as the federation's name." },
    ],
  ),
  el(
    NS.md,
    'EntityDescriptor',
    'Metadata of one SAML entity (IdP, SP, …), identified by its entityID, with one or more roles.',
    [
      'Signature',
      'Extensions',
      'RoleDescriptor',
      'IDPSSODescriptor',
      'SPSSODescriptor',
      'AuthnAuthorityDescriptor',
      'AttributeAuthorityDescriptor',
      'PDPDescriptor',
      'AffiliationDescriptor',
      'Organization',
      'ContactPerson',
      'AdditionalMetadataLocation',
    ],
    [
      {
        name: 'entityID',
        description:
          'The unique identifier of the entity (a URI, at most 1024 characters); it appears as Issuer and Audience in messages.',
      },
      ID,
      VALID_UNTIL,
      CACHE_DURATION,
    ],
  ),
  el(
    NS.md,
    'RoleDescriptor',
    'A role defined by an extension, selected with xsi:type (e.g. fed:SecurityTokenServiceType in ADFS and Entra ID metadata).',
    ROLE_CHILDREN,
    ROLE_ATTRIBUTES,
  ),
  el(
    NS.md,
    'IDPSSODescriptor',
    'The identity provider role: where to send AuthnRequests and which keys sign its responses.',
    [
      ...SSO_ROLE_CHILDREN,
      'SingleSignOnService',
      'NameIDMappingService',
      'AssertionIDRequestService',
      'AttributeProfile',
      'Attribute',
    ],
    [
      ...ROLE_ATTRIBUTES,
      {
        name: 'WantAuthnRequestsSigned',
        description: 'Whether the IdP requires SPs to sign their AuthnRequests.',
        values: ['true', 'false'],
      },
    ],
  ),
  el(
    NS.md,
    'SPSSODescriptor',
    'The service provider role: where assertions are delivered and which keys sign requests or decrypt assertions.',
    [...SSO_ROLE_CHILDREN, 'AssertionConsumerService', 'AttributeConsumingService'],
    [
      ...ROLE_ATTRIBUTES,
      {
        name: 'AuthnRequestsSigned',
        description: 'Whether this SP signs its AuthnRequests.',
        values: ['true', 'false'],
      },
      {
        name: 'WantAssertionsSigned',
        description: 'Whether this SP requires the assertions it receives to be signed.',
        values: ['true', 'false'],
      },
    ],
  ),
  el(
    NS.md,
    'AttributeAuthorityDescriptor',
    'A role that answers attribute queries about principals.',
    [
      ...ROLE_CHILDREN,
      'AttributeService',
      'AssertionIDRequestService',
      'NameIDFormat',
      'AttributeProfile',
      'Attribute',
    ],
    ROLE_ATTRIBUTES,
  ),
  el(
    NS.md,
    'AuthnAuthorityDescriptor',
    'A role that answers authentication queries.',
    [...ROLE_CHILDREN, 'AuthnQueryService', 'AssertionIDRequestService', 'NameIDFormat'],
    ROLE_ATTRIBUTES,
  ),
  el(
    NS.md,
    'PDPDescriptor',
    'A policy decision point role that answers authorisation decision queries.',
    [...ROLE_CHILDREN, 'AuthzService', 'AssertionIDRequestService', 'NameIDFormat'],
    ROLE_ATTRIBUTES,
  ),
  el(
    NS.md,
    'AffiliationDescriptor',
    'A group of entities that share identifiers, owned by one entity.',
    ['Signature', 'Extensions', 'AffiliateMember', 'KeyDescriptor'],
    [
      { name: 'affiliationOwnerID', description: "entityID of the affiliation's owner." },
      ID,
      VALID_UNTIL,
      CACHE_DURATION,
    ],
  ),
  el(NS.md, 'AffiliateMember', 'entityID of a member of the affiliation.'),
  el(
    NS.md,
    'KeyDescriptor',
    'A key (usually an X.509 certificate) the role uses; use says whether for signing or encryption, and without use it serves both.',
    ['KeyInfo', 'EncryptionMethod'],
    [
      {
        name: 'use',
        description: 'What the key is for; omit it when the key serves both purposes.',
        values: ['signing', 'encryption'],
      },
    ],
  ),
  el(
    NS.md,
    'EncryptionMethod',
    'An encryption algorithm the entity accepts with this key.',
    ['KeySize', 'OAEPparams'],
    [ALGORITHM('encryption-algorithm', 'Encryption algorithm URI.')],
  ),
  el(
    NS.md,
    'ArtifactResolutionService',
    'Back-channel endpoint that resolves artifacts into messages.',
    undefined,
    INDEXED_ENDPOINT,
  ),
  el(NS.md, 'SingleLogoutService', 'Endpoint that receives logout requests and responses.', undefined, ENDPOINT),
  el(
    NS.md,
    'ManageNameIDService',
    'Endpoint that receives ManageNameIDRequests (changing or terminating a persistent identifier).',
    undefined,
    ENDPOINT,
  ),
  el(NS.md, 'NameIDFormat', 'A NameID format the role supports, as a URI in the element content.'),
  el(NS.md, 'SingleSignOnService', 'IdP endpoint that receives AuthnRequests.', undefined, ENDPOINT),
  el(NS.md, 'NameIDMappingService', 'IdP endpoint that maps one name identifier into another.', undefined, ENDPOINT),
  el(NS.md, 'AssertionIDRequestService', 'Endpoint that returns an assertion by its ID.', undefined, ENDPOINT),
  el(NS.md, 'AttributeProfile', 'An attribute profile the role supports, as a URI.'),
  el(
    NS.md,
    'AttributeService',
    'Endpoint of an attribute authority that answers AttributeQuery requests.',
    undefined,
    ENDPOINT,
  ),
  el(
    NS.md,
    'AuthnQueryService',
    'Endpoint of an authentication authority that answers AuthnQuery requests.',
    undefined,
    ENDPOINT,
  ),
  el(
    NS.md,
    'AuthzService',
    'Endpoint of a policy decision point that answers AuthzDecisionQuery requests.',
    undefined,
    ENDPOINT,
  ),
  el(
    NS.md,
    'AssertionConsumerService',
    'SP endpoint (the ACS, "Reply URL" in Entra ID) where the IdP delivers responses; the response\'s Destination and Recipient must match its Location.',
    undefined,
    INDEXED_ENDPOINT,
  ),
  el(
    NS.md,
    'AttributeConsumingService',
    'A set of attributes the SP wants, with a service name; requests can select it by index.',
    ['ServiceName', 'ServiceDescription', 'RequestedAttribute'],
    [INDEX, IS_DEFAULT],
  ),
  el(NS.md, 'ServiceName', 'Name of the service, in one language.', undefined, [LANG]),
  el(NS.md, 'ServiceDescription', 'Description of the service, in one language.', undefined, [LANG]),
  el(
    NS.md,
    'RequestedAttribute',
    'An attribute the SP asks for; isRequired says whether the service works without it.',
    ['AttributeValue'],
    [
      ...ATTRIBUTE_ATTRIBUTES,
      {
        name: 'isRequired',
        description: 'Whether the SP cannot work without this attribute.',
        values: ['true', 'false'],
      },
    ],
  ),
  el(NS.md, 'Organization', 'The organisation responsible for the entity or role.', [
    'Extensions',
    'OrganizationName',
    'OrganizationDisplayName',
    'OrganizationURL',
  ]),
  el(NS.md, 'OrganizationName', 'Legal name of the organisation, in one language.', undefined, [LANG]),
  el(NS.md, 'OrganizationDisplayName', 'Name of the organisation suitable for display, in one language.', undefined, [
    LANG,
  ]),
  el(NS.md, 'OrganizationURL', 'Web site of the organisation, in one language.', undefined, [LANG]),
  el(
    NS.md,
    'ContactPerson',
    'A person or team to contact about the entity.',
    ['Extensions', 'Company', 'GivenName', 'SurName', 'EmailAddress', 'TelephoneNumber'],
    [
      {
        name: 'contactType',
        description: 'Kind of contact.',
        values: ['technical', 'support', 'administrative', 'billing', 'other'],
      },
    ],
  ),
  el(NS.md, 'Company', 'Company the contact works for.'),
  el(NS.md, 'GivenName', 'Given name of the contact.'),
  el(NS.md, 'SurName', 'Surname of the contact.'),
  el(NS.md, 'EmailAddress', 'Email address of the contact, as a mailto: URI.'),
  el(NS.md, 'TelephoneNumber', 'Telephone number of the contact.'),
  el(NS.md, 'AdditionalMetadataLocation', 'Where further metadata about the entity can be found.', undefined, [
    { name: 'namespace', description: 'Namespace of the metadata found at that location.' },
  ]),
  el(
    NS.md,
    'Extensions',
    'Container for extension elements from other namespaces (mdui, mdrpi, mdattr, shibmd, alg…).',
    [
      'UIInfo',
      'DiscoHints',
      'RegistrationInfo',
      'PublicationInfo',
      'EntityAttributes',
      'Scope',
      'DigestMethod',
      'SigningMethod',
      'DiscoveryResponse',
      'RequestInitiator',
    ],
  ),
];

const METADATA_EXTENSIONS: ElementDoc[] = [
  el(NS.mdui, 'UIInfo', 'Names, descriptions and logos that discovery services and consent pages show to users.', [
    'DisplayName',
    'Description',
    'Keywords',
    'Logo',
    'InformationURL',
    'PrivacyStatementURL',
  ]),
  el(NS.mdui, 'DisplayName', 'Name of the service shown to users, in one language.', undefined, [LANG]),
  el(NS.mdui, 'Description', 'Short description of the service shown to users, in one language.', undefined, [LANG]),
  el(
    NS.mdui,
    'Keywords',
    'Space-separated search keywords, in one language (use + for spaces inside a keyword).',
    undefined,
    [LANG],
  ),
  el(NS.mdui, 'Logo', 'URL of a logo (https: or data:) with its size in pixels.', undefined, [
    { name: 'height', description: 'Height in pixels.' },
    { name: 'width', description: 'Width in pixels.' },
    LANG,
  ]),
  el(NS.mdui, 'InformationURL', 'Page with more information about the service, in one language.', undefined, [LANG]),
  el(NS.mdui, 'PrivacyStatementURL', 'Privacy statement of the service, in one language.', undefined, [LANG]),
  el(NS.mdui, 'DiscoHints', 'Hints that help a discovery service suggest this IdP.', [
    'IPHint',
    'DomainHint',
    'GeolocationHint',
  ]),
  el(NS.mdui, 'IPHint', 'An IP address block (CIDR) whose users probably belong to this IdP.'),
  el(NS.mdui, 'DomainHint', 'A DNS domain whose users probably belong to this IdP.'),
  el(NS.mdui, 'GeolocationHint', "A geo: URI locating the IdP's users."),
  el(
    NS.mdrpi,
    'RegistrationInfo',
    'Which federation registered the entity, when, and under which policy.',
    ['RegistrationPolicy'],
    [
      { name: 'registrationAuthority', description: 'URI of the registering federation.' },
      { name: 'registrationInstant', description: 'When the entity was registered (UTC).' },
    ],
  ),
  el(NS.mdrpi, 'RegistrationPolicy', 'URL of the registration policy, in one language.', undefined, [LANG]),
  el(
    NS.mdrpi,
    'PublicationInfo',
    'Who published this metadata aggregate and when.',
    ['UsagePolicy'],
    [
      { name: 'publisher', description: 'URI of the publisher.' },
      { name: 'creationInstant', description: 'When the aggregate was created (UTC).' },
      { name: 'publicationId', description: 'Identifier of this publication.' },
    ],
  ),
  el(NS.mdrpi, 'UsagePolicy', 'URL of the policy for using the metadata, in one language.', undefined, [LANG]),
  el(
    NS.mdattr,
    'EntityAttributes',
    'Attributes describing the entity itself, such as entity categories and assurance certifications.',
    ['Attribute', 'Assertion'],
  ),
  el(
    NS.shibmd,
    'Scope',
    'A domain (or regular expression) the IdP may use as scope in scoped attributes like eduPersonPrincipalName.',
    undefined,
    [{ name: 'regexp', description: 'Whether the content is a regular expression.', values: ['true', 'false'] }],
  ),
  el(NS.alg, 'DigestMethod', 'A digest algorithm the entity supports.', undefined, [
    ALGORITHM('digest-algorithm', 'Digest algorithm URI.'),
  ]),
  el(
    NS.alg,
    'SigningMethod',
    'A signature algorithm the entity supports, optionally with key size limits.',
    undefined,
    [
      ALGORITHM('signature-algorithm', 'Signature algorithm URI.'),
      { name: 'MinKeySize', description: 'Smallest supported key size in bits.' },
      { name: 'MaxKeySize', description: 'Largest supported key size in bits.' },
    ],
  ),
  el(
    NS.idpdisc,
    'DiscoveryResponse',
    'SP endpoint to which a discovery service returns the user with the chosen IdP.',
    undefined,
    INDEXED_ENDPOINT,
  ),
  el(NS.init, 'RequestInitiator', 'SP endpoint that starts single sign-on when visited.', undefined, ENDPOINT),
];

const ASSERTION: ElementDoc[] = [
  el(
    NS.saml,
    'Assertion',
    'Statements the IdP makes about a subject (authentication, attributes), valid under its Conditions; must be signed by the IdP, directly or through the enclosing Response.',
    [
      'Issuer',
      'Signature',
      'Subject',
      'Conditions',
      'Advice',
      'Statement',
      'AuthnStatement',
      'AuthzDecisionStatement',
      'AttributeStatement',
    ],
    [
      ID,
      { name: 'Version', description: 'SAML version; must be 2.0.', values: ['2.0'] },
      { name: 'IssueInstant', description: 'When the assertion was issued (UTC, ISO 8601).' },
    ],
  ),
  el(NS.saml, 'Issuer', 'entityID of the party that issued the message or assertion.', undefined, NAME_ID_ATTRIBUTES),
  el(NS.saml, 'Subject', 'Who the assertion is about (NameID) and how the presenter is confirmed to be that subject.', [
    'BaseID',
    'NameID',
    'EncryptedID',
    'SubjectConfirmation',
  ]),
  el(
    NS.saml,
    'NameID',
    'The identifier of the subject, in the given Format; SPs usually key accounts on it.',
    undefined,
    NAME_ID_ATTRIBUTES,
  ),
  el(NS.saml, 'BaseID', 'An extension point for identifiers of other types.'),
  el(NS.saml, 'EncryptedID', 'A NameID encrypted for the recipient.', ['EncryptedData', 'EncryptedKey']),
  el(
    NS.saml,
    'SubjectConfirmation',
    'A way to confirm the subject; for browser SSO the bearer method with restrictions in SubjectConfirmationData.',
    ['BaseID', 'NameID', 'EncryptedID', 'SubjectConfirmationData'],
    [{ name: 'Method', description: 'The confirmation method URI.', values: 'subject-confirmation' }],
  ),
  el(
    NS.saml,
    'SubjectConfirmationData',
    'Limits on confirming the subject: where (Recipient), until when (NotOnOrAfter) and for which request (InResponseTo).',
    undefined,
    [
      { name: 'NotBefore', description: 'Earliest time the subject can be confirmed (UTC).' },
      { name: 'NotOnOrAfter', description: 'Time from which the subject can no longer be confirmed (UTC).' },
      { name: 'Recipient', description: 'URL of the SP endpoint (ACS) to which the assertion may be presented.' },
      { name: 'InResponseTo', description: 'ID of the AuthnRequest this assertion answers.' },
      { name: 'Address', description: 'Network address from which the subject may be confirmed.' },
    ],
  ),
  el(
    NS.saml,
    'Conditions',
    'When and for whom the assertion is valid: time window and audience restrictions.',
    ['Condition', 'AudienceRestriction', 'OneTimeUse', 'ProxyRestriction'],
    [
      { name: 'NotBefore', description: 'Start of the validity window (UTC).' },
      { name: 'NotOnOrAfter', description: 'End of the validity window (UTC), exclusive.' },
    ],
  ),
  el(NS.saml, 'Condition', 'An extension point for custom conditions, typed with xsi:type.'),
  el(
    NS.saml,
    'AudienceRestriction',
    'The assertion is meant only for the listed audiences; the SP must find its own entityID among them.',
    ['Audience'],
  ),
  el(NS.saml, 'Audience', 'entityID of an intended relying party (the "Identifier" of the application in Entra ID).'),
  el(NS.saml, 'OneTimeUse', 'The assertion must be used immediately and not be kept for later use.'),
  el(
    NS.saml,
    'ProxyRestriction',
    'Limits on issuing new assertions based on this one.',
    ['Audience'],
    [{ name: 'Count', description: 'Maximum number of proxying steps.' }],
  ),
  el(
    NS.saml,
    'Advice',
    'Additional information the issuer supplies, such as the assertions it based this one on; not covered by the audience checks.',
    ['AssertionIDRef', 'AssertionURIRef', 'Assertion', 'EncryptedAssertion'],
  ),
  el(NS.saml, 'AssertionIDRef', 'Reference to an assertion by its ID.'),
  el(NS.saml, 'AssertionURIRef', 'Reference to an assertion by URI.'),
  el(
    NS.saml,
    'EncryptedAssertion',
    'An assertion encrypted for the SP with its encryption key; it must still be signed inside.',
    ['EncryptedData', 'EncryptedKey'],
  ),
  el(NS.saml, 'Statement', 'An extension point for custom statements, typed with xsi:type.'),
  el(
    NS.saml,
    'AuthnStatement',
    'The subject authenticated at AuthnInstant by the means in AuthnContext; SessionIndex identifies the IdP session for logout.',
    ['SubjectLocality', 'AuthnContext'],
    [
      { name: 'AuthnInstant', description: 'When the subject authenticated (UTC).' },
      { name: 'SessionIndex', description: 'Identifier of the IdP session, needed for single logout.' },
      { name: 'SessionNotOnOrAfter', description: 'When the SP session must end at the latest (UTC).' },
    ],
  ),
  el(NS.saml, 'SubjectLocality', 'Where the subject authenticated from.', undefined, [
    { name: 'Address', description: 'IP address of the subject.' },
    { name: 'DNSName', description: "DNS name of the subject's host." },
  ]),
  el(NS.saml, 'AuthnContext', 'How the subject authenticated, as a class reference or declaration.', [
    'AuthnContextClassRef',
    'AuthnContextDecl',
    'AuthnContextDeclRef',
    'AuthenticatingAuthority',
  ]),
  el(NS.saml, 'AuthnContextClassRef', 'URI of the authentication context class, e.g. PasswordProtectedTransport.'),
  el(NS.saml, 'AuthnContextDecl', 'An inline declaration of the authentication context.'),
  el(NS.saml, 'AuthnContextDeclRef', 'URI of an authentication context declaration.'),
  el(
    NS.saml,
    'AuthenticatingAuthority',
    'entityID of an authority involved in authenticating the subject (e.g. the upstream IdP of a proxy).',
  ),
  el(NS.saml, 'AttributeStatement', "The subject's attributes (claims), such as name and email.", [
    'Attribute',
    'EncryptedAttribute',
  ]),
  el(
    NS.saml,
    'Attribute',
    'One attribute (claim) with its values; SPs match it by Name (and NameFormat), never by FriendlyName.',
    ['AttributeValue'],
    ATTRIBUTE_ATTRIBUTES,
  ),
  el(NS.saml, 'AttributeValue', 'One value of the attribute; its full text content is the value.'),
  el(NS.saml, 'EncryptedAttribute', 'An attribute encrypted for the recipient.', ['EncryptedData', 'EncryptedKey']),
  el(
    NS.saml,
    'AuthzDecisionStatement',
    'The result of an authorisation decision for an action on a resource.',
    ['Action', 'Evidence'],
    [
      { name: 'Resource', description: 'URI of the resource.' },
      { name: 'Decision', description: 'The decision.', values: ['Permit', 'Deny', 'Indeterminate'] },
    ],
  ),
  el(NS.saml, 'Action', 'An action on the resource.', undefined, [
    { name: 'Namespace', description: 'URI of the namespace the action name belongs to.' },
  ]),
  el(NS.saml, 'Evidence', 'Assertions the decision relied on.', [
    'AssertionIDRef',
    'AssertionURIRef',
    'Assertion',
    'EncryptedAssertion',
  ]),
];

const PROTOCOL: ElementDoc[] = [
  el(
    NS.samlp,
    'AuthnRequest',
    "An SP's request that the IdP authenticate the user and return a Response to the SP's assertion consumer service.",
    ['Issuer', 'Signature', 'Extensions', 'Subject', 'NameIDPolicy', 'Conditions', 'RequestedAuthnContext', 'Scoping'],
    [
      ...REQUEST_ATTRIBUTES,
      {
        name: 'ForceAuthn',
        description: 'Whether the IdP must re-authenticate the user even with a session.',
        values: ['true', 'false'],
      },
      { name: 'IsPassive', description: 'Whether the IdP must not interact with the user.', values: ['true', 'false'] },
      { name: 'ProtocolBinding', description: 'Binding to use for the Response.', values: 'binding' },
      {
        name: 'AssertionConsumerServiceIndex',
        description: "Index of the ACS in the SP's metadata to send the Response to.",
      },
      {
        name: 'AssertionConsumerServiceURL',
        description: 'URL to send the Response to; must be registered for the SP.',
      },
      {
        name: 'AttributeConsumingServiceIndex',
        description: "Index of the AttributeConsumingService in the SP's metadata.",
      },
      { name: 'ProviderName', description: 'Human-readable name of the SP.' },
    ],
  ),
  el(
    NS.samlp,
    'Response',
    "The IdP's answer to an AuthnRequest (or an unsolicited, IdP-initiated one): a Status and, on success, one assertion.",
    [...STATUS_RESPONSE_CHILDREN, 'Assertion', 'EncryptedAssertion'],
    STATUS_RESPONSE_ATTRIBUTES,
  ),
  el(
    NS.samlp,
    'LogoutRequest',
    'Asks a session participant to end the session of the named principal.',
    ['Issuer', 'Signature', 'Extensions', 'BaseID', 'NameID', 'EncryptedID', 'SessionIndex'],
    [
      ...REQUEST_ATTRIBUTES,
      { name: 'Reason', description: 'Why the logout happens (a URI).' },
      { name: 'NotOnOrAfter', description: 'Time after which the request expires (UTC).' },
    ],
  ),
  el(
    NS.samlp,
    'LogoutResponse',
    'The answer to a LogoutRequest.',
    STATUS_RESPONSE_CHILDREN,
    STATUS_RESPONSE_ATTRIBUTES,
  ),
  el(NS.samlp, 'SessionIndex', 'Identifier of the IdP session to end, from the AuthnStatement.'),
  el(
    NS.samlp,
    'ArtifactResolve',
    'Asks the issuer of an artifact for the message it stands for.',
    ['Issuer', 'Signature', 'Extensions', 'Artifact'],
    REQUEST_ATTRIBUTES,
  ),
  el(
    NS.samlp,
    'ArtifactResponse',
    'Carries the message an artifact stood for.',
    STATUS_RESPONSE_CHILDREN,
    STATUS_RESPONSE_ATTRIBUTES,
  ),
  el(NS.samlp, 'Artifact', 'The base64-encoded artifact to resolve.'),
  el(
    NS.samlp,
    'AttributeQuery',
    'Asks an attribute authority for attributes of a subject.',
    ['Issuer', 'Signature', 'Extensions', 'Subject', 'Attribute'],
    REQUEST_ATTRIBUTES,
  ),
  el(NS.samlp, 'Extensions', 'Container for protocol extensions agreed between the parties.'),
  el(NS.samlp, 'Status', 'The outcome of the request: a StatusCode, optionally with a message and details.', [
    'StatusCode',
    'StatusMessage',
    'StatusDetail',
  ]),
  el(
    NS.samlp,
    'StatusCode',
    'A status code URI; a nested StatusCode gives a more specific second-level code.',
    ['StatusCode'],
    [{ name: 'Value', description: 'The status code URI.', values: 'status' }],
  ),
  el(NS.samlp, 'StatusMessage', "A human-readable message about the status, e.g. the IdP's error text."),
  el(NS.samlp, 'StatusDetail', 'Additional machine-readable details about the status.'),
  el(
    NS.samlp,
    'NameIDPolicy',
    'What kind of NameID the SP wants and whether the IdP may create a new identifier.',
    undefined,
    [
      { name: 'Format', description: 'The requested NameID format.', values: 'nameid-format' },
      { name: 'SPNameQualifier', description: 'The affiliation or SP the identifier should be specific to.' },
      {
        name: 'AllowCreate',
        description: 'Whether the IdP may create a new identifier for the user.',
        values: ['true', 'false'],
      },
    ],
  ),
  el(
    NS.samlp,
    'RequestedAuthnContext',
    'The authentication contexts the SP accepts, and how to compare them.',
    ['AuthnContextClassRef', 'AuthnContextDeclRef'],
    [
      {
        name: 'Comparison',
        description: 'How the IdP compares its method with the listed ones.',
        values: ['exact', 'minimum', 'maximum', 'better'],
      },
    ],
  ),
  el(
    NS.samlp,
    'Scoping',
    'Which IdPs a proxying IdP may use, and how often the request may be proxied.',
    ['IDPList', 'RequesterID'],
    [{ name: 'ProxyCount', description: 'Maximum number of proxying steps.' }],
  ),
  el(NS.samlp, 'IDPList', 'IdPs the SP accepts when the request is proxied.', ['IDPEntry', 'GetComplete']),
  el(NS.samlp, 'IDPEntry', 'One acceptable IdP.', undefined, [
    { name: 'ProviderID', description: 'entityID of the IdP.' },
    { name: 'Name', description: 'Display name of the IdP.' },
    { name: 'Loc', description: "URL of the IdP's SSO endpoint." },
  ]),
  el(NS.samlp, 'GetComplete', 'URL from which the complete IDPList can be fetched.'),
  el(NS.samlp, 'RequesterID', 'entityID of an entity on whose behalf the request is made.'),
];

const XML_SECURITY: ElementDoc[] = [
  el(
    NS.ds,
    'Signature',
    'An enveloped XML signature over the element it sits in (Reference URI="#ID").',
    ['SignedInfo', 'SignatureValue', 'KeyInfo', 'Object'],
    [{ name: 'Id', description: 'Identifier of the signature.' }],
  ),
  el(
    NS.ds,
    'SignedInfo',
    "What is signed and how: canonicalization, signature algorithm and the referenced content's digest.",
    ['CanonicalizationMethod', 'SignatureMethod', 'Reference'],
  ),
  el(NS.ds, 'CanonicalizationMethod', 'How SignedInfo is canonicalized before signing.', undefined, [
    ALGORITHM('canonicalization', 'Canonicalization algorithm URI.'),
  ]),
  el(NS.ds, 'SignatureMethod', 'The signature algorithm.', undefined, [
    ALGORITHM('signature-algorithm', 'Signature algorithm URI.'),
  ]),
  el(
    NS.ds,
    'Reference',
    'The signed content (URI="#ID" of the enclosing element), its transforms and digest.',
    ['Transforms', 'DigestMethod', 'DigestValue'],
    [{ name: 'URI', description: '#ID of the signed element, or empty for the whole document.' }],
  ),
  el(NS.ds, 'Transforms', 'The transforms applied to the referenced content before digesting.', ['Transform']),
  el(
    NS.ds,
    'Transform',
    'One transform; SAML allows only enveloped-signature and exclusive canonicalization.',
    undefined,
    [ALGORITHM('transform', 'Transform algorithm URI.')],
  ),
  el(NS.ds, 'DigestMethod', 'The digest algorithm applied to the referenced content.', undefined, [
    ALGORITHM('digest-algorithm', 'Digest algorithm URI.'),
  ]),
  el(NS.ds, 'DigestValue', 'Base64 digest of the transformed referenced content.'),
  el(NS.ds, 'SignatureValue', 'Base64 signature over the canonicalized SignedInfo.'),
  el(
    NS.ds,
    'KeyInfo',
    'Information about the key: in SAML usually an X.509 certificate. A certificate here is never trusted by itself.',
    ['KeyName', 'KeyValue', 'RetrievalMethod', 'X509Data'],
  ),
  el(NS.ds, 'KeyName', 'A name identifying the key.'),
  el(NS.ds, 'KeyValue', 'A raw public key value.'),
  el(NS.ds, 'RetrievalMethod', 'A reference to key information stored elsewhere.'),
  el(NS.ds, 'X509Data', 'X.509 certificates and identifiers of the key.', [
    'X509IssuerSerial',
    'X509SKI',
    'X509SubjectName',
    'X509Certificate',
    'X509CRL',
  ]),
  el(NS.ds, 'X509Certificate', 'A base64 DER-encoded X.509 certificate.'),
  el(NS.ds, 'X509SubjectName', 'Subject distinguished name of the certificate.'),
  el(NS.ds, 'X509IssuerSerial', 'Issuer name and serial number of the certificate.', [
    'X509IssuerName',
    'X509SerialNumber',
  ]),
  el(NS.ds, 'X509IssuerName', 'Issuer distinguished name of the certificate.'),
  el(NS.ds, 'X509SerialNumber', 'Serial number of the certificate, in decimal.'),
  el(NS.ds, 'X509SKI', 'Subject key identifier of the certificate.'),
  el(NS.ds, 'X509CRL', 'A base64 certificate revocation list.'),
  el(NS.ds, 'Object', 'Arbitrary data inside a signature; never the place for signed SAML content.'),
  el(
    NS.xenc,
    'EncryptedData',
    'Encrypted content (an assertion, NameID or attribute) and the algorithm used.',
    ['EncryptionMethod', 'KeyInfo', 'CipherData', 'EncryptionProperties'],
    [{ name: 'Type', description: 'What was encrypted, usually http://www.w3.org/2001/04/xmlenc#Element.' }],
  ),
  el(
    NS.xenc,
    'EncryptedKey',
    "The content key, encrypted with the recipient's public key.",
    ['EncryptionMethod', 'KeyInfo', 'CipherData', 'EncryptionProperties', 'ReferenceList', 'CarriedKeyName'],
    [{ name: 'Recipient', description: 'Who the key is encrypted for.' }],
  ),
  el(
    NS.xenc,
    'EncryptionMethod',
    'The encryption algorithm.',
    ['KeySize', 'OAEPparams'],
    [ALGORITHM('encryption-algorithm', 'Encryption algorithm URI.')],
  ),
  el(NS.xenc, 'CipherData', 'The encrypted bytes, inline or by reference.', ['CipherValue', 'CipherReference']),
  el(NS.xenc, 'CipherValue', 'Base64 encrypted bytes.'),
  el(NS.xenc, 'CipherReference', 'Reference to the encrypted bytes stored elsewhere.'),
  el(NS.xenc, 'KeySize', 'Key size in bits.'),
  el(NS.xenc, 'OAEPparams', 'Base64 OAEP parameters.'),
  el(NS.xenc, 'EncryptionProperties', 'Additional information about the encryption.'),
  el(NS.xenc, 'ReferenceList', 'Which EncryptedData elements this key decrypts.'),
  el(NS.xenc, 'CarriedKeyName', 'A name for the carried key.'),
];

export const ELEMENT_DOCS: readonly ElementDoc[] = [
  ...METADATA,
  ...METADATA_EXTENSIONS,
  ...ASSERTION,
  ...PROTOCOL,
  ...XML_SECURITY,
];
