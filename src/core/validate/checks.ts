// Checks shared by every kind of message: the empty report, the verdict rule, IDs and version,
// time conditions and Destination. Message-specific validation builds on these; nothing here
// imports the message validators back.
import { relativeTime } from '../time';
import type { SamlMessageType } from '../messages/decode';
import type { FindingList } from './findings';
import type { ConditionsReport, TimelineEntry, ValidationContext, ValidationReport, Verdict } from './types';
import { allElements, attribute } from './xmlUtil';

const DEFAULT_SKEW_SECONDS = 180;

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
  return essentialUnchecked ? 'not_verifiable' : 'valid';
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
}

function parseInstant(value: string): Date | undefined {
  // xs:dateTime; SAML requires UTC, but an offset or no zone is tolerated as long as Date can read it.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value.trim())) return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function checkTimes(
  checks: TimeCheck[],
  ctx: ValidationContext,
  findings: FindingList,
  timeline: TimelineEntry[],
): void {
  const now = ctx.now.getTime();
  const before = findings.items.length;
  for (const check of checks) {
    if (check.value === undefined) continue;
    const skewSeconds = check.skewSeconds ?? ctx.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
    const skewMs = skewSeconds * 1000;
    const instant = parseInstant(check.value);
    if (!instant) {
      findings.fail('time.invalid-timestamp', {
        message: `${check.label} is "${check.value}", which is not an xs:dateTime.`,
        found: check.value,
        expected: 'e.g. 2026-01-01T10:00:00Z',
        fix: 'The IdP must emit UTC timestamps in xs:dateTime format.',
      });
      continue;
    }
    const relative = relativeTime(instant, ctx.now);
    const failed =
      check.rule === 'not-after-now' ? instant.getTime() > now + skewMs : now - skewMs >= instant.getTime();
    timeline.push({ label: check.label, instant: instant.toISOString(), relative, status: failed ? 'fail' : 'pass' });
    if (!failed) continue;
    const skewText = `${skewSeconds} s of allowed clock skew`;
    findings.fail(check.code, {
      message:
        check.rule === 'not-after-now'
          ? `${check.label} is ${check.value} (${relative}), later than now plus ${skewText}.`
          : `${check.label} is ${check.value}: ${check.code === 'time.expired' ? 'expired' : 'passed'} ${relative} (beyond ${skewText}).`,
      found: check.value,
      expected:
        check.rule === 'not-after-now'
          ? `not after ${new Date(now + skewMs).toISOString()}`
          : `after ${new Date(now - skewMs).toISOString()}`,
      fix: check.fix,
    });
  }
  const checked = checks.filter((c) => c.value !== undefined);
  if (checked.length > 0 && findings.items.length === before) {
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
  if (destination === undefined || expected.length === 0) return;
  if (destination.trim() !== '' && urlMatches(destination, expected)) {
    findings.pass('destination.match', {
      message: `The ${label} was sent to ${destination.trim()}, ${endpointKind}.`,
      found: destination.trim(),
    });
  } else {
    findings.fail('destination.mismatch', {
      message:
        destination.trim() === ''
          ? `The ${label} has an empty Destination.`
          : `The ${label} was sent to ${destination}, which is not ${endpointKind} (${expected.join(' or ')}).`,
      found: destination,
      expected: expected.join(' or '),
      fix:
        label === 'Response'
          ? 'Set the Reply URL (Assertion Consumer Service URL) at the IdP to the SP ACS URL exactly (in Entra ID: Basic SAML Configuration → Reply URL).'
          : 'Configure the partner with the correct Single Logout URL.',
    });
  }
}
