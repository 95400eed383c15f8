// The facts about a Response that SP libraries decide on, read once from the message and SAML Lens's
// report: how many assertions and where, each Signature element with what it references and whether
// it verifies with the IdP certificate the SP configured, the times, audiences, subject confirmations
// and the SP's own settings. Library models (one file per library) are small rules over these facts.
import { XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { parseDateTimeOrUndefined } from '../dateTime';
import { loadMessageDocument, loadXmlDocument } from '../xml/messageDocument';
import { NS } from '../xml/namespaces';
import { cryptographicCheck } from '../validate/signatures';
import { pemFromBase64 } from '../validate/certificates';
import { attribute, childElements, descendants, firstChild, fullText } from '../validate/xmlUtil';
import type { FindingCode, ValidationContext, ValidationReport } from '../validate';

/** What the SP told its library: the same trust and expectations SAML Lens validated with. */
export interface LibrarySp {
  entityId: string | undefined;
  /** The ACS URL the response was posted to. */
  acsUrl: string | undefined;
  idpEntityId: string | undefined;
  /** The AuthnRequest ID the SP is waiting for, when it knows one. */
  requestId: string | undefined;
  /** The SP holds the key to decrypt an EncryptedAssertion. */
  canDecrypt: boolean;
  /**
   * Settings every library needs that SAML Lens was not given, taken from the message itself (an SP
   * configured for this IdP and this ACS would have them): said with each verdict.
   */
  assumed: string[];
}

export interface SignatureFacts {
  /** Local name, namespace and ID of the element the Signature is a direct child of. */
  parent: string;
  parentNamespace: string | null;
  parentId: string | undefined;
  parentIsRoot: boolean;
  /** The parent is an Assertion that is a direct child of the document element. */
  parentIsRootAssertion: boolean;
  signedInfoCount: number;
  referenceCount: number;
  referenceUri: string | undefined;
  /** Elements in the document whose ID equals the reference's fragment. */
  referencedCount: number;
  /** The reference is "#" + the parent's ID. */
  coversParent: boolean;
  transformCount: number;
  /** Algorithm URIs as written: SignatureMethod, DigestMethod, CanonicalizationMethod, each Transform. */
  signatureAlgorithm: string;
  digestAlgorithm: string;
  canonicalization: string;
  transforms: string[];
  /** The X509Certificate in KeyInfo compared with the SP's IdP certificates. */
  keyInfoCertificate: 'absent' | 'configured' | 'other';
  /** Digest and signature check out with one of the SP's IdP certificates (conforming XML-DSig). */
  verifies: boolean;
  /**
   * xml-crypto's own checkSignature (the engine under node-saml and samlify) with the IdP
   * certificate, over the text as received and over the text as xmldom serialises the parsed
   * document again (which is what samlify hands it): verified, or the error it throws.
   */
  xmlCrypto: { received: XmlCryptoResult; reserialized: XmlCryptoResult };
}

export interface XmlCryptoResult {
  verified: boolean;
  error?: string;
}

export interface SubjectConfirmationFacts {
  method: string | undefined;
  hasData: boolean;
  inResponseTo: string | undefined;
  notBefore: number | undefined;
  notOnOrAfter: number | undefined;
  /** The attribute as written (undefined when absent), for messages that quote it. */
  notOnOrAfterText: string | undefined;
  recipient: string | undefined;
}

export interface AssertionFacts {
  version: string | undefined;
  id: string | undefined;
  issuer: string | undefined;
  conditionsCount: number;
  notBefore: number | undefined;
  notBeforeText: string | undefined;
  notOnOrAfter: number | undefined;
  notOnOrAfterText: string | undefined;
  audienceRestrictionCount: number;
  audiences: string[];
  authnStatementCount: number;
  sessionNotOnOrAfter: number | undefined;
  subjectConfirmations: SubjectConfirmationFacts[];
  attributeStatementCount: number;
  hasNameId: boolean;
  signatures: SignatureFacts[];
}

export interface ResponseFacts {
  /** Milliseconds since the epoch: the instant the libraries are asked about. */
  now: number;
  sp: LibrarySp;
  /** The message carries a DOCTYPE, which SAML Lens never reads past. */
  doctype: boolean;
  /** SAML Lens could read the message (libraries then read the same elements). */
  readable: boolean;
  /** SAML Lens's failing findings. */
  failed: ReadonlySet<FindingCode>;
  rootName: string | undefined;
  version: string | undefined;
  id: string | undefined;
  /** undefined when the attribute is absent, '' when it is empty. */
  destination: string | undefined;
  inResponseTo: string | undefined;
  issuer: string | undefined;
  status: { code: string | undefined; subCode: string | undefined; message: string | undefined };
  /** saml:Assertion elements anywhere in the document. */
  assertionsAnywhere: number;
  /** saml:Assertion / saml:EncryptedAssertion children of the Response. */
  assertions: number;
  encryptedAssertions: number;
  /** ds:Signature elements anywhere in the document, in document order. */
  signatures: SignatureFacts[];
  /** ds:Signature elements anywhere in the decrypted assertion. */
  decryptedSignatures: SignatureFacts[];
  /** Signatures that are direct children of the Response. */
  responseSignatures: SignatureFacts[];
  /** The one assertion (decrypted when it was encrypted), when the Response has exactly one. */
  assertion: AssertionFacts | undefined;
  /** The assertion was decrypted with the SP's key. */
  decrypted: boolean;
  /** An Assertion or Signature inside the SubjectConfirmationData of an assertion of the Response. */
  wrappedInSubjectConfirmationData: boolean;
  /** An Assertion, Response or Signature where saml-schema-protocol-2.0.xsd does not allow one. */
  misplacedBySchema: boolean;
}

const time = (text: string | undefined) => (text === undefined ? undefined : parseDateTimeOrUndefined(text)?.getTime());

function xmlCryptoCheck(signature: Element, text: string, certificates: readonly string[]): XmlCryptoResult {
  let error: string | undefined;
  for (const pem of certificates) {
    try {
      const signedXml = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
      signedXml.loadSignature(signature);
      if (signedXml.checkSignature(text)) return { verified: true };
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
  }
  return error === undefined ? { verified: false } : { verified: false, error };
}

interface Texts {
  /** The message as received, with CRLF made LF (as node-saml does before verifying). */
  received: string;
  reserialized: string;
}

function signatureFacts(
  signature: Element,
  doc: Document,
  certificates: readonly string[],
  texts: Texts,
): SignatureFacts {
  const parent = signature.parentNode as Element;
  const signedInfos = childElements(signature, NS.ds, 'SignedInfo');
  const references = signedInfos[0] ? childElements(signedInfos[0], NS.ds, 'Reference') : [];
  const referenceUri = references[0]?.getAttribute('URI') ?? undefined;
  const fragment = referenceUri?.startsWith('#') ? referenceUri.slice(1) : referenceUri;
  const referenced = fragment ? elementsWithId(doc, fragment) : [];
  const parentId = parent.getAttribute?.('ID');
  const transforms = references[0] ? descendants(references[0], NS.ds, 'Transform') : [];
  const algorithm = (parent: Element | undefined, name: string) =>
    attribute(parent && firstChild(parent, NS.ds, name), 'Algorithm') ?? '';
  const keyInfoText = descendants(signature, NS.ds, 'X509Certificate')[0];
  const keyInfoBase64 = keyInfoText ? fullText(keyInfoText).replace(/\s+/g, '') : undefined;
  const verifies = certificates.some((pem) => {
    try {
      const result = cryptographicCheck(signature, pem);
      return result.digestMatches && result.signatureValid;
    } catch {
      return false;
    }
  });
  const received = xmlCryptoCheck(signature, texts.received, certificates);
  // xmldom usually writes back exactly what it read: then the second check would repeat the first.
  const reserialized =
    texts.reserialized === texts.received ? received : xmlCryptoCheck(signature, texts.reserialized, certificates);
  return {
    parent: parent.localName,
    parentNamespace: parent.namespaceURI,
    parentId: parent.getAttribute?.('ID') || undefined,
    parentIsRoot: parent === doc.documentElement,
    parentIsRootAssertion:
      parent.localName === 'Assertion' && parent.namespaceURI === NS.saml && parent.parentNode === doc.documentElement,
    signedInfoCount: signedInfos.length,
    referenceCount: references.length,
    referenceUri,
    referencedCount: referenced.length,
    coversParent: !!parentId && referenceUri === `#${parentId}`,
    transformCount: transforms.length,
    signatureAlgorithm: algorithm(signedInfos[0], 'SignatureMethod'),
    digestAlgorithm: algorithm(references[0], 'DigestMethod'),
    canonicalization: algorithm(signedInfos[0], 'CanonicalizationMethod'),
    transforms: transforms.map((t) => attribute(t, 'Algorithm') ?? ''),
    keyInfoCertificate:
      keyInfoBase64 === undefined
        ? 'absent'
        : certificates.some((pem) => base64Of(pem) === keyInfoBase64)
          ? 'configured'
          : 'other',
    verifies,
    xmlCrypto: { received, reserialized },
  };
}

/** Where the schema lets each of these elements appear (containers of xs:any included). */
const ALLOWED_PARENTS: Record<string, readonly string[]> = {
  [`${NS.saml} Assertion`]: ['Response', 'Advice', 'SubjectConfirmationData', 'Object', 'StatusDetail', 'Extensions'],
  [`${NS.samlp} Response`]: ['Advice', 'SubjectConfirmationData', 'Object', 'StatusDetail'],
  [`${NS.ds} Signature`]: [
    'Response',
    'Assertion',
    'SubjectConfirmationData',
    'Object',
    'StatusDetail',
    'Extensions',
    'Advice',
  ],
};

/** The namespaces the children of a Response or an Assertion may be in. */
const PROTOCOL_NAMESPACES: readonly string[] = [NS.saml, NS.samlp, NS.ds];

function misplacedBySchema(doc: Document): boolean {
  const foreignChild = (parent: Element) =>
    allChildElements(parent).some((child) => !PROTOCOL_NAMESPACES.includes(child.namespaceURI ?? ''));
  if ([...descendants(doc, NS.saml, 'Assertion'), doc.documentElement].some(foreignChild)) return true;
  return Object.entries(ALLOWED_PARENTS).some(([key, parents]) => {
    const [namespace, localName] = key.split(' ');
    return descendants(doc, namespace, localName).some((element) => {
      const parent = element.parentNode as Element;
      return parent.nodeType === 1 && !parents.includes(parent.localName);
    });
  });
}

function allChildElements(parent: Element): Element[] {
  const children: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling)
    if (child.nodeType === 1) children.push(child as Element);
  return children;
}

function base64Of(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function elementsWithId(doc: Document, id: string): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== 1) continue;
      if ((child as Element).getAttribute('ID') === id) found.push(child as Element);
      walk(child);
    }
  };
  walk(doc);
  return found;
}

