import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SaxesParser } from 'saxes';
import {
  NS,
  allElements,
  allTerms,
  attributeMarkdown,
  childElements,
  lookupElement,
  lookupTerm,
  namespaceMarkdown,
  termMarkdown,
  termsOfKind,
  type TermKind,
} from '../../src/core/vocabulary';
import { corpus, skipWithout } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'metadata');

describe('lookupTerm', () => {
  // Hand-checked against SAML 2.0 Bindings/Core, XML-DSig, XML-Enc and Microsoft's claim reference.
  const cases: [
    uri: string,
    kind: TermKind,
    shortName: string,
    flags?: { insecure?: boolean; deprecated?: boolean; friendlyName?: string },
  ][] = [
    ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'binding', 'HTTP-Redirect'],
    ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'binding', 'HTTP-POST'],
    ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact', 'binding', 'HTTP-Artifact'],
    ['urn:oasis:names:tc:SAML:2.0:bindings:SOAP', 'binding', 'SOAP'],
    ['urn:oasis:names:tc:SAML:2.0:bindings:PAOS', 'binding', 'PAOS (ECP)'],
    ['urn:oasis:names:tc:SAML:2.0:bindings:URI', 'binding', 'URI'],
    ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign', 'binding', 'HTTP-POST-SimpleSign'],
    ['urn:oasis:names:tc:SAML:1.0:profiles:browser-post', 'binding', 'SAML 1.x Browser/POST'],
    ['urn:mace:shibboleth:1.0:profiles:AuthnRequest', 'binding', 'Shibboleth 1.x AuthnRequest'],
    ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', 'nameid-format', 'persistent'],
    ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'nameid-format', 'emailAddress'],
    [
      'urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress',
      'nameid-format',
      'emailAddress (2.0, non-standard)',
      { deprecated: true },
    ],
    ['urn:oasis:names:tc:SAML:2.0:attrname-format:uri', 'attrname-format', 'uri'],
    ['urn:oasis:names:tc:SAML:2.0:protocol', 'protocol', 'SAML 2.0'],
    ['urn:oasis:names:tc:SAML:2.0:status:Success', 'status', 'Success'],
    ['urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy', 'status', 'InvalidNameIDPolicy'],
    [
      'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      'authn-context',
      'PasswordProtectedTransport',
    ],
    ['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'signature-algorithm', 'RSA-SHA1', { insecure: true }],
    ['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'signature-algorithm', 'RSA-SHA256'],
    ['http://www.w3.org/2001/04/xmldsig-more#rsa-md5', 'signature-algorithm', 'RSA-MD5', { insecure: true }],
    ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', 'signature-algorithm', 'HMAC-SHA1', { insecure: true }],
    ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', 'signature-algorithm', 'HMAC-SHA256', { insecure: true }],
    ['http://www.w3.org/2000/09/xmldsig#sha1', 'digest-algorithm', 'SHA-1', { insecure: true }],
    ['http://www.w3.org/2001/04/xmlenc#sha256', 'digest-algorithm', 'SHA-256'],
    ['http://www.w3.org/2001/04/xmldsig-more#md5', 'digest-algorithm', 'MD5', { insecure: true }],
    ['http://www.w3.org/2001/10/xml-exc-c14n#', 'canonicalization', 'Exclusive C14N'],
    [
      'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
      'canonicalization',
      'Exclusive C14N with comments',
      { insecure: true },
    ],
    ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'transform', 'Enveloped signature'],
    ['http://www.w3.org/TR/1999/REC-xslt-19991116', 'transform', 'XSLT', { insecure: true }],
    ['http://www.w3.org/2001/04/xmlenc#rsa-1_5', 'encryption-algorithm', 'RSA PKCS#1 v1.5', { insecure: true }],
    ['http://www.w3.org/2001/04/xmlenc#tripledes-cbc', 'encryption-algorithm', '3DES-CBC', { insecure: true }],
    ['http://www.w3.org/2001/04/xmlenc#aes256-cbc', 'encryption-algorithm', 'AES-256-CBC', { insecure: true }],
    ['http://www.w3.org/2009/xmlenc11#aes256-gcm', 'encryption-algorithm', 'AES-256-GCM'],
    ['http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p', 'encryption-algorithm', 'RSA-OAEP (MGF1-SHA1)'],
    ['urn:oasis:names:tc:SAML:2.0:cm:bearer', 'subject-confirmation', 'bearer'],
    ['urn:oasis:names:tc:SAML:2.0:consent:obtained', 'consent', 'obtained'],
    ['http://refeds.org/category/research-and-scholarship', 'entity-category', 'REFEDS Research and Scholarship'],
    ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'claim', 'givenname'],
    ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'claim', 'surname'],
    ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'claim', 'emailaddress'],
    ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'claim', 'name'],
    ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'claim', 'upn'],
    ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'claim', 'objectidentifier'],
    ['http://schemas.microsoft.com/identity/claims/tenantid', 'claim', 'tenantid'],
    ['http://schemas.microsoft.com/identity/claims/displayname', 'claim', 'displayname'],
    ['http://schemas.microsoft.com/identity/claims/identityprovider', 'claim', 'identityprovider'],
    ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', 'claim', 'groups'],
    ['http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'claim', 'role'],
    ['http://schemas.microsoft.com/ws/2008/06/identity/claims/wids', 'claim', 'wids'],
    ['urn:oid:2.5.4.42', 'claim', 'givenName', { friendlyName: 'givenName' }],
    ['urn:oid:2.5.4.4', 'claim', 'sn', { friendlyName: 'sn' }],
    ['urn:oid:0.9.2342.19200300.100.1.3', 'claim', 'mail', { friendlyName: 'mail' }],
    ['urn:oid:2.16.840.1.113730.3.1.241', 'claim', 'displayName', { friendlyName: 'displayName' }],
    ['urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'claim', 'eduPersonPrincipalName', { friendlyName: 'eduPersonPrincipalName' }],
    [
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.9',
      'claim',
      'eduPersonScopedAffiliation',
      { friendlyName: 'eduPersonScopedAffiliation' },
    ],
    [
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.10',
      'claim',
      'eduPersonTargetedID',
      { friendlyName: 'eduPersonTargetedID', deprecated: true },
    ],
  ];
  for (const [uri, kind, shortName, flags = {}] of cases) {
    test(`${uri} is a ${kind} named ${shortName}`, () => {
      const term = lookupTerm(uri);
      assert.ok(term, `${uri} is missing`);
      assert.equal(term.kind, kind);
      assert.equal(term.shortName, shortName);
      assert.equal(term.insecure !== undefined, flags.insecure ?? false, 'insecure note');
      assert.equal(term.deprecated !== undefined, flags.deprecated ?? false, 'deprecated note');
      assert.equal(term.friendlyName, flags.friendlyName);
    });
  }

  test('tolerates surrounding whitespace but is otherwise exact', () => {
    assert.equal(lookupTerm('  urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\n')?.shortName, 'HTTP-POST');
    assert.equal(lookupTerm('urn:oasis:names:tc:SAML:2.0:bindings:http-post'), undefined);
    assert.equal(lookupTerm('urn:oasis:names:tc:SAML:2.0:bindings:'), undefined);
    assert.equal(lookupTerm(''), undefined);
  });
});

