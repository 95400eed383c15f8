// @node-saml/node-saml 5.1.0 (the library under passport-saml): SAML#validatePostResponseAsync with
// the SP's idpCert, issuer/audience and callbackUrl. Its checks, in its order.
import type { ResponseFacts, SignatureFacts } from './facts';
import type { CheckFailure, LibraryOptions, SpLibraryModel } from './types';

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** What node-saml's signature lookup on one element gives: verified, not verified, or a thrown error. */
function verifiedSignature(signatures: readonly SignatureFacts[]): boolean | CheckFailure {
  if (signatures.length === 0) return false;
  if (signatures.length > 1) return { message: 'Too many signatures found for this element' };
  const [signature] = signatures;
  if (signature.transformCount > 2) return { message: 'Invalid signature, too many transforms' };
  if (signature.referenceCount !== 1) return false;
  const uri = signature.referenceUri ?? '';
  const id = uri.startsWith('#') ? uri.slice(1) : uri;
  if (!id) return { message: 'signature reference uri not found' };
  if (id.includes("'") || id.includes('"'))
    return { message: 'ref URI included quote character \' or ". Not a valid ID, and not allowed' };
  if (signature.referencedCount !== 1)
    return { message: 'Invalid signature: ID cannot refer to more than one element' };
  if (!signature.coversParent)
    return { message: "Invalid signature: Referenced node does not refer to it's parent element" };
  return signature.xmlCrypto.received.verified;
}

const skew = (options: LibraryOptions) => Number(options.acceptedClockSkewMs);
const checksInResponseTo = (facts: ResponseFacts, options: LibraryOptions) =>
  options.validateInResponseTo === 'always' && facts.sp.requestId !== undefined;

function timestamps(
  facts: ResponseFacts,
  options: LibraryOptions,
  notBefore: number | undefined,
  notOnOrAfter: number | undefined,
): CheckFailure | undefined {
  if (skew(options) === -1) return undefined;
  if (notBefore !== undefined && facts.now + skew(options) < notBefore)
    return { message: 'SAML assertion not yet valid' };
  if (notOnOrAfter !== undefined && facts.now - skew(options) >= notOnOrAfter)
    return { message: 'SAML assertion expired: clocks skewed too much' };
  return undefined;
}

function responseSignature(facts: ResponseFacts): boolean | CheckFailure {
  return verifiedSignature(facts.responseSignatures);
}

