// AuthnRequest, LogoutRequest and LogoutResponse: structure, status, times and enveloped signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuthnRequest, signElement } from '../../src/core/build/response';
import { validateResponse } from '../../src/core/validate';
import type { ValidationContext } from '../../src/core/validate';
import { IDP_ENTITY_ID, NOW, SP_ENTITY_ID, idpKeyPair } from '../fixtures/builder/responses';

const SLO_URL = 'https://www.upwork.com/ab/account-security/logout';

const logoutRequest = (notOnOrAfter: string, destination = SLO_URL) =>
  '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
  `ID="_logout-1" Version="2.0" IssueInstant="2026-03-01T09:59:30Z" Destination="${destination}" NotOnOrAfter="${notOnOrAfter}">` +
  `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">B.Simon@contoso.com</saml:NameID>` +
  '<samlp:SessionIndex>_assert-0001</samlp:SessionIndex></samlp:LogoutRequest>';

const logoutResponse = (status: string, inResponseTo = '_logout-sp-7') =>
  '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
  `ID="_logout-resp-1" Version="2.0" IssueInstant="2026-03-01T09:59:30Z" Destination="${SLO_URL}" InResponseTo="${inResponseTo}">` +
  `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="${status}"/></samlp:Status></samlp:LogoutResponse>`;

const trustIdp = (overrides: Partial<ValidationContext> = {}): ValidationContext => ({
  now: NOW,
  trustedCertificates: [{ pem: idpKeyPair().certificatePem, source: 'Upwork-Entra.xml', entityId: IDP_ENTITY_ID }],
  receivedAt: SLO_URL,
  ...overrides,
});

const signed = (xml: string, id: string) =>
  signElement(xml, id, { privateKeyPem: idpKeyPair().privateKeyPem, certificatePem: idpKeyPair().certificatePem });
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const cases: { name: string; xml: () => string; ctx?: Partial<ValidationContext>; verdict: string; fails: string[] }[] =
  [
    {
      name: 'signed LogoutRequest is valid',
      xml: () => signed(logoutRequest('2026-03-01T10:04:30Z'), '_logout-1'),
      verdict: 'valid',
      fails: [],
    },
    {
      name: 'unsigned LogoutRequest is not verifiable',
      xml: () => logoutRequest('2026-03-01T10:04:30Z'),
      verdict: 'not-verifiable',
      fails: [],
    },
    // NotOnOrAfter is a hard deadline for logout requests: 10 s late is too late, whatever the skew.
    {
      name: 'LogoutRequest 10 s past NotOnOrAfter',
      xml: () => signed(logoutRequest('2026-03-01T09:59:50Z'), '_logout-1'),
      verdict: 'invalid',
      fails: ['time.expired'],
    },
    {
      name: 'LogoutRequest without IssueInstant',
      xml: () =>
        signed(logoutRequest('2026-03-01T10:04:30Z').replace(' IssueInstant="2026-03-01T09:59:30Z"', ''), '_logout-1'),
      verdict: 'invalid',
      fails: ['structure.issue-instant'],
    },
    {
      name: 'LogoutRequest whose NotOnOrAfter names 31 April',
      xml: () => signed(logoutRequest('2026-04-31T10:04:30Z'), '_logout-1'),
      verdict: 'invalid',
      fails: ['time.invalid-timestamp'],
    },
    {
      name: 'LogoutRequest whose Issuer has a user NameID format',
      xml: () =>
        signed(
          logoutRequest('2026-03-01T10:04:30Z').replace(
            '<saml:Issuer>',
            '<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">',
          ),
          '_logout-1',
        ),
      verdict: 'invalid',
      fails: ['issuer.format'],
    },
    {
      name: 'LogoutRequest sent to another endpoint',
      xml: () => signed(logoutRequest('2026-03-01T10:04:30Z', 'https://evil.example/slo'), '_logout-1'),
      verdict: 'invalid',
      fails: ['destination.mismatch'],
    },
    {
      name: 'LogoutRequest changed after signing',
      xml: () => signed(logoutRequest('2026-03-01T10:04:30Z'), '_logout-1').replace('B.Simon@', 'C.Simon@'),
      verdict: 'invalid',
      fails: ['signature.invalid'],
    },
    {
      name: 'LogoutRequest from another issuer',
      xml: () => signed(logoutRequest('2026-03-01T10:04:30Z'), '_logout-1'),
      ctx: { idpEntityId: 'https://other-idp.example/' },
      verdict: 'invalid',
      fails: ['issuer.mismatch'],
    },
    {
      name: 'signed LogoutResponse with Success',
      xml: () => signed(logoutResponse(SUCCESS), '_logout-resp-1'),
      ctx: { requestId: '_logout-sp-7' },
      verdict: 'valid',
      fails: [],
    },
    {
      name: 'LogoutResponse with a failed status',
      xml: () => signed(logoutResponse('urn:oasis:names:tc:SAML:2.0:status:Responder'), '_logout-resp-1'),
      verdict: 'invalid',
      fails: ['status.code'],
    },
    {
      name: 'LogoutResponse to another request',
      xml: () => signed(logoutResponse(SUCCESS, '_other'), '_logout-resp-1'),
      ctx: { requestId: '_logout-sp-7' },
      verdict: 'invalid',
      fails: ['in-response-to.mismatch'],
    },
    {
      name: 'AuthnRequest without ID and with Version 1.0',
      xml: () =>
        buildAuthnRequest({
          id: 'x',
          issuer: SP_ENTITY_ID,
          destination: 'https://idp/sso',
          assertionConsumerServiceUrl: 'https://sp/acs',
          issueInstant: NOW,
        })
          .replace(' ID="x"', '')
          .replace('Version="2.0"', 'Version="1.0"'),
      ctx: { receivedAt: undefined, trustedCertificates: [] },
      verdict: 'invalid',
      fails: ['structure.missing-id', 'structure.version'],
    },
  ];

for (const c of cases) {
  test(`validate (requests): ${c.name}`, () => {
    const report = validateResponse(c.xml(), trustIdp(c.ctx));
    assert.equal(
      report.verdict,
      c.verdict,
      JSON.stringify(
        report.findings.filter((f) => f.status !== 'pass'),
        null,
        1,
      ),
    );
    assert.deepEqual(
      report.findings
        .filter((f) => f.status === 'fail')
        .map((f) => f.code)
        .sort(),
      [...c.fails].sort(),
    );
  });
}

test('validate (requests): the LogoutRequest NameID and type are reported', () => {
  const report = validateResponse(signed(logoutRequest('2026-03-01T10:04:30Z'), '_logout-1'), trustIdp());
  assert.equal(report.messageType, 'LogoutRequest');
  assert.equal(report.subject.nameId?.value, 'B.Simon@contoso.com');
  assert.equal(report.signatures[0].covers, 'LogoutRequest');
  assert.equal(report.signatures[0].signatureValid, true);
});
