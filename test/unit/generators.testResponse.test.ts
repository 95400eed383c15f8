// Test responses: with a fixed clock, each defect makes the validator fail with exactly the codes
// written here by hand (none: valid); xmlsec1 verifies every signed one; xmllint reads the planted
// defect and the auto-POST form; bad inputs get specific messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateCertificate, type KeySpec } from '../../src/core/build/certificate';
import {
  buildTestResponse,
  checkTestResponse,
  DEFAULT_TEST_ATTRIBUTES,
  serviceProviderFromMetadata,
  type ResponseDefect,
  type TestResponseSpec,
  type TestServiceProvider,
} from '../../src/core/build/testResponse';
import { withTempDir, xmlsec1Verify } from '../fixtures/builder/peers';
import { skipWithout, XMLSEC1 } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion';
const NOW = new Date('2026-11-29T11:00:00Z');

function idpKey(key: KeySpec) {
  const pair =
    key.keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: key.bits })
      : generateKeyPairSync('ec', { namedCurve: key.curve });
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const { certificatePem } = generateCertificate(key, {
    subject: { commonName: 'test-idp.example.com' },
    notBefore: new Date('2026-11-01T00:00:00Z'),
    notAfter: new Date('2027-11-01T00:00:00Z'),
    privateKeyPem,
  });
  return { entityId: 'https://test-idp.example.com/saml', privateKeyPem, certificatePem };
}

const rsaIdp = idpKey({ keyType: 'rsa', bits: 2048 });
const ecIdp = idpKey({ keyType: 'ec', curve: 'P-256' });

const spRead = serviceProviderFromMetadata(
  readFileSync(path.join(repoRoot, 'samples', 'upwork-enterprise', 'sp-metadata.xml'), 'utf8'),
);
assert.ok(spRead.ok);
const upwork: TestServiceProvider = spRead.sp;

