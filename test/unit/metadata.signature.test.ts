// Metadata signature status. Every signed file of the corpus has its expected status and the reason,
// found by running xmlsec1 by hand (see EXPECTED); the cryptography is compared with `xmlsec1 --verify`
// on each of them; and the project's own signed metadata, edited after signing, breaks as xmlsec1 says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { signMetadata } from '../../src/core/build/signMetadata';
import { checkMetadataSignatures, type MetadataSignatureStatus } from '../../src/core/metadata/signature';
import { cryptographicCheck } from '../../src/core/validate/signatures';
import { signatureElementSpan } from '../../src/features/metadataSignatures/headless/answer';
import { loadXmlDocument } from '../../src/core/xml/messageDocument';
import { opensslFingerprint, xmlsec1Verify } from '../fixtures/builder/peers';
import { makeRsaKeyPair } from '../fixtures/builder/keys';
import { corpus, corpusRoot, OPENSSL, skipWithout, XMLSEC1 } from '../requirements';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const ID_ATTRIBUTES = [`${MD}:EntityDescriptor`, `${MD}:EntitiesDescriptor`];
const metadataFolder = path.join(corpusRoot, 'metadata');

/**
 * The signed files of the corpus, each with its expected status and why. xmlsec1's own answer with
 * the certificate in the file's KeyInfo (or, where there is none, with an unrelated key, to read
 * its "SignedInfo References (ok/all)" line) is noted with each.
 */
const EXPECTED: Record<string, { state: MetadataSignatureStatus['state']; reasons?: string[]; why: string }> = {
  'adfs-federationmetadata-sts-unilever.xml': {
    state: 'broken',
    reasons: ['digest-mismatch'],
    why: 'SOURCES.md: the entityID was rewritten after ADFS signed it; xmlsec1: "data and digest do not match"',
  },
  'adfs-federationmetadata-ucar.xml': {
    state: 'integrity-only',
    why: 'xmlsec1 verifies it with the "ADFS Signing - sts.ucar.edu" certificate it carries',
  },
  'azure-ad-app-saml-signing-cert-federationmetadata.xml': {
    state: 'integrity-only',
    why: 'xmlsec1 verifies it with the "Microsoft Azure Federated SSO Certificate" it carries',
  },
  'azure-ad-tenant-federationmetadata.xml': {
    state: 'integrity-only',
    why: 'xmlsec1 verifies it with the "accounts.accesscontrol.windows.net" certificate it carries',
  },
  'incommon-aggregate-2010.xml': {
    state: 'broken',
    reasons: ['with-comments', 'with-comments'],
    why: 'SignedInfo and the Reference both use exc-c14n#WithComments (refused before any cryptography); the file was also re-indented after signing: xmlsec1 finds a SHA-1 digest mismatch',
  },
  'sambi-aggregate-2014.xml': {
    state: 'broken',
    reasons: ['digest-mismatch'],
    why: 'no KeyInfo, but no key is needed to see that the content changed: xmlsec1 reports "data and digest do not match" (References 0/1)',
  },
  'skolfederation-aggregate-2014.xml': {
    state: 'no-key',
    why: 'no KeyInfo and no key pinned; the digest matches (xmlsec1 References 1/1 with an unrelated key, whose signature check then fails)',
  },
  'sp-signed-metadata-validuntil.xml': {
    state: 'integrity-only',
    why: 'xmlsec1 verifies it with the feide.erlang.no certificate it carries; rsa-sha1 and sha1 are warnings',
  },
  'swamid-1.0-aggregate.xml': {
    state: 'broken',
    reasons: ['with-comments'],
    why: 'the Reference transform is exc-c14n#WithComments, which the rules refuse; xmlsec1 verifies the cryptography',
  },
  'swamid-kalmar-1.0-aggregate-2010.xml': {
    state: 'broken',
    reasons: ['with-comments'],
    why: 'the Reference transform is exc-c14n#WithComments, which the rules refuse; xmlsec1 verifies the cryptography',
  },
};

function rootSignature(xml: string): Element {
  const loaded = loadXmlDocument(xml);
  assert.ok(loaded.ok);
  const root = loaded.document.documentElement;
  for (let node = root.firstChild; node; node = node.nextSibling)
    if (node.nodeType === 1 && (node as Element).namespaceURI === DS && (node as Element).localName === 'Signature')
      return node as Element;
  throw new Error('no root signature');
}

function carriedCertificatePem(signature: Element): string | undefined {
  const element = signature.getElementsByTagNameNS(DS, 'X509Certificate')[0];
  if (!element) return undefined;
  const base64 = (element.textContent ?? '').replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

function status(xml: string, signers = {}): MetadataSignatureStatus {
  const result = checkMetadataSignatures(xml, signers);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.report.root;
}

test('every signed file of the corpus has its expected status and reason', (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  const signed = readdirSync(metadataFolder).filter(
    (name) => name.endsWith('.xml') && readFileSync(path.join(metadataFolder, name), 'utf8').includes(DS + '"'),
  );
  const withRootSignature = signed.filter((name) => {
    const result = checkMetadataSignatures(readFileSync(path.join(metadataFolder, name), 'utf8'));
    return result.ok && result.report.root.state !== 'unsigned';
  });
  assert.deepEqual(withRootSignature.sort(), Object.keys(EXPECTED).sort(), 'every signed corpus file is listed');
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const root = status(readFileSync(path.join(metadataFolder, name), 'utf8'));
    assert.equal(root.state, expected.state, `${name}: ${expected.why}\n${root.message}`);
    assert.deepEqual(
      root.reasons.map((r) => r.reason),
      expected.reasons ?? [],
      name,
    );
  }
});

