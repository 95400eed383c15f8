// Builds SAML 2.0 messages for samples, tests and the "Build Test Response" command:
// a Response (optionally signed at Response and/or Assertion level, optionally encrypted),
// an AuthnRequest, and HTTP-Redirect binding URLs (optionally signed over the query string).
import * as crypto from 'crypto';
import * as zlib from 'zlib';
import { SignedXml } from 'xml-crypto';
import { buildXml, type XmlTree } from '../xml/build';
import { escapeAttribute, escapeText } from '../xml/escape';
import { NS } from '../xml/namespaces';
import {
  BEARER,
  DIGEST_ALGORITHMS,
  type DigestAlgorithmName,
  SIGNATURE_ALGORITHMS,
  STATUS_SUCCESS,
  type SignatureAlgorithmName,
  TRANSFORMS,
  registerExtraAlgorithms,
  samlInstant,
} from '../messages/xmldsig';

export interface ResponseAttribute {
  name: string;
  friendlyName?: string;
  nameFormat?: string;
  values: string[];
}

export interface EncryptionSpec {
  /** The SP's encryption certificate. */
  certificatePem: string;
  /** Default rsa-oaep-mgf1p. */
  keyTransport?: 'rsa-oaep-mgf1p' | 'rsa-oaep' | 'rsa-1_5';
  /** Default aes256-gcm. */
  blockCipher?: 'aes128-gcm' | 'aes256-gcm' | 'aes128-cbc' | 'aes256-cbc' | 'tripledes-cbc';
}

export interface ResponseSpec {
  issuer: string;
  destination: string;
  audience: string;
  recipient: string;
  nameId: string;
  nameIdFormat: string;
  spNameQualifier?: string;
  attributes: ResponseAttribute[];
  issueInstant: Date | string;
  notBefore: Date | string;
  notOnOrAfter: Date | string;
  sessionNotOnOrAfter?: Date | string;
  inResponseTo?: string;
  responseId?: string;
  assertionId?: string;
  sessionIndex?: string;
  signResponse: boolean;
  signAssertion: boolean;
  privateKeyPem: string;
  certificatePem: string;
  signatureAlgorithm?: SignatureAlgorithmName;
  digestAlgorithm?: DigestAlgorithmName;
  /** Any SignatureMethod URI xml-crypto can sign with, overriding signatureAlgorithm (tests of refused algorithms). */
  signatureAlgorithmUri?: string;
  /** Top-level status code; default Success. */
  statusCode?: string;
  subStatusCode?: string;
  statusMessage?: string;
  /** Default true. A failed status normally carries no assertion. */
  includeAssertion?: boolean;
  /** Encrypt the (signed) assertion: use buildEncryptedSamlResponse, which is asynchronous. */
  encryptTo?: EncryptionSpec;
}

const DEFAULT_AUTHN_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
const ATTRNAME_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const ATTRNAME_BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

