// Bearer subject confirmation (Web SSO profile §4.1.4.2): at least one bearer SubjectConfirmation whose
// SubjectConfirmationData names an ACS URL of the SP in Recipient, has a NotOnOrAfter that has not passed,
// has no NotBefore, and whose InResponseTo (when present) answers the request. Every bearer confirmation
// is judged; one satisfying all of it suffices, and the report says which one and why the others did not.
import { NS } from '../xml/namespaces';
import { BEARER } from '../messages/xmldsig';
import type { FindingCode } from './codes';
import type { FindingDetails, FindingList } from './findings';
import type { ValidationContext } from './types';
import { judgeInstant, timeFailure, unreadableTimestamp, urlMatches } from './checks';
import { attribute, childElements, firstChild } from './xmlUtil';

export interface BearerInput {
  subject: Element | undefined;
  ctx: ValidationContext;
  /** URLs a Recipient may name: the SP's ACS URLs and the URL the response arrived at; empty when unknown. */
  recipients: string[];
  /** InResponseTo of the Response, which each confirmation's InResponseTo must agree with. */
  responseInResponseTo: string | undefined;
}

export interface BearerOutcome {
  /** The SubjectConfirmationData of the confirmation that satisfied every rule. */
  chosen: Element | undefined;
  /** What the report shows: the chosen data, else the first bearer confirmation's. */
  shown: Element | undefined;
  /** True when some bearer confirmation carries an InResponseTo. */
  anyInResponseTo: boolean;
}

interface Problem {
  code: FindingCode;
  details: FindingDetails;
}

const REPLY_URL_FIX = 'Set the Reply URL (ACS URL) at the IdP to the SP ACS URL exactly.';

function judgeRecipient(data: Element, input: BearerInput): Problem | undefined {
  const recipient = attribute(data, 'Recipient');
  if (recipient === undefined || recipient.trim() === '') {
    return {
      code: 'recipient.missing',
      details: {
        message: `has ${recipient === undefined ? 'no' : 'an empty'} Recipient, so it is not bound to the service provider's ACS URL.`,
        expected: input.recipients.join(' or ') || 'the ACS URL of the service provider',
        fix: REPLY_URL_FIX,
      },
    };
  }
  if (input.recipients.length === 0 || urlMatches(recipient, input.recipients)) return undefined;
  return {
    code: 'recipient.mismatch',
    details: {
      message: `names ${recipient} as Recipient, which is not an ACS URL of this service provider.`,
      found: recipient,
      expected: input.recipients.join(' or '),
      fix: REPLY_URL_FIX,
    },
  };
}

function judgeExpiry(data: Element, input: BearerInput): Problem | undefined {
  const notOnOrAfter = attribute(data, 'NotOnOrAfter');
  if (notOnOrAfter === undefined) {
    return {
      code: 'subject.confirmation-no-expiry',
      details: {
        message: 'has no NotOnOrAfter, so nothing limits how long the assertion may be presented.',
        fix: 'Configure the IdP to set NotOnOrAfter on SubjectConfirmationData (every mainstream IdP does).',
      },
    };
  }
  const label = 'SubjectConfirmationData NotOnOrAfter';
  const judged = judgeInstant(notOnOrAfter, 'still-ahead', input.ctx);
  if (!judged.readable) {
    const details = unreadableTimestamp(label, notOnOrAfter, judged.reason);
    return {
      code: 'time.invalid-timestamp',
      details: {
        ...details,
        message: `has NotOnOrAfter "${notOnOrAfter}", which is not a valid xs:dateTime: ${judged.reason}.`,
      },
    };
  }
  if (!judged.failed) return undefined;
  const check = {
    label,
    value: notOnOrAfter,
    rule: 'still-ahead' as const,
    code: 'time.subject-confirmation-expired' as const,
    fix: 'Use a fresh response; the bearer confirmation is valid only for a few minutes.',
  };
  return {
    code: check.code,
    details: {
      ...timeFailure(check, judged),
      message: `has NotOnOrAfter ${notOnOrAfter}, which passed ${judged.relative} (beyond ${judged.skewSeconds} s of allowed clock skew).`,
    },
  };
}

