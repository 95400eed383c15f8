// The semantic diff of two metadata documents. Pairs are built with the project's generators (IdP
// metadata as Entra ID publishes it, SP metadata) with certificates whose fingerprints and dates
// come from openssl; one pair of real Okta metadata is checked against values read from the files
// with openssl by hand.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateCertificate } from '../../src/core/build/certificate';
import { buildIdpMetadata, buildSpMetadata, type SpMetadataSpec } from '../../src/core/build/metadata';
import { parseMetadata, type MetadataModel } from '../../src/core/metadata';
import { diffMetadata, formatMetadataDiff } from '../../src/core/metadata/diff';
import { opensslFingerprint } from '../fixtures/builder/peers';
import { corpus, corpusRoot, OPENSSL, skipWithout } from '../requirements';

const NOW = new Date('2026-12-01T00:00:00Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const IDP = `https://sts.windows.net/${TENANT}/`;

function certificate(commonName: string, notBefore: string, notAfter: string) {
  return generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    { subject: { commonName }, notBefore: new Date(notBefore), notAfter: new Date(notAfter), seed: commonName },
  );
}

// The old certificate expires in 2027; the new one starts before the old one ends.
const current = certificate(
  'Microsoft Azure Federated SSO Certificate',
  '2024-06-01T00:00:00Z',
  '2027-06-01T00:00:00Z',
);
const next = certificate(
  'Microsoft Azure Federated SSO Certificate 2027',
  '2026-11-01T00:00:00Z',
  '2029-11-01T00:00:00Z',
);
const expired = certificate(
  'Microsoft Azure Federated SSO Certificate 2023',
  '2020-01-01T00:00:00Z',
  '2023-01-01T00:00:00Z',
);

function model(xml: string): MetadataModel {
  const parsed = parseMetadata(xml);
  assert.ok(parsed.ok);
  return parsed.model;
}

function idp(...certificates: { certificateBase64: string }[]): MetadataModel {
  return model(
    buildIdpMetadata({ tenantId: TENANT, signingCertificates: certificates.map((c) => c.certificateBase64) }),
  );
}

test('a rollover: the IdP adds a signing certificate while the old one is valid', (t) => {
  if (skipWithout(t, OPENSSL)) return;
  const diff = diffMetadata(idp(current), idp(current, next), { now: NOW });
  const nextSha256 = opensslFingerprint(next.certificatePem, 'sha256');
  assert.equal(diff.signingCertificateRemoved, false);
  assert.equal(diff.entities.length, 1);
  const [entity] = diff.entities;
  assert.equal(entity.entityId, IDP);
  assert.equal(entity.change, 'changed');
  assert.deepEqual(entity.certificates.removed, []);
  // One certificate, published in the IDPSSODescriptor and Entra's two WS-Federation roles.
  assert.deepEqual(entity.certificates.added, [
    {
      sha256: nextSha256,
      subject: 'CN=Microsoft Azure Federated SSO Certificate 2027',
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: '2029-11-01T00:00:00.000Z',
      use: 'signing',
      roles: ['SecurityTokenServiceType', 'ApplicationServiceType', 'IdP'],
    },
  ]);
  assert.deepEqual(entity.endpoints, { added: [], removed: [] });
  assert.deepEqual(diff.verdict, [
    {
      severity: 'warning',
      entityId: IDP,
      message: `The IdP ${IDP} added signing certificate ${nextSha256} (CN=Microsoft Azure Federated SSO Certificate 2027), valid from 2026-11-01 00:00:00 UTC to 2029-11-01 00:00:00 UTC; trust both until the old one expires on 2027-06-01 00:00:00 UTC or the IdP switches.`,
    },
  ]);
});

test('a removed signing certificate that is still valid is an error; an expired one is only noted', (t) => {
  if (skipWithout(t, OPENSSL)) return;
  const diff = diffMetadata(idp(expired, current, next), idp(next), { now: NOW });
  const currentSha256 = opensslFingerprint(current.certificatePem, 'sha256');
  const expiredSha256 = opensslFingerprint(expired.certificatePem, 'sha256');
  assert.equal(diff.signingCertificateRemoved, true);
  assert.deepEqual(
    diff.entities[0].certificates.removed.map((c) => c.sha256),
    [expiredSha256, currentSha256],
  );
  assert.deepEqual(diff.verdict, [
    {
      severity: 'error',
      entityId: IDP,
      message: `The signing certificate ${currentSha256} (CN=Microsoft Azure Federated SSO Certificate), valid until 2027-06-01 00:00:00 UTC, is gone: it is no longer in the IdP metadata of ${IDP}. Whoever takes the new metadata stops accepting what it signs.`,
    },
    {
      severity: 'info',
      entityId: IDP,
      message: `The signing certificate ${expiredSha256} (CN=Microsoft Azure Federated SSO Certificate 2023) was removed; it was not valid any more (valid until 2023-01-01 00:00:00 UTC).`,
    },
  ]);
});

test('identical documents have no changes and no verdict', () => {
  const diff = diffMetadata(idp(current), idp(current), { now: NOW });
  assert.deepEqual(diff, { entities: [], unchanged: 1, verdict: [], signingCertificateRemoved: false });
});

const sp: SpMetadataSpec = {
  entityId: 'https://www.upwork.com/upwork-enterprise',
  acsUrls: ['https://www.upwork.com/ab/account-security/login'],
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  requestedAttributes: [
    { name: 'FirstName', isRequired: true },
    { name: 'Email', isRequired: true },
  ],
  serviceName: 'Upwork Enterprise',
  wantAssertionsSigned: true,
};

