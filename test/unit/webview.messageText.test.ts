// The panel's text views of a message: the pretty-printed XML must hold the same document as the
// original (checked with xmllint's canonical form, ignoring indentation), and the redacted copy must
// hide the NameID and every e-mail address while keeping everything else (checked with xmllint XPath).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { prettyPrintXml, readAddressing, redactedXml } from '../../src/core/messages/text';
import { pathRequirement, skipWithout, XMLLINT } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');

function canonical(xml: string, noBlanks: boolean): string {
  const args = noBlanks ? ['--noblanks', '--c14n', '-'] : ['--c14n', '-'];
  return execFileSync('xmllint', args, { input: xml, encoding: 'utf8' });
}

function xpath(xml: string, expression: string): string {
  return execFileSync('xmllint', ['--xpath', expression, '-'], { input: xml, encoding: 'utf8' }).trim();
}

const validSample = path.join(repoRoot, 'samples', 'responses', 'b.simon-valid.saml.txt');
const sampleResponse = pathRequirement(validSample, 'the sample response (npm run samples)');
function sampleXml(): string {
  return Buffer.from(readFileSync(validSample, 'utf8'), 'base64').toString('utf8');
}

/** Name, compact XML, whether indentation is expected (a lone text-only element stays on one line). */
const compactDocuments: Array<[string, string, boolean]> = [
  [
    'comments, CDATA and escapes',
    '<r xmlns="urn:x" a="1"><b>t &amp; u &lt; v</b><!--note--><c x="&quot;q&quot; &amp; &lt;"/><d><![CDATA[<raw>]]></d></r>',
    true,
  ],
  ['mixed content keeps its spaces', '<r xmlns="urn:x"><d>mixed <e>inner</e> tail</d><f/></r>', true],
  [
    'a comment inside a value',
    '<s:NameID xmlns:s="urn:oasis:names:tc:SAML:2.0:assertion">admin@contoso.com<!---->.evil.com</s:NameID>',
    false,
  ],
  [
    'namespaces and prefixes',
    '<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1"><a:Issuer>https://idp/</a:Issuer><p:Status><p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></p:Status></p:Response>',
    true,
  ],
];

describe('pretty-printed XML', () => {
  for (const [name, xml, indented] of compactDocuments) {
    test(`is the same document as the original: ${name}`, (t) => {
      if (skipWithout(t, XMLLINT)) return;
      const pretty = prettyPrintXml(xml);
      assert.equal(pretty.trim() !== xml, indented);
      assert.equal(canonical(pretty, true), canonical(xml, false));
    });
  }

  test('is the same document as the sample response', (t) => {
    if (skipWithout(t, XMLLINT, sampleResponse)) return;
    const xml = sampleXml();
    assert.equal(canonical(prettyPrintXml(xml), true), canonical(xml, true));
  });

  test('leaves text that is not XML as it is', () => {
    assert.equal(prettyPrintXml('<unclosed>'), '<unclosed>');
  });
});

describe('redacted copy', () => {
  test('hides the NameID and e-mail addresses, keeps the rest of the sample response', (t) => {
    if (skipWithout(t, XMLLINT, sampleResponse)) return;
    const redacted = redactedXml(sampleXml());
    assert.ok(redacted.ok);
    const nameId = "string(//*[local-name()='NameID'])";
    const attribute = (name: string) =>
      `string(//*[local-name()='Attribute'][@Name='${name}']/*[local-name()='AttributeValue'])`;
    assert.equal(xpath(sampleXml(), nameId), 'B.Simon@contoso.com');
    assert.equal(xpath(redacted.text, nameId), '[redacted NameID]');
    assert.equal(xpath(redacted.text, attribute('Email')), '[redacted email]');
    assert.equal(xpath(redacted.text, attribute('FirstName')), 'B');
    assert.equal(xpath(redacted.text, attribute('Country')), 'United States');
    assert.doesNotMatch(redacted.text, /contoso\.com/);
  });

  const cases: Array<[string, string, string]> = [
    [
      'an e-mail in an XML attribute',
      '<r xmlns="urn:x" owner="Ann.Lee@example.org"/>',
      '<r xmlns="urn:x" owner="[redacted email]"/>\n',
    ],
    [
      'two e-mails in one text',
      '<r xmlns="urn:x">a@b.io, c.d@e.co.uk</r>',
      '<r xmlns="urn:x">[redacted email], [redacted email]</r>\n',
    ],
    [
      'a NameID with a comment inside',
      '<n:NameID xmlns:n="urn:oasis:names:tc:SAML:2.0:assertion">admin@contoso.com<!---->.evil.com</n:NameID>',
      '<n:NameID xmlns:n="urn:oasis:names:tc:SAML:2.0:assertion">[redacted NameID]</n:NameID>\n',
    ],
    ['no personal data', '<r xmlns="urn:x">United States</r>', '<r xmlns="urn:x">United States</r>\n'],
  ];
  for (const [name, xml, expected] of cases) {
    test(`redacts ${name}`, () => {
      assert.deepEqual(redactedXml(xml), { ok: true, text: expected });
    });
  }

  test('explains why text that is not XML cannot be redacted', () => {
    const result = redactedXml('<a><b></a>');
    assert.equal(result.ok, false);
    assert.match(
      !result.ok ? result.message : '',
      /^The message could not be re-read for redaction: Line 1, column \d+: /,
    );
  });
});

describe('addressing fields', () => {
  test('reads Issuer, Destination, Audience and Recipient from the sample response', (t) => {
    if (skipWithout(t, sampleResponse)) return;
    assert.deepEqual(readAddressing(sampleXml()), {
      issuer: 'https://sts.windows.net/4f1a9c2e-7b3d-4e8a-9c51-2d6b8e0f3a77/',
      destination: 'https://www.upwork.com/ab/account-security/saml/acs',
      audiences: ['https://www.upwork.com/upwork-enterprise'],
      recipients: ['https://www.upwork.com/ab/account-security/saml/acs'],
      inResponseTo: undefined,
    });
  });
});