function xpath(text: string, expression: string, html = false): string {
  return withTempDir((dir) => {
    const file = path.join(dir, html ? 'page.html' : 'doc.xml');
    writeFileSync(file, text);
    const result = spawnSync('xmllint', [...(html ? ['--html'] : []), '--xpath', expression, file], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim();
  });
}

test('serviceProviderFromMetadata reads the Upwork Enterprise sample SP', () => {
  assert.equal(upwork.entityId, 'https://www.upwork.com/upwork-enterprise');
  assert.equal(upwork.acsUrl, 'https://www.upwork.com/ab/account-security/saml/acs');
  assert.equal(upwork.wantAssertionsSigned, true);
  assert.equal(upwork.nameIdFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
  assert.deepEqual(
    upwork.requestedAttributes.map((attribute) => attribute.name),
    ['FirstName', 'LastName', 'Country', 'Email'],
  );
});

// Expected outcomes, by hand. NotOnOrAfter values: issued at NOW (or NOW − 2 h when expired), valid 1 h.
const DEFECT_CASES: {
  defect: ResponseDefect;
  failures: string[];
  audience: string;
  recipient: string;
  notOnOrAfter: string;
  signatures: number;
}[] = [
  {
    defect: 'none',
    failures: [],
    audience: 'https://www.upwork.com/upwork-enterprise',
    recipient: 'https://www.upwork.com/ab/account-security/saml/acs',
    notOnOrAfter: '2026-11-29T12:00:00Z',
    signatures: 1,
  },
  {
    defect: 'expired',
    failures: ['time.expired', 'time.subject-confirmation-expired'],
    audience: 'https://www.upwork.com/upwork-enterprise',
    recipient: 'https://www.upwork.com/ab/account-security/saml/acs',
    notOnOrAfter: '2026-11-29T10:00:00Z',
    signatures: 1,
  },
  {
    defect: 'wrong-audience',
    failures: ['audience.mismatch'],
    audience: 'https://another-sp.example.com/saml',
    recipient: 'https://www.upwork.com/ab/account-security/saml/acs',
    notOnOrAfter: '2026-11-29T12:00:00Z',
    signatures: 1,
  },
  // The Upwork SP sets WantAssertionsSigned="true", so the missing assertion signature is a second finding.
  {
    defect: 'unsigned',
    failures: ['signature.assertion-unsigned', 'signature.missing'],
    audience: 'https://www.upwork.com/upwork-enterprise',
    recipient: 'https://www.upwork.com/ab/account-security/saml/acs',
    notOnOrAfter: '2026-11-29T12:00:00Z',
    signatures: 0,
  },
  {
    defect: 'wrong-recipient',
    failures: ['recipient.mismatch'],
    audience: 'https://www.upwork.com/upwork-enterprise',
    recipient: 'https://another-sp.example.com/saml/acs',
    notOnOrAfter: '2026-11-29T12:00:00Z',
    signatures: 1,
  },
];

for (const idp of [rsaIdp, ecIdp]) {
  const keyName = idp === rsaIdp ? 'RSA 2048' : 'EC P-256';
  for (const c of DEFECT_CASES) {
    test(`buildTestResponse (${keyName}) defect ${c.defect}: the validator fails with exactly ${c.failures.join(' + ') || 'nothing (valid)'}`, () => {
      const spec: TestResponseSpec = {
        sp: upwork,
        idp,
        nameId: 'B.Simon@contoso.com',
        attributes: DEFAULT_TEST_ATTRIBUTES,
        defect: c.defect,
        now: NOW,
      };
      const built = buildTestResponse(spec);
      assert.ok(built.ok, built.ok ? '' : built.message);
      const roundTrip = checkTestResponse(built.response, spec);
      assert.deepEqual(roundTrip.problems, []);
      assert.deepEqual([...roundTrip.failures].sort(), [...c.failures].sort());
      assert.equal(roundTrip.report.verdict, c.failures.length === 0 ? 'valid' : 'invalid');

      const xml = built.response.xml;
      assert.equal(Buffer.from(built.response.base64, 'base64').toString('utf8'), xml);
      assert.equal(xpath(xml, "string(//*[local-name()='Audience'])"), c.audience);
      assert.equal(xpath(xml, "string(//*[local-name()='SubjectConfirmationData']/@Recipient)"), c.recipient);
      assert.equal(xpath(xml, "string(//*[local-name()='Conditions']/@NotOnOrAfter)"), c.notOnOrAfter);
      assert.equal(xpath(xml, 'string(/*/@Destination)'), 'https://www.upwork.com/ab/account-security/saml/acs');
      assert.equal(xpath(xml, "string(//*[local-name()='NameID'])"), 'B.Simon@contoso.com');
      assert.equal(xpath(xml, "count(//*[local-name()='Signature'])"), String(c.signatures));
      assert.equal(xpath(xml, "string(//*[local-name()='Attribute'][@Name='Country']/*)"), 'United States');
    });

    if (c.signatures > 0) {
      test(`buildTestResponse (${keyName}) defect ${c.defect}: xmlsec1 verifies the assertion signature`, (t) => {
        if (skipWithout(t, XMLSEC1)) return;
        const built = buildTestResponse({
          sp: upwork,
          idp,
          nameId: 'B.Simon@contoso.com',
          attributes: DEFAULT_TEST_ATTRIBUTES,
          defect: c.defect,
          now: NOW,
        });
        assert.ok(built.ok);
        const verified = xmlsec1Verify(built.response.xml, idp.certificatePem, ASSERTION);
        assert.ok(verified.ok, verified.output);
      });
    }
  }
}

test('an SP without WantAssertionsSigned: "unsigned" fails only for the missing signature', () => {
  const sp = { ...upwork, wantAssertionsSigned: false };
  const spec: TestResponseSpec = {
    sp,
    idp: rsaIdp,
    nameId: 'B.Simon@contoso.com',
    attributes: DEFAULT_TEST_ATTRIBUTES,
    defect: 'unsigned',
    now: NOW,
  };
  const built = buildTestResponse(spec);
  assert.ok(built.ok);
  assert.deepEqual(checkTestResponse(built.response, spec).failures, ['signature.missing']);
});

test('checkTestResponse reports a response whose outcome differs from its defect', () => {
  const spec: TestResponseSpec = {
    sp: upwork,
    idp: rsaIdp,
    nameId: 'B.Simon@contoso.com',
    attributes: DEFAULT_TEST_ATTRIBUTES,
    defect: 'none',
    now: NOW,
  };
  const built = buildTestResponse(spec);
  assert.ok(built.ok);
  // Validated half a day later, the "valid" response has expired: the check must say so.
  const problems = checkTestResponse(built.response, { ...spec, now: new Date('2026-11-29T23:00:00Z') }).problems;
  assert.equal(problems[0], 'the verdict is invalid, expected valid');
  assert.ok(
    problems.some((problem) => problem.startsWith('unexpected failure time.expired')),
    problems.join('\n'),
  );
  // Claiming a defect it does not have is reported as a missing failure.
  const claimed = checkTestResponse({ ...built.response, expectedFailures: ['audience.mismatch'] }, spec).problems;
  assert.deepEqual(claimed, [
    'the verdict is valid, expected invalid',
    'expected failures not reported: audience.mismatch',
  ]);
});

test('the auto-POST page posts the base64 response (and RelayState) to the ACS URL', () => {
  const built = buildTestResponse({
    sp: upwork,
    idp: rsaIdp,
    nameId: 'B.Simon@contoso.com',
    attributes: DEFAULT_TEST_ATTRIBUTES,
    defect: 'none',
    now: NOW,
    relayState: 'https://www.upwork.com/ab/account-security/login?a=1&b="2"',
  });
  assert.ok(built.ok);
  const page = built.response.autoPostHtml;
  assert.equal(xpath(page, 'string(//form/@action)', true), 'https://www.upwork.com/ab/account-security/saml/acs');
  assert.equal(xpath(page, 'string(//form/@method)', true), 'post');
  assert.equal(xpath(page, "string(//input[@name='SAMLResponse']/@value)", true), built.response.base64);
  assert.equal(
    xpath(page, "string(//input[@name='RelayState']/@value)", true),
    'https://www.upwork.com/ab/account-security/login?a=1&b="2"',
  );
  assert.match(page, /<body onload="document\.forms\[0\]\.submit\(\)">/);
});

const BAD_INPUTS: { name: string; change: Partial<TestResponseSpec>; message: RegExp }[] = [
  {
    name: 'a key that does not match the certificate',
    change: { idp: { ...rsaIdp, certificatePem: ecIdp.certificatePem } },
    message: /private key does not belong to the IdP certificate/,
  },
  {
    name: 'an unreadable key',
    change: { idp: { ...rsaIdp, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } },
    message: /IdP private key cannot be read/,
  },
  {
    name: 'an unreadable certificate',
    change: { idp: { ...rsaIdp, certificatePem: 'not a certificate' } },
    message: /IdP certificate cannot be read/,
  },
  { name: 'an empty NameID', change: { nameId: '  ' }, message: /test user \(NameID\) is empty/ },
  {
    name: 'an attribute given twice',
    change: {
      attributes: [
        { name: 'Email', values: ['a'] },
        { name: 'Email', values: ['b'] },
      ],
    },
    message: /"Email" is given twice/,
  },
  {
    name: 'an attribute without a name',
    change: { attributes: [{ name: ' ', values: ['a'] }] },
    message: /an empty name/,
  },
  { name: 'an invalid clock', change: { now: new Date('not a date') }, message: /not a valid date/ },
];

for (const c of BAD_INPUTS) {
  test(`buildTestResponse refuses ${c.name}`, () => {
    const result = buildTestResponse({
      sp: upwork,
      idp: rsaIdp,
      nameId: 'B.Simon@contoso.com',
      attributes: DEFAULT_TEST_ATTRIBUTES,
      defect: 'none',
      now: NOW,
      ...c.change,
    });
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, c.message);
  });
}

const NOT_SP: { name: string; text: string; message: RegExp }[] = [
  {
    name: 'IdP metadata',
    text: readFileSync(path.join(repoRoot, 'samples', 'entra-id', 'UpworkEnterprise-FederationMetadata.xml'), 'utf8'),
    message: /no SPSSODescriptor/,
  },
  { name: 'text that is not XML', text: 'hello', message: /metadata cannot be read/ },
  {
    name: 'an SP without an HTTP-POST ACS',
    text: '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/acs" index="0"/></SPSSODescriptor></EntityDescriptor>',
    message: /https:\/\/sp\.example\/ has no AssertionConsumerService with the HTTP-POST binding/,
  },
];

for (const c of NOT_SP) {
  test(`serviceProviderFromMetadata explains ${c.name}`, () => {
    const result = serviceProviderFromMetadata(c.text);
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, c.message);
  });
}
