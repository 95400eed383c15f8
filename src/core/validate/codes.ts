// Every finding the validator can report: a stable code, a short title and one sentence on what is checked and why.
// Codes are part of the output (CLI JSON, webview, docs), so they never change meaning once published.

export const FINDING_CODES = {
  'structure.parse-error': {
    title: 'Message could not be read',
    doc: 'The message must be well-formed XML without a DOCTYPE; nothing is verified when it cannot be read.',
  },
  'structure.root': {
    title: 'Unexpected root element',
    doc: 'The root element must be a SAML 2.0 protocol message, recognised by namespace URI and local name.',
  },
  'structure.version': {
    title: 'SAML version',
    doc: 'Only SAML 2.0 (Version="2.0") messages and assertions are processed.',
  },
  'structure.missing-id': {
    title: 'Missing ID',
    doc: 'Messages and assertions need an ID: signatures reference it and replay protection relies on it.',
  },
  'structure.duplicate-id': {
    title: 'Duplicate ID',
    doc: 'Two elements with the same ID make it ambiguous which one a signature covers (signature wrapping).',
  },
  'structure.assertion-count': {
    title: 'Number of assertions',
    doc: 'A Response must carry exactly one Assertion or EncryptedAssertion; more is a sign of signature wrapping.',
  },
  'structure.assertion-with-failed-status': {
    title: 'Assertion in a failed response',
    doc: 'A Response whose status is not Success must not carry an assertion.',
  },
  'structure.missing-authn-statement': {
    title: 'No AuthnStatement',
    doc: 'The Web Browser SSO profile requires the assertion to state how the user authenticated (AuthnStatement).',
  },
  'structure.issue-instant': {
    title: 'IssueInstant',
    doc: 'Every message and assertion must carry an IssueInstant in xs:dateTime format (SAML core §3.2.2, §2.3.3); without it no age can be judged.',
  },
  'status.code': {
    title: 'Status',
    doc: 'The top-level StatusCode must be urn:oasis:names:tc:SAML:2.0:status:Success for a login to proceed.',
  },
  'signature.missing': {
    title: 'No signature',
    doc: 'Either the Response or the Assertion must be signed by the identity provider.',
  },
  'signature.assertion-unsigned': {
    title: 'Assertion not signed',
    doc: 'The service provider requires the Assertion itself to be signed.',
  },
  'signature.misplaced': {
    title: 'Misplaced signature',
    doc: 'A signature must be a direct child of the Response or Assertion it signs.',
  },
  'signature.wrapping': {
    title: 'Signature does not cover its parent',
    doc: 'The single Reference of a signature must point to the ID of the element the signature sits in; anything else is signature wrapping.',
  },
  'signature.references': {
    title: 'Signature references',
    doc: 'A signature must have exactly one SignedInfo with exactly one Reference.',
  },
  'signature.algorithm': {
    title: 'Signature algorithm',
    doc: 'RSA (PKCS#1 v1.5) or ECDSA with SHA-256, SHA-384 or SHA-512 is accepted; SHA-1 is deprecated; MD5 and HMAC are rejected.',
  },
  'signature.unsupported-algorithm': {
    title: 'Unsupported algorithm',
    doc: 'Signatures are checked only with RSA PKCS#1 v1.5 or ECDSA and SHA-256/384/512 (RFC 6931); any other algorithm (e.g. RSA-PSS) is refused as unsupported, which says nothing about whether the signature is correct.',
  },
  'signature.digest-algorithm': {
    title: 'Digest algorithm',
    doc: 'SHA-256, SHA-384 and SHA-512 are accepted; SHA-1 is deprecated; MD5 is rejected.',
  },
  'signature.transforms': {
    title: 'Signature transforms',
    doc: 'Only the enveloped-signature transform plus exclusive or inclusive canonicalisation (without comments) are allowed.',
  },
  'signature.canonicalization': {
    title: 'Canonicalisation',
    doc: 'SignedInfo must be canonicalised without comments (exclusive or inclusive c14n).',
  },
  'signature.processing-instruction': {
    title: 'Processing instruction in signed content',
    doc: 'xml-crypto canonicalises a processing instruction as plain text, unlike the W3C canonicalisation every other verifier uses, so signed content holding one cannot be verified as they would verify it.',
  },
  'signature.digest-comment': {
    title: 'Comment inside DigestValue',
    doc: 'A DigestValue split by a comment or markup can make parsers disagree on the digest; it is rejected.',
  },
  'signature.invalid': {
    title: 'Signature invalid',
    doc: 'The digest and the signature value must check out against a trusted certificate.',
  },
  'signature.valid': { title: 'Signature valid', doc: 'The signature checks out against a trusted certificate.' },
  'signature.untrusted-certificate': {
    title: 'Signed by an untrusted certificate',
    doc: 'A certificate inside the message is never trusted by itself; only certificates from metadata or settings are.',
  },
  'signature.keyinfo-mismatch': {
    title: 'KeyInfo certificate differs',
    doc: 'The certificate in KeyInfo is not the trusted one that verified the signature; the IdP may have rolled over its key.',
  },
  'signature.no-trusted-certificate': {
    title: 'No trusted certificate',
    doc: 'Without a trusted IdP certificate the signature cannot be verified, so the message cannot be called valid.',
  },
  'signature.redirect': {
    title: 'Redirect binding signature',
    doc: 'HTTP-Redirect messages are signed over the query string SAMLRequest/SAMLResponse, RelayState and SigAlg in their original encoding.',
  },
  'certificate.invalid': {
    title: 'Unreadable certificate',
    doc: 'A configured or embedded certificate (or a configured public key) cannot be read.',
  },
  'trust.metadata-expired': {
    title: 'Trusted metadata expired',
    doc: "The metadata the keys or expectations came from is past its validUntil. Its keys are still used (they are the user's choice), but the verdict carries this warning: refresh the metadata, as peers that enforce validUntil refuse it.",
  },
  'trust.no-matching-entity': {
    title: 'No entity matches the message',
    doc: 'None of the entities in the metadata named for this check has the entityID the message names (its Issuer, or its Audience / Destination), so nothing from that file was used.',
  },
  'trust.fingerprint-sha1': {
    title: 'SHA-1 fingerprint',
    doc: 'A trusted certificate is named by its SHA-1 fingerprint. It is accepted, like other tools do, but SHA-1 is not collision-resistant: prefer the SHA-256 fingerprint or the certificate itself.',
  },
  'issuer.mismatch': {
    title: 'Issuer',
    doc: 'The Issuer of the Response and Assertion must be the expected identity provider entityID.',
  },
  'issuer.missing': { title: 'Issuer missing', doc: 'An assertion must name its Issuer.' },
  'issuer.format': {
    title: 'Issuer format',
    doc: 'An Issuer Format, when present, must be urn:oasis:names:tc:SAML:2.0:nameid-format:entity (Web SSO profile §4.1.4.2): the issuer is an entity, not a user.',
  },
  'issuer.inconsistent': {
    title: 'Response and Assertion issuers differ',
    doc: 'When the Response names an Issuer it must be the same entity as the Assertion Issuer; otherwise one party wraps another party’s assertion.',
  },
  'time.not-yet-valid': {
    title: 'Not yet valid',
    doc: 'Conditions NotBefore must not be in the future beyond the allowed clock skew.',
  },
  'time.expired': {
    title: 'Expired',
    doc: 'Conditions NotOnOrAfter must not have passed beyond the allowed clock skew.',
  },
  'time.subject-confirmation-expired': {
    title: 'Subject confirmation expired',
    doc: 'SubjectConfirmationData NotOnOrAfter bounds how long the bearer assertion may be presented.',
  },
  'time.session-expired': {
    title: 'Session expired',
    doc: 'AuthnStatement SessionNotOnOrAfter bounds the session the SP may create.',
  },
  'time.issued-in-future': {
    title: 'Issued in the future',
    doc: 'IssueInstant must not be later than now plus the allowed clock skew; clocks are probably out of sync.',
  },
  'time.invalid-timestamp': {
    title: 'Unreadable timestamp',
    doc: 'Timestamps must be xs:dateTime values such as 2026-01-01T10:00:00Z.',
  },
  'audience.mismatch': {
    title: 'Audience',
    doc: "Every AudienceRestriction must contain the service provider's entityID (within one, any Audience suffices).",
  },
  'audience.missing': {
    title: 'No audience restriction',
    doc: 'A bearer assertion must carry an AudienceRestriction naming the service provider (Web SSO profile §4.1.4.2); without it the assertion could be replayed to any service provider.',
  },
  'destination.mismatch': {
    title: 'Destination',
    doc: "The Response Destination must be one of the service provider's Assertion Consumer Service URLs.",
  },
  'destination.missing': {
    title: 'Destination missing',
    doc: 'A signed message sent through the browser must state its Destination (the HTTP-POST and Redirect bindings require it), so it cannot be replayed to another endpoint.',
  },
  'destination.empty': {
    title: 'Destination empty',
    doc: 'A Destination attribute that is present but empty names no endpoint, so it cannot bind the message to this service provider.',
  },
  'recipient.mismatch': {
    title: 'Recipient',
    doc: "The bearer SubjectConfirmationData Recipient must be one of the service provider's ACS URLs.",
  },
  'recipient.missing': {
    title: 'Recipient missing',
    doc: 'The bearer SubjectConfirmationData must name the ACS URL it was issued for in Recipient (Web SSO profile §4.1.4.2), so that it cannot be replayed to another endpoint.',
  },
  'in-response-to.mismatch': {
    title: 'InResponseTo',
    doc: 'InResponseTo must be the ID of the request the service provider sent (replay protection).',
  },
  'in-response-to.not-checked': {
    title: 'InResponseTo not checked',
    doc: 'Without the ID of the original request, InResponseTo cannot be compared.',
  },
  'in-response-to.inconsistent': {
    title: 'InResponseTo differs',
    doc: 'The InResponseTo of a bearer SubjectConfirmationData must agree with the InResponseTo of the Response.',
  },
  'in-response-to.unsigned': {
    title: 'InResponseTo not signed',
    doc: 'InResponseTo proves that the response answers the request only when a trusted signature covers it; an unsigned value can be copied by anyone.',
  },
  'subject.no-bearer': {
    title: 'No bearer confirmation',
    doc: 'Web browser SSO requires a SubjectConfirmation with Method urn:oasis:names:tc:SAML:2.0:cm:bearer.',
  },
  'subject.confirmation-data-missing': {
    title: 'No SubjectConfirmationData',
    doc: 'A bearer SubjectConfirmation must carry SubjectConfirmationData with Recipient and NotOnOrAfter (Web SSO profile §4.1.4.2); without it the assertion is not bound to an endpoint or a lifetime.',
  },
  'subject.confirmation-no-expiry': {
    title: 'Bearer confirmation without NotOnOrAfter',
    doc: 'The bearer SubjectConfirmationData must carry NotOnOrAfter (Web SSO profile §4.1.4.2), which bounds how long the assertion may be presented.',
  },
  'subject.confirmation-not-before': {
    title: 'Bearer confirmation with NotBefore',
    doc: 'The bearer SubjectConfirmationData must not carry NotBefore (Web SSO profile §4.1.4.2).',
  },
  'subject.missing-nameid': {
    title: 'NameID missing',
    doc: 'The Subject must identify the user with a NameID (or an EncryptedID).',
  },
  'subject.empty-nameid': { title: 'NameID empty', doc: 'An empty NameID cannot identify anybody.' },
  'subject.nameid-comment': {
    title: 'Comment inside NameID',
    doc: 'A comment inside NameID is invisible to the signature but can truncate the value some parsers read (CVE-2017-11427 family).',
  },
  'subject.nameid': { title: 'NameID', doc: 'The user identifier and its format.' },
  'attributes.missing': {
    title: 'Attribute missing',
    doc: 'Every attribute the service provider expects should arrive under exactly the expected name.',
  },
  'attributes.extra': {
    title: 'Unexpected attribute',
    doc: 'An attribute the service provider does not ask for is harmless but may be a mis-named expected one.',
  },
  'attributes.empty': {
    title: 'Attribute without value',
    doc: 'An attribute with no value (or only empty values) usually means the source field is empty at the IdP.',
  },
  'attributes.duplicate': {
    title: 'Duplicate attribute',
    doc: 'The same attribute name appears twice; most service providers reject or mis-read this.',
  },
  'attributes.encrypted': { title: 'Encrypted attribute', doc: 'EncryptedAttribute elements are not read.' },
  'encryption.algorithm': {
    title: 'Encryption algorithm',
    doc: 'RSA-OAEP key transport and AES-GCM are recommended; RSA PKCS#1 v1.5 and CBC modes are attackable.',
  },
  'encryption.no-key': {
    title: 'Encrypted, no key',
    doc: 'The assertion is encrypted and no decryption key was given, so its content cannot be checked.',
  },
  'encryption.failed': {
    title: 'Decryption failed',
    doc: 'The encrypted assertion could not be decrypted with the given key.',
  },
  // Passed checks, so the checklist shows what was verified and not only what went wrong.
  'structure.valid': { title: 'Structure', doc: 'A SAML 2.0 Response with unique IDs and exactly one assertion.' },
  'status.success': { title: 'Status Success', doc: 'The identity provider reports that the login succeeded.' },
  'issuer.match': { title: 'Issuer', doc: 'The Issuer is the expected identity provider entityID.' },
  'destination.match': {
    title: 'Destination',
    doc: "The Response was sent to one of the service provider's ACS URLs.",
  },
  'recipient.match': {
    title: 'Recipient',
    doc: "The bearer confirmation names one of the service provider's ACS URLs.",
  },
  'audience.match': { title: 'Audience', doc: "The assertion is restricted to the service provider's entityID." },
  'subject.bearer': {
    title: 'Bearer confirmation',
    doc: 'The Subject carries the bearer SubjectConfirmation that web browser SSO requires.',
  },
  'time.window': {
    title: 'Time conditions',
    doc: 'Every timestamp (IssueInstant, NotBefore, NotOnOrAfter, session end) is within the allowed clock skew.',
  },
  'in-response-to.match': { title: 'InResponseTo', doc: 'The response answers the request the service provider sent.' },
  'attributes.expected': {
    title: 'Expected attributes',
    doc: 'Every attribute the service provider expects arrived under its expected name.',
  },
} as const;

export type FindingCode = keyof typeof FINDING_CODES;
