// The differential case matrix: every case both SAML Lens's library models and the four real SP
// libraries judge. Generated from the reference scenario (Entra ID → Upwork Enterprise, throwaway IdP
// key), one change at a time:
//   placement   signature on the Response only / the Assertion only / both / none
//   rule        each profile rule of docs/rules.md that a response can break, broken alone
//   clock       just inside and just outside each library's default clock skew
//   algorithm   SHA-1 signature and digest
//   encryption  an encrypted assertion, signed inside or not signed
//   options     each library's signature and clock options on and off
//   attack      every POST fixture of the attack catalogue (docs/attacks.md)
// Every case is judged at the fixed instant NOW (the drivers move their library's clock to it), so
// the margins below are exact and no case depends on how long the build took.
//
// By hand: node --import tsx test/peers/matrixCases.ts > /tmp/matrix.json, then give that file to any driver.
import {
  buildEncryptedSamlResponse,
  buildSamlResponse,
  signElement,
  type ResponseSpec,
} from '../../src/core/build/response';
import type { ValidationContext } from '../../src/core/validate';
import { NS } from '../../src/core/xml/namespaces';
import { ATTACK_FIXTURES, attackContext, type ContextOptions } from '../fixtures/attacks/catalogue';
import { find, parse, serialize } from '../fixtures/attacks/dom';
import {
  ACS_URL,
  IDP_ENTITY_ID,
  NOW,
  REQUEST_ID,
  SP_ENTITY_ID,
  baseSpec,
  idpKeyPair,
  spKeyPair,
} from '../fixtures/builder/responses';
import type { PeerCase } from './cases';

export type MatrixGroup = 'placement' | 'rule' | 'clock' | 'algorithm' | 'encryption' | 'options' | 'attack';

export interface MatrixCase {
  peer: PeerCase;
  group: MatrixGroup;
  title: string;
  /** The Response XML SAML Lens validates. */
  xml: string;
  /** SAML Lens's context: the same trust and SP expectations the libraries get. */
  context: ValidationContext;
}

const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);
const BOTH = { signResponse: true, signAssertion: true } as const;
const SIGNING = () => ({ privateKeyPem: idpKeyPair().privateKeyPem, certificatePem: idpKeyPair().certificatePem });

interface Variant {
  group: MatrixGroup;
  title: string;
  /** The response: a spec change, or a finished document. */
  build: () => string | Promise<string>;
  options?: PeerCase['options'];
  context?: ContextOptions;
}

/** Builds unsigned, lets `change` edit the tree, then signs the Response and the Assertion as `sign` says. */
function edited(
  spec: Partial<ResponseSpec>,
  change: (doc: Document) => void,
  sign: { response: boolean; assertion: boolean } = { response: true, assertion: true },
): string {
  const doc = parse(buildSamlResponse(baseSpec({ ...spec, signResponse: false, signAssertion: false })));
  change(doc);
  let xml = serialize(doc);
  const full = baseSpec(spec);
  if (sign.assertion) xml = signElement(xml, full.assertionId!, SIGNING());
  if (sign.response) xml = signElement(xml, full.responseId!, SIGNING());
  return xml;
}

const spec = (overrides: Partial<ResponseSpec>) => () => buildSamlResponse(baseSpec(overrides));
const encrypted = (overrides: Partial<ResponseSpec>) =>
  buildEncryptedSamlResponse({ ...baseSpec(overrides), encryptTo: { certificatePem: spKeyPair().certificatePem } });
const subjectConfirmationData = (doc: Document) => find(doc, NS.saml, 'SubjectConfirmationData');

