// samlify 2.13.1 with @authenio/samlify-xmllint-wasm 1.0.1 as its schema validator (samlify refuses
// every message until one is registered): sp.parseLoginResponse(idp, 'post', { body: { SAMLResponse } }).
// Its checks, in its order (postFlow). samlify leaves Audience, Destination, Recipient and
// InResponseTo to the application.
import type { SignatureFacts } from './facts';
import { schemaViolation } from './signatureRules';
import type { CheckFailure, LibraryOptions, SpLibraryModel } from './types';

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

function drifts(options: LibraryOptions): [number, number] {
  const value = options.clockDrifts;
  return Array.isArray(value) && value.length === 2 ? [Number(value[0]), Number(value[1])] : [0, 0];
}

/** samlify's verifyTime: NotBefore + drift ≤ now < NotOnOrAfter + drift. */
function inTime(now: number, notBefore: number | undefined, notOnOrAfter: number | undefined, options: LibraryOptions) {
  const [before, after] = drifts(options);
  if (notBefore !== undefined && !(notBefore + before <= now)) return false;
  if (notOnOrAfter !== undefined && !(now < notOnOrAfter + after)) return false;
  return true;
}

/** The first signature, Response's then the assertions', that xml-crypto verifies; or what it throws. */
function verifySignatures(signatures: readonly SignatureFacts[]): SignatureFacts | false | CheckFailure {
  for (const signature of signatures) {
    if (signature.keyInfoCertificate === 'other')
      return { message: 'ERROR_UNMATCH_CERTIFICATE_DECLARATION_IN_METADATA' };
    const result = signature.xmlCrypto.reserialized;
    if (result.error !== undefined) {
      // xml-crypto quotes the SignatureValue in this one; the text after it is the same.
      const bad = /^invalid signature: the signature value /.exec(result.error);
      return bad ? { message: bad[0], match: 'prefix' } : { message: result.error };
    }
    if (result.verified) return signature;
  }
  return false;
}

export const SAMLIFY: SpLibraryModel = {
  id: 'samlify',
  packageName: 'samlify',
  version: '2.13.1',
  provenance: 'npm samlify 2.13.1 with @authenio/samlify-xmllint-wasm 1.0.1 as its schema validator',
  options: [
    {
      name: 'clockDrifts',
      default: [0, 0],
      description: '[NotBefore drift, NotOnOrAfter drift] in milliseconds, added to the times in the message.',
      alternatives: [[-180_000, 180_000]],
    },
  ],
  checks: [
    { name: 'Schema', check: (f) => (schemaViolation(f) ? { message: 'ERR_EXCEPTION_VALIDATE_XML' } : undefined) },
    {
      name: 'Status',
      check(f) {
        const { code, subCode } = f.status;
        if (!code || code === STATUS_SUCCESS) return undefined;
        return {
          message: `ERR_FAILED_STATUS with top tier code: ${code}, second tier code: ${subCode ?? 'undefined'}`,
        };
      },
    },
    {
      name: 'Signature',
      check(f) {
        if (f.wrappedInSubjectConfirmationData) return { message: 'ERR_POTENTIAL_WRAPPING_ATTACK' };
        const selection = f.signatures.filter((s) => s.parentIsRoot || s.parentIsRootAssertion);
        const verified = verifySignatures(selection);
        if (verified && 'message' in verified) return verified;
        // What samlify reads next is the verified element's single assertion; a verified Response with another number has none.
        if (verified && verified.parentIsRoot && f.assertions !== 1 && f.encryptedAssertions === 0)
          return { message: 'ERR_EMPTY_ASSERTION' };
        if (f.encryptedAssertions > 0 && f.sp.canDecrypt) {
          if (!f.decrypted) return { message: 'ERR_EXCEPTION_OF_ASSERTION_DECRYPTION' };
          if (verified) return undefined;
          const inside = verifySignatures(f.decryptedSignatures.filter((s) => s.parentIsRoot));
          if (inside && 'message' in inside) return inside;
          return inside ? undefined : { message: 'FAILED_TO_VERIFY_SIGNATURE' };
        }
        return verified ? undefined : { message: 'FAILED_TO_VERIFY_SIGNATURE' };
      },
    },
    {
      name: 'Issuer',
      check: (f) =>
        f.assertion && f.assertion.issuer !== f.sp.idpEntityId ? { message: 'ERR_UNMATCH_ISSUER' } : undefined,
    },
    {
      name: 'Session expiry',
      check: (f, o) =>
        f.assertion?.sessionNotOnOrAfter !== undefined && !inTime(f.now, undefined, f.assertion.sessionNotOnOrAfter, o)
          ? { message: 'ERR_EXPIRED_SESSION' }
          : undefined,
    },
    {
      name: 'Conditions times',
      check: (f, o) =>
        f.assertion?.conditionsCount && !inTime(f.now, f.assertion.notBefore, f.assertion.notOnOrAfter, o)
          ? { message: 'ERR_SUBJECT_UNCONFIRMED' }
          : undefined,
    },
  ],
  upstreamNotes: [
    'samlify does not check Audience, Destination, Recipient or InResponseTo: the application must (its documentation says so).',
  ],
};