/** IDs must be NCNames: derive a stable one from the spec when none is given, so output stays deterministic. */
function derivedId(prefix: string, spec: ResponseSpec): string {
  const seed = [spec.issuer, spec.audience, spec.nameId, samlInstant(spec.issueInstant)].join('|');
  return `_${prefix}${crypto.createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}

function attributeTree(attribute: ResponseAttribute): XmlTree {
  return {
    '@Name': attribute.name,
    '@FriendlyName': attribute.friendlyName,
    '@NameFormat':
      attribute.nameFormat ?? (/^[a-z][a-z0-9+.-]*:/i.test(attribute.name) ? ATTRNAME_URI : ATTRNAME_BASIC),
    // Plain string values without xsi:type, as Entra ID sends them.
    'saml:AttributeValue': attribute.values,
  };
}

/** The saml:Assertion element's content; it declares its own namespace, so it can also stand alone (to be encrypted). */
function assertionTree(spec: ResponseSpec, assertionId: string): XmlTree {
  const issueInstant = samlInstant(spec.issueInstant);
  return {
    '@xmlns:saml': NS.saml,
    '@ID': assertionId,
    '@Version': '2.0',
    '@IssueInstant': issueInstant,
    'saml:Issuer': spec.issuer,
    'saml:Subject': {
      'saml:NameID': { '@Format': spec.nameIdFormat, '@SPNameQualifier': spec.spNameQualifier, '#text': spec.nameId },
      'saml:SubjectConfirmation': {
        '@Method': BEARER,
        'saml:SubjectConfirmationData': {
          '@InResponseTo': spec.inResponseTo,
          '@NotOnOrAfter': samlInstant(spec.notOnOrAfter),
          '@Recipient': spec.recipient,
        },
      },
    },
    'saml:Conditions': {
      '@NotBefore': samlInstant(spec.notBefore),
      '@NotOnOrAfter': samlInstant(spec.notOnOrAfter),
      'saml:AudienceRestriction': { 'saml:Audience': spec.audience },
    },
    'saml:AuthnStatement': {
      '@AuthnInstant': issueInstant,
      '@SessionIndex': spec.sessionIndex ?? assertionId,
      '@SessionNotOnOrAfter':
        spec.sessionNotOnOrAfter === undefined ? undefined : samlInstant(spec.sessionNotOnOrAfter),
      'saml:AuthnContext': { 'saml:AuthnContextClassRef': DEFAULT_AUTHN_CONTEXT },
    },
    'saml:AttributeStatement': spec.attributes.length
      ? { 'saml:Attribute': spec.attributes.map(attributeTree) }
      : undefined,
  };
}

export interface SigningSpec {
  privateKeyPem: string;
  certificatePem: string;
  signatureAlgorithm?: SignatureAlgorithmName;
  digestAlgorithm?: DigestAlgorithmName;
  /** Any SignatureMethod URI xml-crypto can sign with, overriding signatureAlgorithm (tests of refused algorithms). */
  signatureAlgorithmUri?: string;
}

/**
 * Signs the element with the given ID (enveloped, exclusive c14n) and places the Signature
 * right after that element's Issuer, where the SAML schema requires it.
 */
export function signElement(xml: string, elementId: string, signing: SigningSpec): string {
  const signatureAlgorithm =
    signing.signatureAlgorithmUri ?? SIGNATURE_ALGORITHMS[signing.signatureAlgorithm ?? 'rsa-sha256'];
  const signedXml = new SignedXml({
    privateKey: signing.privateKeyPem,
    publicCert: signing.certificatePem,
    signatureAlgorithm,
    canonicalizationAlgorithm: TRANSFORMS.excC14n,
  });
  registerExtraAlgorithms(signedXml);
  const target = `//*[@ID='${elementId}']`;
  signedXml.addReference({
    xpath: target,
    transforms: [TRANSFORMS.enveloped, TRANSFORMS.excC14n],
    digestAlgorithm: DIGEST_ALGORITHMS[signing.digestAlgorithm ?? 'sha256'],
  });
  signedXml.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: `${target}/*[local-name(.)='Issuer' and namespace-uri(.)='${NS.saml}']`,
      action: 'after',
    },
  });
  return signedXml.getSignedXml();
}

// Left as a template: XMLBuilder cannot splice in the already-serialised (signed or encrypted) assertion,
// nor write the empty StatusCode as <StatusCode ...></StatusCode> as the committed samples have it.
function responseXml(spec: ResponseSpec, responseId: string, assertion: string): string {
  const statusCode = spec.statusCode ?? STATUS_SUCCESS;
  const subStatus = spec.subStatusCode ? `<samlp:StatusCode Value="${escapeAttribute(spec.subStatusCode)}"/>` : '';
  const statusMessage =
    spec.statusMessage === undefined
      ? ''
      : `<samlp:StatusMessage>${escapeText(spec.statusMessage)}</samlp:StatusMessage>`;
  const inResponseTo = spec.inResponseTo === undefined ? '' : ` InResponseTo="${escapeAttribute(spec.inResponseTo)}"`;
  return (
    `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${escapeAttribute(responseId)}" Version="2.0"` +
    ` IssueInstant="${samlInstant(spec.issueInstant)}" Destination="${escapeAttribute(spec.destination)}"${inResponseTo}>` +
    `<saml:Issuer>${escapeText(spec.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeAttribute(statusCode)}">${subStatus}</samlp:StatusCode>${statusMessage}</samlp:Status>` +
    assertion +
    `</samlp:Response>`
  );
}

