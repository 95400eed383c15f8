// Test SAML responses for an SP under development: a signed Response for a test user, optionally
// with exactly one deliberate defect, as the base64 value the IdP posts and as an HTML page that
// posts it. Each response is checked by the project's own validator, which must find exactly what
// the chosen defect should cause (and nothing else), so the test response is known to test what it says.

import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { parseMetadata, type AttributeConsumingServiceNode, type RoleNode } from '../metadata';
import { validateResponse } from '../validate';
import type { FindingCode } from '../validate/codes';
import type { ExpectedAttribute, ValidationContext, ValidationReport } from '../validate/types';
import { buildSamlResponse, type ResponseAttribute } from './response';
import type { SignatureAlgorithmName } from '../messages/xmldsig';
import { escapeHtml } from '../xml/escape';

export type ResponseDefect = 'none' | 'expired' | 'wrong-audience' | 'unsigned' | 'wrong-recipient';

export interface DefectDescription {
  readonly defect: ResponseDefect;
  readonly label: string;
  readonly detail: string;
  /** The validator's failing findings this defect must cause, and the only ones. */
  readonly expectedFailures: readonly FindingCode[];
}

/** Audience and Recipient of "another SP": the shape of a response meant for someone else. */
export const OTHER_SP_ENTITY_ID = 'https://another-sp.example.com/saml';
export const OTHER_SP_ACS_URL = 'https://another-sp.example.com/saml/acs';

export const RESPONSE_DEFECTS: readonly DefectDescription[] = [
  { defect: 'none', label: 'None', detail: 'A valid response', expectedFailures: [] },
  {
    defect: 'expired',
    label: 'Expired',
    detail: 'Issued 2 hours ago with a 1-hour lifetime',
    // Conditions and SubjectConfirmationData share the lifetime, as IdPs send them.
    expectedFailures: ['time.expired', 'time.subject-confirmation-expired'],
  },
  {
    defect: 'wrong-audience',
    label: 'Wrong audience',
    detail: `Audience ${OTHER_SP_ENTITY_ID}`,
    expectedFailures: ['audience.mismatch'],
  },
  // An SP with WantAssertionsSigned="true" also reports the assertion unsigned (see expectedFailuresFor).
  {
    defect: 'unsigned',
    label: 'Unsigned',
    detail: 'No signature on the Response or the Assertion',
    expectedFailures: ['signature.missing'],
  },
  {
    defect: 'wrong-recipient',
    label: 'Wrong Recipient',
    detail: `SubjectConfirmationData Recipient ${OTHER_SP_ACS_URL}`,
    expectedFailures: ['recipient.mismatch'],
  },
];

export function describeDefect(defect: ResponseDefect): DefectDescription {
  const found = RESPONSE_DEFECTS.find((entry) => entry.defect === defect);
  if (!found)
    throw new Error(
      `Unknown defect ${JSON.stringify(defect)}; expected one of ${RESPONSE_DEFECTS.map((entry) => entry.defect).join(', ')}.`,
    );
  return found;
}

/** The failures a defect must cause for this SP, and the only ones. */
export function expectedFailuresFor(defect: ResponseDefect, sp: TestServiceProvider): FindingCode[] {
  const failures = [...describeDefect(defect).expectedFailures];
  if (defect === 'unsigned' && sp.wantAssertionsSigned) failures.push('signature.assertion-unsigned');
  return failures;
}

/** What a test response needs to know about the SP, usually read from its metadata. */
export interface TestServiceProvider {
  readonly entityId: string;
  /** The ACS URL the response is posted to (HTTP-POST). */
  readonly acsUrl: string;
  readonly acsUrls: readonly string[];
  readonly nameIdFormat?: string;
  readonly wantAssertionsSigned: boolean;
  readonly requestedAttributes: readonly ExpectedAttribute[];
  readonly serviceName?: string;
}