describe('termsOfKind', () => {
  test('lists every SAML 2.0 binding of the Bindings specification', () => {
    const uris = termsOfKind('binding').map((t) => t.uri);
    for (const name of ['HTTP-Redirect', 'HTTP-POST', 'HTTP-Artifact', 'SOAP', 'PAOS', 'URI', 'HTTP-POST-SimpleSign']) {
      assert.ok(uris.includes(`urn:oasis:names:tc:SAML:2.0:bindings:${name}`), name);
    }
  });

  test('lists all second-level status codes of SAML 2.0 Core §3.2.2.2 (19 codes) and the 4 top-level ones', () => {
    assert.equal(termsOfKind('status').length, 23);
  });

  test('lists the 7 consent identifiers of SAML 2.0 Core §8.4', () => {
    assert.equal(termsOfKind('consent').length, 7);
  });

  test('every term is in its own kind and has a one- or two-sentence description', () => {
    for (const term of allTerms()) {
      assert.ok(termsOfKind(term.kind).includes(term), term.uri);
      const sentences = term.description.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      assert.ok(term.description.endsWith('.') && sentences <= 2, `${term.uri}: "${term.description}"`);
      assert.ok(term.shortName.length > 0 && term.shortName.length <= 45, term.uri);
    }
  });
});

