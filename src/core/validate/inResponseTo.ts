// InResponseTo of a Response against the ID of the request the SP sent. The check passes only on a value
// a trusted signature covers: an unsigned InResponseTo that happens to match proves nothing, since anyone
// can put a signed assertion of an unsolicited login into a Response of their own with the victim's request ID.
import type { FindingList } from './findings';
import type { ValidationContext } from './types';

export interface InResponseToValue {
  value: string | undefined;
  /** True when a trusted signature covers the element carrying it. */
  signed: boolean;
  where: string;
}

export interface InResponseToInput {
  /** The Response's InResponseTo. */
  response: InResponseToValue;
  /** The InResponseTo of the bearer confirmation that confirmed the subject, if any. */
  confirmation: InResponseToValue | undefined;
  /** Some bearer confirmation carries an InResponseTo (used when none confirmed the subject). */
  anyConfirmationValue: boolean;
}

/** Returns true when the request binding could not be established from signed content (not verifiable). */
export function checkInResponseTo(input: InResponseToInput, ctx: ValidationContext, findings: FindingList): boolean {
  const values = [input.response, input.confirmation].filter(
    (v): v is InResponseToValue & { value: string } => v?.value !== undefined,
  );
  const requestId = ctx.requestId;
  if (!requestId) {
    findings.notChecked('in-response-to.not-checked', {
      message: values.length
        ? `InResponseTo is ${values[0].value}; it was not compared because the request ID is unknown.`
        : 'The response has no InResponseTo (IdP-initiated or unsolicited).',
      found: values[0]?.value,
      fix: 'Give the ID of the AuthnRequest to compare it.',
    });
    return false;
  }
  const responseValue = input.response.value;
  if (responseValue !== undefined && responseValue !== requestId) {
    findings.fail('in-response-to.mismatch', {
      message: `The Response InResponseTo is ${responseValue}, but the request sent had ID ${requestId}. This response answers another request (or is replayed).`,
      found: responseValue,
      expected: requestId,
      fix: 'Start a new login from the service provider and capture the response to that request.',
    });
    return false;
  }
  // Without a confirming bearer, a bearer InResponseTo was judged (and any problem reported) by the bearer check.
  const confirmationClaims = input.confirmation ? input.confirmation.value !== undefined : input.anyConfirmationValue;
  if (responseValue === undefined && !confirmationClaims) {
    findings.fail('in-response-to.mismatch', {
      message: `The response has no InResponseTo, but the service provider sent a request with ID ${requestId}: this is an unsolicited response where a solicited one was expected.`,
      expected: requestId,
      fix: 'Start the login from the service provider, or allow IdP-initiated SSO in the SP if that is intended.',
    });
    return false;
  }
  const signedMatch = values.find((v) => v.signed && v.value === requestId);
  if (signedMatch) {
    findings.pass('in-response-to.match', {
      message: `InResponseTo is ${requestId}, the ID of the request sent, in the signed ${signedMatch.where}.`,
      found: requestId,
    });
    return false;
  }
  // A bearer confirmation whose InResponseTo differs was already reported by the bearer check.
  if (values.length === 0) return false;
  findings.notChecked('in-response-to.unsigned', {
    message: `InResponseTo is ${requestId}, the ID of the request sent, but only in the unsigned ${values.map((v) => v.where).join(' and ')}: it proves nothing, because anyone can write it.`,
    found: requestId,
    expected: `${requestId} in content covered by a trusted signature`,
    fix: 'Have the IdP sign the Response, or put InResponseTo in the signed assertion (SubjectConfirmationData), as the Web SSO profile requires.',
  });
  return true;
}
