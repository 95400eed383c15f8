// ruby-saml 1.13 as Debian ships it (ruby-saml 1.13.0-1+deb12u1):
// OneLogin::RubySaml::Response.new(SAMLResponse, settings:, matches_request_id:).is_valid?. Its
// checks, in its order (Response#validate); the first failure is the error it reports.
import type { ResponseFacts, SignatureFacts } from './facts';
import { allSignatures, schemaViolation, undecryptedAssertion, verifiesLikeXmlsec } from './signatureRules';
import type { CheckFailure, LibraryOptions, SpLibraryModel } from './types';

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

const skip = (options: LibraryOptions, name: string) => options[name] === true;
/** ruby-saml adds Float::EPSILON to the drift, so messages always show at least "1s". */
const driftSeconds = (options: LibraryOptions) => Math.abs(Number(options.allowed_clock_drift)) + Number.EPSILON;
const driftMs = (options: LibraryOptions) => driftSeconds(options) * 1000;

/** Ruby's Time#to_s for a UTC time: "2026-03-01 10:00:00 UTC". */
function rubyTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('T', ' ').replace('.000Z', '')} UTC`;
}

function signedParents(facts: ResponseFacts): string[] | CheckFailure {
  const ids = new Set<string>();
  const parents: string[] = [];
  const signatures = allSignatures(facts, true);
  for (const signature of signatures) {
    if (signature.parent !== 'Response' && signature.parent !== 'Assertion')
      return { message: `Invalid Signature Element '${signature.parent}'. SAML Response rejected` };
    if (!signature.parentId) return { message: 'Signed Element must contain an ID. SAML Response rejected' };
    if (ids.has(signature.parentId)) return { message: 'Duplicated ID. SAML Response rejected' };
    ids.add(signature.parentId);
    if (signature.referenceUri && signature.referenceUri.slice(1) !== signature.parentId)
      return { message: 'Found an invalid Signed Element. SAML Response rejected' };
    parents.push(signature.parent);
  }
  if (!(signatures.length < 3 && parents.length > 0))
    return { message: 'Found an unexpected number of Signature Element. SAML Response rejected' };
  return parents;
}

function statusMessage(facts: ResponseFacts): string {
  const { code, subCode, message } = facts.status;
  const last = (uri: string) => uri.split(':').pop() ?? uri;
  let text = `The status code of the Response was not Success, was ${last(code ?? '')}`;
  if (subCode) text += ` => ${last(subCode)}`;
  if (message) text += ` -> ${message}`;
  return text;
}

/** ruby-saml verifies with its own XML-DSig code and refuses a KeyInfo certificate other than the configured one. */
function verifies(signature: SignatureFacts, facts: ResponseFacts): boolean {
  return verifiesLikeXmlsec(signature, facts) && signature.keyInfoCertificate !== 'other';
}

export const RUBY_SAML: SpLibraryModel = {
  id: 'ruby-saml',
  packageName: 'ruby-saml',
  version: '1.13.0-1+deb12u1',
  provenance: "Debian's ruby-saml 1.13.0-1+deb12u1 (upstream ruby-saml 1.13.0 with the CVE-2024-45409 fix)",
  options: [
    {
      name: 'security.want_assertions_signed',
      default: false,
      description: 'The Assertion must be signed.',
      alternatives: [true],
    },
    {
      name: 'allowed_clock_drift',
      default: 0,
      description: 'Seconds of clock drift allowed on every time check.',
      alternatives: [180],
    },
    { name: 'skip_conditions', default: false, description: 'Skip the Conditions checks.', alternatives: [true] },
    { name: 'skip_audience', default: false, description: 'Skip the Audience check.', alternatives: [true] },
    { name: 'skip_destination', default: false, description: 'Skip the Destination check.', alternatives: [true] },
    {
      name: 'skip_recipient_check',
      default: false,
      description: 'Skip the SubjectConfirmationData Recipient check.',
      alternatives: [true],
    },
    {
      name: 'skip_subject_confirmation',
      default: false,
      description: 'Skip the SubjectConfirmation checks.',
      alternatives: [true],
    },
  ],
  checks: [
    { name: 'SAML version', check: (f) => (f.version === '2.0' ? undefined : { message: 'Unsupported SAML version' }) },
    {
      name: 'Response ID',
      check: (f) => (f.id === undefined ? { message: 'Missing ID attribute on SAML Response' } : undefined),
    },
    {
      name: 'Status',
      check: (f) => (!f.status.code || f.status.code === STATUS_SUCCESS ? undefined : { message: statusMessage(f) }),
    },
    { name: 'Decryption', check: undecryptedAssertion },
    {
      name: 'Number of assertions',
      check: (f) =>
        f.assertionsAnywhere + f.encryptedAssertions === 1
          ? undefined
          : { message: 'SAML Response must contain 1 assertion' },
    },
    {
      name: 'Signed elements',
      check(facts, options) {
        const parents = signedParents(facts);
        if (!Array.isArray(parents)) return parents;
        return options['security.want_assertions_signed'] === true && !parents.includes('Assertion')
          ? { message: 'The Assertion of the Response is not signed and the SP requires it' }
          : undefined;
      },
    },
    {
      name: 'Schema',
      check: (f) =>
        schemaViolation(f)
          ? { message: 'Invalid SAML Response. Not match the saml-schema-protocol-2.0.xsd' }
          : undefined,
    },
    {
      name: 'InResponseTo',
      check(f) {
        const requestId = f.sp.requestId;
        if (requestId === undefined || requestId === f.inResponseTo) return undefined;
        return {
          message: `The InResponseTo of the Response: ${f.inResponseTo ?? ''}, does not match the ID of the AuthNRequest sent by the SP: ${requestId}`,
        };
      },
    },
    {
      name: 'Conditions',
      check: (f, o) =>
        skip(o, 'skip_conditions') || f.assertion?.conditionsCount === 1
          ? undefined
          : { message: 'The Assertion must include one Conditions element' },
    },
    {
      name: 'Conditions times',
      check(f, o) {
        const a = f.assertion;
        if (!a || skip(o, 'skip_conditions')) return undefined;
        const drift = driftMs(o);
        const shown = Math.ceil(driftSeconds(o));
        if (a.notBefore !== undefined && f.now < a.notBefore - drift)
          return {
            message: `Current time is earlier than NotBefore condition (${rubyTime(f.now)} < ${rubyTime(a.notBefore)} - ${shown}s)`,
          };
        if (a.notOnOrAfter !== undefined && f.now >= a.notOnOrAfter + drift)
          return {
            message: `Current time is on or after NotOnOrAfter condition (${rubyTime(f.now)} >= ${rubyTime(a.notOnOrAfter)} + ${shown}s)`,
          };
        return undefined;
      },
    },
    {
      name: 'AuthnStatement',
      check: (f) =>
        f.assertion?.authnStatementCount === 1
          ? undefined
          : { message: 'The Assertion must include one AuthnStatement element' },
    },
    {
      name: 'Audience',
      check(f, o) {
        const audiences = f.assertion?.audiences ?? [];
        const sp = f.sp.entityId;
        if (skip(o, 'skip_audience') || audiences.length === 0 || !sp || audiences.includes(sp)) return undefined;
        const s = audiences.length > 1 ? 's' : '';
        return {
          message: `Invalid Audience${s}. The audience${s} ${audiences.join(',')}, did not match the expected audience ${sp}`,
        };
      },
    },
    {
      name: 'Destination',
      check(f, o) {
        if (f.destination === undefined || skip(o, 'skip_destination')) return undefined;
        if (f.destination === '') return { message: 'The response has an empty Destination value' };
        const acs = f.sp.acsUrl;
        if (!acs || f.destination === acs) return undefined;
        return { message: `The response was received at ${f.destination} instead of ${acs}` };
      },
    },
    {
      name: 'Issuer',
      check(f) {
        const expected = f.sp.idpEntityId;
        if (expected === undefined) return undefined;
        const issuers = [f.issuer, f.assertion?.issuer].filter((i): i is string => i !== undefined);
        const wrong = issuers.find((issuer) => issuer !== expected);
        return wrong === undefined
          ? undefined
          : { message: `Doesn't match the issuer, expected: <${expected}>, but was: <${wrong}>` };
      },
    },
    {
      name: 'Session expiry',
      check(f, o) {
        const expiry = f.assertion?.sessionNotOnOrAfter;
        return expiry !== undefined && !(f.now < expiry + driftMs(o))
          ? {
              message:
                'The attributes have expired, based on the SessionNotOnOrAfter of the AuthnStatement of this Response',
            }
          : undefined;
      },
    },
    {
      name: 'SubjectConfirmation',
      check(f, o) {
        if (skip(o, 'skip_subject_confirmation')) return undefined;
        const drift = driftMs(o);
        const valid = (f.assertion?.subjectConfirmations ?? []).some(
          (c) =>
            !(c.method !== undefined && c.method !== BEARER) &&
            c.hasData &&
            !(c.inResponseTo !== undefined && c.inResponseTo !== f.inResponseTo) &&
            !(c.notBefore !== undefined && f.now < c.notBefore - drift) &&
            !(c.notOnOrAfter !== undefined && f.now >= c.notOnOrAfter + drift) &&
            !(c.recipient !== undefined && !skip(o, 'skip_recipient_check') && c.recipient !== f.sp.acsUrl),
        );
        return valid ? undefined : { message: 'A valid SubjectConfirmation was not found on this Response' };
      },
    },
    {
      name: 'Signature',
      check(f) {
        const signatures = [...f.responseSignatures, ...(f.assertion?.signatures ?? [])];
        return signatures.every((s) => verifies(s, f)) ? undefined : { message: 'Invalid Signature on SAML Response' };
      },
    },
  ],
  upstreamNotes: [
    "Debian's 1.13.0-1+deb12u1 carries the fix for CVE-2024-45409 (authentication bypass through an XPath selector; upstream 1.17.0).",
    'Upstream 1.18.0 fixes CVE-2025-25291 and CVE-2025-25292 (authentication bypass by signature wrapping, through a difference between its two XML parsers) and CVE-2025-25293 (denial of service with compressed messages); the Debian version modelled here has none of these fixes.',
  ],
};
