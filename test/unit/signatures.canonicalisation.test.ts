// Canonicalisation as the W3C defines it: a signature over content holding processing
// instructions, CDATA sections, comments or character references is verified by xmlsec1 (libxml2's
// conforming C14N) and by SAML Lens, and the two must never disagree on "verifies". Where xml-crypto
// canonicalises differently (a processing instruction's data becomes text), SAML Lens refuses the
// signature as a policy decision, which is reported apart from the cryptographic result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateResponse, type ValidationReport } from '../../src/core/validate';
import { buildResponse, IDP_ENTITY_ID, idpKeyPair, NOW } from '../fixtures/builder/responses';
import { withTempDir, xmlsec1Verify } from '../fixtures/builder/peers';
import { skipUnless, XMLSEC1 } from '../requirements';

const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion';

function validate(xml: string): ValidationReport {
  return validateResponse(xml, {
    now: NOW,
    trustedCertificates: [{ pem: idpKeyPair().certificatePem, source: 'test', entityId: IDP_ENTITY_ID }],
  });
}

const failing = (report: ValidationReport) =>
  report.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.code);

/**
 * Signs the assertion again with xmlsec1 after `edit` changed its content: the template is the
 * project's signed response with the digest and signature values emptied, so the result is what a
 * conforming signer (libxml2 C14N) produces for the edited content.
 */
function signWithXmlsec1(edit: (xml: string) => string): string {
  const template = edit(buildResponse())
    .replace(/<ds:DigestValue>[^<]*<\/ds:DigestValue>/, '<ds:DigestValue></ds:DigestValue>')
    .replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, '<ds:SignatureValue></ds:SignatureValue>');
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'key.pem'), idpKeyPair().privateKeyPem);
    writeFileSync(join(dir, 'template.xml'), template);
    const signed = spawnSync(
      'xmlsec1',
      ['--sign', '--privkey-pem', join(dir, 'key.pem'), '--id-attr:ID', ASSERTION, join(dir, 'template.xml')],
      { encoding: 'utf8' },
    );
    assert.equal(signed.status, 0, signed.stderr);
    return signed.stdout;
  });
}

const nameIdWith = (content: string) => (xml: string) => {
  const edited = xml.replace('>B.Simon@contoso.com</saml:NameID>', `>${content}</saml:NameID>`);
  assert.notEqual(edited, xml, 'the response has the NameID to edit');
  return edited;
};

interface Case {
  name: string;
  xml: () => string;
  /** xmlsec1's answer, checked by running it. */
  xmlsec1Verifies: boolean;
  /** SAML Lens's failing codes: none when it verifies. */
  failures: string[];
  /** The NameID SAML Lens shows as verified, when it verifies. */
  nameId?: string;
}

const cases: Case[] = [
  {
    name: 'a processing instruction added inside the signed NameID after signing (xml-crypto still matches its digest)',
    xml: () => nameIdWith('<?p B.?>Simon@contoso.com')(buildResponse()),
    xmlsec1Verifies: false,
    failures: ['signature.processing-instruction'],
  },
  {
    name: 'a processing instruction signed by a conforming signer',
    xml: () => signWithXmlsec1(nameIdWith('B.Simon@contoso.com<?audit checked?>')),
    xmlsec1Verifies: true,
    failures: ['signature.processing-instruction'],
  },
  {
    name: 'a CDATA section in the signed NameID',
    xml: () => signWithXmlsec1(nameIdWith('<![CDATA[B.Simon@contoso.com]]>')),
    xmlsec1Verifies: true,
    failures: [],
    nameId: 'B.Simon@contoso.com',
  },
  {
    name: 'a CDATA section with markup characters',
    xml: () => signWithXmlsec1(nameIdWith('<![CDATA[B.Simon&<x>@contoso.com]]>')),
    xmlsec1Verifies: true,
    failures: [],
    nameId: 'B.Simon&<x>@contoso.com',
  },
  {
    name: 'a comment in the signed NameID (canonicalisation without comments drops it)',
    xml: () => signWithXmlsec1(nameIdWith('B.Simon<!-- x -->@contoso.com')),
    xmlsec1Verifies: true,
    failures: [],
    nameId: 'B.Simon@contoso.com',
  },
  {
    name: 'character references for tab, line feed and carriage return in signed text',
    xml: () => signWithXmlsec1(nameIdWith('B.Simon&#9;&#10;&#13;@contoso.com')),
    xmlsec1Verifies: true,
    failures: [],
    nameId: 'B.Simon\t\n\r@contoso.com',
  },
  {
    name: 'a CDATA section added after signing that changes the text',
    xml: () => nameIdWith('<![CDATA[admin@contoso.com]]>')(buildResponse()),
    xmlsec1Verifies: false,
    failures: ['signature.invalid'],
  },
];

for (const c of cases) {
  test(`canonicalisation agrees with xmlsec1: ${c.name}`, { skip: skipUnless(XMLSEC1) }, () => {
    const xml = c.xml();
    const reference = xmlsec1Verify(xml, idpKeyPair().certificatePem, ASSERTION);
    assert.equal(reference.ok, c.xmlsec1Verifies, `xmlsec1: ${reference.output}`);
    const report = validate(xml);
    assert.deepEqual(failing(report).sort(), [...c.failures].sort());
    const verified = report.signatures.some((signature) => signature.digestMatches && signature.signatureValid);
    if (c.failures.length === 0) {
      assert.equal(verified, true, 'SAML Lens verifies what xmlsec1 verifies');
      assert.equal(report.verdict, 'valid');
      assert.equal(report.subject.nameId?.value, c.nameId);
      assert.equal(report.subject.nameId?.verified, true);
    } else {
      // Policy (the processing-instruction rule) or cryptography: either way nothing is verified.
      assert.notEqual(report.verdict, 'valid');
      assert.equal(report.subject.nameId?.verified ?? false, false);
      if (!c.xmlsec1Verifies) assert.equal(verified, false, 'SAML Lens never verifies what xmlsec1 rejects');
    }
  });
}