test('the messages say what each state proves', (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  const read = (name: string) => status(readFileSync(path.join(metadataFolder, name), 'utf8'));
  const ucar = read('adfs-federationmetadata-ucar.xml');
  assert.match(ucar.message, /not who signed it/);
  assert.equal(ucar.certificate?.subject, 'CN=ADFS Signing - sts.ucar.edu');
  assert.match(read('skolfederation-aggregate-2014.xml').message, /no key to check the signature/);
  assert.match(read('swamid-1.0-aggregate.xml').message, /broken: #WithComments/);
  const feide = read('sp-signed-metadata-validuntil.xml');
  assert.equal(feide.warnings.length, 2, 'rsa-sha1 and sha1 digest');
  assert.ok(feide.warnings.every((w) => /SHA-1/.test(w)));
});

test('the cryptographic result on every signed corpus file equals xmlsec1 --verify', { timeout: 300_000 }, (t) => {
  if (skipWithout(t, corpus('metadata'), XMLSEC1)) return;
  // Where a file carries no certificate, an unrelated one is used: only the digest can agree then.
  const unrelated = makeRsaKeyPair('unrelated.test').certificatePem;
  for (const name of Object.keys(EXPECTED)) {
    const xml = readFileSync(path.join(metadataFolder, name), 'utf8');
    const signature = rootSignature(xml);
    const certificatePem = carriedCertificatePem(signature) ?? unrelated;
    const ours = cryptographicCheck(signature, certificatePem);
    const theirs = xmlsec1Verify(xml, certificatePem, ID_ATTRIBUTES, undefined, { ignoreKeyInfo: true });
    const references = /SignedInfo References \(ok\/all\): (\d+)\/(\d+)/.exec(theirs.output);
    assert.ok(references, `${name}: xmlsec1 printed its reference count\n${theirs.output}`);
    assert.equal(ours.digestMatches, references[1] === references[2], `${name}: digest\n${theirs.output}`);
    assert.equal(ours.digestMatches && ours.signatureValid, theirs.ok, `${name}: signature\n${theirs.output}`);
  }
});

const signer = makeRsaKeyPair('metadata-signer.test');
const entityId = 'https://sp.example.org/saml';
const unsignedMetadata = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${MD}" entityID="${entityId}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="${DS}"><ds:KeyName>sp-signing</ds:KeyName></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.org/acs" index="0"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;

function signed(): string {
  const result = signMetadata(unsignedMetadata, signer);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.xml;
}

function xmlsec1(xml: string): boolean {
  return xmlsec1Verify(xml, signer.certificatePem, ID_ATTRIBUTES, undefined, { ignoreKeyInfo: true }).ok;
}

/** Each edit to the project's own signed metadata, with the status and reasons read from the edit. */
const EDITS: { name: string; edit: (xml: string) => string; state: string; reasons: string[] }[] = [
  { name: 'as signed', edit: (xml) => xml, state: 'integrity-only', reasons: [] },
  {
    name: 'one byte of an endpoint URL',
    edit: (xml) => xml.replace('https://sp.example.org/acs', 'https://sp.example.org/acz'),
    state: 'broken',
    reasons: ['digest-mismatch'],
  },
  {
    name: 'one attribute added',
    edit: (xml) => xml.replace('index="0"', 'index="0" isDefault="true"'),
    state: 'broken',
    reasons: ['digest-mismatch'],
  },
  {
    name: 'the namespace a KeyInfo is declared in',
    edit: (xml) =>
      xml.replace(
        `<ds:KeyInfo xmlns:ds="${DS}"><ds:KeyName>`,
        '<ds:KeyInfo xmlns:ds="urn:example:not-dsig"><ds:KeyName>',
      ),
    state: 'broken',
    reasons: ['digest-mismatch'],
  },
  {
    // Exclusive canonicalisation leaves out declarations no element or attribute uses (W3C exc-c14n §3).
    name: 'an unused namespace declaration added to the root',
    edit: (xml) => xml.replace('<md:EntityDescriptor ', '<md:EntityDescriptor xmlns:unused="urn:example:unused" '),
    state: 'integrity-only',
    reasons: [],
  },
  {
    // Changing SignedInfo also breaks the SignatureValue, which is why xmlsec1 fails these too.
    name: 'the SignatureMethod changed to RSA-PSS',
    edit: (xml) =>
      xml.replace(
        'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
      ),
    state: 'broken',
    reasons: ['unsupported-algorithm'],
  },
  {
    name: 'the CanonicalizationMethod changed to exclusive c14n #WithComments',
    edit: (xml) =>
      xml.replace(
        '<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
        '<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments"/>',
      ),
    state: 'broken',
    reasons: ['with-comments'],
  },
  {
    name: "the root's ID, which the Reference names",
    edit: (xml) => xml.replace(/ ID="([^"]+)"/, ' ID="$1x"'),
    state: 'broken',
    reasons: ['wrong-reference'],
  },
];