test('SP endpoints, NameID formats and requested attributes, added and removed', () => {
  const changed: SpMetadataSpec = {
    ...sp,
    acsUrls: ['https://www.upwork.com/ab/account-security/login', 'https://www.upwork.com/ab/acs2'],
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    requestedAttributes: [
      { name: 'FirstName', isRequired: true },
      { name: 'Country', isRequired: false },
    ],
  };
  const diff = diffMetadata(model(buildSpMetadata(sp)), model(buildSpMetadata(changed)), { now: NOW });
  const [entity] = diff.entities;
  const post = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
  assert.deepEqual(entity.endpoints, {
    added: [`AssertionConsumerService ${post} https://www.upwork.com/ab/acs2 [1]`],
    removed: [],
  });
  assert.deepEqual(entity.nameIdFormats, {
    added: ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
    removed: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  });
  assert.deepEqual(entity.attributes, { added: ['requested Country'], removed: ['requested Email required'] });
  assert.deepEqual(diff.verdict, []);
});

test('real Okta metadata of 2018 and of today: another app, so one entity goes and one comes', (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  const read = (name: string) => model(readFileSync(path.join(corpusRoot, 'metadata', name), 'utf8'));
  const diff = diffMetadata(read('okta-idp-metadata-2018.xml'), read('okta-idp-metadata.xml'), { now: NOW });
  // Read from the files; fingerprints and dates from `openssl x509 -fingerprint -sha256 -dates`.
  const old2018 = 'D4:0D:F0:1C:CE:DE:49:D2:07:CB:6D:8A:BD:15:77:0A:4B:6E:CA:14:A8:54:48:C2:95:9A:98:F8:5D:C3:1E:D4';
  const current2024 = '21:D5:E6:FF:D3:60:7D:88:BD:8E:EE:5F:97:9F:CB:E9:C3:A3:08:BF:E8:E4:42:A4:41:36:AB:60:B9:21:6B:CF';
  assert.deepEqual(
    diff.entities.map((e) => [e.change, e.entityId]),
    [
      ['added', 'http://www.okta.com/exkdoocxa1VmjpXmX697'],
      ['removed', 'http://www.okta.com/exkppsa1qwuFV4D7z0h7'],
    ],
  );
  const [added, removed] = diff.entities;
  assert.deepEqual(
    added.certificates.added.map((c) => [c.sha256, c.notBefore, c.notAfter]),
    [[current2024, '2024-04-25T20:30:02.000Z', '2034-04-25T20:31:02.000Z']],
  );
  assert.deepEqual(
    removed.certificates.removed.map((c) => [c.sha256, c.notAfter]),
    [[old2018, '2028-09-07T14:33:59.000Z']],
  );
  // The 2018 file offers two NameID formats, today's one.
  assert.deepEqual(removed.nameIdFormats.removed, [
    'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  ]);
  assert.deepEqual(added.nameIdFormats.added, ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']);
  // The 2018 certificate is valid until 2028: dropping it is what the exit code reports.
  assert.equal(diff.signingCertificateRemoved, true);
  assert.equal(diff.verdict.length, 1);
  assert.match(
    diff.verdict[0].message,
    new RegExp(
      `^The signing certificate ${old2018} .*valid until 2028-09-07 14:33:59 UTC, is gone: http://www\\.okta\\.com/exkppsa1qwuFV4D7z0h7 is no longer in the new metadata\\.`,
    ),
  );

  const text = formatMetadataDiff(diff, { old: 'okta-idp-metadata-2018.xml', new: 'okta-idp-metadata.xml' });
  assert.match(
    text,
    /^# okta-idp-metadata-2018\.xml → okta-idp-metadata\.xml\n\nEntities: 1 added, 1 removed, 0 changed, 0 unchanged\.\n/,
  );
  assert.ok(text.includes(`- \`-\` signing certificate ${old2018} (`));
});

test('entity attributes and validUntil, added to the generated SP metadata as a federation registrar would', () => {
  const original = buildSpMetadata(sp);
  const categorised = original.replace(
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://www.upwork.com/upwork-enterprise">',
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://www.upwork.com/upwork-enterprise" validUntil="2027-01-01T00:00:00Z">
  <md:Extensions>
    <mdattr:EntityAttributes xmlns:mdattr="urn:oasis:names:tc:SAML:metadata:attribute">
      <saml:Attribute xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Name="http://macedir.org/entity-category" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">
        <saml:AttributeValue>http://refeds.org/category/research-and-scholarship</saml:AttributeValue>
      </saml:Attribute>
    </mdattr:EntityAttributes>
  </md:Extensions>`,
  );
  assert.notEqual(categorised, original, 'the edit applies');
  const diff = diffMetadata(model(original), model(categorised), { now: NOW });
  assert.equal(diff.entities.length, 1);
  assert.deepEqual(diff.entities[0].entityAttributes, {
    added: ['http://macedir.org/entity-category = http://refeds.org/category/research-and-scholarship'],
    removed: [],
  });
  assert.deepEqual(diff.entities[0].validUntil, { old: undefined, new: '2027-01-01T00:00:00Z' });
  const text = formatMetadataDiff(diff, { old: 'a.xml', new: 'b.xml' });
  assert.ok(
    text.includes(
      '- `+` entity attribute http://macedir.org/entity-category = http://refeds.org/category/research-and-scholarship\n- validUntil (none) → 2027-01-01T00:00:00Z\n',
    ),
    text,
  );
});
