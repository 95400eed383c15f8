// Signing metadata documents: xmlsec1 verifies every output with the certificate (and rejects it
// once a byte of signed content changes), xmllint confirms the Signature is the root's first
// child and the root's ID, and every bad input gets its own message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateCertificate } from '../../src/core/build/certificate';
import { signMetadata, verifyMetadataSignature } from '../../src/core/build/signMetadata';
import { withTempDir, xmlsec1Verify } from '../fixtures/builder/peers';
import { corpus, corpusRoot, skipWithout, XMLLINT, XMLSEC1 } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

function rsaPair(commonName: string) {
  const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const { certificatePem } = generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName },
      notBefore: new Date('2026-11-29T00:00:00Z'),
      notAfter: new Date('2029-11-29T00:00:00Z'),
      privateKeyPem,
    },
  );
  return { privateKeyPem, certificatePem };
}

const signer = rsaPair('metadata-signer.test');
const otherSigner = rsaPair('someone-else.test');

/** xmllint's answer to an XPath expression over the document (independent of xmldom). */
function xpath(xml: string, expression: string): string {
  return withTempDir((dir) => {
    const file = path.join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const result = spawnSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim();
  });
}

const spMetadata = readFileSync(path.join(repoRoot, 'samples', 'upwork-enterprise', 'sp-metadata.xml'), 'utf8');
const entraMetadata = readFileSync(
  path.join(repoRoot, 'samples', 'entra-id', 'UpworkEnterprise-FederationMetadata.xml'),
  'utf8',
);
const aggregate = `<?xml version="1.0"?>
<md:EntitiesDescriptor xmlns:md="${MD}" Name="https://federation.example.org/test">
  <md:EntityDescriptor entityID="https://sp1.example.org/saml">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp1.example.org/acs" index="0"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>
  <md:EntityDescriptor entityID="https://sp2.example.org/saml">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp2.example.org/acs" index="0"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>
</md:EntitiesDescriptor>
`;

const GOOD_CASES = [
  {
    name: 'SP metadata without an ID',
    xml: spMetadata,
    root: 'EntityDescriptor',
    addedId: true,
    replacedSignature: false,
    keptId: undefined,
  },
  {
    name: 'Entra ID metadata already signed by another key',
    xml: entraMetadata,
    root: 'EntityDescriptor',
    addedId: false,
    replacedSignature: true,
    keptId: '_0e8a628a-f762-41b2-ab1d-1cbdcd037f58',
  },
  {
    name: 'an EntitiesDescriptor aggregate',
    xml: aggregate,
    root: 'EntitiesDescriptor',
    addedId: true,
    replacedSignature: false,
    keptId: undefined,
  },
  {
    name: 'SP metadata with CRLF line endings',
    xml: spMetadata.replace(/\n/g, '\r\n'),
    root: 'EntityDescriptor',
    addedId: true,
    replacedSignature: false,
    keptId: undefined,
  },
];