test('the project’s signed metadata, edited after signing, breaks as xmlsec1 says', { timeout: 120_000 }, (t) => {
  if (skipWithout(t, XMLSEC1)) return;
  const original = signed();
  for (const { name, edit, state, reasons } of EDITS) {
    const xml = edit(original);
    if (name !== 'as signed') assert.notEqual(xml, original, `${name}: the edit applies`);
    const root = status(xml);
    assert.equal(root.state, state, `${name}: ${root.message}`);
    assert.deepEqual(
      root.reasons.map((r) => r.reason),
      reasons,
      name,
    );
    assert.equal(xmlsec1(xml), state !== 'broken', `${name}: xmlsec1 agrees`);
  }
});

test('a pinned certificate or SHA-256 fingerprint makes it trusted; another pinned one does not', (t) => {
  if (skipWithout(t, OPENSSL)) return;
  const xml = signed();
  const fingerprint = opensslFingerprint(signer.certificatePem, 'sha256');
  const byCertificate = status(xml, {
    signers: [{ kind: 'certificate', pem: signer.certificatePem, source: 'signer.pem' }],
  });
  assert.equal(byCertificate.state, 'trusted', byCertificate.message);
  assert.equal(byCertificate.certificate?.sha256, fingerprint);
  const byFingerprint = status(xml, {
    signers: [{ kind: 'fingerprint', fingerprint: { algorithm: 'sha256', hex: fingerprint }, source: 'settings' }],
  });
  assert.equal(byFingerprint.state, 'trusted', byFingerprint.message);
  const forAnotherEntity = status(xml, {
    signers: [
      { kind: 'certificate', pem: signer.certificatePem, source: 'signer.pem', entityId: 'https://other.example.org' },
    ],
  });
  assert.equal(forAnotherEntity.state, 'integrity-only', 'a signer pinned for another entityID does not apply');
  const other = makeRsaKeyPair('someone-else.test');
  const wrongSigner = status(xml, {
    signers: [{ kind: 'certificate', pem: other.certificatePem, source: 'other.pem' }],
  });
  assert.equal(wrongSigner.state, 'integrity-only');
  assert.match(wrongSigner.message, /It was not signed by the certificate pinned for it/);
});

test('an unsigned document, and inputs that are not metadata, are named precisely', () => {
  assert.equal(status(unsignedMetadata).state, 'unsigned');
  const notMetadata = checkMetadataSignatures('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>');
  assert.deepEqual(notMetadata, {
    ok: false,
    message:
      'The root element is <samlp:Response>, not a SAML metadata EntityDescriptor or EntitiesDescriptor (urn:oasis:names:tc:SAML:2.0:metadata).',
  });
  const notXml = checkMetadataSignatures('<md:EntityDescriptor');
  assert.equal(notXml.ok, false);
  assert.match(notXml.ok ? '' : notXml.message, /^The metadata cannot be read as XML: /);
});

test('a signed EntityDescriptor inside an aggregate gets its own status', () => {
  const entity = signed().replace(/^<\?xml[^>]*>\s*/, '');
  const aggregate = `<md:EntitiesDescriptor xmlns:md="${MD}" Name="urn:example:federation">${entity}</md:EntitiesDescriptor>`;
  const result = checkMetadataSignatures(aggregate);
  assert.ok(result.ok);
  assert.equal(result.report.root.state, 'unsigned');
  assert.equal(result.report.entities.length, 1);
  assert.equal(result.report.entities[0].name, entityId);
  assert.equal(result.report.entities[0].state, 'integrity-only', result.report.entities[0].message);
});

test('Remove signature deletes exactly the Signature element, and its own line when it has one', () => {
  const value = '<ds:SignatureValue>AA==</ds:SignatureValue>';
  const own = `<md:EntityDescriptor>\n  <ds:Signature>${value}</ds:Signature >\n  <md:Extensions/>\n</md:EntityDescriptor>`;
  const span = signatureElementSpan(own, own.indexOf('<ds:Signature'))!;
  assert.equal(
    own.slice(0, span.start) + own.slice(span.end),
    '<md:EntityDescriptor>\n  <md:Extensions/>\n</md:EntityDescriptor>',
  );
  const inline = `<EntityDescriptor>  <Signature xmlns="${DS}">${value}</Signature><Extensions/></EntityDescriptor>`;
  const inlineSpan = signatureElementSpan(inline, inline.indexOf('<Signature'))!;
  assert.equal(
    inline.slice(0, inlineSpan.start) + inline.slice(inlineSpan.end),
    '<EntityDescriptor>  <Extensions/></EntityDescriptor>',
  );
  assert.equal(signatureElementSpan(inline, 0), undefined, 'no Signature start tag there');
  assert.equal(signatureElementSpan('<ds:Signature><ds:SignatureValue/>', 0), undefined, 'no end tag');
});