export interface TestIdentityProvider {
  readonly entityId: string;
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface TestResponseSpec {
  readonly sp: TestServiceProvider;
  readonly idp: TestIdentityProvider;
  readonly nameId: string;
  readonly attributes: readonly ResponseAttribute[];
  readonly defect: ResponseDefect;
  /** The clock the response is issued against (and validated against). */
  readonly now: Date;
  readonly relayState?: string;
  /** The ID of the AuthnRequest answered; absent for an IdP-initiated response. */
  readonly inResponseTo?: string;
  /**
   * The Response's and the assertion's IDs; default derived from the content and the second of
   * issue (stable output). A server answering many sign-ins gives fresh ones, or two in one second repeat.
   */
  readonly ids?: { readonly response: string; readonly assertion: string };
}

export interface TestResponse {
  readonly xml: string;
  /** The SAMLResponse form value: base64 of the XML. */
  readonly base64: string;
  /** A page that posts the response to the ACS URL when opened in a browser. */
  readonly autoPostHtml: string;
  readonly expectedFailures: readonly FindingCode[];
}

export type Result<T> = ({ ok: true } & T) | { ok: false; message: string };

const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** The test user and claims of the reference scenario (Entra ID → Upwork Enterprise). */
export const DEFAULT_TEST_USER = 'B.Simon@contoso.com';
export const DEFAULT_TEST_ATTRIBUTES: readonly ResponseAttribute[] = [
  { name: 'FirstName', values: ['B'] },
  { name: 'LastName', values: ['Simon'] },
  { name: 'Country', values: ['United States'] },
  { name: 'Email', values: [DEFAULT_TEST_USER] },
];

/** The ACS endpoints a response can be posted to: HTTP-POST, the default first, then by index. */
export function postAcsEndpoints<E extends { readonly index?: number; readonly isDefault?: boolean }>(
  endpoints: readonly E[],
  bindingOf: (endpoint: E) => string | undefined,
): E[] {
  return endpoints
    .filter((endpoint) => bindingOf(endpoint) === POST_BINDING)
    .sort((a, b) => Number(b.isDefault === true) - Number(a.isDefault === true) || (a.index ?? 0) - (b.index ?? 0));
}

function postAcsUrls(role: RoleNode): string[] {
  return postAcsEndpoints(
    role.endpoints.filter((endpoint) => endpoint.localName === 'AssertionConsumerService' && endpoint.location?.value),
    (endpoint) => endpoint.binding?.value,
  ).map((endpoint) => endpoint.location!.value);
}

/** The attributes an SP's AttributeConsumingService requests, as the validator expects them. */
export function requestedAttributesOf(service: AttributeConsumingServiceNode | undefined): ExpectedAttribute[] {
  return (service?.requestedAttributes ?? [])
    .filter((attribute) => attribute.name)
    .map((attribute) => ({
      name: attribute.name!,
      friendlyName: attribute.friendlyName,
      required: attribute.isRequired,
    }));
}

/** The first SP in a metadata document, or why there is none usable. */
export function serviceProviderFromMetadata(text: string): Result<{ sp: TestServiceProvider }> {
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: `The metadata cannot be read: ${parsed.error.message}` };
  for (const entity of parsed.model.entities) {
    const role = entity.roles.find((candidate) => candidate.kind === 'SPSSODescriptor');
    if (!role) continue;
    const entityId = entity.entityID?.value;
    if (!entityId) return { ok: false, message: 'The SP entity has no entityID.' };
    const acsUrls = postAcsUrls(role);
    if (acsUrls.length === 0)
      return { ok: false, message: `The SP ${entityId} has no AssertionConsumerService with the HTTP-POST binding.` };
    const service =
      role.attributeConsumingServices.find((candidate) => candidate.isDefault) ?? role.attributeConsumingServices[0];
    return {
      ok: true,
      sp: {
        entityId,
        acsUrl: acsUrls[0],
        acsUrls,
        nameIdFormat: role.nameIDFormats[0]?.value.trim(),
        wantAssertionsSigned: role.wantAssertionsSigned === true,
        requestedAttributes: requestedAttributesOf(service),
        serviceName: service?.serviceNames[0]?.value,
      },
    };
  }
  return { ok: false, message: "The document has no SPSSODescriptor: pick the service provider's metadata." };
}

/** The signature algorithm for this key, once the key is known to belong to the certificate. */
export function signatureAlgorithmFor(
  privateKeyPem: string,
  certificatePem: string,
): Result<{ algorithm: SignatureAlgorithmName }> {
  let privateKey;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    return { ok: false, message: `The IdP private key cannot be read: ${(error as Error).message}.` };
  }
  let certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    return { ok: false, message: `The IdP certificate cannot be read: ${(error as Error).message}.` };
  }
  const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(privateKey)).equals(spki(certificate.publicKey))) {
    return {
      ok: false,
      message:
        'The IdP private key does not belong to the IdP certificate; pick the key the certificate was issued for.',
    };
  }
  if (privateKey.asymmetricKeyType === 'rsa') return { ok: true, algorithm: 'rsa-sha256' };
  if (privateKey.asymmetricKeyType === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    return { ok: true, algorithm: curve === 'secp384r1' ? 'ecdsa-sha384' : 'ecdsa-sha256' };
  }
  return { ok: false, message: `IdP keys must be RSA or EC; this one is ${String(privateKey.asymmetricKeyType)}.` };
}

/** The HTTP-POST binding's auto-submitting form (SAML Bindings §3.5.4), with a button when scripts are off. */
export function autoPostForm(acsUrl: string, samlResponse: string, relayState?: string): string {
  return postBindingForm(acsUrl, { SAMLResponse: samlResponse, RelayState: relayState }, 'SAML test response');
}

