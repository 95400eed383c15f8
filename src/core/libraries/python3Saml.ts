// python3-saml 1.12 as Debian ships it (python3-onelogin-saml2 1.12.0-2+deb12u1):
// OneLogin_Saml2_Response(settings, SAMLResponse).is_valid(request_data, request_id). Its checks, in
// its order; in strict mode (the default) all of them, otherwise only the signature.
import type { ResponseFacts, SignatureFacts } from './facts';
import { allSignatures, schemaViolation, undecryptedAssertion, verifiesLikeXmlsec } from './signatureRules';
import type { CheckFailure, LibraryCheck, LibraryOptions, SpLibraryModel } from './types';

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
/** OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT: seconds, on Conditions only. */
const ALLOWED_CLOCK_DRIFT_MS = 300_000;

const strict = (options: LibraryOptions) => options.strict === true;

/** Signatures whose parent is the Response or the Assertion, after process_signed_elements' own checks. */
function signedElements(facts: ResponseFacts): { response: boolean; assertion: boolean } | CheckFailure {
  const ids = new Set<string>();
  for (const signature of allSignatures(facts, true)) {
    if (signature.parent !== 'Response' && signature.parent !== 'Assertion') {
      const namespace = signature.parentNamespace ? `{${signature.parentNamespace}}` : '';
      return { message: `Invalid Signature Element ${namespace}${signature.parent} SAML Response rejected` };
    }
    if (!signature.parentId) return { message: 'Signed Element must contain an ID. SAML Response rejected' };
    if (ids.has(signature.parentId)) return { message: 'Duplicated ID. SAML Response rejected' };
    ids.add(signature.parentId);
    if (signature.referenceUri && signature.referenceUri.slice(1) !== signature.parentId)
      return { message: 'Found an invalid Signed Element. SAML Response rejected' };
  }
  const parents = allSignatures(facts, true).map((s) => s.parent);
  if (parents.length > 2) return { message: 'Found an unexpected Signature Element. SAML Response rejected' };
  return { response: parents.includes('Response'), assertion: parents.includes('Assertion') };
}

/**
 * The assertion as python3-saml queries it: through the ID a signature references (the assertion's
 * own, else the Response's); when that ID is not the element's, every assertion query finds nothing.
 */
function visibleAssertion(facts: ResponseFacts): ResponseFacts['assertion'] {
  const assertion = facts.assertion;
  const ownReference = assertion?.signatures[0]?.referenceUri;
  if (ownReference !== undefined) return ownReference.slice(1) === assertion?.id ? assertion : undefined;
  const responseReference = facts.responseSignatures[0]?.referenceUri;
  if (responseReference !== undefined) return responseReference.slice(1) === facts.id ? assertion : undefined;
  return assertion;
}

function currentUrl(facts: ResponseFacts): string {
  return facts.sp.acsUrl ?? '';
}

const strictCheck = (name: string, check: LibraryCheck['check']): LibraryCheck => ({
  name,
  check: (facts, options) => (strict(options) ? check(facts, options) : undefined),
});

