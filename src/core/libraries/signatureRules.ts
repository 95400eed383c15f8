// Rules on signature facts that several libraries share: which signatures a library sees, what an
// XML Schema validator refuses, and what the two XML-DSig engines in use (libxmlsec1 under
// python3-saml, xml-crypto under node-saml and samlify) verify.
import type { ResponseFacts, SignatureFacts } from './facts';
import type { CheckFailure } from './types';

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const C14N = [
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/2006/12/xml-c14n11',
];

/**
 * Every ds:Signature a library walks with "//ds:Signature": in the document as received, or (python3-saml
 * and ruby-saml, once they have decrypted) in the document with the assertion decrypted in place.
 */
export function allSignatures(facts: ResponseFacts, inDecrypted = false): SignatureFacts[] {
  return inDecrypted && facts.decrypted ? [...facts.signatures, ...facts.decryptedSignatures] : facts.signatures;
}

/**
 * python3-saml and ruby-saml decrypt with libxmlsec1 / OpenSSL and accept key transports SAML Lens
 * refuses (RSA-1_5): when SAML Lens did not decrypt, what they find inside is not known.
 */
export function undecryptedAssertion(facts: ResponseFacts): CheckFailure | undefined {
  if (facts.encryptedAssertions !== 1 || !facts.sp.canDecrypt || facts.decrypted) return undefined;
  return {
    message: 'SAML Lens did not decrypt the assertion, so it cannot tell what this library finds inside',
    unknown: true,
  };
}

/**
 * What saml-schema-protocol-2.0.xsd refuses that SAML Lens also reports: two elements with one ID
 * (xs:ID), an Assertion without ID, a Signature without exactly one SignedInfo.
 */
export function schemaViolation(facts: ResponseFacts): boolean {
  return (
    facts.misplacedBySchema ||
    facts.failed.has('structure.duplicate-id') ||
    facts.failed.has('structure.missing-id') ||
    [...facts.signatures, ...facts.decryptedSignatures].some((s) => s.signedInfoCount !== 1)
  );
}

/** The reference's transforms are the usual enveloped + canonicalisation (without comments). */
function plainTransforms(signature: SignatureFacts): boolean {
  return signature.transforms.every((t) => t === ENVELOPED || C14N.includes(t));
}

/**
 * libxmlsec1 verification: the conforming result, except that a processing instruction in signed
 * content canonicalises as W3C says (SAML Lens's own engine does not; see signature.processing-instruction).
 */
export function verifiesLikeXmlsec(signature: SignatureFacts, facts: ResponseFacts): boolean {
  return (
    signature.verifies &&
    signature.referenceCount === 1 &&
    plainTransforms(signature) &&
    !facts.failed.has('signature.processing-instruction')
  );
}