/** An auto-submitting HTML form posting `fields` (those defined) to `action`, for either direction of the POST binding. */
export function postBindingForm(action: string, fields: Record<string, string | undefined>, title: string): string {
  const inputs = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `\n      <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${escapeHtml(title)}</title>
  </head>
  <body onload="document.forms[0].submit()">
    <form method="post" action="${escapeHtml(action)}">${inputs}
      <noscript><p>Scripts are off: press the button to post the message.</p></noscript>
      <button type="submit">Post to ${escapeHtml(action)}</button>
    </form>
  </body>
</html>
`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A signed (unless the defect is "unsigned") Response for the test user; the assertion is signed, as Entra ID does by default. */
export function buildTestResponse(spec: TestResponseSpec): Result<{ response: TestResponse }> {
  const expectedFailures = expectedFailuresFor(spec.defect, spec.sp);
  if (!spec.nameId.trim()) return { ok: false, message: 'The test user (NameID) is empty.' };
  if (Number.isNaN(spec.now.getTime()))
    return { ok: false, message: 'The clock for the test response is not a valid date.' };
  const names = new Set<string>();
  for (const attribute of spec.attributes) {
    if (!attribute.name.trim()) return { ok: false, message: 'An attribute has an empty name.' };
    if (names.has(attribute.name))
      return {
        ok: false,
        message: `The attribute ${JSON.stringify(attribute.name)} is given twice; give it once with several values.`,
      };
    names.add(attribute.name);
  }
  const signing = signatureAlgorithmFor(spec.idp.privateKeyPem, spec.idp.certificatePem);
  if (!signing.ok) return signing;

  // Entra ID's lifetime: valid from 5 minutes before issue until 1 hour after.
  const issueInstant = spec.defect === 'expired' ? new Date(spec.now.getTime() - 2 * HOUR) : spec.now;
  const xml = buildSamlResponse({
    issuer: spec.idp.entityId,
    destination: spec.sp.acsUrl,
    audience: spec.defect === 'wrong-audience' ? OTHER_SP_ENTITY_ID : spec.sp.entityId,
    recipient: spec.defect === 'wrong-recipient' ? OTHER_SP_ACS_URL : spec.sp.acsUrl,
    nameId: spec.nameId,
    nameIdFormat: spec.sp.nameIdFormat ?? EMAIL_NAME_ID,
    attributes: spec.attributes.map((attribute) => ({ ...attribute, values: [...attribute.values] })),
    issueInstant,
    notBefore: new Date(issueInstant.getTime() - 5 * MINUTE),
    notOnOrAfter: new Date(issueInstant.getTime() + HOUR),
    inResponseTo: spec.inResponseTo,
    responseId: spec.ids?.response,
    assertionId: spec.ids?.assertion,
    signResponse: false,
    signAssertion: spec.defect !== 'unsigned',
    privateKeyPem: spec.idp.privateKeyPem,
    certificatePem: spec.idp.certificatePem,
    signatureAlgorithm: signing.algorithm,
  });
  const base64 = Buffer.from(xml, 'utf8').toString('base64');
  return {
    ok: true,
    response: { xml, base64, autoPostHtml: autoPostForm(spec.sp.acsUrl, base64, spec.relayState), expectedFailures },
  };
}

/** How the SP would validate the response: the test IdP's certificate is the trusted one. */
export function validationContextFor(spec: TestResponseSpec): ValidationContext {
  return {
    now: spec.now,
    trustedCertificates: [
      { pem: spec.idp.certificatePem, source: 'test IdP certificate', entityId: spec.idp.entityId },
    ],
    idpEntityId: spec.idp.entityId,
    sp: {
      entityId: spec.sp.entityId,
      acsUrls: [...spec.sp.acsUrls],
      expectedAttributes: [...spec.sp.requestedAttributes],
      source: 'SP metadata',
    },
    receivedAt: spec.sp.acsUrl,
    requestId: spec.inResponseTo,
    requireSignedAssertion: spec.sp.wantAssertionsSigned,
  };
}

export interface RoundTrip {
  readonly report: ValidationReport;
  readonly failures: readonly FindingCode[];
  /** Empty when the validator found exactly what the defect should cause; else what differs. */
  readonly problems: readonly string[];
}

/** Validates a test response and compares the outcome with what its defect should cause. */
export function checkTestResponse(response: TestResponse, spec: TestResponseSpec): RoundTrip {
  const report = validateResponse(response.xml, validationContextFor(spec));
  const failures = [
    ...new Set(report.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.code)),
  ].sort();
  const expected = [...response.expectedFailures].sort();
  const problems: string[] = [];
  const expectedVerdict = expected.length === 0 ? 'valid' : 'invalid';
  if (report.verdict !== expectedVerdict)
    problems.push(`the verdict is ${report.verdict}, expected ${expectedVerdict}`);
  const missing = expected.filter((code) => !failures.includes(code));
  const unexpected = failures.filter((code) => !expected.includes(code));
  if (missing.length > 0) problems.push(`expected failures not reported: ${missing.join(', ')}`);
  for (const code of unexpected) {
    const finding = report.findings.find((candidate) => candidate.code === code && candidate.status === 'fail');
    problems.push(`unexpected failure ${code}: ${finding?.message ?? ''}`.trim());
  }
  return { report, failures, problems };
}
