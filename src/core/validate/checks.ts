// Checks shared by every kind of message: the empty report, the verdict rule, IDs and version,
// time conditions and Destination. Message-specific validation builds on these; nothing here
// imports the message validators back.
import { parseDateTime } from '../dateTime';
import { relativeTime } from '../time';
import type { SamlMessageType } from '../messages/decode';
import type { FindingList } from './findings';
import type { ConditionsReport, TimelineEntry, ValidationContext, ValidationReport, Verdict } from './types';
import { allElements, attribute } from './xmlUtil';

/** The allowed clock difference when none is configured (also shown beside a capture's clock offset). */
export const DEFAULT_SKEW_SECONDS = 180;

export function emptyConditions(): ConditionsReport {
  return {
    notBefore: undefined,
    notOnOrAfter: undefined,
    audiences: [],
    subjectConfirmationNotOnOrAfter: undefined,
    recipient: undefined,
    sessionNotOnOrAfter: undefined,
    destination: undefined,
    inResponseTo: undefined,
    verified: false,
  };
}

export function emptyReport(messageType: SamlMessageType | 'unknown'): ValidationReport {
  return {
    verdict: 'invalid',
    messageType,
    findings: [],
    issuer: { response: undefined, assertion: undefined, verified: false },
    subject: { nameId: undefined },
    attributes: [],
    conditions: emptyConditions(),
    signatures: [],
    timeline: [],
    status: { code: undefined, subCode: undefined, message: undefined },
    encrypted: false,
  };
}

/** invalid if anything failed; not verifiable if something essential could not be checked; else valid. */
export function decideVerdict(findings: FindingList, essentialUnchecked: boolean): Verdict {
  if (findings.hasFailure()) return 'invalid';
  return essentialUnchecked ? 'not-verifiable' : 'valid';
}

/** Every element ID must be unique: a second element carrying a signed ID is how wrapping attacks hide. */
export function checkUniqueIds(doc: Document, findings: FindingList): void {
  const seen = new Map<string, number>();
  for (const element of allElements(doc)) {
    for (const name of ['ID', 'Id', 'id']) {
      const value = element.getAttribute(name);
      if (element.hasAttribute(name) && value) seen.set(value, (seen.get(value) ?? 0) + 1);
    }
  }
  for (const [id, count] of seen) {
    if (count > 1) {
      findings.fail('structure.duplicate-id', {
        message: `The ID "${id}" is carried by ${count} elements. A signature covering that ID becomes ambiguous, which is how signature-wrapping attacks work.`,
        found: `${count} elements with ID ${id}`,
        fix: 'Reject this message; a genuine IdP never repeats an ID.',
      });
    }
  }
}

export function checkVersionAndId(element: Element, label: string, findings: FindingList): void {
  const version = attribute(element, 'Version');
  if (version !== '2.0') {
    findings.fail('structure.version', {
      message:
        version === undefined
          ? `The ${label} has no Version attribute.`
          : `The ${label} has Version="${version}"; only SAML 2.0 is supported.`,
      found: version,
      expected: '2.0',
      fix: 'Configure the IdP to send SAML 2.0 (not SAML 1.1 or WS-Federation).',
    });
  }
  if (!attribute(element, 'ID')) {
    findings.fail('structure.missing-id', {
      message: `The ${label} has no ID attribute.`,
      fix: 'A conforming IdP always sets ID; check what produced this message.',
    });
  }
}

export interface TimeCheck {
  label: string;
  value: string | undefined;
  /** not-after-now: the instant must not be later than now + skew; still-ahead: it must be later than now - skew. */
  rule: 'not-after-now' | 'still-ahead';
  code:
    | 'time.not-yet-valid'
    | 'time.expired'
    | 'time.subject-confirmation-expired'
    | 'time.session-expired'
    | 'time.issued-in-future';
  fix: string;
  /** Overrides the context's clock skew (a LogoutRequest's NotOnOrAfter is a hard deadline). */
  skewSeconds?: number;
  /** The value is required: its absence, or a value that is not an xs:dateTime, fails with this code. */
  required?: 'structure.issue-instant';
  /** Judged and reported by another check (each bearer confirmation): only shown on the timeline here. */
  timelineOnly?: boolean;
}

export type InstantJudgement =
  | { readable: false; reason: string }
  | { readable: true; instant: Date; failed: boolean; skewSeconds: number; relative: string; limit: Date };

/** Reads an xs:dateTime strictly and judges it against now and the allowed skew. */
export function judgeInstant(
  value: string,
  rule: TimeCheck['rule'],
  ctx: ValidationContext,
  skewOverride?: number,
): InstantJudgement {
  const parsed = parseDateTime(value);
  if (!parsed.ok) return { readable: false, reason: parsed.reason };
  const skewSeconds = skewOverride ?? ctx.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  const now = ctx.now.getTime();
  const instant = parsed.date;
  const limit = new Date(rule === 'not-after-now' ? now + skewSeconds * 1000 : now - skewSeconds * 1000);
  const failed = rule === 'not-after-now' ? instant.getTime() > limit.getTime() : limit.getTime() >= instant.getTime();
  return { readable: true, instant, failed, skewSeconds, relative: relativeTime(instant, ctx.now), limit };
}