function assertionFacts(
  assertion: Element,
  doc: Document,
  certificates: readonly string[],
  texts: Texts,
): AssertionFacts {
  const conditions = childElements(assertion, NS.saml, 'Conditions');
  const restrictions = conditions[0] ? childElements(conditions[0], NS.saml, 'AudienceRestriction') : [];
  const authnStatements = childElements(assertion, NS.saml, 'AuthnStatement');
  const subject = firstChild(assertion, NS.saml, 'Subject');
  return {
    version: attribute(assertion, 'Version'),
    id: attribute(assertion, 'ID'),
    issuer: textOf(firstChild(assertion, NS.saml, 'Issuer')),
    conditionsCount: conditions.length,
    notBefore: time(attribute(conditions[0], 'NotBefore')),
    notBeforeText: attribute(conditions[0], 'NotBefore'),
    notOnOrAfter: time(attribute(conditions[0], 'NotOnOrAfter')),
    notOnOrAfterText: attribute(conditions[0], 'NotOnOrAfter'),
    audienceRestrictionCount: restrictions.length,
    audiences: restrictions.flatMap((r) => childElements(r, NS.saml, 'Audience').map((a) => fullText(a).trim())),
    authnStatementCount: authnStatements.length,
    sessionNotOnOrAfter: time(attribute(authnStatements[0], 'SessionNotOnOrAfter')),
    subjectConfirmations: (subject ? childElements(subject, NS.saml, 'SubjectConfirmation') : []).map((sc) => {
      const data = firstChild(sc, NS.saml, 'SubjectConfirmationData');
      return {
        method: attribute(sc, 'Method'),
        hasData: !!data,
        inResponseTo: attribute(data, 'InResponseTo'),
        notBefore: time(attribute(data, 'NotBefore')),
        notOnOrAfter: time(attribute(data, 'NotOnOrAfter')),
        notOnOrAfterText: attribute(data, 'NotOnOrAfter'),
        recipient: attribute(data, 'Recipient'),
      };
    }),
    attributeStatementCount: childElements(assertion, NS.saml, 'AttributeStatement').length,
    hasNameId: !!(subject && firstChild(subject, NS.saml, 'NameID')),
    signatures: childElements(assertion, NS.ds, 'Signature').map((s) => signatureFacts(s, doc, certificates, texts)),
  };
}

