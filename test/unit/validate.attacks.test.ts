// The first attack cases of docs/attacks.md: signature wrapping (XSW1, XSW2, nested), comment tricks,
// reference and algorithm abuse. Each message is derived from a genuinely signed response, so the
// signature itself would check out: only the validator's structural rules stand in the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signElement } from '../../src/core/build/response';
import { validateResponse } from '../../src/core/validate';
import type { ValidationContext, ValidationReport } from '../../src/core/validate';
import {
  ACS_URL,
  EXPECTED_ATTRIBUTES,
  IDP_ENTITY_ID,
  NOW,
  REQUEST_ID,
  SP_ENTITY_ID,
  buildResponse,
  idpKeyPair,
} from '../fixtures/builder/responses';

function context(): ValidationContext {
  return {
    now: NOW,
    trustedCertificates: [{ pem: idpKeyPair().certificatePem, source: 'Upwork-Entra.xml', entityId: IDP_ENTITY_ID }],
    sp: {
      entityId: SP_ENTITY_ID,
      acsUrls: [ACS_URL],
      expectedAttributes: EXPECTED_ATTRIBUTES,
      source: 'Upwork SP settings',
    },
    requestId: REQUEST_ID,
  };
}

const failures = (report: ValidationReport) =>
  new Set<string>(report.findings.filter((f) => f.status === 'fail').map((f) => f.code));

function signatureOf(xml: string): string {
  const start = xml.indexOf('<ds:Signature');
  return xml.slice(start, xml.indexOf('</ds:Signature>', start) + '</ds:Signature>'.length);
}

function replaceOnce(xml: string, from: string | RegExp, to: string): string {
  const changed = xml.replace(from, to);
  assert.notEqual(changed, xml, `fixture should contain ${String(from)}`);
  return changed;
}

/** The evil copy: the signed Response without its signature, another ID, another user. */
function evilCopy(original: string): string {
  let evil = original.replace(signatureOf(original), '');
  evil = replaceOnce(evil, 'ID="_resp-0001"', 'ID="_evil-resp"');
  return replaceOnce(evil, '>B.Simon@contoso.com</saml:NameID>', '>admin@contoso.com</saml:NameID>');
}