/** The finding for an instant outside its window (shared with the per-confirmation checks). */
export function timeFailure(
  check: Pick<TimeCheck, 'label' | 'value' | 'rule' | 'code' | 'fix'>,
  judged: Extract<InstantJudgement, { readable: true }>,
): { message: string; found: string; expected: string; fix: string } {
  const skewText = `${judged.skewSeconds} s of allowed clock skew`;
  return {
    message:
      check.rule === 'not-after-now'
        ? `${check.label} is ${check.value} (${judged.relative}), later than now plus ${skewText}.`
        : `${check.label} is ${check.value}: ${check.code === 'time.expired' ? 'expired' : 'passed'} ${judged.relative} (beyond ${skewText}).`,
    found: check.value ?? '',
    expected: `${check.rule === 'not-after-now' ? 'not after' : 'after'} ${judged.limit.toISOString()}`,
    fix: check.fix,
  };
}

export function unreadableTimestamp(label: string, value: string, reason: string) {
  return {
    message: `${label} is "${value}", which is not a valid xs:dateTime: ${reason}.`,
    found: value,
    expected: 'a UTC xs:dateTime such as 2026-01-01T10:00:00Z',
    fix: 'The IdP must emit UTC timestamps in xs:dateTime format (YYYY-MM-DDThh:mm:ssZ).',
  };
}

export function checkTimes(
  checks: TimeCheck[],
  ctx: ValidationContext,
  findings: FindingList,
  timeline: TimelineEntry[],
): void {
  let anyFailed = false;
  for (const check of checks) {
    if (check.value === undefined) {
      if (check.required) {
        anyFailed = true;
        findings.fail(check.required, {
          message: `${check.label} is missing; SAML requires it on every message and assertion.`,
          expected: 'a UTC xs:dateTime such as 2026-01-01T10:00:00Z',
          fix: 'A conforming IdP always sets IssueInstant; check what produced this message.',
        });
      }
      continue;
    }
    const judged = judgeInstant(check.value, check.rule, ctx, check.skewSeconds);
    if (!judged.readable) {
      anyFailed = true;
      if (!check.timelineOnly)
        findings.fail(
          check.required ?? 'time.invalid-timestamp',
          unreadableTimestamp(check.label, check.value, judged.reason),
        );
      continue;
    }
    timeline.push({
      label: check.label,
      instant: judged.instant.toISOString(),
      relative: judged.relative,
      status: judged.failed ? 'fail' : 'pass',
    });
    if (!judged.failed) continue;
    anyFailed = true;
    if (!check.timelineOnly) findings.fail(check.code, timeFailure(check, judged));
  }
  const checked = checks.filter((c) => c.value !== undefined);
  if (checked.length > 0 && !anyFailed) {
    const skewSeconds = ctx.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
    findings.pass('time.window', {
      message: `${checked.map((c) => c.label).join(', ')}: all within ${skewSeconds} s of allowed clock skew at ${ctx.now.toISOString()}.`,
    });
  }
}

/** Scheme and host compare case-insensitively (URL lower-cases them), the path exactly; a trailing slash is ignored. */
function normaliseUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url.trim().replace(/\/+$/, '');
  }
}

export function urlMatches(found: string, expected: string[]): boolean {
  return expected.some((url) => normaliseUrl(url) === normaliseUrl(found));
}

/** Destination against the SP's ACS URLs and the URL the message arrived at. */
export function checkDestination(
  destination: string | undefined,
  ctx: ValidationContext,
  findings: FindingList,
  label: string,
  endpointKind: string,
): void {
  const expected = [
    ...(ctx.receivedAt ? [ctx.receivedAt] : []),
    ...(label === 'Response' ? (ctx.sp?.acsUrls ?? []) : []),
  ];
  if (destination === undefined) return;
  if (destination.trim() === '') {
    findings.fail('destination.empty', {
      message: `The ${label} has a Destination attribute, but it is empty.`,
      found: destination,
      expected: expected.join(' or ') || 'the URL of the endpoint the message is sent to',
      fix:
        label === 'Response'
          ? 'Configure the IdP to set Destination to the ACS URL the response is posted to, or to omit it.'
          : 'Set Destination to the endpoint URL, or omit the attribute.',
    });
    return;
  }
  if (expected.length === 0) return;
  if (urlMatches(destination, expected)) {
    findings.pass('destination.match', {
      message: `The ${label} was sent to ${destination.trim()}, ${endpointKind}.`,
      found: destination.trim(),
    });
  } else {
    findings.fail('destination.mismatch', {
      message: `The ${label} was sent to ${destination}, which is not ${endpointKind} (${expected.join(' or ')}).`,
      found: destination,
      expected: expected.join(' or '),
      fix:
        label === 'Response'
          ? 'Set the Reply URL (Assertion Consumer Service URL) at the IdP to the SP ACS URL exactly (in Entra ID: Basic SAML Configuration → Reply URL).'
          : 'Configure the partner with the correct Single Logout URL.',
    });
  }
}
