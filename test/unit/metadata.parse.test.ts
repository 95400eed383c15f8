import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { parseMetadata, type MetadataModel, type Range } from '../../src/core/metadata';
import { parseMetadataInWorker } from '../../src/features/metadataDocuments/headless/client';
import { XmlErrorCode } from '../../src/core/xml';

const repoRoot = resolve(__dirname, '..', '..');
const fixturePath = join(repoRoot, 'test', 'fixtures', 'metadata', 'aggregate.idp-sp-nested.mdui-contacts.xml');
const fixture = readFileSync(fixturePath, 'utf8');
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

function modelOf(text: string): MetadataModel {
  const result = parseMetadata(text);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.model;
}

/** The model with every offset removed, to compare documents that differ only in spelling. */
function withoutOffsets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOffsets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !['range', 'elementRange', 'startTagEnd'].includes(key))
        .map(([key, inner]) => [key, withoutOffsets(inner)]),
    );
  }
  return value;
}

// The metadata namespace spelled in different ways; everything else stays as it is.
const spellings: { name: string; rewrite: (text: string) => string }[] = [
  { name: 'md: prefix (as written)', rewrite: (text) => text },
  { name: 'default namespace', rewrite: (text) => text.replace(/<(\/?)md:/g, '<$1').replace('xmlns:md=', 'xmlns=') },
  {
    name: 'saml2md: prefix',
    rewrite: (text) => text.replace(/<(\/?)md:/g, '<$1saml2md:').replace('xmlns:md=', 'xmlns:saml2md='),
  },
  { name: 'ns0: prefix', rewrite: (text) => text.replace(/<(\/?)md:/g, '<$1ns0:').replace('xmlns:md=', 'xmlns:ns0=') },
  {
    name: 'odd prefix, declared again on each entity',
    rewrite: (text) =>
      text
        .replace(/<(\/?)md:/g, '<$1Ω-x.y:')
        .replace('xmlns:md=', 'xmlns:Ω-x.y=')
        .replace(/<Ω-x\.y:EntityDescriptor /g, `<Ω-x.y:EntityDescriptor xmlns:Ω-x.y="${MD}" `),
  },
];

test('namespace prefixes do not change the model', () => {
  const reference = withoutOffsets(modelOf(fixture));
  for (const { name, rewrite } of spellings) {
    const text = rewrite(fixture);
    assert.deepEqual(withoutOffsets(modelOf(text)), reference, name);
  }
});

test('the same element names in another namespace are not metadata', () => {
  const model = modelOf(fixture.replace(`xmlns:md="${MD}"`, 'xmlns:md="urn:example:not-metadata"'));
  assert.equal(model.entities.length, 0);
  assert.equal(model.root.localName, 'EntitiesDescriptor');
  assert.equal(model.root.namespaceURI, 'urn:example:not-metadata');
  // Certificates are still found, wherever they are.
  assert.equal(model.certificates.length, 2);
  assert.ok(model.certificates.every((certificate) => certificate.place === 'other'));
});