function textOf(element: Element | undefined): string | undefined {
  return element ? fullText(element).trim() : undefined;
}

/** The IdP certificates (PEM) the SP configured: what every library is given to verify with. */
function idpCertificates(context: ValidationContext): string[] {
  return context.trustedCertificates.flatMap((t) => (t.pem ? [t.pem] : t.base64 ? [pemFromBase64(t.base64)] : []));
}

/** Reads the facts from the message text and SAML Lens's report on it, judged with the same context. */
export function responseFacts(xml: string, report: ValidationReport, context: ValidationContext): ResponseFacts {
  const certificates = idpCertificates(context);
  const sp: LibrarySp = {
    entityId: context.sp?.entityId,
    acsUrl: context.receivedAt ?? context.sp?.acsUrls?.[0],
    idpEntityId: context.idpEntityId ?? context.trustedCertificates.find((t) => t.entityId)?.entityId,
    requestId: context.requestId,
    canDecrypt: !!context.decryptionKeyPem,
    assumed: [],
  };
  const failed = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.code));
  const facts: ResponseFacts = {
    now: context.now.getTime(),
    sp,
    doctype: /<!DOCTYPE/i.test(xml),
    readable: false,
    failed,
    rootName: undefined,
    version: undefined,
    id: undefined,
    destination: undefined,
    inResponseTo: undefined,
    issuer: undefined,
    status: report.status,
    assertionsAnywhere: 0,
    assertions: 0,
    encryptedAssertions: 0,
    signatures: [],
    decryptedSignatures: [],
    responseSignatures: [],
    assertion: undefined,
    decrypted: false,
    wrappedInSubjectConfirmationData: false,
    misplacedBySchema: false,
  };
  // The document the validator just read (kept for the same text); facts only read it.
  const loaded = loadMessageDocument(xml);
  if (!loaded.ok) return facts;
  const doc = loaded.document;
  const root = doc.documentElement;
  const texts = { received: xml.replace(/\r\n?/g, '\n'), reserialized: new XMLSerializer().serializeToString(doc) };
  const direct = childElements(root, NS.saml, 'Assertion');
  const encrypted = childElements(root, NS.saml, 'EncryptedAssertion');
  Object.assign(facts, {
    readable: true,
    rootName: root.localName,
    version: attribute(root, 'Version'),
    id: attribute(root, 'ID'),
    destination: attribute(root, 'Destination'),
    inResponseTo: attribute(root, 'InResponseTo'),
    issuer: textOf(firstChild(root, NS.saml, 'Issuer')),
    assertionsAnywhere: descendants(doc, NS.saml, 'Assertion').length,
    assertions: direct.length,
    encryptedAssertions: encrypted.length,
    signatures: descendants(doc, NS.ds, 'Signature').map((s) => signatureFacts(s, doc, certificates, texts)),
  });
  facts.responseSignatures = facts.signatures.filter((s) => s.parentIsRoot);
  facts.wrappedInSubjectConfirmationData = direct.some((assertion) =>
    descendants(assertion, NS.saml, 'SubjectConfirmationData').some(
      (data) => descendants(data, NS.saml, 'Assertion').length + descendants(data, NS.ds, 'Signature').length > 0,
    ),
  );
  facts.misplacedBySchema = misplacedBySchema(doc);
  if (direct.length + encrypted.length === 1) readAssertion(facts, direct, report, certificates, texts);
  assumeMissingSettings(facts);
  return facts;
}