export const NODE_SAML: SpLibraryModel = {
  id: 'node-saml',
  packageName: '@node-saml/node-saml',
  version: '5.1.0',
  provenance: 'npm @node-saml/node-saml 5.1.0 (passport-saml 5 uses it)',
  options: [
    {
      name: 'wantAuthnResponseSigned',
      default: true,
      description: 'The Response element itself must carry a valid signature.',
      alternatives: [false],
    },
    {
      name: 'wantAssertionsSigned',
      default: true,
      description: 'The Assertion must carry its own valid signature.',
      alternatives: [false],
    },
    {
      name: 'acceptedClockSkewMs',
      default: 0,
      description: 'Clock skew allowed on NotBefore / NotOnOrAfter, in milliseconds; -1 turns the time checks off.',
      alternatives: [180_000],
    },
    {
      name: 'validateInResponseTo',
      default: 'always',
      description:
        "'always': InResponseTo must name a request this SP sent (node-saml's own default is 'never'; an SP that gives the request ID checks it). Applies only when the request ID is known.",
      alternatives: ['never'],
    },
  ],
  checks: [
    {
      name: 'InResponseTo of the Response',
      check(facts, options) {
        if (!checksInResponseTo(facts, options)) return undefined;
        if (!facts.inResponseTo) return { message: 'InResponseTo is missing from response' };
        return facts.inResponseTo === facts.sp.requestId ? undefined : { message: 'InResponseTo is not valid' };
      },
    },
    {
      name: 'Response signature',
      check(facts, options) {
        const verified = responseSignature(facts);
        if (typeof verified === 'object') return verified;
        return options.wantAuthnResponseSigned === true && !verified
          ? { message: 'Invalid document signature' }
          : undefined;
      },
    },
    {
      name: 'Number of assertions',
      check: (facts) =>
        facts.assertions + facts.encryptedAssertions > 1
          ? { message: 'Invalid signature: multiple assertions' }
          : undefined,
    },
    {
      name: 'Assertion signature',
      check(facts, options) {
        if (facts.assertions + facts.encryptedAssertions !== 1) return undefined;
        if (facts.encryptedAssertions === 1) {
          if (!facts.sp.canDecrypt) return { message: 'No decryption key for encrypted SAML response' };
          if (!facts.assertion) return { message: 'Failed to decrypt', match: 'prefix' };
        }
        if (!(options.wantAssertionsSigned === true || responseSignature(facts) !== true)) return undefined;
        const verified = verifiedSignature(facts.assertion?.signatures ?? []);
        if (typeof verified === 'object') return verified;
        if (verified) return undefined;
        return { message: facts.decrypted ? 'Invalid signature from encrypted assertion' : 'Invalid signature' };
      },
    },
    {
      name: 'Status',
      check(facts) {
        if (facts.assertions + facts.encryptedAssertions === 1) return undefined;
        const { code, subCode, message } = facts.status;
        if (code && code !== STATUS_SUCCESS) {
          const last = (uri: string) => /[^:]*$/.exec(uri)?.[0] ?? uri;
          const detail = message || (subCode ? last(subCode) : 'unspecified');
          return { message: `SAML provider returned ${last(code)} error: ${detail}` };
        }
        return { message: 'Missing SAML assertion' };
      },
    },
    {
      name: 'SubjectConfirmation',
      check(facts, options) {
        const assertion = facts.assertion;
        if (!assertion || !checksInResponseTo(facts, options)) return undefined;
        const confirmations = assertion.subjectConfirmations.filter((c) => c.hasData);
        for (const confirmation of confirmations) {
          if (confirmation.notOnOrAfterText === undefined)
            return { message: "Error parsing NotOnOrAfter: 'undefined' is not a valid date" };
        }
        const valid = confirmations.find((c) => timestamps(facts, options, c.notBefore, c.notOnOrAfter) === undefined);
        if (!valid) {
          return assertion.subjectConfirmations.length
            ? { message: 'No valid subject confirmation found among those available in the SAML assertion' }
            : undefined;
        }
        if (facts.inResponseTo && valid.inResponseTo && valid.inResponseTo !== facts.inResponseTo)
          return { message: 'InResponseTo does not match subjectInResponseTo' };
        return undefined;
      },
    },
    {
      name: 'Conditions',
      check(facts, options) {
        const assertion = facts.assertion;
        if (!assertion) return undefined;
        if (assertion.conditionsCount > 1)
          return { message: 'Unable to process multiple conditions in SAML assertion' };
        return timestamps(facts, options, assertion.notBefore, assertion.notOnOrAfter);
      },
    },
    {
      name: 'Audience',
      check(facts) {
        const assertion = facts.assertion;
        if (!assertion) return undefined;
        if (assertion.audienceRestrictionCount === 0) return { message: 'SAML assertion has no AudienceRestriction' };
        if (assertion.audiences.length === 0 || assertion.audiences.every((a) => a === ''))
          return { message: 'SAML assertion AudienceRestriction has no Audience value' };
        if (assertion.audiences.includes(facts.sp.entityId ?? '')) return undefined;
        return {
          message: `SAML assertion audience mismatch. Expected: ${facts.sp.entityId} Received: ${assertion.audiences.join(',')}`,
        };
      },
    },
  ],
  upstreamNotes: [
    'node-saml checks the Issuer only of logout messages (idpIssuer); a login Response from another IdP is accepted when its signature verifies with the configured certificate.',
    'node-saml 5 requires both the Response and the Assertion to be signed by default; Entra ID signs only the assertion unless "Sign SAML response and assertion" is chosen.',
  ],
};