const afterResponseIssuer = (xml: string, insert: string) =>
  replaceOnce(xml, /(<samlp:Response[^>]*><saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${insert}`);

interface AttackCase {
  name: string;
  xml: () => string;
  mustFail: string[];
}

const responseSigned = () => buildResponse({ signResponse: true, signAssertion: false });

const attacks: AttackCase[] = [
  {
    name: 'XSW1: original Response inside the copied Signature (ds:Object), evil Response outside',
    xml: () => {
      const original = responseSigned();
      const signature = signatureOf(original).replace(
        '</ds:Signature>',
        `<ds:Object>${original}</ds:Object></ds:Signature>`,
      );
      return afterResponseIssuer(evilCopy(original), signature);
    },
    mustFail: ['signature.wrapping', 'structure.assertion-count', 'structure.duplicate-id'],
  },
  {
    name: 'XSW2: original Response placed before the detached Signature in the evil Response',
    xml: () => {
      const original = responseSigned();
      return afterResponseIssuer(evilCopy(original), `${original}${signatureOf(original)}`);
    },
    mustFail: ['signature.wrapping', 'structure.assertion-count', 'structure.duplicate-id'],
  },
  {
    name: 'signed assertion copied into SubjectConfirmationData (nested wrapping)',
    xml: () => {
      const original = buildResponse();
      const assertion = original.slice(
        original.indexOf('<saml:Assertion'),
        original.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length,
      );
      return replaceOnce(
        original,
        /(<saml:SubjectConfirmationData[^>]*)\/>/,
        `$1>${assertion.replace('ID="_assert-0001"', 'ID="_nested"')}</saml:SubjectConfirmationData>`,
      );
    },
    mustFail: ['structure.assertion-count', 'signature.misplaced'],
  },
  {
    name: 'signature moved into Extensions (misplaced)',
    xml: () => {
      const original = buildResponse();
      const signature = signatureOf(original);
      return afterResponseIssuer(original.replace(signature, ''), `<samlp:Extensions>${signature}</samlp:Extensions>`);
    },
    mustFail: ['signature.misplaced'],
  },
  {
    name: 'a second element carries the signed ID',
    xml: () =>
      afterResponseIssuer(
        buildResponse(),
        '<samlp:Extensions><saml:Issuer ID="_assert-0001">x</saml:Issuer></samlp:Extensions>',
      ),
    mustFail: ['structure.duplicate-id'],
  },
  {
    name: 'comment inside DigestValue',
    xml: () => replaceOnce(buildResponse(), /<ds:DigestValue>(.{4})/, '<ds:DigestValue>$1<!-- split -->'),
    mustFail: ['signature.digest-comment'],
  },
  {
    name: 'two References in SignedInfo',
    xml: () => {
      const original = buildResponse();
      const reference = /<ds:Reference[\s\S]*?<\/ds:Reference>/.exec(original)![0];
      return replaceOnce(original, reference, `${reference}${reference}`);
    },
    mustFail: ['signature.references'],
  },
  {
    name: 'HMAC SignatureMethod',
    xml: () =>
      replaceOnce(
        buildResponse(),
        'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
      ),
    mustFail: ['signature.algorithm'],
  },
  {
    name: 'MD5 digest',
    xml: () =>
      replaceOnce(
        buildResponse(),
        'http://www.w3.org/2001/04/xmlenc#sha256',
        'http://www.w3.org/2001/04/xmldsig-more#md5',
      ),
    mustFail: ['signature.digest-algorithm'],
  },
  {
    name: '#WithComments canonicalisation',
    xml: () =>
      replaceOnce(
        buildResponse(),
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments"/>',
      ),
    mustFail: ['signature.canonicalization'],
  },
  {
    name: 'XPath transform',
    xml: () =>
      replaceOnce(
        buildResponse(),
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>',
        '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>1</ds:XPath></ds:Transform>',
      ),
    mustFail: ['signature.transforms'],
  },
  {
    name: 'Reference URI without "#"',
    xml: () => replaceOnce(buildResponse(), 'URI="#_assert-0001"', 'URI="_assert-0001"'),
    mustFail: ['signature.wrapping'],
  },
  {
    name: 'Reference pointing at another element',
    xml: () => replaceOnce(buildResponse(), 'URI="#_assert-0001"', 'URI="#_resp-0001"'),
    mustFail: ['signature.wrapping'],
  },
  {
    name: 'namespace-less Signature in StatusDetail is not a signature, and the message stays unsigned',
    xml: () =>
      replaceOnce(
        buildResponse({ signAssertion: false }),
        '</samlp:Status>',
        '<samlp:StatusDetail><Signature><SignedInfo/></Signature></samlp:StatusDetail></samlp:Status>',
      ),
    mustFail: ['signature.missing'],
  },
];

for (const attack of attacks) {
  test(`attack: ${attack.name} → rejected`, () => {
    const report = validateResponse(attack.xml(), context());
    assert.equal(report.verdict, 'invalid');
    const failed = failures(report);
    for (const code of attack.mustFail)
      assert.ok(failed.has(code), `expected a ${code} failure, got ${[...failed].join(', ')}`);
    // Never display the attacker's user as verified.
    if (report.subject.nameId?.value === 'admin@contoso.com') assert.equal(report.subject.nameId.verified, false);
    if (failed.has('signature.wrapping')) {
      assert.equal(report.subject.nameId?.verified ?? false, false);
      assert.ok(report.attributes.every((a) => !a.verified));
    }
  });
}

test('attack: comment inside NameID — signature valid, full text shown, comment warned about', () => {
  const signed = buildResponse({ nameId: 'admin@contoso.com.evil.com' });
  const xml = replaceOnce(signed, '>admin@contoso.com.evil.com<', '>admin@contoso.com<!---->.evil.com<');
  const report = validateResponse(xml, context());
  assert.equal(report.verdict, 'valid');
  assert.deepEqual(
    [report.subject.nameId?.value, report.subject.nameId?.verified, report.subject.nameId?.containsComment],
    ['admin@contoso.com.evil.com', true, true],
  );
  assert.equal(report.findings.find((f) => f.code === 'subject.nameid-comment')?.status, 'warn');
});

test('accepted: a signed assertion nested in Advice does not disturb the outer signature', () => {
  const keys = idpKeyPair();
  const inner = buildResponse({ assertionId: '_advice-assertion', responseId: '_advice-response' });
  const innerAssertion = inner.slice(
    inner.indexOf('<saml:Assertion'),
    inner.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length,
  );
  const unsignedOuter = buildResponse({ signAssertion: false });
  const withAdvice = replaceOnce(
    unsignedOuter,
    '</saml:Conditions>',
    `</saml:Conditions><saml:Advice>${innerAssertion}</saml:Advice>`,
  );
  const signed = signElement(withAdvice, '_assert-0001', {
    privateKeyPem: keys.privateKeyPem,
    certificatePem: keys.certificatePem,
  });
  const report = validateResponse(signed, context());
  assert.equal(
    report.verdict,
    'valid',
    JSON.stringify(
      report.findings.filter((f) => f.status === 'fail'),
      null,
      1,
    ),
  );
  assert.equal(report.signatures.length, 1);
});