test('fixture: groups, entities, roles and their details', () => {
  const model = modelOf(fixture);
  assert.equal(model.groups.length, 2);
  const [root, nested] = model.groups;
  assert.equal(root.name?.value, 'urn:example:federation');
  assert.equal(root.id, 'fed-root');
  assert.equal(root.validUntil?.value, '2027-06-30T00:00:00Z');
  assert.equal(root.cacheDuration?.value, 'PT6H');
  assert.deepEqual(root.entities, [0, 1]);
  assert.deepEqual(root.groups, [1]);
  assert.equal(nested.parentGroup, 0);
  assert.deepEqual(nested.entities, [2]);

  assert.deepEqual(
    model.entities.map((entity) => [entity.entityID?.value, entity.group, entity.signed]),
    [
      ['https://sts.contoso.example/8b966979/', 0, false],
      ['https://www.upwork.com/ab/account-security/login', 0, false],
      ['https://aa.contoso.example/', 1, false],
    ],
  );
  const [idpEntity, spEntity, aaEntity] = model.entities;
  assert.equal(idpEntity.id, '_idp');
  assert.equal(idpEntity.validUntil?.value, '2027-05-01T12:00:00Z');
  assert.deepEqual(
    idpEntity.extensions?.registrationInfo && { ...idpEntity.extensions.registrationInfo, range: undefined },
    {
      range: undefined,
      registrationAuthority: 'https://federation.example',
      registrationInstant: '2024-03-01T08:00:00Z',
    },
  );
  assert.deepEqual(
    idpEntity.extensions?.entityAttributes.map((attribute) => [attribute.name, attribute.values]),
    [
      [
        'http://macedir.org/entity-category',
        ['http://refeds.org/category/research-and-scholarship', 'https://refeds.org/sirtfi'],
      ],
    ],
  );

  assert.deepEqual(
    idpEntity.roles.map((role) => role.kind),
    ['RoleDescriptor', 'IDPSSODescriptor'],
  );
  const [sts, idp] = idpEntity.roles;
  assert.deepEqual(sts.xsiType, {
    namespaceURI: 'http://docs.oasis-open.org/wsfed/federation/200706',
    localName: 'SecurityTokenServiceType',
    raw: 'fed:SecurityTokenServiceType',
  });
  assert.deepEqual(
    sts.other.map((other) => other.localName),
    ['ClaimTypesOffered'],
  );

  assert.equal(idp.wantAuthnRequestsSigned, true);
  assert.equal(idp.errorURL, 'https://sts.contoso.example/error');
  assert.deepEqual(idp.protocolSupportEnumeration, ['urn:oasis:names:tc:SAML:2.0:protocol']);
  assert.deepEqual(
    idp.keyDescriptors.map((key) => [key.use, key.keyNames, key.certificates.length]),
    [['signing', ['contoso-signing-2026'], 1]],
  );
  assert.deepEqual(
    idp.endpoints.map((endpoint) => [
      endpoint.localName,
      endpoint.binding?.value.split(':').pop(),
      endpoint.location?.value,
    ]),
    [
      ['SingleLogoutService', 'HTTP-Redirect', 'https://sts.contoso.example/saml2/logout'],
      ['SingleSignOnService', 'HTTP-Redirect', 'https://sts.contoso.example/saml2'],
      // Attribute values are unescaped; their ranges still point at the raw text.
      ['SingleSignOnService', 'HTTP-POST', 'https://sts.contoso.example/saml2?binding=post&x=1'],
    ],
  );
  assert.deepEqual(
    idp.nameIDFormats.map((format) => format.value),
    ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
  );
  assert.deepEqual(
    idp.attributes.map((attribute) => [attribute.name, attribute.friendlyName]),
    [['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'First name']],
  );
  const ui = idp.extensions?.uiInfo;
  assert.deepEqual(
    ui?.displayNames.map((name) => [name.lang, name.value]),
    [
      ['en', 'Contoso & Partners'],
      ['de', 'Contoso und Partner'],
    ],
  );
  assert.deepEqual(
    ui?.descriptions.map((name) => name.value),
    ['Sign in with your Contoso account.'],
  );
  assert.deepEqual(
    ui?.logos.map((logo) => [logo.value, logo.height, logo.width, logo.lang]),
    [['https://sts.contoso.example/logo.png', 16, 16, 'en']],
  );
  assert.deepEqual(
    ui?.informationURLs.map((url) => url.value),
    ['https://contoso.example/about'],
  );
  assert.deepEqual(
    ui?.privacyStatementURLs.map((url) => url.value),
    ['https://contoso.example/privacy'],
  );
  assert.deepEqual(
    idp.extensions?.scopes.map((scope) => [scope.value, scope.regexp]),
    [['contoso.example', false]],
  );

  assert.deepEqual(
    idpEntity.other.map((other) => [other.namespaceURI, other.localName]),
    [['urn:example:custom', 'Custom']],
  );
  assert.deepEqual(
    idpEntity.organization && [
      idpEntity.organization.names[0].value,
      idpEntity.organization.displayNames[0].value,
      idpEntity.organization.urls[0].value,
    ],
    ['Contoso Ltd', 'Contoso', 'https://contoso.example/'],
  );
  assert.deepEqual(
    idpEntity.contacts.map((contact) => ({ ...contact, range: undefined })),
    [
      {
        range: undefined,
        contactType: 'technical',
        company: 'Contoso Ltd',
        givenName: 'B.',
        surName: 'Simon',
        emailAddresses: ['mailto:B.Simon@contoso.com', 'mailto:it@contoso.com'],
        telephoneNumbers: ['+1 555 0100'],
      },
    ],
  );

  const sp = spEntity.roles[0];
  assert.equal(sp.kind, 'SPSSODescriptor');
  assert.equal(sp.authnRequestsSigned, false);
  assert.equal(sp.wantAssertionsSigned, true, 'xs:boolean "1"');
  assert.deepEqual(sp.protocolSupportEnumeration, [
    'urn:oasis:names:tc:SAML:2.0:protocol',
    'urn:oasis:names:tc:SAML:1.1:protocol',
  ]);
  assert.deepEqual(
    sp.keyDescriptors.map((key) => key.use),
    [undefined],
  );
  assert.deepEqual(
    sp.endpoints.map((endpoint) => [endpoint.localName, endpoint.index, endpoint.isDefault]),
    [
      ['DiscoveryResponse', 1, undefined],
      ['AssertionConsumerService', 0, true],
      ['AssertionConsumerService', 1, undefined],
    ],
  );
  const [service] = sp.attributeConsumingServices;
  assert.deepEqual([service.index, service.isDefault, service.serviceNames[0].value], [0, true, 'Upwork Enterprise']);
  assert.deepEqual(
    service.requestedAttributes.map((attribute) => [attribute.name, attribute.isRequired]),
    [
      ['FirstName', true],
      ['LastName', false],
      ['Email', undefined],
    ],
  );

  assert.deepEqual(
    aaEntity.roles.map((role) => [role.kind, role.endpoints.map((endpoint) => endpoint.localName)]),
    [['AttributeAuthorityDescriptor', ['AttributeService']]],
  );

  assert.deepEqual(
    model.certificates.map((certificate) => [
      certificate.place,
      certificate.entityIndex,
      certificate.roleKind,
      certificate.roleIndex,
      certificate.keyUse,
    ]),
    [
      ['key-descriptor', 0, 'IDPSSODescriptor', 1, 'signing'],
      ['key-descriptor', 1, 'SPSSODescriptor', 0, undefined],
    ],
  );
});

/** Every node with a range, paired with what its text must look like. */
function* rangedNodes(model: MetadataModel): Generator<[label: string, range: Range, localName: string]> {
  for (const group of model.groups) yield ['group', group.range, 'EntitiesDescriptor'];
  for (const entity of model.entities) {
    yield ['entity', entity.range, 'EntityDescriptor'];
    for (const other of entity.other) yield ['other', other.range, other.localName];
    if (entity.organization) yield ['organization', entity.organization.range, 'Organization'];
    for (const contact of entity.contacts) yield ['contact', contact.range, 'ContactPerson'];
    if (entity.extensions) yield ['extensions', entity.extensions.range, 'Extensions'];
    for (const role of entity.roles) {
      yield ['role', role.range, role.kind];
      for (const key of role.keyDescriptors) yield ['key', key.range, 'KeyDescriptor'];
      for (const endpoint of role.endpoints) yield ['endpoint', endpoint.range, endpoint.localName];
      for (const format of role.nameIDFormats) yield ['format', format.range, 'NameIDFormat'];
      for (const attribute of role.attributes) yield ['attribute', attribute.range, 'Attribute'];
      for (const service of role.attributeConsumingServices) {
        yield ['service', service.range, 'AttributeConsumingService'];
        for (const attribute of service.requestedAttributes) yield ['requested', attribute.range, 'RequestedAttribute'];
      }
      const ui = role.extensions?.uiInfo;
      if (ui) {
        yield ['uiinfo', ui.range, 'UIInfo'];
        for (const name of ui.displayNames) yield ['displayName', name.range, 'DisplayName'];
        for (const logo of ui.logos) yield ['logo', logo.range, 'Logo'];
      }
    }
  }
  for (const certificate of model.certificates) yield ['certificate', certificate.elementRange, 'X509Certificate'];
}

for (const { name, rewrite } of spellings) {
  test(`ranges cover exactly their elements (${name}, LF and CRLF)`, () => {
    for (const text of [rewrite(fixture), rewrite(fixture).replace(/\n/g, '\r\n')]) {
      const model = modelOf(text);
      let checked = 0;
      for (const [label, range, localName] of rangedNodes(model)) {
        const slice = text.slice(range.start, range.end);
        const qualifiedName = /^<([^\s/>]+)/.exec(slice)?.[1] ?? '';
        assert.ok(
          qualifiedName === localName || qualifiedName.endsWith(`:${localName}`),
          `${label} starts with <${localName}: ${slice.slice(0, 60)}`,
        );
        assert.ok(
          slice.endsWith('/>') || slice.endsWith(`</${qualifiedName}>`),
          `${label} ends with its own end tag: …${slice.slice(-40)}`,
        );
        checked++;
      }
      // 2 groups, 3 entities, 1 unknown, 1 organization, 1 contact, 1 entity Extensions, 4 roles, 2 keys,
      // 7 endpoints, 2 NameIDFormats, 1 attribute, 1 service + 3 requested, UIInfo + 2 names + 1 logo, 2 certificates.
      assert.equal(checked, 35);
      for (const entity of model.entities) {
        assert.equal(text.slice(entity.entityID!.range.start, entity.entityID!.range.end), entity.entityID!.value);
        assert.ok(text.slice(entity.range.start, entity.startTagEnd).endsWith('>'));
      }
      for (const endpoint of model.entities.flatMap((entity) => entity.roles.flatMap((role) => role.endpoints))) {
        // Raw text between the quotes: "&amp;" stays escaped there.
        assert.equal(
          text.slice(endpoint.location!.range.start, endpoint.location!.range.end),
          endpoint.location!.value.replace(/&/g, '&amp;'),
        );
        assert.equal(text.slice(endpoint.binding!.range.start, endpoint.binding!.range.end), endpoint.binding!.value);
      }
      for (const certificate of model.certificates) {
        assert.equal(text.slice(certificate.range.start, certificate.range.end), certificate.base64);
        assert.match(certificate.base64, /^\s*MII[A-Za-z0-9+/=\s]+$/);
      }
    }
  });
}

test('the certificate text is exactly what openssl reads from the file', () => {
  const certificate = modelOf(fixture).certificates[0];
  const pem = `-----BEGIN CERTIFICATE-----\n${certificate.base64.replace(/\s+/g, '').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  const subject = execFileSync('openssl', ['x509', '-noout', '-subject'], { input: pem }).toString().trim();
  assert.equal(subject, 'subject=CN = idp.contoso.example');
});

test('text content: entities, CRLF, CDATA, comments and child markup', () => {
  const values = [
    'plain',
    'a &amp; b &#x1F600;',
    'line one\r\nline two\rthree',
    '<![CDATA[<raw> & ]]>tail',
    'be<!-- comment -->fore',
    ' spaced ',
  ];
  const text = `<EntityDescriptor xmlns="${MD}" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" entityID="e"><IDPSSODescriptor protocolSupportEnumeration="p"><saml:Attribute Name="n">${values
    .map((value) => `<saml:AttributeValue>${value}</saml:AttributeValue>`)
    .join(
      '',
    )}<saml:AttributeValue>x<child>y</child>z</saml:AttributeValue></saml:Attribute></IDPSSODescriptor></EntityDescriptor>`;
  const [attribute] = modelOf(text).entities[0].roles[0].attributes;
  // XML rules: entities decoded, CRLF and lone CR read as LF, CDATA kept literally, comments dropped;
  // the text of child elements is not part of the value.
  assert.deepEqual(attribute.values, [
    'plain',
    'a & b 😀',
    'line one\nline two\nthree',
    '<raw> & tail',
    'before',
    ' spaced ',
    'xz',
  ]);
});

test('a BOM stays at offset 0, so ranges still index the original string', () => {
  const text = `\uFEFF${fixture}`;
  const entity = modelOf(text).entities[0];
  assert.equal(
    text.slice(entity.entityID!.range.start, entity.entityID!.range.end),
    'https://sts.contoso.example/8b966979/',
  );
});

test('non-metadata XML parses to zero entities but still lists certificates', () => {
  const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r">
  <saml:Assertion ID="_a">
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIBbase64</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>
  </saml:Assertion>
</samlp:Response>`;
  const model = modelOf(response);
  assert.equal(model.entities.length, 0);
  assert.deepEqual(
    [model.root.namespaceURI, model.root.localName],
    ['urn:oasis:names:tc:SAML:2.0:protocol', 'Response'],
  );
  assert.deepEqual([model.root.range.start, model.root.range.end], [0, response.length]);
  assert.deepEqual(
    model.certificates.map((certificate) => [certificate.place, certificate.base64, certificate.entityIndex]),
    [['signature', 'MIIBbase64', undefined]],
  );
});

test('a Signature child marks its entity as signed; one elsewhere does not', () => {
  const signature =
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>';
  const text = `<EntitiesDescriptor xmlns="${MD}">${signature}<EntityDescriptor entityID="a">${signature}</EntityDescriptor><EntityDescriptor entityID="b"><Extensions>${signature}</Extensions></EntityDescriptor></EntitiesDescriptor>`;
  const model = modelOf(text);
  assert.equal(model.groups[0].signed, true);
  assert.deepEqual(
    model.entities.map((entity) => entity.signed),
    [true, false],
  );
  assert.deepEqual(
    model.certificates.map((certificate) => [certificate.place, certificate.entityID]),
    [
      ['signature', undefined],
      ['signature', 'a'],
      ['signature', 'b'],
    ],
  );
});

test('bad XML gives the XML error and the partial model read so far', () => {
  const text = `<EntitiesDescriptor xmlns="${MD}">\n<EntityDescriptor entityID="first"/>\n<EntityDescriptor entityID="second">\n</EntitiesDescriptor>`;
  const result = parseMetadata(text);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.code, XmlErrorCode.MismatchedTag);
  assert.equal(result.error.line, 4);
  assert.deepEqual(
    result.partial.entities.map((entity) => entity.entityID?.value),
    ['first', 'second'],
  );
});