for (const c of GOOD_CASES) {
  test(`signMetadata: ${c.name} → xmlsec1 verifies; Signature first; one root signature`, (t) => {
    if (skipWithout(t, XMLSEC1, XMLLINT)) return;
    const signed = signMetadata(c.xml, signer);
    assert.ok(signed.ok, signed.ok ? '' : signed.message);
    assert.equal(signed.addedId, c.addedId);
    assert.equal(signed.replacedSignature, c.replacedSignature);
    if (c.keptId) assert.equal(signed.id, c.keptId);
    assert.match(signed.id, /^_[0-9a-f]{32}$|^_0e8a628a/);

    const verified = xmlsec1Verify(signed.xml, signer.certificatePem, `${MD}:${c.root}`);
    assert.ok(verified.ok, verified.output);
    assert.equal(xpath(signed.xml, `local-name(/*/*[1])`), 'Signature');
    assert.equal(xpath(signed.xml, `count(/*/*[local-name()='Signature'])`), '1');
    assert.equal(xpath(signed.xml, `string(/*/@ID)`), signed.id);
    assert.equal(
      xpath(signed.xml, `string(/*/*[1]/*[local-name()='SignedInfo']/*[local-name()='SignatureMethod']/@Algorithm)`),
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    );
    assert.equal(
      xpath(
        signed.xml,
        `string(/*/*[1]/*[local-name()='SignedInfo']/*[local-name()='CanonicalizationMethod']/@Algorithm)`,
      ),
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    );
    // The entity content is unchanged: same entityIDs in the same order.
    assert.equal(
      xpath(signed.xml, `string(//*[local-name()='EntityDescriptor'][last()]/@entityID)`),
      xpath(c.xml.replace(/\r\n/g, '\n'), `string(//*[local-name()='EntityDescriptor'][last()]/@entityID)`),
    );

    // A changed byte of signed content: xmlsec1 and our own check both reject it.
    const tampered = signed.xml.replace('https://', 'https://evil.');
    assert.notEqual(tampered, signed.xml);
    assert.equal(xmlsec1Verify(tampered, signer.certificatePem, `${MD}:${c.root}`).ok, false);
    assert.equal(verifyMetadataSignature(tampered, signer.certificatePem).ok, false);
    // Another certificate does not verify it.
    assert.equal(xmlsec1Verify(signed.xml, otherSigner.certificatePem, `${MD}:${c.root}`).ok, false);
  });
}

test('signMetadata: signing the signed output again gives the same bytes (the old signature is replaced, not stacked)', () => {
  const once = signMetadata(spMetadata, signer);
  assert.ok(once.ok);
  const twice = signMetadata(once.xml, signer);
  assert.ok(twice.ok);
  assert.equal(twice.replacedSignature, true);
  assert.equal(twice.addedId, false);
  assert.equal(twice.xml, once.xml);
});

const ecPrivateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ecCertificatePem = generateCertificate(
  { keyType: 'ec', curve: 'P-256' },
  {
    subject: { commonName: 'ec.test' },
    notBefore: new Date('2026-11-29T00:00:00Z'),
    notAfter: new Date('2027-11-29T00:00:00Z'),
    privateKeyPem: ecPrivateKeyPem,
  },
).certificatePem;

const BAD_CASES: {
  name: string;
  xml: string;
  key?: { privateKeyPem: string; certificatePem: string };
  message: RegExp;
}[] = [
  {
    name: 'an EC key',
    xml: spMetadata,
    key: { privateKeyPem: ecPrivateKeyPem, certificatePem: ecCertificatePem },
    message: /RSA-SHA256, which needs an RSA key; this key is EC/,
  },
  {
    name: 'a key that does not belong to the certificate',
    xml: spMetadata,
    key: { privateKeyPem: signer.privateKeyPem, certificatePem: otherSigner.certificatePem },
    message: /does not belong to the certificate \(CN=someone-else\.test\)/,
  },
  {
    name: 'a private key that is not PEM',
    xml: spMetadata,
    key: { privateKeyPem: 'not a key', certificatePem: signer.certificatePem },
    message: /private key cannot be read/,
  },
  {
    name: 'a certificate file without a certificate',
    xml: spMetadata,
    key: { privateKeyPem: signer.privateKeyPem, certificatePem: 'hello' },
    message: /no "BEGIN CERTIFICATE" block/,
  },
  {
    name: 'a truncated certificate',
    xml: spMetadata,
    key: {
      privateKeyPem: signer.privateKeyPem,
      certificatePem: signer.certificatePem.slice(0, 200) + '\n-----END CERTIFICATE-----\n',
    },
    message: /certificate cannot be read/,
  },
  {
    name: 'a SAML Response',
    xml: '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r"><x/></samlp:Response>',
    message: /root element is \{urn:oasis:names:tc:SAML:2\.0:protocol\}Response, not an md:EntityDescriptor/,
  },
  {
    name: 'an EntityDescriptor without the metadata namespace',
    xml: '<EntityDescriptor entityID="x"><a/></EntityDescriptor>',
    message: /root element is \{\}EntityDescriptor/,
  },
  {
    name: 'a DOCTYPE',
    xml: `<!DOCTYPE md:EntityDescriptor [<!ENTITY x "y">]>\n${spMetadata.replace(/^<\?xml[^>]*>\n/, '')}`,
    message: /not well-formed XML.*DOCTYPE/i,
  },
  {
    name: 'malformed XML',
    xml: spMetadata.replace('</md:SPSSODescriptor>', ''),
    message: /not well-formed XML \(line \d+, column \d+\)/,
  },
  {
    name: 'an ID that is not an NCName',
    xml: spMetadata.replace('entityID=', 'ID="1 bad" entityID='),
    message: /ID "1 bad" is not a valid XML ID/,
  },
  {
    name: 'the root ID repeated on a child',
    xml: spMetadata
      .replace('entityID=', 'ID="_same" entityID=')
      .replace('<md:SPSSODescriptor ', '<md:SPSSODescriptor ID="_same" '),
    message: /ID "_same" appears on more than one element/,
  },
  {
    name: 'an empty EntityDescriptor',
    xml: `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://x.example/"/>`,
    message: /has no child elements; there is nothing to sign/,
  },
];