/** Fills in, from the message, the SP settings SAML Lens was not given, and says so. */
function assumeMissingSettings(facts: ResponseFacts): void {
  const sp = facts.sp;
  const issuer = facts.assertion?.issuer ?? facts.issuer;
  if (sp.idpEntityId === undefined && issuer !== undefined) {
    sp.idpEntityId = issuer;
    sp.assumed.push(`IdP entityID: the message's Issuer, ${issuer} (no IdP metadata names it)`);
  }
  const audience = facts.assertion?.audiences[0];
  if (sp.entityId === undefined && audience !== undefined) {
    sp.entityId = audience;
    sp.assumed.push(`SP entityID: the message's Audience, ${audience} (no SP was chosen)`);
  }
  const target = facts.destination || facts.assertion?.subjectConfirmations.find((c) => c.recipient)?.recipient;
  if (sp.acsUrl === undefined && target) {
    sp.acsUrl = target;
    sp.assumed.push(`ACS URL: where the message says it is sent, ${target} (no ACS URL was given)`);
  }
}

function readAssertion(
  facts: ResponseFacts,
  direct: readonly Element[],
  report: ValidationReport,
  certificates: readonly string[],
  texts: Texts,
): void {
  if (direct.length === 1) {
    facts.assertion = assertionFacts(direct[0], direct[0].ownerDocument, certificates, texts);
  } else if (report.decryptedAssertionXml) {
    const decrypted = loadXmlDocument(report.decryptedAssertionXml);
    if (decrypted.ok) {
      const decryptedDoc = decrypted.document;
      const decryptedText = report.decryptedAssertionXml;
      const decryptedTexts = {
        received: decryptedText,
        reserialized: new XMLSerializer().serializeToString(decryptedDoc),
      };
      facts.assertion = assertionFacts(decryptedDoc.documentElement, decryptedDoc, certificates, decryptedTexts);
      // The decrypted text is re-serialised for display (character references are not kept), so
      // whether its signature verifies is the validator's result on the decrypted bytes.
      const verifiedInside = report.signatures.some(
        (s) => s.covers === 'Assertion' && s.trusted && s.digestMatches && s.signatureValid,
      );
      facts.decryptedSignatures = descendants(decryptedDoc, NS.ds, 'Signature').map((s) => ({
        ...signatureFacts(s, decryptedDoc, certificates, decryptedTexts),
        verifies: verifiedInside,
      }));
      facts.assertion.signatures = facts.assertion.signatures.map((s) => ({ ...s, verifies: verifiedInside }));
      facts.decrypted = true;
    }
  }
}
