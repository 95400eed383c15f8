// validateResponse over responses built at test time with throwaway keys, on a fixed clock.
// Each case changes one thing from a valid Entra-ID-style response and names the finding it must produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEncryptedSamlResponse } from '../../src/core/build/response';
import { validateResponse } from '../../src/core/validate';
import type { ValidationContext, ValidationReport } from '../../src/core/validate';
import {
  ACS_URL,
  ENTRA_DEFAULT_ATTRIBUTES,
  EXPECTED_ATTRIBUTES,
  IDP_ENTITY_ID,
  NOW,
  REQUEST_ID,
  SP_ENTITY_ID,
  attackerKeyPair,
  baseSpec,
  buildResponse,
  idpKeyPair,
  signElement,
  spKeyPair,
} from '../fixtures/builder/responses';
import { makeEcKeyPair } from '../fixtures/builder/keys';
import { opensslFingerprint } from '../fixtures/builder/peers';
import { canCompareWith, OPENSSL } from '../requirements';

const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

function context(overrides: Partial<ValidationContext> = {}): ValidationContext {
  return {
    now: NOW,
    trustedCertificates: [{ pem: idpKeyPair().certificatePem, source: 'Upwork-Entra.xml', entityId: IDP_ENTITY_ID }],
    sp: {
      entityId: SP_ENTITY_ID,
      acsUrls: [ACS_URL],
      expectedAttributes: EXPECTED_ATTRIBUTES,
      source: 'Upwork SP settings',
    },
    requestId: REQUEST_ID,
    ...overrides,
  };
}

const failures = (report: ValidationReport) =>
  report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => f.code)
    .sort();
const warnings = (report: ValidationReport) =>
  report.findings
    .filter((f) => f.status === 'warn')
    .map((f) => f.code)
    .sort();

interface Case {
  name: string;
  xml: () => string;
  ctx?: Partial<ValidationContext>;
  verdict: ValidationReport['verdict'];
  /** Exactly these failure codes (sorted), so an unrelated extra failure is noticed. */
  fails?: string[];
  warns?: string[];
  check?: (report: ValidationReport) => void;
}

/** Moves the signed NameID text aside: returns the XML with `from` replaced by `to` after signing. */
const tamper = (xml: string, from: string, to: string) => {
  assert.ok(xml.includes(from), `fixture should contain ${from}`);
  return xml.replace(from, to);
};