for (const c of BAD_CASES) {
  test(`signMetadata refuses ${c.name} with a specific message`, () => {
    const result = signMetadata(c.xml, c.key ?? signer);
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, c.message);
  });
}

test('verifyMetadataSignature: a Signature moved after the first child and a document without a signature are refused', () => {
  const signed = signMetadata(spMetadata, signer);
  assert.ok(signed.ok);
  const signature = /<Signature[\s\S]*<\/Signature>/.exec(signed.xml)![0];
  const moved = signed.xml.replace(signature, '').replace('</md:SPSSODescriptor>', `</md:SPSSODescriptor>${signature}`);
  assert.match(
    (verifyMetadataSignature(moved, signer.certificatePem) as { message: string }).message,
    /not the first child/,
  );
  assert.match(
    (verifyMetadataSignature(spMetadata, signer.certificatePem) as { message: string }).message,
    /has 0 Signature children/,
  );
});

const corpusDir = path.join(corpusRoot, 'metadata');
/** Corpus files that are not signable metadata, and why (see SOURCES.md there). */
const CORPUS_REFUSALS: Record<string, RegExp> = {
  'malformed-two-root-entitydescriptors-samlify.xml': /not well-formed XML \(line 20, column 1\).*second root element/,
  'sp-unqualified-no-namespace-crlf-samlify.xml': /root element is \{\}EntityDescriptor/,
};

test('signMetadata over the real-world metadata corpus: xmlsec1 verifies every signable file; the two broken ones are refused', (t) => {
  if (skipWithout(t, XMLSEC1, XMLLINT, corpus('metadata'))) return;
  const files = readdirSync(corpusDir).filter((name) => name.endsWith('.xml'));
  assert.ok(files.length >= 30, `only ${files.length} corpus files`);
  let verified = 0;
  for (const name of files) {
    const signed = signMetadata(readFileSync(path.join(corpusDir, name), 'utf8'), signer);
    if (CORPUS_REFUSALS[name]) {
      assert.equal(signed.ok, false, `${name} should be refused`);
      assert.match((signed as { message: string }).message, CORPUS_REFUSALS[name], name);
      continue;
    }
    assert.ok(signed.ok, `${name}: ${signed.ok ? '' : signed.message}`);
    const root = xpath(signed.xml, 'local-name(/*)');
    const result = xmlsec1Verify(signed.xml, signer.certificatePem, `${MD}:${root}`);
    assert.ok(result.ok, `${name}: ${result.output}`);
    verified++;
  }
  assert.equal(verified, files.length - Object.keys(CORPUS_REFUSALS).length);
});