test('metadata with a DOCTYPE is refused', () => {
  const result = parseMetadata(`<!DOCTYPE x [<!ENTITY e "e">]><EntityDescriptor xmlns="${MD}" entityID="&e;"/>`);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, XmlErrorCode.Doctype);
});

test('parseMetadataInWorker gives the same model as parsing in-thread, and can be cancelled', async (t) => {
  const outDir = mkdtempSync(join(tmpdir(), 'saml-lens-worker-'));
  t.after(() => rmSync(outDir, { recursive: true, force: true }));
  const workerPath = join(outDir, 'metadataWorker.js');
  buildSync({
    entryPoints: [join(repoRoot, 'src', 'features', 'metadataDocuments', 'headless', 'worker.ts')],
    bundle: true,
    platform: 'node',
    outfile: workerPath,
    logLevel: 'error',
  });

  const fromWorker = await parseMetadataInWorker(fixture, workerPath);
  // The worker answers in JSON, which drops undefined fields.
  assert.deepEqual(fromWorker, JSON.parse(JSON.stringify(parseMetadata(fixture))));

  const refused = await parseMetadataInWorker('<a><b></a>', workerPath);
  assert.equal(refused.ok, false);

  const controller = new AbortController();
  const pending = parseMetadataInWorker(fixture.repeat(1), workerPath, { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});