const cases: Case[] = [
  { name: 'assertion signed (Entra default) is valid', xml: () => buildResponse(), verdict: 'valid', fails: [] },
  {
    name: 'response signed is valid',
    xml: () => buildResponse({ signResponse: true, signAssertion: false }),
    verdict: 'valid',
    fails: [],
  },
  {
    name: 'response and assertion signed is valid',
    xml: () => buildResponse({ signResponse: true }),
    verdict: 'valid',
    fails: [],
  },
  {
    name: 'CRLF line endings and &#13; in values are accepted',
    // Signed with LF; the transport turned LF into CRLF, which XML parsing normalises back. A CR escaped as &#13; stays a CR.
    xml: () =>
      buildResponse({
        attributes: [
          ...baseSpec().attributes,
          { name: 'Note', values: ['line one\nline two'] },
          { name: 'Raw', values: ['a\rb'] },
        ],
      }).replace(/\n/g, '\r\n'),
    verdict: 'valid',
    fails: [],
    check: (r) => {
      assert.deepEqual(r.attributes.find((a) => a.name === 'Note')?.values, ['line one\nline two']);
      assert.deepEqual(r.attributes.find((a) => a.name === 'Raw')?.values, ['a\rb']);
    },
  },
  {
    name: 'expired 3 hours ago',
    xml: () =>
      buildResponse({
        issueInstant: at(-4 * HOUR),
        notBefore: at(-4 * HOUR),
        notOnOrAfter: at(-3 * HOUR),
        sessionNotOnOrAfter: at(4 * HOUR),
      }),
    verdict: 'invalid',
    fails: ['time.expired', 'time.subject-confirmation-expired'],
    check: (r) => assert.match(r.findings.find((f) => f.code === 'time.expired')!.message, /expired 3 hours ago/),
  },
  {
    name: 'not yet valid (NotBefore in 1 hour, beyond the 180 s skew)',
    xml: () => buildResponse({ notBefore: at(HOUR), issueInstant: at(-60_000) }),
    verdict: 'invalid',
    fails: ['time.not-yet-valid'],
    check: (r) => assert.match(r.findings.find((f) => f.code === 'time.not-yet-valid')!.message, /in 1 hour/),
  },
  {
    name: 'NotBefore 2 minutes ahead is within the skew',
    xml: () => buildResponse({ notBefore: at(120_000) }),
    verdict: 'valid',
    fails: [],
  },
  {
    name: 'NotBefore 2 minutes ahead fails with zero skew',
    xml: () => buildResponse({ notBefore: at(120_000) }),
    ctx: { clockSkewSeconds: 0 },
    verdict: 'invalid',
    fails: ['time.not-yet-valid'],
  },
  {
    name: 'issued in the future',
    xml: () => buildResponse({ issueInstant: at(2 * HOUR), notBefore: at(-HOUR) }),
    verdict: 'invalid',
    fails: ['time.issued-in-future', 'time.issued-in-future'],
  },
  {
    name: 'session expired',
    xml: () => buildResponse({ sessionNotOnOrAfter: at(-HOUR) }),
    verdict: 'invalid',
    fails: ['time.session-expired'],
  },
  {
    name: 'wrong audience',
    xml: () => buildResponse({ audience: 'https://www.upwork.com/saml/other-app' }),
    verdict: 'invalid',
    fails: ['audience.mismatch'],
    check: (r) => {
      const finding = r.findings.find((f) => f.code === 'audience.mismatch')!;
      assert.equal(finding.expected, SP_ENTITY_ID);
      assert.equal(finding.found, 'https://www.upwork.com/saml/other-app');
    },
  },
  {
    name: 'wrong destination',
    xml: () => buildResponse({ destination: 'https://evil.example/acs' }),
    verdict: 'invalid',
    fails: ['destination.mismatch'],
  },
  {
    name: 'wrong recipient',
    xml: () => buildResponse({ recipient: 'https://evil.example/acs' }),
    verdict: 'invalid',
    fails: ['recipient.mismatch'],
  },
  {
    name: 'issuer of another tenant',
    xml: () => buildResponse({ issuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' }),
    verdict: 'invalid',
    fails: ['issuer.mismatch', 'issuer.mismatch'],
  },
  {
    name: 'InResponseTo of another request',
    xml: () => buildResponse({ inResponseTo: '_other-request' }),
    verdict: 'invalid',
    fails: ['in-response-to.mismatch'],
  },
  {
    name: 'InResponseTo not checked without the request ID, still valid',
    xml: () => buildResponse(),
    ctx: { requestId: undefined },
    verdict: 'valid',
    fails: [],
    check: (r) => assert.equal(r.findings.find((f) => f.code === 'in-response-to.not-checked')?.status, 'not-checked'),
  },
  {
    name: 'missing required attribute Country',
    xml: () => buildResponse({ attributes: baseSpec().attributes.filter((a) => a.name !== 'Country') }),
    verdict: 'invalid',
    fails: ['attributes.missing'],
    check: (r) => assert.equal(r.findings.find((f) => f.code === 'attributes.missing')!.expected, 'Country'),
  },
  {
    name: 'Entra default claim URIs where the SP expects FirstName/LastName/Country/Email',
    xml: () => buildResponse({ attributes: ENTRA_DEFAULT_ATTRIBUTES }),
    verdict: 'invalid',
    fails: ['attributes.missing', 'attributes.missing', 'attributes.missing', 'attributes.missing'],
    check: (r) => {
      const firstName = r.findings.find((f) => f.code === 'attributes.missing' && f.expected === 'FirstName')!;
      assert.equal(firstName.found, 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname');
      assert.match(firstName.fix, /In Entra ID .*edit the claim givenname → name it FirstName/);
      assert.equal(
        r.findings.find((f) => f.code === 'attributes.missing' && f.expected === 'Email')!.found,
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      );
      assert.equal(
        r.findings.filter((f) => f.code === 'attributes.extra').length,
        0,
        'near-misses are not also reported as extra',
      );
    },
  },
  {
    name: 'extra, empty and duplicate attributes',
    xml: () =>
      buildResponse({
        attributes: [
          ...baseSpec().attributes,
          { name: 'Department', values: [''] },
          { name: 'Email', values: ['other@contoso.com'] },
        ],
      }),
    verdict: 'invalid',
    fails: ['attributes.duplicate'],
    warns: ['attributes.empty'],
    check: (r) => assert.ok(r.findings.some((f) => f.code === 'attributes.extra' && f.found === 'Department')),
  },
  {
    name: 'unsigned',
    xml: () => buildResponse({ signAssertion: false }),
    verdict: 'invalid',
    fails: ['signature.missing'],
  },
  {
    name: 'unsigned, signatures not required',
    xml: () => buildResponse({ signAssertion: false }),
    ctx: { allowUnsigned: true },
    verdict: 'not-verifiable',
    fails: [],
  },
  {
    name: 'no trusted certificate: never valid',
    xml: () => buildResponse(),
    ctx: { trustedCertificates: [] },
    verdict: 'not-verifiable',
    fails: [],
    check: (r) => {
      assert.equal(r.findings.find((f) => f.code === 'signature.no-trusted-certificate')?.status, 'not-checked');
      assert.equal(r.subject.nameId?.verified, false);
    },
  },
  {
    name: 're-signed by an attacker whose certificate is in KeyInfo',
    xml: () =>
      buildResponse({
        privateKeyPem: attackerKeyPair().privateKeyPem,
        certificatePem: attackerKeyPair().certificatePem,
      }),
    verdict: 'invalid',
    fails: ['signature.untrusted-certificate'],
    check: (r) => {
      const finding = r.findings.find((f) => f.code === 'signature.untrusted-certificate')!;
      if (canCompareWith(OPENSSL))
        assert.equal(finding.found, opensslFingerprint(attackerKeyPair().certificatePem, 'sha1'));
      assert.equal(r.subject.nameId?.verified, false);
      assert.ok(r.attributes.every((a) => !a.verified));
    },
  },
  {
    name: 'NameID changed after signing',
    xml: () => tamper(buildResponse(), '>B.Simon@contoso.com</saml:NameID>', '>admin@contoso.com</saml:NameID>'),
    verdict: 'invalid',
    fails: ['signature.invalid'],
    check: (r) => {
      assert.equal(r.signatures[0].digestMatches, false);
      assert.equal(r.subject.nameId?.value, 'admin@contoso.com');
      assert.equal(r.subject.nameId?.verified, false);
    },
  },
  {
    name: 'SignatureValue changed (digest still matches)',
    xml: () =>
      buildResponse().replace(
        /<ds:SignatureValue>(.)/,
        (_m, first: string) => `<ds:SignatureValue>${first === 'A' ? 'B' : 'A'}`,
      ),
    verdict: 'invalid',
    fails: ['signature.invalid'],
    check: (r) => assert.deepEqual([r.signatures[0].digestMatches, r.signatures[0].signatureValid], [true, false]),
  },
  {
    name: 'RSA-SHA1 warns',
    xml: () => buildResponse({ signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' }),
    verdict: 'valid',
    fails: [],
    warns: ['signature.algorithm', 'signature.digest-algorithm'],
  },
  {
    name: 'RSA-SHA1 fails in strict mode',
    xml: () => buildResponse({ signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' }),
    ctx: { strictSha1: true },
    verdict: 'invalid',
    fails: ['signature.algorithm', 'signature.digest-algorithm'],
  },
  {
    name: 'two assertions',
    xml: () => {
      const xml = buildResponse();
      const assertion = xml.slice(
        xml.indexOf('<saml:Assertion'),
        xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length,
      );
      return xml.replace(
        '</samlp:Response>',
        `${assertion.replace(/ID="_assert-0001"/, 'ID="_assert-0002"')}</samlp:Response>`,
      );
    },
    verdict: 'invalid',
    // The copy's signature sits in an assertion that is not processed, and references the original's ID.
    fails: ['structure.assertion-count', 'signature.misplaced', 'signature.misplaced', 'signature.wrapping'],
  },
  {
    name: 'failed status carrying an assertion',
    xml: () =>
      buildResponse({
        statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        subStatusCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
        statusMessage: 'User not assigned',
      }),
    verdict: 'invalid',
    fails: ['status.code', 'structure.assertion-with-failed-status'],
    check: (r) =>
      assert.deepEqual(r.status, {
        code: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
        message: 'User not assigned',
      }),
  },
  {
    name: 'failed status without assertion',
    xml: () =>
      buildResponse({
        statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
        includeAssertion: false,
        signResponse: true,
      }),
    verdict: 'invalid',
    fails: ['status.code'],
  },
  {
    name: 'Version 1.1',
    xml: () => buildResponse().replace('Version="2.0"', 'Version="1.1"'),
    verdict: 'invalid',
    fails: ['structure.version'],
  },
  {
    name: 'DOCTYPE is refused before parsing',
    xml: () => `<!DOCTYPE r [<!ENTITY x "y">]>${buildResponse()}`,
    verdict: 'invalid',
    fails: ['structure.parse-error'],
    check: (r) => assert.match(r.findings[0].message, /DOCTYPE/),
  },
  {
    name: 'two root elements',
    xml: () => `${buildResponse()}<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`,
    verdict: 'invalid',
    fails: ['structure.parse-error'],
  },
  {
    name: 'truncated XML',
    xml: () => buildResponse().slice(0, 2000),
    verdict: 'invalid',
    fails: ['structure.parse-error'],
  },
];

for (const c of cases) {
  test(`validateResponse: ${c.name}`, () => {
    const report = validateResponse(c.xml(), context(c.ctx));
    assert.equal(
      report.verdict,
      c.verdict,
      JSON.stringify(
        report.findings.filter((f) => f.status !== 'pass' && f.status !== 'info'),
        null,
        1,
      ),
    );
    if (c.fails) assert.deepEqual(failures(report), [...c.fails].sort());
    if (c.warns) assert.deepEqual(warnings(report), [...c.warns].sort());
    c.check?.(report);
    // The report must survive being posted to a webview / printed as JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(report)).verdict, report.verdict);
  });
}

test('validateResponse: what is shown as verified comes from the signed assertion', () => {
  const report = validateResponse(buildResponse(), context());
  assert.deepEqual(report.subject.nameId, {
    value: 'B.Simon@contoso.com',
    format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    spNameQualifier: undefined,
    verified: true,
    containsComment: false,
  });
  assert.deepEqual(
    report.attributes.map((a) => [a.name, a.values, a.verified]),
    [
      ['FirstName', ['B'], true],
      ['LastName', ['Simon'], true],
      ['Country', ['US'], true],
      ['Email', ['B.Simon@contoso.com'], true],
    ],
  );
  assert.deepEqual(report.conditions.audiences, [SP_ENTITY_ID]);
  assert.equal(report.conditions.notOnOrAfter, '2026-03-01T10:59:00Z');
  assert.equal(report.signatures.length, 1);
  assert.equal(report.signatures[0].covers, 'Assertion');
  assert.equal(report.signatures[0].referenceUri, '#_assert-0001');
  if (canCompareWith(OPENSSL))
    assert.equal(report.signatures[0].certificate?.sha256, opensslFingerprint(idpKeyPair().certificatePem, 'sha256'));
  assert.deepEqual(
    report.timeline.map((t) => [t.label, t.relative]),
    [
      ['Response IssueInstant', '1 minute ago'],
      ['Assertion IssueInstant', '1 minute ago'],
      ['Conditions NotBefore', '6 minutes ago'],
      ['Conditions NotOnOrAfter', 'in 59 minutes'],
      ['SubjectConfirmationData NotOnOrAfter', 'in 59 minutes'],
      ['AuthnStatement SessionNotOnOrAfter', 'in 8 hours'],
    ],
  );
});

test('validateResponse: a trusted certificate that is not the one in KeyInfo is reported (key rollover)', () => {
  const idp = idpKeyPair();
  const xml = buildResponse();
  // Replace the KeyInfo certificate by another one: KeyInfo is not signed, and never trusted.
  const other = attackerKeyPair().certificateBase64;
  const swapped = xml.replace(
    /<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/,
    `<ds:X509Certificate>${other}</ds:X509Certificate>`,
  );
  const report = validateResponse(swapped, context());
  assert.equal(report.verdict, 'valid');
  assert.equal(report.findings.find((f) => f.code === 'signature.keyinfo-mismatch')?.status, 'warn');
  assert.equal(report.signatures[0].certificate?.source, 'Upwork-Entra.xml');
  assert.notEqual(idp.certificateBase64, other);
});

test('validateResponse: among several trusted certificates the signing one verifies, after an EC and a foreign RSA certificate', () => {
  const trustedCertificates = [
    { pem: makeEcKeyPair('other IdP, EC').certificatePem, source: 'ec.pem' },
    { pem: attackerKeyPair().certificatePem, source: 'retired.pem' },
    { pem: idpKeyPair().certificatePem, source: 'current.pem', entityId: IDP_ENTITY_ID },
  ];
  const report = validateResponse(buildResponse(), context({ trustedCertificates }));
  assert.equal(report.verdict, 'valid', JSON.stringify(failures(report)));
  assert.deepEqual(
    [report.signatures[0].certificate?.source, report.signatures[0].digestMatches, report.signatures[0].signatureValid],
    ['current.pem', true, true],
  );
});

test('validateResponse: another element whose ID attribute has a prefix but the signed value makes the reference ambiguous', () => {
  // An ID lookup by attribute local name (xml-crypto's rule, and many SPs') could land on either element.
  const xml = tamper(
    buildResponse(),
    '<saml:Assertion',
    '<x:Note xmlns:x="urn:example:wrapper" x:ID="_assert-0001"/><saml:Assertion',
  );
  const report = validateResponse(xml, context());
  assert.equal(report.verdict, 'invalid');
  assert.deepEqual(failures(report), ['signature.invalid']);
  assert.equal(report.signatures[0].digestMatches, false);
  assert.equal(report.subject.nameId?.verified, false);
});

test('validateResponse: a garbage trusted certificate gives a finding, not a crash', () => {
  const report = validateResponse(
    buildResponse(),
    context({ trustedCertificates: [{ base64: 'MIIBAAAA', source: 'broken.pem' }] }),
  );
  assert.equal(report.verdict, 'not-verifiable');
  assert.match(report.findings.find((f) => f.code === 'certificate.invalid')!.message, /broken\.pem/);
});

test('validateResponse: encrypted assertion, decrypted with the SP key and validated like a plain one', async () => {
  const sp = spKeyPair();
  const xml = await buildEncryptedSamlResponse({ ...baseSpec(), encryptTo: { certificatePem: sp.certificatePem } });
  assert.ok(!xml.includes('B.Simon@contoso.com'), 'the NameID must not be readable in the encrypted response');
  const report = validateResponse(xml, context({ decryptionKeyPem: sp.privateKeyPem }));
  assert.equal(report.verdict, 'valid', JSON.stringify(report.findings, null, 1));
  assert.equal(report.encrypted, true);
  assert.equal(report.subject.nameId?.value, 'B.Simon@contoso.com');
  assert.equal(report.subject.nameId?.verified, true);
  assert.equal(report.signatures[0].covers, 'Assertion');
});

test('validateResponse: encrypted assertion without a key is not verifiable and says what to provide', async () => {
  const sp = spKeyPair();
  const xml = await buildEncryptedSamlResponse({ ...baseSpec(), encryptTo: { certificatePem: sp.certificatePem } });
  const report = validateResponse(xml, context());
  assert.equal(report.verdict, 'not-verifiable');
  assert.match(report.findings.find((f) => f.code === 'encryption.no-key')!.fix, /private key/);
});

test('validateResponse: AES-CBC content encryption is reported as information', async () => {
  const sp = spKeyPair();
  const xml = await buildEncryptedSamlResponse({
    ...baseSpec(),
    encryptTo: { certificatePem: sp.certificatePem, blockCipher: 'aes128-cbc' },
  });
  const report = validateResponse(xml, context({ decryptionKeyPem: sp.privateKeyPem }));
  assert.deepEqual(
    report.findings.filter((f) => f.code === 'encryption.algorithm').map((f) => [f.status, f.found]),
    [['info', 'http://www.w3.org/2001/04/xmlenc#aes128-cbc']],
  );
  assert.equal(report.verdict, 'valid');
});

test('validateResponse: rsa-1_5 key transport is reported and cannot be decrypted', async () => {
  const sp = spKeyPair();
  const xml = await buildEncryptedSamlResponse({
    ...baseSpec(),
    encryptTo: { certificatePem: sp.certificatePem, keyTransport: 'rsa-1_5' },
  });
  const report = validateResponse(xml, context({ decryptionKeyPem: sp.privateKeyPem }));
  assert.deepEqual(
    report.findings
      .filter((f) => f.code === 'encryption.algorithm')
      .map((f) => [f.status, f.found])
      .slice(0, 1),
    [['warn', 'http://www.w3.org/2001/04/xmlenc#rsa-1_5']],
  );
  assert.deepEqual(failures(report), ['encryption.failed']);
  assert.match(report.findings.find((f) => f.code === 'encryption.failed')!.message, /rsa-1_5/);
});

test('validateResponse: encrypted but unsigned assertion is invalid after decryption', async () => {
  const sp = spKeyPair();
  const xml = await buildEncryptedSamlResponse({
    ...baseSpec({ signAssertion: false }),
    encryptTo: { certificatePem: sp.certificatePem },
  });
  const report = validateResponse(xml, context({ decryptionKeyPem: sp.privateKeyPem }));
  assert.equal(report.verdict, 'invalid');
  assert.deepEqual(failures(report), ['signature.missing']);
});

test('validateResponse: a wrong decryption key gives a specific finding', async () => {
  const xml = await buildEncryptedSamlResponse({
    ...baseSpec(),
    encryptTo: { certificatePem: spKeyPair().certificatePem },
  });
  const report = validateResponse(xml, context({ decryptionKeyPem: attackerKeyPair().privateKeyPem }));
  assert.equal(report.verdict, 'invalid');
  assert.ok(failures(report).includes('encryption.failed'));
});

// ---- Stricter rules: each case edits the assertion before it is signed, so the signature stays valid. ----

/** The response with its assertion edited before signing (the Response itself stays unsigned). */
const signedAfter = (edit: (xml: string) => string, overrides: Partial<Parameters<typeof buildResponse>[0]> = {}) =>
  signElement(edit(buildResponse({ signAssertion: false, ...overrides })), '_assert-0001', idpKeyPair());
const CONFIRMATION_DATA = `<saml:SubjectConfirmationData InResponseTo="${REQUEST_ID}" NotOnOrAfter="2026-03-01T10:59:00Z" Recipient="${ACS_URL}"/>`;
const BEARER_CONFIRMATION = `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">${CONFIRMATION_DATA}</saml:SubjectConfirmation>`;
const withConfirmations = (...confirmations: string[]) =>
  signedAfter((xml) => tamper(xml, BEARER_CONFIRMATION, confirmations.join('')));
const bearer = (data: string) =>
  `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">${data}</saml:SubjectConfirmation>`;
const data = (attributes: string) => `<saml:SubjectConfirmationData ${attributes}/>`;
const GOOD_DATA = `InResponseTo="${REQUEST_ID}" NotOnOrAfter="2026-03-01T10:59:00Z" Recipient="${ACS_URL}"`;
const AUDIENCE = `<saml:AudienceRestriction><saml:Audience>${SP_ENTITY_ID}</saml:Audience></saml:AudienceRestriction>`;
const message = (r: ValidationReport, code: string) => r.findings.find((f) => f.code === code)?.message ?? '';

const strictCases: Case[] = [
  {
    name: 'Response without IssueInstant',
    xml: () => tamper(buildResponse(), ' IssueInstant="2026-03-01T09:59:00Z" Destination', ' Destination'),
    verdict: 'invalid',
    fails: ['structure.issue-instant'],
    check: (r) => assert.match(message(r, 'structure.issue-instant'), /Response IssueInstant is missing/),
  },
  {
    name: 'Assertion without IssueInstant',
    xml: () =>
      signedAfter((xml) =>
        tamper(xml, 'Version="2.0" IssueInstant="2026-03-01T09:59:00Z"><saml:Issuer', 'Version="2.0"><saml:Issuer'),
      ),
    verdict: 'invalid',
    fails: ['structure.issue-instant'],
    check: (r) => assert.match(message(r, 'structure.issue-instant'), /Assertion IssueInstant is missing/),
  },
  {
    name: 'IssueInstant without a time zone is unreadable, not local time',
    xml: () =>
      tamper(
        buildResponse(),
        'IssueInstant="2026-03-01T09:59:00Z" Destination',
        'IssueInstant="2026-03-01T09:59:00" Destination',
      ),
    verdict: 'invalid',
    fails: ['structure.issue-instant'],
    check: (r) => assert.match(message(r, 'structure.issue-instant'), /no time zone/),
  },
  {
    name: 'Conditions NotOnOrAfter on 30 February',
    xml: () =>
      signedAfter(
        (xml) =>
          tamper(
            xml,
            'NotBefore="2026-02-28T09:54:00Z" NotOnOrAfter="2026-03-01T10:59:00Z"',
            'NotBefore="2026-02-28T09:54:00Z" NotOnOrAfter="2026-02-30T10:59:00Z"',
          ),
        { notBefore: new Date('2026-02-28T09:54:00Z') },
      ),
    verdict: 'invalid',
    fails: ['time.invalid-timestamp'],
    check: (r) => assert.match(message(r, 'time.invalid-timestamp'), /30 February 2026 does not exist/),
  },
  {
    name: 'an offset is applied exactly: 11:30+02:00 is 09:30 UTC, half an hour ago',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          'NotBefore="2026-03-01T09:54:00Z" NotOnOrAfter="2026-03-01T10:59:00Z"',
          'NotBefore="2026-03-01T09:54:00Z" NotOnOrAfter="2026-03-01T11:30:00+02:00"',
        ),
      ),
    verdict: 'invalid',
    fails: ['time.expired'],
    check: (r) => assert.match(message(r, 'time.expired'), /expired 30 minutes ago/),
  },
  {
    name: 'an offset is applied exactly: 02:30-08:00 is 10:30 UTC, still ahead',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          'NotBefore="2026-03-01T09:54:00Z" NotOnOrAfter="2026-03-01T10:59:00Z"',
          'NotBefore="2026-03-01T09:54:00Z" NotOnOrAfter="2026-03-01T02:30:00-08:00"',
        ),
      ),
    verdict: 'valid',
    fails: [],
    check: (r) =>
      assert.deepEqual(
        r.timeline.find((t) => t.label === 'Conditions NotOnOrAfter'),
        {
          label: 'Conditions NotOnOrAfter',
          instant: '2026-03-01T10:30:00.000Z',
          relative: 'in 30 minutes',
          status: 'pass',
        },
      ),
  },
  {
    name: 'bearer confirmation without SubjectConfirmationData',
    xml: () => withConfirmations(bearer('')),
    verdict: 'invalid',
    fails: ['subject.confirmation-data-missing'],
  },
  {
    name: 'bearer confirmation without Recipient',
    xml: () => withConfirmations(bearer(data(`InResponseTo="${REQUEST_ID}" NotOnOrAfter="2026-03-01T10:59:00Z"`))),
    verdict: 'invalid',
    fails: ['recipient.missing'],
  },
  {
    name: 'bearer confirmation without Recipient fails even when the ACS URLs are unknown',
    xml: () => withConfirmations(bearer(data(`InResponseTo="${REQUEST_ID}" NotOnOrAfter="2026-03-01T10:59:00Z"`))),
    ctx: { sp: { entityId: SP_ENTITY_ID, source: 'entityID only' } },
    verdict: 'invalid',
    fails: ['recipient.missing'],
  },
  {
    name: 'bearer confirmation without NotOnOrAfter',
    xml: () => withConfirmations(bearer(data(`InResponseTo="${REQUEST_ID}" Recipient="${ACS_URL}"`))),
    verdict: 'invalid',
    fails: ['subject.confirmation-no-expiry'],
  },
  {
    name: 'bearer confirmation with NotBefore',
    xml: () => withConfirmations(bearer(data(`${GOOD_DATA} NotBefore="2026-03-01T09:54:00Z"`))),
    verdict: 'invalid',
    fails: ['subject.confirmation-not-before'],
  },
  {
    name: 'bearer confirmation NotOnOrAfter is unreadable',
    xml: () =>
      withConfirmations(
        bearer(data(`InResponseTo="${REQUEST_ID}" NotOnOrAfter="2026-03-01T10:59:00" Recipient="${ACS_URL}"`)),
      ),
    verdict: 'invalid',
    fails: ['time.invalid-timestamp'],
    check: (r) => assert.match(message(r, 'time.invalid-timestamp'), /no time zone/),
  },
  {
    name: 'bearer InResponseTo differs from the Response InResponseTo',
    xml: () =>
      withConfirmations(
        bearer(data(`InResponseTo="_another" NotOnOrAfter="2026-03-01T10:59:00Z" Recipient="${ACS_URL}"`)),
      ),
    verdict: 'invalid',
    fails: ['in-response-to.inconsistent'],
  },
  {
    name: 'without a Response InResponseTo, the bearer InResponseTo is compared with the request',
    xml: () =>
      tamper(
        withConfirmations(
          bearer(data(`InResponseTo="_another" NotOnOrAfter="2026-03-01T10:59:00Z" Recipient="${ACS_URL}"`)),
        ),
        ` InResponseTo="${REQUEST_ID}">`,
        '>',
      ),
    verdict: 'invalid',
    fails: ['in-response-to.mismatch'],
  },
  {
    name: 'no bearer confirmation (holder-of-key only)',
    xml: () =>
      withConfirmations(
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key">${CONFIRMATION_DATA}</saml:SubjectConfirmation>`,
      ),
    verdict: 'invalid',
    fails: ['subject.no-bearer'],
  },
  {
    name: 'two bearer confirmations: the second satisfies everything, the first is explained',
    xml: () =>
      withConfirmations(
        bearer(data(`${GOOD_DATA.replace(ACS_URL, 'https://evil.example/acs')}`)),
        bearer(data(GOOD_DATA)),
      ),
    verdict: 'valid',
    fails: [],
    check: (r) => {
      assert.match(message(r, 'subject.bearer'), /Bearer SubjectConfirmation #2 confirms the subject/);
      const unused = r.findings.find((f) => f.code === 'subject.bearer' && f.status === 'info');
      assert.match(unused?.message ?? '', /#1 was not used: it names https:\/\/evil\.example\/acs as Recipient/);
    },
  },
  {
    name: 'two bearer confirmations, neither satisfies: every reason is a failure',
    xml: () =>
      withConfirmations(
        bearer(data(`${GOOD_DATA.replace(ACS_URL, 'https://evil.example/acs')}`)),
        bearer(data(GOOD_DATA.replace('2026-03-01T10:59:00Z', '2026-03-01T09:00:00Z'))),
      ),
    verdict: 'invalid',
    fails: ['recipient.mismatch', 'time.subject-confirmation-expired'],
    check: (r) => {
      assert.match(message(r, 'recipient.mismatch'), /^Bearer SubjectConfirmation #1 /);
      assert.match(
        message(r, 'time.subject-confirmation-expired'),
        /^Bearer SubjectConfirmation #2 .*passed 1 hour ago/,
      );
    },
  },
  {
    name: 'no AudienceRestriction fails when the SP entityID is known',
    xml: () => signedAfter((xml) => tamper(xml, AUDIENCE, '')),
    verdict: 'invalid',
    fails: ['audience.missing'],
  },
  {
    name: 'no AudienceRestriction is not judged when the SP entityID is unknown',
    xml: () => signedAfter((xml) => tamper(xml, AUDIENCE, '')),
    ctx: { sp: { acsUrls: [ACS_URL], expectedAttributes: EXPECTED_ATTRIBUTES, source: 'ACS only' } },
    verdict: 'valid',
    fails: [],
  },
  {
    name: 'two AudienceRestrictions: each must name the SP',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          AUDIENCE,
          `${AUDIENCE}<saml:AudienceRestriction><saml:Audience>https://other.example</saml:Audience></saml:AudienceRestriction>`,
        ),
      ),
    verdict: 'invalid',
    fails: ['audience.mismatch'],
    check: (r) =>
      assert.match(message(r, 'audience.mismatch'), /AudienceRestriction #2 is meant for https:\/\/other\.example/),
  },
  {
    name: 'within one AudienceRestriction any Audience suffices',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          `<saml:Audience>${SP_ENTITY_ID}</saml:Audience>`,
          `<saml:Audience>https://other.example</saml:Audience><saml:Audience>${SP_ENTITY_ID}</saml:Audience>`,
        ),
      ),
    verdict: 'valid',
    fails: [],
  },
  {
    name: 'empty Destination',
    xml: () => tamper(buildResponse(), `Destination="${ACS_URL}"`, 'Destination=""'),
    verdict: 'invalid',
    fails: ['destination.empty'],
  },
  {
    name: 'empty Destination fails even when the ACS URLs are unknown',
    xml: () => tamper(buildResponse(), `Destination="${ACS_URL}"`, 'Destination=" "'),
    ctx: { sp: { entityId: SP_ENTITY_ID, source: 'entityID only' } },
    verdict: 'invalid',
    fails: ['destination.empty'],
  },
  {
    name: 'Assertion Issuer with a user NameID format',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><saml:Subject>`,
          `<saml:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${IDP_ENTITY_ID}</saml:Issuer><saml:Subject>`,
        ),
      ),
    verdict: 'invalid',
    fails: ['issuer.format'],
  },
  {
    name: 'Issuer with the entity format is accepted',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><saml:Subject>`,
          `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${IDP_ENTITY_ID}</saml:Issuer><saml:Subject>`,
        ),
      ),
    verdict: 'valid',
    fails: [],
  },
  {
    name: 'Response Issuer differs from the Assertion Issuer',
    xml: () =>
      tamper(
        buildResponse(),
        `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><samlp:Status>`,
        '<saml:Issuer>https://broker.example/</saml:Issuer><samlp:Status>',
      ),
    ctx: { idpEntityId: undefined, trustedCertificates: [{ pem: idpKeyPair().certificatePem, source: 'idp.pem' }] },
    verdict: 'invalid',
    fails: ['issuer.inconsistent'],
  },
  {
    name: 'an unsigned InResponseTo that matches proves nothing: not verifiable, never verified',
    // The signed assertion answers no request; the unsigned Response claims to answer the SP's.
    xml: () =>
      tamper(buildResponse({ inResponseTo: undefined }), 'Destination=', `InResponseTo="${REQUEST_ID}" Destination=`),
    verdict: 'not-verifiable',
    fails: [],
    check: (r) => {
      assert.equal(r.findings.find((f) => f.code === 'in-response-to.unsigned')?.status, 'not-checked');
      assert.ok(!r.findings.some((f) => f.code === 'in-response-to.match'));
    },
  },
  {
    name: 'InResponseTo in the signed assertion passes even though the Response is unsigned',
    xml: () => buildResponse(),
    verdict: 'valid',
    fails: [],
    check: (r) => assert.match(message(r, 'in-response-to.match'), /signed assertion \(SubjectConfirmationData\)/),
  },
  {
    name: 'InResponseTo in the signed Response passes',
    xml: () => buildResponse({ signResponse: true, signAssertion: false }),
    verdict: 'valid',
    fails: [],
    check: (r) => assert.match(message(r, 'in-response-to.match'), /signed Response/),
  },
  {
    name: 'no InResponseTo anywhere while a request ID is known: unsolicited',
    xml: () => buildResponse({ inResponseTo: undefined }),
    verdict: 'invalid',
    fails: ['in-response-to.mismatch'],
  },
  {
    name: 'a metadata document is not a Response',
    xml: () => `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP_ENTITY_ID}"/>`,
    verdict: 'invalid',
    fails: ['structure.root'],
  },
  {
    name: 'an assertion without AuthnStatement is no login',
    xml: () => signedAfter((xml) => xml.replace(/<saml:AuthnStatement[\s\S]*<\/saml:AuthnStatement>/, '')),
    verdict: 'invalid',
    fails: ['structure.missing-authn-statement'],
  },
  {
    name: 'an assertion without Issuer (the Response signed)',
    xml: () =>
      signElement(
        tamper(
          buildResponse({ signAssertion: false }),
          `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><saml:Subject>`,
          '<saml:Subject>',
        ),
        '_resp-0001',
        idpKeyPair(),
      ),
    verdict: 'invalid',
    fails: ['issuer.missing'],
  },
  {
    name: 'a signed Response without Destination',
    xml: () => {
      const unsigned = buildResponse({ signResponse: false, signAssertion: false });
      return signElement(tamper(unsigned, ` Destination="${ACS_URL}"`, ''), '_resp-0001', idpKeyPair());
    },
    verdict: 'invalid',
    fails: ['destination.missing'],
  },
  {
    name: 'no NameID in the Subject',
    xml: () => signedAfter((xml) => xml.replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, '')),
    verdict: 'invalid',
    fails: ['subject.missing-nameid'],
  },
  {
    name: 'an empty NameID',
    xml: () => signedAfter((xml) => xml.replace(/(<saml:NameID[^>]*>)[^<]*(<\/saml:NameID>)/, '$1$2')),
    verdict: 'invalid',
    fails: ['subject.empty-nameid'],
  },
  {
    name: 'an individually encrypted attribute is reported, not shown',
    xml: () =>
      signedAfter((xml) =>
        tamper(
          xml,
          '</saml:AttributeStatement>',
          '<saml:EncryptedAttribute><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAttribute></saml:AttributeStatement>',
        ),
      ),
    verdict: 'valid',
    fails: [],
    warns: ['attributes.encrypted'],
  },
  {
    name: 'a valid response passes every check, each reported as passed',
    xml: () => buildResponse(),
    verdict: 'valid',
    fails: [],
    check: (r) => {
      const passed = new Set<string>(r.findings.filter((f) => f.status === 'pass').map((f) => f.code));
      for (const code of [
        'structure.valid',
        'status.success',
        'signature.valid',
        'issuer.match',
        'destination.match',
        'recipient.match',
        'audience.match',
        'subject.bearer',
        'time.window',
        'in-response-to.match',
        'attributes.expected',
      ])
        assert.ok(passed.has(code), `${code} passed`);
      assert.match(message(r, 'subject.nameid'), /^NameID B\.Simon@contoso\.com .*from signed content/);
    },
  },
];

for (const c of strictCases) {
  test(`validateResponse (strict rules): ${c.name}`, () => {
    const report = validateResponse(c.xml(), context(c.ctx));
    assert.deepEqual(failures(report), [...(c.fails ?? [])].sort());
    assert.equal(report.verdict, c.verdict);
    if (c.warns) assert.deepEqual(warnings(report), [...c.warns].sort());
    c.check?.(report);
  });
}