const VARIANTS: Record<string, Variant> = {
  // ── placement
  'placement.assertion-only': {
    group: 'placement',
    title: 'signed on the Assertion only (Entra ID default)',
    build: spec({}),
  },
  'placement.response-only': {
    group: 'placement',
    title: 'signed on the Response only',
    build: spec({ signResponse: true, signAssertion: false }),
  },
  'placement.both': { group: 'placement', title: 'signed on the Response and the Assertion', build: spec(BOTH) },
  'placement.none': { group: 'placement', title: 'not signed', build: spec({ signAssertion: false }) },

  // ── rules, each broken alone on a response signed on both levels
  'rule.issuer-other-idp': {
    group: 'rule',
    title: 'Issuer names another IdP (R: Issuer is the expected IdP)',
    build: spec({ ...BOTH, issuer: 'https://idp.other.example/' }),
  },
  'rule.audience-other-sp': {
    group: 'rule',
    title: 'Audience of another SP',
    build: spec({ ...BOTH, audience: 'https://sp.other.example/' }),
  },
  'rule.audience-missing': {
    group: 'rule',
    title: 'no AudienceRestriction',
    build: () =>
      edited({}, (doc) => find(doc, NS.saml, 'Conditions').removeChild(find(doc, NS.saml, 'AudienceRestriction'))),
  },
  'rule.destination-other': {
    group: 'rule',
    title: 'Destination is another URL',
    build: spec({ ...BOTH, destination: 'https://www.upwork.com/other/acs' }),
  },
  'rule.destination-missing': {
    group: 'rule',
    title: 'no Destination on a signed Response',
    build: () => edited({}, (doc) => doc.documentElement.removeAttribute('Destination')),
  },
  'rule.recipient-other': {
    group: 'rule',
    title: 'SubjectConfirmationData Recipient is another URL',
    build: spec({ ...BOTH, recipient: 'https://www.upwork.com/other/acs' }),
  },
  'rule.in-response-to-other': {
    group: 'rule',
    title: 'InResponseTo answers another request',
    build: spec({ ...BOTH, inResponseTo: '_req-other' }),
  },
  'rule.unsolicited-while-request-pending': {
    group: 'rule',
    title: 'no InResponseTo although the SP sent a request',
    build: spec({ ...BOTH, inResponseTo: undefined }),
  },
  'rule.unsolicited': {
    group: 'rule',
    title: 'IdP-initiated: no InResponseTo, no request pending',
    build: spec({ ...BOTH, inResponseTo: undefined }),
    context: { requestId: null },
  },
  'rule.status-responder': {
    group: 'rule',
    title: 'Status Responder, no assertion',
    build: spec({
      signResponse: true,
      signAssertion: false,
      includeAssertion: false,
      statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
      statusMessage: 'AADSTS50105: The signed in user is not assigned to a role for the application.',
    }),
  },
  'rule.version-1.1': {
    group: 'rule',
    title: 'Response Version="1.1"',
    build: () => edited({}, (doc) => doc.documentElement.setAttribute('Version', '1.1')),
  },
  'rule.no-bearer': {
    group: 'rule',
    title: 'SubjectConfirmation holder-of-key instead of bearer',
    build: () =>
      edited({}, (doc) =>
        find(doc, NS.saml, 'SubjectConfirmation').setAttribute(
          'Method',
          'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
        ),
      ),
  },
  'rule.no-authn-statement': {
    group: 'rule',
    title: 'no AuthnStatement',
    build: () => edited({}, (doc) => find(doc, NS.saml, 'Assertion').removeChild(find(doc, NS.saml, 'AuthnStatement'))),
  },
  'rule.no-nameid': {
    group: 'rule',
    title: 'Subject without NameID',
    build: () => edited({}, (doc) => find(doc, NS.saml, 'Subject').removeChild(find(doc, NS.saml, 'NameID'))),
  },
  'rule.issuer-format-unspecified': {
    group: 'rule',
    title: 'Assertion Issuer with a user NameID Format',
    build: () =>
      edited({}, (doc) =>
        find(doc, NS.saml, 'Issuer', 1).setAttribute(
          'Format',
          'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        ),
      ),
  },
  'rule.subject-confirmation-no-expiry': {
    group: 'rule',
    title: 'SubjectConfirmationData without NotOnOrAfter',
    build: () => edited({}, (doc) => subjectConfirmationData(doc).removeAttribute('NotOnOrAfter')),
  },
  'rule.session-expired': {
    group: 'rule',
    title: 'SessionNotOnOrAfter 10 minutes ago',
    build: spec({ ...BOTH, sessionNotOnOrAfter: seconds(-600) }),
  },

  // ── clock: defaults are 0 s (node-saml, samlify, ruby-saml), 300 s for Conditions in python3-saml
  // 1.12 (ALLOWED_CLOCK_DRIFT) and 180 s in SAML Lens
  'clock.not-before-in-30s': {
    group: 'clock',
    title: 'NotBefore 30 s in the future',
    build: spec({ ...BOTH, notBefore: seconds(30) }),
  },
  'clock.not-before-in-240s': {
    group: 'clock',
    title: 'NotBefore 240 s in the future',
    build: spec({ ...BOTH, notBefore: seconds(240) }),
  },
  'clock.not-before-in-400s': {
    group: 'clock',
    title: 'NotBefore 400 s in the future',
    build: spec({ ...BOTH, notBefore: seconds(400) }),
  },
  'clock.conditions-expired-30s-ago': {
    group: 'clock',
    title: 'Conditions NotOnOrAfter 30 s ago (SubjectConfirmationData still valid)',
    build: () =>
      edited({ notOnOrAfter: seconds(-30) }, (doc) =>
        subjectConfirmationData(doc).setAttribute('NotOnOrAfter', seconds(600).toISOString().replace('.000Z', 'Z')),
      ),
  },
  'clock.conditions-expired-400s-ago': {
    group: 'clock',
    title: 'Conditions NotOnOrAfter 400 s ago (SubjectConfirmationData still valid)',
    build: () =>
      edited({ notOnOrAfter: seconds(-400) }, (doc) =>
        subjectConfirmationData(doc).setAttribute('NotOnOrAfter', seconds(600).toISOString().replace('.000Z', 'Z')),
      ),
  },
  'clock.expired-30s-ago': {
    group: 'clock',
    title: 'NotOnOrAfter 30 s ago on Conditions and SubjectConfirmationData',
    build: spec({ ...BOTH, notOnOrAfter: seconds(-30), notBefore: seconds(-600), issueInstant: seconds(-590) }),
  },
  'clock.expired-240s-ago': {
    group: 'clock',
    title: 'NotOnOrAfter 240 s ago on Conditions and SubjectConfirmationData',
    build: spec({ ...BOTH, notOnOrAfter: seconds(-240), notBefore: seconds(-900), issueInstant: seconds(-890) }),
  },
  'clock.issued-in-future': {
    group: 'clock',
    title: 'IssueInstant 10 minutes in the future, conditions current',
    build: spec({ ...BOTH, issueInstant: seconds(600) }),
  },

  // ── algorithm
  'algorithm.sha1': {
    group: 'algorithm',
    title: 'rsa-sha1 signatures and sha1 digests (both signed)',
    build: spec({ ...BOTH, signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' }),
  },
  'algorithm.sha512': {
    group: 'algorithm',
    title: 'rsa-sha512 signatures and sha512 digests (both signed)',
    build: spec({ ...BOTH, signatureAlgorithm: 'rsa-sha512', digestAlgorithm: 'sha512' }),
  },

  // ── encryption
  'encryption.signed-assertion': {
    group: 'encryption',
    title: 'EncryptedAssertion holding a signed assertion, Response signed',
    build: () => encrypted(BOTH),
    context: { decrypt: true },
  },
  'encryption.assertion-signed-only': {
    group: 'encryption',
    title: 'EncryptedAssertion holding a signed assertion, Response unsigned',
    build: () => encrypted({}),
    context: { decrypt: true },
  },

  // ── options
  'options.node-saml.response-signature-optional': {
    group: 'options',
    title: 'signed on the Assertion only; node-saml wantAuthnResponseSigned: false',
    build: spec({}),
    options: { 'node-saml': { wantAuthnResponseSigned: false } },
  },
  'options.node-saml.assertion-signature-optional': {
    group: 'options',
    title: 'signed on the Response only; node-saml wantAssertionsSigned: false',
    build: spec({ signResponse: true, signAssertion: false }),
    options: { 'node-saml': { wantAssertionsSigned: false } },
  },
  'options.node-saml.skew': {
    group: 'options',
    title: 'NotBefore 30 s in the future; node-saml acceptedClockSkewMs: 60000',
    build: spec({ ...BOTH, notBefore: seconds(30) }),
    options: { 'node-saml': { acceptedClockSkewMs: 60_000 } },
  },
  'options.samlify.drift': {
    group: 'options',
    title: 'NotBefore 30 s in the future; samlify clockDrifts: [-60000, 60000]',
    build: spec({ ...BOTH, notBefore: seconds(30) }),
    options: { samlify: { clockDrifts: [-60_000, 60_000] } },
  },
  'options.python3-saml.messages-signed': {
    group: 'options',
    title: 'signed on the Assertion only; python3-saml wantMessagesSigned: true',
    build: spec({}),
    options: { 'python3-saml': { security: { wantMessagesSigned: true } } },
  },
  'options.python3-saml.assertions-signed': {
    group: 'options',
    title: 'signed on the Response only; python3-saml wantAssertionsSigned: true',
    build: spec({ signResponse: true, signAssertion: false }),
    options: { 'python3-saml': { security: { wantAssertionsSigned: true } } },
  },
  'options.python3-saml.not-strict': {
    group: 'options',
    title: 'Audience of another SP; python3-saml strict: false',
    build: spec({ ...BOTH, audience: 'https://sp.other.example/' }),
    options: { 'python3-saml': { strict: false } },
  },
  'options.ruby-saml.assertions-signed': {
    group: 'options',
    title: 'signed on the Response only; ruby-saml want_assertions_signed: true',
    build: spec({ signResponse: true, signAssertion: false }),
    options: { 'ruby-saml': { security: { want_assertions_signed: true } } },
  },
  'options.ruby-saml.drift': {
    group: 'options',
    title: 'NotBefore 30 s in the future; ruby-saml allowed_clock_drift: 60',
    build: spec({ ...BOTH, notBefore: seconds(30) }),
    options: { 'ruby-saml': { allowed_clock_drift: 60 } },
  },
  'options.ruby-saml.skip-audience': {
    group: 'options',
    title: 'Audience of another SP; ruby-saml skip_audience: true',
    build: spec({ ...BOTH, audience: 'https://sp.other.example/' }),
    options: { 'ruby-saml': { skip_audience: true } },
  },
};

function peerCase(
  id: string,
  xml: string,
  context: ContextOptions | undefined,
  options?: PeerCase['options'],
): PeerCase {
  const requestId = context?.requestId === null ? undefined : (context?.requestId ?? REQUEST_ID);
  return {
    id,
    responseBase64: Buffer.from(xml, 'utf8').toString('base64'),
    idpCertificatePem: idpKeyPair().certificatePem,
    idpEntityId: IDP_ENTITY_ID,
    spEntityId: SP_ENTITY_ID,
    acsUrl: ACS_URL,
    now: NOW.toISOString(),
    ...(requestId !== undefined && { requestId }),
    ...(context?.decrypt && { spPrivateKeyPem: spKeyPair().privateKeyPem }),
    ...(options && { options }),
  };
}

/** SAML Lens's context for a case: the attack catalogue's, with the IdP named as the libraries name it. */
function lensContext(context: ContextOptions | undefined): ValidationContext {
  return { ...attackContext(context), idpEntityId: IDP_ENTITY_ID, receivedAt: ACS_URL };
}

/** All cases, or only the generated variants named in `only` (no attack fixtures then). */
export async function buildMatrixCases(only?: readonly string[]): Promise<MatrixCase[]> {
  const cases: MatrixCase[] = [];
  for (const [id, variant] of Object.entries(VARIANTS)) {
    if (only && !only.includes(id)) continue;
    const xml = await variant.build();
    cases.push({
      group: variant.group,
      title: variant.title,
      xml,
      context: lensContext(variant.context),
      peer: peerCase(id, xml, variant.context, variant.options),
    });
  }
  if (only) return cases;
  // Attack fixtures arrive as the HTTP-POST form field; those built for other bindings are not POSTed to an ACS.
  for (const fixture of ATTACK_FIXTURES) {
    if (fixture.encoding && fixture.encoding !== 'post') continue;
    const xml = await fixture.build();
    const id = `attack.${fixture.id}`;
    cases.push({
      group: 'attack',
      title: `docs/attacks.md row ${fixture.row}`,
      xml,
      context: lensContext(fixture.context),
      peer: peerCase(id, xml, fixture.context),
    });
  }
  return cases;
}

if (require.main === module) {
  void buildMatrixCases().then((cases) => process.stdout.write(`${JSON.stringify(cases.map((c) => c.peer))}\n`));
}