export const PYTHON3_SAML: SpLibraryModel = {
  id: 'python3-saml',
  packageName: 'python3-onelogin-saml2',
  version: '1.12.0-2+deb12u1',
  provenance:
    "Debian's python3-onelogin-saml2 1.12.0-2+deb12u1 (upstream python3-saml 1.12.0; Debian's revision changes only test payloads)",
  options: [
    {
      name: 'strict',
      default: true,
      description:
        'Check everything (destination, audience, times, subject confirmation); false checks only the signature.',
      alternatives: [false],
    },
    {
      name: 'security.wantAssertionsSigned',
      default: false,
      description: 'The Assertion must be signed.',
      alternatives: [true],
    },
    {
      name: 'security.wantMessagesSigned',
      default: false,
      description: 'The Response element must be signed.',
      alternatives: [true],
    },
  ],
  doctype: { message: 'DTDForbidden(', match: 'prefix' },
  checks: [
    {
      name: 'SAML version',
      check: (facts) => (facts.version === '2.0' ? undefined : { message: 'Unsupported SAML version' }),
    },
    {
      name: 'Response ID',
      check: (facts) => (facts.id === undefined ? { message: 'Missing ID attribute on SAML Response' } : undefined),
    },
    {
      name: 'Status',
      check(facts) {
        const { code, subCode, message } = facts.status;
        if (!code || code === STATUS_SUCCESS) return undefined;
        const detail = message || subCode;
        return {
          message: `The status code of the Response was not Success, was ${code.split(':').pop()}${detail ? ` -> ${detail}` : ''}`,
        };
      },
    },
    { name: 'Decryption', check: undecryptedAssertion },
    {
      name: 'Number of assertions',
      check: (facts) =>
        facts.assertionsAnywhere + facts.encryptedAssertions === 1
          ? undefined
          : { message: 'SAML Response must contain 1 assertion' },
    },
    {
      name: 'Signed elements',
      check(facts) {
        const signed = signedElements(facts);
        return 'message' in signed ? signed : undefined;
      },
    },
    strictCheck('Schema', (facts) =>
      schemaViolation(facts)
        ? { message: 'Invalid SAML Response. Not match the saml-schema-protocol-2.0.xsd' }
        : undefined,
    ),
    strictCheck('InResponseTo', (facts) => {
      const requestId = facts.sp.requestId;
      if (facts.inResponseTo === undefined || requestId === undefined || facts.inResponseTo === requestId)
        return undefined;
      return {
        message: `The InResponseTo of the Response: ${facts.inResponseTo}, does not match the ID of the AuthNRequest sent by the SP: ${requestId}`,
      };
    }),
    strictCheck('Conditions', (facts) =>
      visibleAssertion(facts)?.conditionsCount === 1
        ? undefined
        : { message: 'The Assertion must include a Conditions element' },
    ),
    strictCheck('Conditions times', (facts) => {
      const assertion = facts.assertion;
      if (assertion?.notBefore !== undefined && assertion.notBefore > facts.now + ALLOWED_CLOCK_DRIFT_MS)
        return { message: 'Could not validate timestamp: not yet valid. Check system clock.' };
      if (assertion?.notOnOrAfter !== undefined && assertion.notOnOrAfter + ALLOWED_CLOCK_DRIFT_MS <= facts.now)
        return { message: 'Could not validate timestamp: expired. Check system clock.' };
      return undefined;
    }),
    strictCheck('AuthnStatement', (facts) =>
      facts.assertion?.authnStatementCount === 1
        ? undefined
        : { message: 'The Assertion must include an AuthnStatement element' },
    ),
    strictCheck('AttributeStatement', (facts) =>
      facts.assertion?.attributeStatementCount
        ? undefined
        : { message: 'There is no AttributeStatement on the Response' },
    ),
    strictCheck('Destination', (facts) => {
      if (facts.destination === '') return { message: 'The response has an empty Destination value' };
      if (facts.destination === undefined || facts.destination.startsWith(currentUrl(facts))) return undefined;
      return { message: `The response was received at ${currentUrl(facts)} instead of ${facts.destination}` };
    }),
    strictCheck('Audience', (facts) => {
      const audiences = facts.assertion?.audiences ?? [];
      const sp = facts.sp.entityId ?? '';
      return audiences.length && !audiences.includes(sp)
        ? { message: `${sp} is not a valid audience for this Response` }
        : undefined;
    }),
    strictCheck('Issuer', (facts) => {
      const issuers = [...(facts.issuer !== undefined ? [facts.issuer] : []), facts.assertion?.issuer];
      const wrong = issuers.find((issuer) => issuer !== facts.sp.idpEntityId);
      if (!issuers.some((issuer) => issuer !== facts.sp.idpEntityId)) return undefined;
      return {
        message: `Invalid issuer in the Assertion/Response (expected ${facts.sp.idpEntityId}, got ${wrong ?? 'None'})`,
      };
    }),
    strictCheck('Session expiry', (facts) => {
      const expiry = facts.assertion?.sessionNotOnOrAfter;
      return expiry !== undefined && expiry <= facts.now
        ? {
            message:
              'The attributes have expired, based on the SessionNotOnOrAfter of the AttributeStatement of this Response',
          }
        : undefined;
    }),
    strictCheck('SubjectConfirmation', (facts) => {
      const valid = (facts.assertion?.subjectConfirmations ?? []).some(
        (c) =>
          (!c.method || c.method === BEARER) &&
          c.hasData &&
          !(facts.inResponseTo && c.inResponseTo && c.inResponseTo !== facts.inResponseTo) &&
          !(c.recipient && !c.recipient.includes(currentUrl(facts))) &&
          !(c.notOnOrAfter !== undefined && c.notOnOrAfter <= facts.now) &&
          !(c.notBefore !== undefined && c.notBefore > facts.now),
      );
      return valid ? undefined : { message: 'A valid SubjectConfirmation was not found on this Response' };
    }),
    strictCheck('Signed assertion required', (facts, options) => {
      const signed = signedElements(facts);
      return options['security.wantAssertionsSigned'] === true && 'assertion' in signed && !signed.assertion
        ? { message: 'The Assertion of the Response is not signed and the SP require it' }
        : undefined;
    }),
    strictCheck('Signed Response required', (facts, options) => {
      const signed = signedElements(facts);
      return options['security.wantMessagesSigned'] === true && 'response' in signed && !signed.response
        ? { message: 'The Message of the Response is not signed and the SP require it' }
        : undefined;
    }),
    {
      name: 'Signature',
      check(facts) {
        const signed = signedElements(facts);
        if ('message' in signed) return signed;
        if (!signed.response && !signed.assertion) return { message: 'No Signature found. SAML Response rejected' };
        const fails = (signatures: readonly SignatureFacts[]) => !signatures.some((s) => verifiesLikeXmlsec(s, facts));
        if (signed.response && fails(facts.responseSignatures))
          return { message: 'Signature validation failed. SAML Response rejected' };
        if (signed.assertion && fails(facts.assertion?.signatures ?? []))
          return { message: 'Signature validation failed. SAML Response rejected' };
        return undefined;
      },
    },
  ],
  upstreamNotes: [
    "Debian's 1.12.0-2+deb12u1 changes only the package's own test payloads (Debian bug #1036255); the library is upstream 1.12.0.",
    'Upstream 1.13.0 adds security.rejectDeprecatedAlgorithm (off unless set): with it, SHA-1 signatures and digests are refused; it also makes SHA-256 the default for what the toolkit signs.',
  ],
};