function judgeInResponseTo(data: Element, input: BearerInput): Problem | undefined {
  const value = attribute(data, 'InResponseTo');
  if (value === undefined) return undefined;
  const responseValue = input.responseInResponseTo;
  if (responseValue !== undefined && value !== responseValue) {
    return {
      code: 'in-response-to.inconsistent',
      details: {
        message: `has InResponseTo ${value}, but the Response has InResponseTo ${responseValue}.`,
        found: value,
        expected: responseValue,
        fix: 'Reject this response: the assertion was issued for another request than the one the Response answers.',
      },
    };
  }
  // With a Response InResponseTo, that one is compared with the request (and this one agrees with it).
  const requestId = input.ctx.requestId;
  if (responseValue === undefined && requestId && value !== requestId) {
    return {
      code: 'in-response-to.mismatch',
      details: {
        message: `has InResponseTo ${value}, but the request sent had ID ${requestId}: the assertion answers another request (or is replayed).`,
        found: value,
        expected: requestId,
        fix: 'Start a new login from the service provider and capture the response to that request.',
      },
    };
  }
  return undefined;
}

/** Every rule of §4.1.4.2 one bearer confirmation breaks; an empty list means it confirms the subject. */
function judgeConfirmation(confirmation: Element, input: BearerInput): Problem[] {
  const data = firstChild(confirmation, NS.saml, 'SubjectConfirmationData');
  if (!data) {
    return [
      {
        code: 'subject.confirmation-data-missing',
        details: {
          message: 'has no SubjectConfirmationData, so it names neither a Recipient nor an expiry.',
          fix: 'Configure the IdP to send SubjectConfirmationData with Recipient and NotOnOrAfter (the Web SSO profile requires them).',
        },
      },
    ];
  }
  const problems = [judgeRecipient(data, input), judgeExpiry(data, input), judgeInResponseTo(data, input)];
  if (attribute(data, 'NotBefore') !== undefined) {
    problems.push({
      code: 'subject.confirmation-not-before',
      details: {
        message: `has NotBefore="${attribute(data, 'NotBefore')}", which a bearer confirmation must not carry.`,
        found: attribute(data, 'NotBefore'),
        fix: 'Configure the IdP not to set NotBefore on the bearer SubjectConfirmationData (Conditions NotBefore is the place for it).',
      },
    });
  }
  return problems.filter((p): p is Problem => p !== undefined);
}

export function checkBearerConfirmations(input: BearerInput, findings: FindingList): BearerOutcome {
  const confirmations = input.subject ? childElements(input.subject, NS.saml, 'SubjectConfirmation') : [];
  const bearer = confirmations.filter((c) => attribute(c, 'Method') === BEARER);
  const dataOf = (c: Element | undefined) => c && firstChild(c, NS.saml, 'SubjectConfirmationData');
  const anyInResponseTo = bearer.some((c) => attribute(dataOf(c), 'InResponseTo') !== undefined);
  if (bearer.length === 0) {
    findings.fail('subject.no-bearer', {
      message: confirmations.length
        ? `The Subject has SubjectConfirmation method(s) ${confirmations.map((c) => attribute(c, 'Method')).join(', ')}, but no bearer confirmation.`
        : 'The Subject has no SubjectConfirmation.',
      expected: BEARER,
      fix: 'Web browser SSO requires a bearer SubjectConfirmation; check the IdP profile.',
    });
    return { chosen: undefined, shown: undefined, anyInResponseTo };
  }
  const judged = bearer.map((confirmation, index) => ({
    confirmation,
    problems: judgeConfirmation(confirmation, input),
    name: bearer.length > 1 ? `Bearer SubjectConfirmation #${index + 1}` : 'The bearer SubjectConfirmation',
  }));
  const chosen = judged.find((j) => j.problems.length === 0);
  if (!chosen) {
    for (const { problems, name } of judged)
      for (const problem of problems)
        findings.fail(problem.code, { ...problem.details, message: `${name} ${problem.details.message}` });
    return { chosen: undefined, shown: dataOf(bearer[0]), anyInResponseTo };
  }
  const data = dataOf(chosen.confirmation)!;
  const recipient = attribute(data, 'Recipient')!;
  findings.pass('subject.bearer', {
    message: `${chosen.name} confirms the subject: Recipient ${recipient}, NotOnOrAfter ${attribute(data, 'NotOnOrAfter')}, no NotBefore${attribute(data, 'InResponseTo') === undefined ? '' : `, InResponseTo ${attribute(data, 'InResponseTo')}`}.`,
    found: BEARER,
  });
  if (input.recipients.length > 0) {
    findings.pass('recipient.match', {
      message: `${chosen.name} names ${recipient}, an ACS URL of this service provider.`,
      found: recipient,
    });
  }
  for (const other of judged.filter((j) => j !== chosen)) {
    findings.info('subject.bearer', {
      message: `${other.name} was not used: ${other.problems.map((p) => `it ${p.details.message}`).join(' ')}`,
    });
  }
  return { chosen: data, shown: data, anyInResponseTo };
}
