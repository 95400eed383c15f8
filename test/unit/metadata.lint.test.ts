import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { lintMetadata, MetadataLintCode, parseMetadata, type Finding } from '../../src/core/metadata';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const NOW = new Date('2026-11-29T12:00:00Z');
const signingKey = `<KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>MIIC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`;
const encryptionKey = signingKey.replace('signing', 'encryption');
const sso = `<SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.org/sso"/>`;
const acs = (index: number, location = 'https://sp.example.org/acs', extra = '') =>
  `<AssertionConsumerService Binding="${POST}" Location="${location}" index="${index}"${extra}/>`;
const idp = (inner: string, attributes = '') =>
  `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"${attributes}>${inner}</IDPSSODescriptor>`;
const sp = (inner: string) =>
  `<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</SPSSODescriptor>`;
const entity = (inner: string, attributes = ' entityID="https://example.org/e"') =>
  `<EntityDescriptor xmlns="${MD}"${attributes}>${inner}</EntityDescriptor>`;
const group = (inner: string, attributes = '') =>
  `<EntitiesDescriptor xmlns="${MD}"${attributes}>${inner.replace(/ xmlns="[^"]*"/g, '')}</EntitiesDescriptor>`;

/** [code, severity, the text the finding's range covers]. */
type Expected = [code: string, severity: Finding['severity'], covers: string];