describe('namespaceMarkdown', () => {
  test('explains the SAML family namespaces and nothing else', () => {
    assert.match(namespaceMarkdown('urn:oasis:names:tc:SAML:2.0:metadata') ?? '', /^\*\*md\*\* namespace/);
    assert.match(namespaceMarkdown('http://www.w3.org/2000/09/xmldsig#') ?? '', /XML Signature/);
    assert.equal(namespaceMarkdown('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'), undefined);
    assert.equal(namespaceMarkdown('http://www.w3.org/2000/09/xmldsig'), undefined);
  });
});

describe('markdown', () => {
  test('an attribute with a fixed list of values lists them', () => {
    const keyDescriptor = lookupElement(NS.md, 'KeyDescriptor')!;
    const use = keyDescriptor.attributes!.find((attribute) => attribute.name === 'use')!;
    assert.equal(attributeMarkdown(keyDescriptor, use).split('\n').at(-1), 'Values: `signing`, `encryption`');
  });

  test('an insecure term carries its warning, a friendly name its FriendlyName', () => {
    assert.match(termMarkdown(lookupTerm('http://www.w3.org/2001/04/xmlenc#rsa-1_5')!), /Insecure.*Bleichenbacher/);
    assert.match(termMarkdown(lookupTerm('urn:oid:2.5.4.42')!), /FriendlyName: `givenName`/);
  });
});

