// The metadata builders: well-formed (xmllint), signed correctly (xmlsec1), in schema order, shaped
// like real Entra ID Federation Metadata, escaped, deterministic, and refusing bad specs clearly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { buildIdpMetadata, buildSpMetadata, type SpMetadataSpec } from '../../src/core/build/metadata';
import { generateCertificate } from '../../src/core/build/certificate';
import { lookupElement } from '../../src/core/vocabulary';
import { pathRequirement, skipWithout } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');
const entraCorpusFile = path.resolve(
  repoRoot,
  '..',
  'shared',
  'corpus',
  'metadata',
  'azure-ad-app-saml-signing-cert-federationmetadata.xml',
);
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const TENANT = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

const rsaKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const signingCertificate = generateCertificate(
  { keyType: 'rsa', bits: 2048 },
  {
    subject: { commonName: 'Microsoft Azure Federated SSO Certificate' },
    notBefore: new Date('2026-11-29T00:00:00Z'),
    notAfter: new Date('2029-11-29T00:00:00Z'),
    privateKeyPem: rsaKeyPem,
  },
);

function withFiles<T>(files: Record<string, string>, run: (directory: string) => T): T {
  const directory = mkdtempSync(path.join(tmpdir(), 'build-metadata-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(directory, name), content);
    return run(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function xmllint(xml: string): { status: number | null; stderr: string } {
  return withFiles({ 'doc.xml': xml }, (directory) =>
    spawnSync('xmllint', ['--noout', path.join(directory, 'doc.xml')], { encoding: 'utf8' }),
  );
}

function xmlsecVerify(xml: string, certificatePem: string): { status: number | null; stderr: string } {
  return withFiles({ 'doc.xml': xml, 'cert.pem': certificatePem }, (directory) =>
    spawnSync(
      'xmlsec1',
      [
        '--verify',
        '--id-attr:ID',
        `${MD}:EntityDescriptor`,
        '--pubkey-cert-pem',
        path.join(directory, 'cert.pem'),
        path.join(directory, 'doc.xml'),
      ],
      { encoding: 'utf8' },
    ),
  );
}

function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
}

function childElements(element: Element): Element[] {
  return Array.from(element.childNodes).filter((node): node is Element => node.nodeType === 1);
}

/** Every element's known children appear in the order the schema lists them (the vocabulary's order). */
function assertSchemaOrder(element: Element): void {
  const allowed = lookupElement(element.namespaceURI ?? '', element.localName)?.children;
  if (allowed) {
    let last = -1;
    for (const child of childElements(element)) {
      const position = allowed.indexOf(child.localName);
      if (position === -1) continue; // extension elements (fed:, auth:) are not in the md schema lists
      assert.ok(position >= last, `<${child.localName}> is out of schema order inside <${element.localName}>`);
      last = position;
    }
  }
  for (const child of childElements(element)) assertSchemaOrder(child);
}

/** Element names (namespace + local name) down to a depth, with certificate text and claim lists left out. */
function shape(element: Element, depth: number): string[] {
  const name = `${element.namespaceURI}|${element.localName}`;
  if (depth === 0) return [name];
  const children = childElements(element).filter((child) => child.localName !== 'Signature');
  return [name, ...children.flatMap((child) => shape(child, depth - 1).map((line) => `  ${line}`))];
}

test('buildIdpMetadata: Entra-style document, well-formed, signed, in schema order', () => {
  const xml = buildIdpMetadata({
    tenantId: TENANT,
    signingCertificates: [signingCertificate.certificatePem],
    signWith: { privateKeyPem: rsaKeyPem, certificatePem: signingCertificate.certificatePem },
  });
  assert.equal(xmllint(xml).status, 0);
  const verified = xmlsecVerify(xml, signingCertificate.certificatePem);
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(verified.stderr, /SignedInfo References \(ok\/all\): 1\/1/);

  const root = parse(xml).documentElement;
  assert.equal(root.namespaceURI, MD);
  assert.equal(root.localName, 'EntityDescriptor');
  assert.equal(root.getAttribute('entityID'), `https://sts.windows.net/${TENANT}/`);
  assert.match(root.getAttribute('ID') ?? '', /^_[0-9a-f-]{36}$/);
  assertSchemaOrder(root);
  const children = childElements(root);
  assert.deepEqual(
    children.map(
      (child) => `${child.localName}${child.getAttribute('xsi:type') ? ` ${child.getAttribute('xsi:type')}` : ''}`,
    ),
    [
      'Signature',
      'RoleDescriptor fed:SecurityTokenServiceType',
      'RoleDescriptor fed:ApplicationServiceType',
      'IDPSSODescriptor',
    ],
  );
  const reference = children[0].getElementsByTagName('Reference')[0];
  assert.equal(reference.getAttribute('URI'), `#${root.getAttribute('ID')}`);
  const idp = children[3];
  const endpoints = childElements(idp)
    .filter((child) => child.localName.endsWith('Service'))
    .map((child) => [child.localName, child.getAttribute('Binding'), child.getAttribute('Location')]);
  const saml2 = `https://login.microsoftonline.com/${TENANT}/saml2`;
  assert.deepEqual(endpoints, [
    ['SingleLogoutService', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', saml2],
    ['SingleSignOnService', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', saml2],
    ['SingleSignOnService', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', saml2],
  ]);
  const certificates = Array.from(
    root.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate'),
  ).map((node) => node.textContent);
  assert.deepEqual(certificates, Array(4).fill(signingCertificate.certificateBase64)); // Signature + 3 roles, as Entra publishes it
});

test('buildIdpMetadata: a changed byte breaks the signature (the check can fail)', () => {
  const xml = buildIdpMetadata({
    tenantId: TENANT,
    signingCertificates: [signingCertificate.certificateBase64],
    signWith: { privateKeyPem: rsaKeyPem, certificatePem: signingCertificate.certificatePem },
  });
  const tampered = xml.replace('/saml2"', '/saml3"');
  assert.notEqual(tampered, xml);
  assert.notEqual(xmlsecVerify(tampered, signingCertificate.certificatePem).status, 0);
});

test('buildIdpMetadata: same element structure as real Entra ID Federation Metadata', (t) => {
  if (skipWithout(t, pathRequirement(entraCorpusFile, '../shared/corpus'))) return;
  const real = parse(readFileSync(entraCorpusFile, 'utf8').replace(/^\uFEFF/, '')).documentElement;
  const built = parse(
    buildIdpMetadata({ tenantId: TENANT, signingCertificates: [signingCertificate.certificateBase64] }),
  ).documentElement;
  // Four levels: roles, their KeyDescriptors/claims/endpoints, KeyInfo/EndpointReference, X509Data/Address.
  const withoutClaims = (lines: string[]) =>
    lines.filter((line) => !/\|(ClaimType|DisplayName|Description)$/.test(line));
  assert.deepEqual(withoutClaims(shape(built, 4)), withoutClaims(shape(real, 4)));
  assert.deepEqual(
    ['RoleDescriptor', 'IDPSSODescriptor'].map((name) =>
      Array.from(built.getElementsByTagNameNS(MD, name)).map((element) =>
        element.getAttribute('protocolSupportEnumeration'),
      ),
    ),
    ['RoleDescriptor', 'IDPSSODescriptor'].map((name) =>
      Array.from(real.getElementsByTagNameNS(MD, name)).map((element) =>
        element.getAttribute('protocolSupportEnumeration'),
      ),
    ),
  );
});

test('buildIdpMetadata is deterministic and supports a rollover with two certificates', () => {
  const second = generateCertificate(
    { keyType: 'ec', curve: 'P-256' },
    {
      subject: { commonName: 'next' },
      notBefore: new Date('2027-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      seed: 'next',
    },
  );
  const spec = {
    tenantId: TENANT.toUpperCase(),
    signingCertificates: [signingCertificate.certificateBase64, second.certificatePem],
    signWith: { privateKeyPem: rsaKeyPem, certificatePem: signingCertificate.certificatePem },
  };
  const xml = buildIdpMetadata(spec);
  assert.equal(buildIdpMetadata(spec), xml);
  const root = parse(xml).documentElement;
  assert.equal(
    root.getAttribute('entityID'),
    `https://sts.windows.net/${TENANT}/`,
    'tenant IDs are written in lower case, as Entra does',
  );
  for (const role of childElements(root).filter((child) => child.localName !== 'Signature')) {
    assert.equal(childElements(role).filter((child) => child.localName === 'KeyDescriptor').length, 2);
  }
});

const SP_SPEC: SpMetadataSpec = {
  entityId: 'https://sp.example.com/saml?tenant=a&b="c"',
  acsUrls: ['https://sp.example.com/saml/acs', 'https://sp.example.com/saml/acs2'],
  sloUrl: 'https://sp.example.com/saml/logout',
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  certificate: signingCertificate.certificatePem,
  serviceName: 'Sales & <Marketing>',
  wantAssertionsSigned: true,
  requestedAttributes: [
    { name: 'FirstName', friendlyName: 'user.givenname', isRequired: true },
    { name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', isRequired: false },
    {
      name: 'urn:oid:2.5.4.42',
      friendlyName: 'givenName',
      nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
      isRequired: false,
    },
  ],
  organization: { name: 'Example "Org"', displayName: 'Example', url: 'https://example.com/' },
  technicalContact: { givenName: 'Ops', email: 'ops@example.com' },
};

test('buildSpMetadata: complete, well-formed, escaped, in schema order', () => {
  const xml = buildSpMetadata(SP_SPEC);
  assert.equal(xmllint(xml).status, 0);
  assert.equal(buildSpMetadata(SP_SPEC), xml, 'deterministic');
  const root = parse(xml).documentElement;
  assertSchemaOrder(root);
  assert.equal(root.getAttribute('entityID'), SP_SPEC.entityId);
  const sp = root.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0];
  assert.equal(sp.getAttribute('AuthnRequestsSigned'), 'true');
  assert.equal(sp.getAttribute('WantAssertionsSigned'), 'true');
  assert.equal(sp.getAttribute('protocolSupportEnumeration'), 'urn:oasis:names:tc:SAML:2.0:protocol');
  assert.deepEqual(
    childElements(sp).map((child) => child.localName),
    [
      'KeyDescriptor',
      'KeyDescriptor',
      'SingleLogoutService',
      'NameIDFormat',
      'AssertionConsumerService',
      'AssertionConsumerService',
      'AttributeConsumingService',
    ],
  );
  assert.deepEqual(
    Array.from(sp.getElementsByTagNameNS(MD, 'KeyDescriptor')).map((key) => [
      key.getAttribute('use'),
      key.textContent?.trim(),
    ]),
    [
      ['signing', signingCertificate.certificateBase64],
      ['encryption', signingCertificate.certificateBase64],
    ],
  );
  assert.deepEqual(
    Array.from(sp.getElementsByTagNameNS(MD, 'AssertionConsumerService')).map((acs) => [
      acs.getAttribute('Location'),
      acs.getAttribute('index'),
      acs.getAttribute('isDefault') || null,
    ]),
    [
      ['https://sp.example.com/saml/acs', '0', 'true'],
      ['https://sp.example.com/saml/acs2', '1', null],
    ],
  );
  assert.equal(sp.getElementsByTagNameNS(MD, 'ServiceName')[0].textContent, 'Sales & <Marketing>');
  assert.deepEqual(
    Array.from(sp.getElementsByTagNameNS(MD, 'RequestedAttribute')).map((attribute) => [
      attribute.getAttribute('Name'),
      attribute.getAttribute('NameFormat'),
      attribute.getAttribute('FriendlyName') || undefined,
      attribute.getAttribute('isRequired'),
    ]),
    [
      ['FirstName', 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', 'user.givenname', 'true'],
      [
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
        undefined,
        'false',
      ],
      ['urn:oid:2.5.4.42', 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', 'givenName', 'false'],
    ],
  );
  assert.equal(root.getElementsByTagNameNS(MD, 'OrganizationName')[0].textContent, 'Example "Org"');
  assert.equal(root.getElementsByTagNameNS(MD, 'EmailAddress')[0].textContent, 'mailto:ops@example.com');
});

test('buildSpMetadata without a certificate or attributes is still complete', () => {
  const xml = buildSpMetadata({
    ...SP_SPEC,
    certificate: undefined,
    requestedAttributes: [],
    sloUrl: undefined,
    organization: undefined,
    technicalContact: undefined,
  });
  assert.equal(xmllint(xml).status, 0);
  const sp = parse(xml).documentElement.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0];
  assert.equal(sp.getAttribute('AuthnRequestsSigned'), 'false');
  assert.deepEqual(
    childElements(sp).map((child) => child.localName),
    ['NameIDFormat', 'AssertionConsumerService', 'AssertionConsumerService'],
  );
});

const BAD_SP_SPECS: { name: string; spec: Partial<SpMetadataSpec>; message: RegExp }[] = [
  { name: 'no entityID', spec: { entityId: ' ' }, message: /needs an entityID/ },
  {
    name: 'entityID too long',
    spec: { entityId: `https://x/${'a'.repeat(1100)}` },
    message: /at most 1024 characters/,
  },
  { name: 'no ACS', spec: { acsUrls: [] }, message: /at least one AssertionConsumerService/ },
  {
    name: 'relative ACS',
    spec: { acsUrls: ['/saml/acs'] },
    message: /AssertionConsumerService URL #1 must be an absolute URL/,
  },
  {
    name: 'non-http SLO',
    spec: { sloUrl: 'ftp://sp.example.com/logout' },
    message: /SingleLogoutService URL must be an http\(s\) URL/,
  },
  {
    name: 'duplicate attribute',
    spec: {
      requestedAttributes: [
        { name: 'Email', isRequired: true },
        { name: 'Email', isRequired: false },
      ],
    },
    message: /"Email" is requested twice/,
  },
  { name: 'certificate not base64', spec: { certificate: 'not a certificate!' }, message: /must be base64/ },
];

for (const { name, spec, message } of BAD_SP_SPECS) {
  test(`buildSpMetadata refuses: ${name}`, () => {
    assert.throws(() => buildSpMetadata({ ...SP_SPEC, ...spec }), message);
  });
}

test('buildIdpMetadata refuses a tenant that is not a GUID and an IdP without certificates', () => {
  assert.throws(
    () =>
      buildIdpMetadata({
        tenantId: 'contoso.onmicrosoft.com',
        signingCertificates: [signingCertificate.certificateBase64],
      }),
    /tenant ID must be a GUID/,
  );
  assert.throws(
    () => buildIdpMetadata({ tenantId: TENANT, signingCertificates: [] }),
    /at least one signing certificate/,
  );
});