const cases: { name: string; text: string; now?: Date; expected: Expected[] }[] = [
  { name: 'a correct IdP', text: entity(idp(signingKey + sso)), expected: [] },
  { name: 'a correct SP', text: entity(sp(signingKey + acs(0))), expected: [] },
  {
    name: 'missing entityID',
    text: entity(idp(signingKey + sso), ' ID="x"'),
    expected: [[MetadataLintCode.MissingEntityId, 'error', `<EntityDescriptor xmlns="${MD}" ID="x">`]],
  },
  {
    name: 'empty entityID',
    text: entity(idp(signingKey + sso), ' entityID=""'),
    expected: [[MetadataLintCode.MissingEntityId, 'error', '']],
  },
  {
    name: 'duplicate entityIDs in an aggregate',
    text: group(
      entity(idp(signingKey + sso)) +
        entity(sp(signingKey + acs(0)), ' entityID="https://other"') +
        entity(sp(signingKey + acs(0))),
    ),
    expected: [[MetadataLintCode.DuplicateEntityId, 'error', 'https://example.org/e']],
  },
  {
    name: 'entity validUntil in the past',
    text: entity(idp(signingKey + sso), ' entityID="e" validUntil="2026-11-29T11:59:59Z"'),
    expected: [[MetadataLintCode.ValidUntilExpired, 'error', '2026-11-29T11:59:59Z']],
  },
  {
    name: 'entity validUntil in the future',
    text: entity(idp(signingKey + sso), ' entityID="e" validUntil="2026-11-29T12:00:01Z"'),
    expected: [],
  },
  {
    name: 'EntitiesDescriptor validUntil in the past',
    text: group(entity(idp(signingKey + sso)), ' validUntil="2021-01-03T00:00:00Z"'),
    expected: [[MetadataLintCode.ValidUntilExpired, 'error', '2021-01-03T00:00:00Z']],
  },
  {
    name: 'malformed validUntil (February 30)',
    text: entity(idp(signingKey + sso), ' entityID="e" validUntil="2026-02-30T00:00:00Z"'),
    expected: [[MetadataLintCode.ValidUntilMalformed, 'error', '2026-02-30T00:00:00Z']],
  },
  {
    name: 'malformed validUntil (words)',
    text: group(entity(idp(signingKey + sso)), ' validUntil="next year"'),
    expected: [[MetadataLintCode.ValidUntilMalformed, 'error', 'next year']],
  },
  {
    name: 'IdP with only an encryption key',
    text: entity(idp(encryptionKey + sso)),
    expected: [
      [
        MetadataLintCode.MissingSigningKey,
        'error',
        '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
      ],
    ],
  },
  {
    name: 'SP without keys',
    text: entity(sp(acs(0))),
    expected: [
      [
        MetadataLintCode.MissingSigningKey,
        'warning',
        '<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
      ],
    ],
  },
  {
    name: 'a KeyDescriptor without use counts as signing',
    text: entity(idp(signingKey.replace(' use="signing"', '') + sso)),
    expected: [],
  },
  {
    name: 'IdP without SingleSignOnService',
    text: entity(idp(signingKey, ' WantAuthnRequestsSigned="true"')),
    expected: [
      [
        MetadataLintCode.IdpWithoutSingleSignOn,
        'error',
        '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">',
      ],
    ],
  },
  {
    name: 'SP without AssertionConsumerService',
    text: entity(sp(signingKey)),
    expected: [
      [
        MetadataLintCode.SpWithoutAssertionConsumer,
        'error',
        '<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
      ],
    ],
  },
  {
    name: 'plain http endpoints',
    text: entity(
      sp(
        signingKey +
          `<ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="http://sp.example.org/ars" index="0"/>` +
          `<SingleLogoutService Binding="${REDIRECT}" Location="https://sp.example.org/slo" ResponseLocation="http://sp.example.org/slo-response"/>` +
          acs(0, 'http://sp.example.org/acs') +
          acs(1, 'http://localhost:8080/acs') +
          acs(2, 'http://127.0.0.1/acs') +
          acs(3, '/relative/acs'),
      ),
    ),
    expected: [
      [MetadataLintCode.EndpointNotHttps, 'warning', 'http://sp.example.org/slo-response'],
      [MetadataLintCode.EndpointNotHttps, 'warning', 'http://sp.example.org/acs'],
      [MetadataLintCode.EndpointLocalHttp, 'info', 'http://localhost:8080/acs'],
      [MetadataLintCode.EndpointLocalHttp, 'info', 'http://127.0.0.1/acs'],
      [MetadataLintCode.EndpointInvalidUrl, 'error', '/relative/acs'],
    ],
  },
  {
    name: 'endpoint without Location',
    text: entity(idp(signingKey + `<SingleSignOnService Binding="${REDIRECT}"/>`)),
    expected: [[MetadataLintCode.EndpointMissingLocation, 'error', `<SingleSignOnService Binding="${REDIRECT}"/>`]],
  },
  {
    name: 'duplicate ACS index and two defaults',
    text: entity(
      sp(signingKey + acs(0, undefined, ' isDefault="true"') + acs(1, undefined, ' isDefault="true"') + acs(0)),
    ),
    expected: [
      [MetadataLintCode.DuplicateAcsIndex, 'error', acs(0)],
      [MetadataLintCode.MultipleDefaultAcs, 'error', acs(1, undefined, ' isDefault="true"')],
    ],
  },
  {
    name: 'unknown binding and NameID format',
    text: entity(
      idp(
        signingKey +
          '<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:email</NameIDFormat>' +
          '<NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</NameIDFormat>' +
          '<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST2" Location="https://idp.example.org/sso"/>',
      ),
    ),
    expected: [
      [MetadataLintCode.UnknownBinding, 'warning', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST2'],
      [
        MetadataLintCode.UnknownNameIdFormat,
        'warning',
        '<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:email</NameIDFormat>',
      ],
    ],
  },
  {
    name: 'several problems are all reported',
    text: entity(sp(acs(0, 'http://sp.example.org/acs') + acs(0)), ' validUntil="2020-01-01T00:00:00Z"'),
    expected: [
      [MetadataLintCode.MissingEntityId, 'error', `<EntityDescriptor xmlns="${MD}" validUntil="2020-01-01T00:00:00Z">`],
      [MetadataLintCode.ValidUntilExpired, 'error', '2020-01-01T00:00:00Z'],
      [
        MetadataLintCode.MissingSigningKey,
        'warning',
        '<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
      ],
      [MetadataLintCode.DuplicateAcsIndex, 'error', acs(0)],
      [MetadataLintCode.EndpointNotHttps, 'warning', 'http://sp.example.org/acs'],
    ],
  },
];

for (const { name, text, now = NOW, expected } of cases) {
  test(`lint: ${name}`, () => {
    const result = parseMetadata(text);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    const findings = lintMetadata(result.model, { now });
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, text.slice(finding.range.start, finding.range.end)]),
      expected,
    );
    for (const finding of findings) {
      assert.ok(finding.message.length > 20 && finding.fix.length > 10, `${finding.code} explains itself`);
    }
  });
}

test('lint: the expiry message says when, relative to the pinned clock', () => {
  const result = parseMetadata(entity(idp(signingKey + sso), ' entityID="e" validUntil="2026-11-19T12:00:00Z"'));
  assert.ok(result.ok);
  const [finding] = lintMetadata(result.model, { now: NOW });
  assert.match(finding.message, /expired 10 days ago \(validUntil 2026-11-19 12:00:00 UTC\)/);
});

test('lint: the hand-written fixture is clean until its entity expires', () => {
  const fixture = readFileSync(
    join(resolve(__dirname, '..', '..'), 'test', 'fixtures', 'metadata', 'aggregate.idp-sp-nested.mdui-contacts.xml'),
    'utf8',
  );
  const result = parseMetadata(fixture);
  assert.ok(result.ok);
  assert.deepEqual(lintMetadata(result.model, { now: NOW }), []);
  // The IdP entity is valid until 2027-05-01T12:00:00Z, the aggregate until 2027-06-30.
  const later = lintMetadata(result.model, { now: new Date('2027-05-01T12:00:01Z') });
  assert.deepEqual(
    later.map((finding) => [finding.code, fixture.slice(finding.range.start, finding.range.end)]),
    [[MetadataLintCode.ValidUntilExpired, '2027-05-01T12:00:00Z']],
  );
});