function ids(spec: ResponseSpec): { responseId: string; assertionId: string } {
  return { responseId: spec.responseId ?? derivedId('r', spec), assertionId: spec.assertionId ?? derivedId('a', spec) };
}

function signedAssertion(spec: ResponseSpec, assertionId: string): string {
  const assertion = buildXml({ 'saml:Assertion': assertionTree(spec, assertionId) });
  return spec.signAssertion ? signElement(assertion, assertionId, spec) : assertion;
}

function finishResponse(spec: ResponseSpec, responseId: string, assertionPart: string): string {
  const response = responseXml(spec, responseId, assertionPart);
  return spec.signResponse ? signElement(response, responseId, spec) : response;
}

/**
 * Builds a SAML Response. Output is deterministic for fixed inputs with RSA keys
 * (PKCS#1 v1.5 signatures are deterministic; ECDSA signatures are not).
 */
export function buildSamlResponse(spec: ResponseSpec): string {
  if (spec.encryptTo) {
    throw new Error('buildSamlResponse cannot encrypt: use buildEncryptedSamlResponse for a spec with encryptTo.');
  }
  const { responseId, assertionId } = ids(spec);
  const assertion = spec.includeAssertion === false ? '' : signedAssertion(spec, assertionId);
  return finishResponse(spec, responseId, assertion);
}

const KEY_TRANSPORT_URIS = {
  'rsa-oaep-mgf1p': 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'rsa-oaep': 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  'rsa-1_5': 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
} as const;
const BLOCK_CIPHER_URIS = {
  'aes128-gcm': 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'aes256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes128-cbc': 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'aes256-cbc': 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'tripledes-cbc': 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
} as const;

/** Encrypts an element's XML for the holder of the certificate (xml-encryption; random key, so not deterministic). */
export function encryptXml(plainXml: string, encryption: EncryptionSpec): Promise<string> {
  // Lazy: xml-encryption is only needed when something is actually encrypted.
  const xmlenc = require('xml-encryption') as typeof import('xml-encryption');
  const publicKey = new crypto.X509Certificate(encryption.certificatePem).publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(
      plainXml,
      {
        rsa_pub: publicKey,
        pem: encryption.certificatePem,
        encryptionAlgorithm: BLOCK_CIPHER_URIS[encryption.blockCipher ?? 'aes256-gcm'],
        keyEncryptionAlgorithm: KEY_TRANSPORT_URIS[encryption.keyTransport ?? 'rsa-oaep-mgf1p'],
        // Test responses may deliberately use weak algorithms so the validator can be shown reporting them.
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (error, encrypted) => (error ? reject(error) : resolve(encrypted as string)),
    );
  });
}

/** Builds a Response whose (optionally signed) assertion is encrypted to spec.encryptTo. */
export async function buildEncryptedSamlResponse(spec: ResponseSpec & { encryptTo: EncryptionSpec }): Promise<string> {
  const { responseId, assertionId } = ids(spec);
  const encryptedData = await encryptXml(signedAssertion(spec, assertionId), spec.encryptTo);
  return finishResponse(spec, responseId, `<saml:EncryptedAssertion>${encryptedData}</saml:EncryptedAssertion>`);
}

export interface AuthnRequestSpec {
  id: string;
  issuer: string;
  destination: string;
  assertionConsumerServiceUrl: string;
  issueInstant: Date | string;
  nameIdFormat?: string;
  forceAuthn?: boolean;
  /** Default HTTP-POST. */
  protocolBinding?: string;
}