describe('element docs', () => {
  // Child order from saml-schema-metadata-2.0.xsd / saml-schema-assertion-2.0.xsd, written out by hand.
  const schemaOrder: [ns: string, name: string, children: string[]][] = [
    [
      NS.md,
      'EntityDescriptor',
      [
        'Signature',
        'Extensions',
        'RoleDescriptor',
        'IDPSSODescriptor',
        'SPSSODescriptor',
        'AuthnAuthorityDescriptor',
        'AttributeAuthorityDescriptor',
        'PDPDescriptor',
        'AffiliationDescriptor',
        'Organization',
        'ContactPerson',
        'AdditionalMetadataLocation',
      ],
    ],
    [
      NS.md,
      'SPSSODescriptor',
      [
        'Signature',
        'Extensions',
        'KeyDescriptor',
        'Organization',
        'ContactPerson',
        'ArtifactResolutionService',
        'SingleLogoutService',
        'ManageNameIDService',
        'NameIDFormat',
        'AssertionConsumerService',
        'AttributeConsumingService',
      ],
    ],
    [
      NS.md,
      'IDPSSODescriptor',
      [
        'Signature',
        'Extensions',
        'KeyDescriptor',
        'Organization',
        'ContactPerson',
        'ArtifactResolutionService',
        'SingleLogoutService',
        'ManageNameIDService',
        'NameIDFormat',
        'SingleSignOnService',
        'NameIDMappingService',
        'AssertionIDRequestService',
        'AttributeProfile',
        'Attribute',
      ],
    ],
    [NS.md, 'AttributeConsumingService', ['ServiceName', 'ServiceDescription', 'RequestedAttribute']],
    [NS.md, 'ContactPerson', ['Extensions', 'Company', 'GivenName', 'SurName', 'EmailAddress', 'TelephoneNumber']],
    [NS.md, 'Organization', ['Extensions', 'OrganizationName', 'OrganizationDisplayName', 'OrganizationURL']],
    [
      NS.saml,
      'Assertion',
      [
        'Issuer',
        'Signature',
        'Subject',
        'Conditions',
        'Advice',
        'Statement',
        'AuthnStatement',
        'AuthzDecisionStatement',
        'AttributeStatement',
      ],
    ],
    [NS.saml, 'Subject', ['BaseID', 'NameID', 'EncryptedID', 'SubjectConfirmation']],
    [NS.samlp, 'Response', ['Issuer', 'Signature', 'Extensions', 'Status', 'Assertion', 'EncryptedAssertion']],
  ];
  for (const [ns, name, children] of schemaOrder) {
    test(`${name} lists its children in schema order`, () => {
      assert.deepEqual(lookupElement(ns, name)?.children, children);
    });
  }

  test('lookups use the namespace, not just the local name', () => {
    assert.equal(lookupElement(NS.saml, 'EntityDescriptor'), undefined);
    assert.equal(lookupElement('', 'Assertion'), undefined);
    assert.notEqual(lookupElement(NS.md, 'Extensions'), lookupElement(NS.samlp, 'Extensions'));
  });

  test('every listed child name resolves to a documented element, in the expected namespace', () => {
    for (const element of allElements()) {
      const resolved = childElements(element);
      assert.deepEqual(
        resolved.map((c) => c.localName),
        element.children ?? [],
        `${element.localName}: an undocumented child`,
      );
    }
    const nsOf = (parentNs: string, parent: string, child: string) =>
      childElements(lookupElement(parentNs, parent)!).find((c) => c.localName === child)?.namespaceUri;
    assert.equal(nsOf(NS.md, 'IDPSSODescriptor', 'Attribute'), NS.saml);
    assert.equal(nsOf(NS.md, 'IDPSSODescriptor', 'Signature'), NS.ds);
    assert.equal(nsOf(NS.md, 'KeyDescriptor', 'EncryptionMethod'), NS.md);
    assert.equal(nsOf(NS.md, 'Extensions', 'DigestMethod'), NS.alg);
    assert.equal(nsOf(NS.md, 'Extensions', 'UIInfo'), NS.mdui);
    assert.equal(nsOf(NS.ds, 'Reference', 'DigestMethod'), NS.ds);
    assert.equal(nsOf(NS.samlp, 'Response', 'Extensions'), NS.samlp);
    assert.equal(nsOf(NS.samlp, 'Response', 'Issuer'), NS.saml);
  });

  test('attribute value kinds name existing kinds', () => {
    for (const element of allElements()) {
      for (const attribute of element.attributes ?? []) {
        if (typeof attribute.values === 'string')
          assert.ok(termsOfKind(attribute.values).length > 0, `${element.localName}@${attribute.name}`);
      }
    }
  });
});

/** Choices in the schemas whose members may come in any order. */
const UNORDERED_GROUPS: string[][] = [
  [
    'RoleDescriptor',
    'IDPSSODescriptor',
    'SPSSODescriptor',
    'AuthnAuthorityDescriptor',
    'AttributeAuthorityDescriptor',
    'PDPDescriptor',
  ],
  ['DisplayName', 'Description', 'Keywords', 'Logo', 'InformationURL', 'PrivacyStatementURL'],
  ['IPHint', 'DomainHint', 'GeolocationHint'],
  [
    'UIInfo',
    'DiscoHints',
    'RegistrationInfo',
    'PublicationInfo',
    'EntityAttributes',
    'Scope',
    'DigestMethod',
    'SigningMethod',
    'DiscoveryResponse',
    'RequestInitiator',
  ],
  ['Attribute', 'Assertion'],
  ['KeyName', 'KeyValue', 'RetrievalMethod', 'X509Data'],
  ['X509IssuerSerial', 'X509SKI', 'X509SubjectName', 'X509Certificate', 'X509CRL'],
];