/** The attributes every SAML protocol message starts with. */
function protocolHeader(spec: { id: string; issueInstant: Date | string; destination: string }): XmlTree {
  return {
    '@xmlns:samlp': NS.samlp,
    '@xmlns:saml': NS.saml,
    '@ID': spec.id,
    '@Version': '2.0',
    '@IssueInstant': samlInstant(spec.issueInstant),
    '@Destination': spec.destination,
  };
}

export function buildAuthnRequest(spec: AuthnRequestSpec): string {
  return buildXml({
    'samlp:AuthnRequest': {
      ...protocolHeader(spec),
      '@AssertionConsumerServiceURL': spec.assertionConsumerServiceUrl,
      '@ProtocolBinding': spec.protocolBinding ?? 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      '@ForceAuthn': spec.forceAuthn ? 'true' : undefined,
      'saml:Issuer': spec.issuer,
      'samlp:NameIDPolicy': spec.nameIdFormat ? { '@Format': spec.nameIdFormat, '@AllowCreate': 'true' } : undefined,
    },
  });
}

export interface LogoutResponseSpec {
  id: string;
  issuer: string;
  destination: string;
  /** The ID of the LogoutRequest answered. */
  inResponseTo: string;
  issueInstant: Date | string;
  /** Default Success. */
  statusCode?: string;
}

/** An unsigned LogoutResponse (sign it with signElement for the POST binding, or in the Redirect query). */
export function buildLogoutResponse(spec: LogoutResponseSpec): string {
  return buildXml({
    'samlp:LogoutResponse': {
      ...protocolHeader(spec),
      '@InResponseTo': spec.inResponseTo,
      'saml:Issuer': spec.issuer,
      'samlp:Status': { 'samlp:StatusCode': { '@Value': spec.statusCode ?? STATUS_SUCCESS } },
    },
  });
}

export interface RedirectParams {
  /** The endpoint the browser is sent to (may already carry a query). */
  destination: string;
  /** SAMLRequest for requests, SAMLResponse for responses (e.g. LogoutResponse). */
  parameter: 'SAMLRequest' | 'SAMLResponse';
  relayState?: string;
}

export interface RedirectSigningKey {
  privateKeyPem: string;
  /** Default rsa-sha256. */
  signatureAlgorithm?: SignatureAlgorithmName;
}

const NODE_HASH_FOR_ALGORITHM: Record<SignatureAlgorithmName, string> = {
  'rsa-sha1': 'sha1',
  'rsa-sha256': 'sha256',
  'rsa-sha384': 'sha384',
  'rsa-sha512': 'sha512',
  'ecdsa-sha256': 'sha256',
  'ecdsa-sha384': 'sha384',
  'ecdsa-sha512': 'sha512',
};

/**
 * HTTP-Redirect binding (SAML Bindings §3.4): raw DEFLATE, base64, URL-encode; when a key is
 * given, sign `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as it appears in the URL.
 */
export function encodeRedirect(xml: string, params: RedirectParams, signingKey?: RedirectSigningKey): string {
  const encodedMessage = encodeURIComponent(zlib.deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));
  let query = `${params.parameter}=${encodedMessage}`;
  if (params.relayState !== undefined) query += `&RelayState=${encodeURIComponent(params.relayState)}`;
  if (signingKey) {
    const algorithm = signingKey.signatureAlgorithm ?? 'rsa-sha256';
    query += `&SigAlg=${encodeURIComponent(SIGNATURE_ALGORITHMS[algorithm])}`;
    const isEcdsa = algorithm.startsWith('ecdsa');
    const signature = crypto.sign(NODE_HASH_FOR_ALGORITHM[algorithm], Buffer.from(query, 'utf8'), {
      key: signingKey.privateKeyPem,
      ...(isEcdsa ? { dsaEncoding: 'ieee-p1363' as const } : {}),
    });
    query += `&Signature=${encodeURIComponent(signature.toString('base64'))}`;
  }
  return `${params.destination}${params.destination.includes('?') ? '&' : '?'}${query}`;
}