/** Schema violations that really are in the corpus (checked by hand); finding them shows the check works. */
const KNOWN_CORPUS_VIOLATIONS = [
  // samlify's test IdPs put KeyInfo in the metadata namespace and SingleLogoutService after SingleSignOnService.
  ...['idp-crlf-keyinfo-wrong-namespace-samlify.xml', 'idp-rolling-signing-certs-samlify.xml'].flatMap((file) => [
    `undocumented urn:oasis:names:tc:SAML:2.0:metadata KeyInfo (${file})`,
    `undocumented urn:oasis:names:tc:SAML:2.0:metadata X509Data (${file})`,
    `undocumented urn:oasis:names:tc:SAML:2.0:metadata X509Certificate (${file})`,
    `IDPSSODescriptor > SingleLogoutService: out of schema order (${file})`,
  ]),
];

describe('real-world metadata corpus', () => {
  const documentedNamespaces = new Set<string>([
    NS.md,
    NS.saml,
    NS.ds,
    NS.mdui,
    NS.mdrpi,
    NS.mdattr,
    NS.shibmd,
    NS.alg,
    NS.idpdisc,
    NS.init,
  ]);

  test('every element is documented, allowed by its parent and in schema order; every URI is known', (t) => {
    if (skipWithout(t, corpus('metadata'))) return;
    const problems = new Set<string>();
    const unknownUris = new Set<string>();
    const files = readdirSync(corpusDir).filter((f) => f.endsWith('.xml') && !f.startsWith('malformed-'));
    assert.ok(files.length > 20);
    for (const file of files) {
      const parser = new SaxesParser({ xmlns: true });
      const stack: { ns: string; local: string; lastRank: number; text: string }[] = [];
      parser.on('opentag', (node) => {
        const parent = stack[stack.length - 1];
        if (parent && documentedNamespaces.has(node.uri) && documentedNamespaces.has(parent.ns)) {
          const parentDoc = lookupElement(parent.ns, parent.local);
          const allowed = parentDoc?.children;
          if (allowed?.length) {
            const group = UNORDERED_GROUPS.find((g) => g.includes(node.local));
            const rank = Math.min(
              ...(group ?? [node.local]).map((name) => allowed.indexOf(name)).filter((i) => i >= 0),
            );
            if (!Number.isFinite(rank)) problems.add(`${parent.local} > ${node.local}: not an allowed child (${file})`);
            else if (rank < parent.lastRank)
              problems.add(`${parent.local} > ${node.local}: out of schema order (${file})`);
            else parent.lastRank = rank;
          }
        }
        if (documentedNamespaces.has(node.uri) && !lookupElement(node.uri, node.local))
          problems.add(`undocumented ${node.uri} ${node.local} (${file})`);
        for (const attr of Object.values(node.attributes)) {
          if (['Binding', 'Algorithm'].includes(attr.local)) checkUri(attr.value);
          if (attr.local === 'protocolSupportEnumeration') attr.value.split(/\s+/).filter(Boolean).forEach(checkUri);
        }
        stack.push({ ns: node.uri, local: node.local, lastRank: -1, text: '' });
      });
      parser.on('text', (text) => {
        if (stack.length) stack[stack.length - 1].text += text;
      });
      parser.on('closetag', () => {
        const closed = stack.pop()!;
        if (closed.ns === NS.md && closed.local === 'NameIDFormat' && closed.text.trim()) checkUri(closed.text);
      });
      parser.write(readFileSync(path.join(corpusDir, file), 'utf8').replace(/^\uFEFF/, '')).close();
    }
    function checkUri(uri: string) {
      if (!lookupTerm(uri)) unknownUris.add(uri.trim());
    }
    assert.deepEqual([...problems].sort(), [...KNOWN_CORPUS_VIOLATIONS].sort());
    // Line breaks inside URIs in real files (e.g. shibboleth-sp-uu-se-swamid.xml wraps "urn\n:oasis:…").
    const wrappedInCorpus = [
      'urn',
      ':oasis:names:tc:SAML:1.0:protocol',
      'urn:oasis:names:tc:SAML:pr ofiles:SSO:request-init',
      'urn:oasis :names:tc:SAML:profiles:SSO:idp-discovery-protocol',
    ];
    assert.deepEqual([...unknownUris].sort(), wrappedInCorpus.sort());
  });
});
