// Where trust and expectations come from (src/core/trust): one rule for the command line and the
// panel. Responses are built and signed by the project's builder; IdP and SP entities are built too
// and placed inside real federation aggregates from ../shared/corpus. Public keys are made with
// node:crypto; fingerprints are computed independently with openssl.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { corpus, skipUnless } from '../requirements';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildIdpMetadata, buildSpMetadata } from '../../src/core/build/metadata';
import { buildAuthnRequest, encodeRedirect } from '../../src/core/build/response';
import { decodeSamlInput, type DecodeSuccess } from '../../src/core/messages/decode';
import { readAddressing } from '../../src/core/messages/text';
import { summariseMetadata } from '../../src/core/metadata/summary';
import {
  contextFromSelection,
  parseFingerprint,
  readTrustAnchorFile,
  selectTrust,
  type MetadataDocument,
  type TrustChoice,
} from '../../src/core/trust';
import { validateDecoded, type ValidationReport } from '../../src/core/validate';
import { validateMessage, type ValidateArgs } from '../../src/cli/commands/validate';
import { runValidation, selectForPanel } from '../../src/features/decode/headless/validation';
import { makeRsaKeyPair } from '../fixtures/builder/keys';
import { NOW, attackerKeyPair, buildResponse, idpKeyPair } from '../fixtures/builder/responses';
import { corpusMetadataDirectory } from './corpusCertificates';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const IDP_ENTITY_ID = `https://sts.windows.net/${TENANT}/`;
const SP_ENTITY_ID = 'https://www.upwork.com';
const ACS_URL = 'https://www.upwork.com/ab/account-security/login';

function decode(xml: string): DecodeSuccess {
  const decoded = decodeSamlInput(Buffer.from(xml, 'utf8').toString('base64'));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
  return decoded;
}

function openssl(args: string[], input: string): string {
  const result = spawnSync('openssl', args, { input, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

const found = (report: ValidationReport, code: string) => report.findings.filter((f) => f.code === code);
const failed = (report: ValidationReport) =>
  report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => f.code)
    .sort();

/** Validates with only configured anchors, as `--trust-key` / `--trust-fingerprint` would. */
function withAnchors(xml: string, anchors: Parameters<typeof selectTrust>[0]['anchors']): ValidationReport {
  const decoded = decode(xml);
  const selection = selectTrust({
    messageType: decoded.messageType,
    addressing: readAddressing(decoded.xml),
    now: NOW,
    documents: [],
    anchors,
  });
  return validateDecoded(decoded, contextFromSelection(selection, { now: NOW }));
}

function anchorFrom(bytes: Uint8Array | string, name = 'key.pem') {
  const read = readTrustAnchorFile(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, name, `${name} (test)`);
  assert.ok(read.ok, read.ok ? '' : read.message);
  return read.anchor;
}

describe('trust anchors: public keys and fingerprints', () => {
  test('a public key made by node:crypto verifies what its private key signed; the KeyInfo certificate stays untrusted', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // KeyInfo carries another key's certificate: it must neither help nor be trusted.
    const xml = buildResponse({
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      certificatePem: attackerKeyPair().certificatePem,
    });
    const anchor = anchorFrom(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    assert.equal(anchor.kind, 'public-key');
    const report = withAnchors(xml, [anchor]);
    assert.equal(report.verdict, 'valid', JSON.stringify(failed(report)));
    const signature = report.signatures[0];
    assert.equal(signature.trusted, true);
    assert.equal(signature.certificate?.kind, 'public-key');
    assert.match(signature.certificate!.source, /key\.pem/);
    assert.equal(found(report, 'signature.keyinfo-mismatch')[0]?.status, 'warn');
    assert.equal(report.subject.nameId?.verified, true);

    // Another node:crypto key does not verify it.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const wrong = withAnchors(xml, [anchorFrom(other.export({ type: 'spki', format: 'pem' }).toString())]);
    assert.equal(wrong.verdict, 'invalid');
    assert.equal(wrong.subject.nameId?.verified, false);
  });

  test('an EC public key and a DER public key are read as keys; a certificate file as a certificate', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const pemAnchor = anchorFrom(ec.export({ type: 'spki', format: 'pem' }).toString());
    assert.equal(pemAnchor.kind, 'public-key');
    const derAnchor = anchorFrom(ec.export({ type: 'spki', format: 'der' }), 'key.der');
    assert.equal(derAnchor.kind, 'public-key');
    assert.equal(anchorFrom(idpKeyPair().certificatePem, 'idp.pem').kind, 'certificate');
    const der = Buffer.from(idpKeyPair().certificateBase64, 'base64');
    assert.equal(anchorFrom(der, 'idp.cer').kind, 'certificate');
  });

  test('a private key is refused without repeating it', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const read = readTrustAnchorFile(Buffer.from(pem), 'secret.pem', 'secret.pem');
    assert.equal(read.ok, false);
    assert.match(!read.ok ? read.message : '', /private key/);
    const body = pem.split('\n')[1];
    assert.ok(!(!read.ok && read.message.includes(body)));
  });

  test("the SHA-256 fingerprint openssl prints makes the KeyInfo certificate the user's", () => {
    const keys = idpKeyPair();
    const xml = buildResponse();
    const printed = openssl(['x509', '-noout', '-fingerprint', '-sha256'], keys.certificatePem);
    for (const text of [
      printed,
      `sha256:${printed.replace(/^.*=/, '')}`,
      printed.replace(/^.*=/, '').replace(/:/g, ''),
    ]) {
      const read = parseFingerprint(text, '--trust-fingerprint');
      assert.ok(read.ok, text);
      const report = withAnchors(xml, [read.anchor]);
      assert.equal(report.verdict, 'valid', `${text}: ${JSON.stringify(failed(report))}`);
      assert.equal(report.signatures[0].certificate?.kind, 'fingerprint');
      assert.equal(report.signatures[0].certificate?.sha256, printed.replace(/^.*=/, ''));
      assert.match(report.signatures[0].certificate!.source, /fingerprint from --trust-fingerprint/);
      assert.equal(found(report, 'trust.fingerprint-sha1').length, 0);
    }
  });

  test('a SHA-1 fingerprint is accepted with a warning, and the verdict stays valid', () => {
    const printed = openssl(['x509', '-noout', '-fingerprint', '-sha1'], idpKeyPair().certificatePem);
    const read = parseFingerprint(`sha1:${printed.replace(/^.*=/, '')}`, 'settings');
    assert.ok(read.ok);
    const report = withAnchors(buildResponse(), [read.anchor]);
    assert.equal(report.verdict, 'valid');
    assert.deepEqual(
      found(report, 'trust.fingerprint-sha1').map((f) => f.status),
      ['warn'],
    );
  });

  test('a KeyInfo certificate on its own is never trusted: a fingerprint of another certificate fails it', () => {
    const attacker = attackerKeyPair();
    const forged = buildResponse({ privateKeyPem: attacker.privateKeyPem, certificatePem: attacker.certificatePem });
    const idpFingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], idpKeyPair().certificatePem);
    const read = parseFingerprint(idpFingerprint, 'test');
    assert.ok(read.ok);
    const report = withAnchors(forged, [read.anchor]);
    assert.equal(report.verdict, 'invalid');
    assert.deepEqual(failed(report), ['signature.untrusted-certificate']);
    assert.equal(report.subject.nameId?.verified, false);
  });

  test('a Redirect-binding signature: a public key verifies it; a fingerprint alone cannot (nothing to compare), so not verifiable', () => {
    const sp = makeRsaKeyPair('upwork-sp-signing');
    const request = buildAuthnRequest({
      id: '_req-redirect-1',
      issuer: SP_ENTITY_ID,
      destination: 'https://login.microsoftonline.com/x/saml2',
      assertionConsumerServiceUrl: ACS_URL,
      issueInstant: NOW,
    });
    const url = encodeRedirect(
      request,
      { destination: 'https://login.microsoftonline.com/x/saml2', parameter: 'SAMLRequest', relayState: 'r' },
      { privateKeyPem: sp.privateKeyPem },
    );
    const decoded = decodeSamlInput(url);
    assert.ok(decoded.ok);
    const validate = (anchor: ReturnType<typeof anchorFrom>) =>
      validateDecoded(
        decoded,
        contextFromSelection(
          selectTrust({
            messageType: decoded.messageType,
            addressing: readAddressing(decoded.xml),
            now: NOW,
            documents: [],
            anchors: [anchor],
          }),
          { now: NOW },
        ),
      );
    const key = createPublicKey(sp.certificatePem).export({ type: 'spki', format: 'pem' }).toString();
    const byKey = validate(anchorFrom(key, 'sp.pub'));
    assert.equal(byKey.verdict, 'valid', JSON.stringify(failed(byKey)));
    assert.equal(found(byKey, 'signature.redirect')[0]?.status, 'pass');

    const printed = openssl(['x509', '-noout', '-fingerprint', '-sha256'], sp.certificatePem);
    const read = parseFingerprint(printed, 'test');
    assert.ok(read.ok);
    const byFingerprint = validate(read.anchor);
    assert.equal(byFingerprint.verdict, 'not-verifiable');
    assert.match(
      found(byFingerprint, 'signature.no-trusted-certificate')[0]?.message ?? '',
      /only certificate fingerprints/,
    );
  });

  test('malformed fingerprints are refused with the expected form', () => {
    for (const text of ['sha256:abcd', 'md5:' + 'a'.repeat(32), 'sha1:' + 'g'.repeat(40), 'a'.repeat(50)]) {
      const read = parseFingerprint(text, 'test');
      assert.equal(read.ok, false, text);
      assert.match(!read.ok ? read.message : '', /sha256:/);
    }
  });
});

// ---------------------------------------------------------------- metadata documents and aggregates

/** The EntityDescriptor of a metadata document, inserted as the last child of an aggregate's root. */
function insertIntoAggregate(aggregate: string, entityXml: string): string {
  const entity = entityXml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const close = aggregate.lastIndexOf('</');
  return `${aggregate.slice(0, close)}${entity}\n${aggregate.slice(close)}`;
}

function corpusFile(name: string): string | undefined {
  const file = path.join(corpusMetadataDirectory, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function idpEntity(tenant = TENANT): string {
  return buildIdpMetadata({ tenantId: tenant, signingCertificates: [idpKeyPair().certificateBase64] });
}

function spEntity(wantAssertionsSigned: boolean): string {
  return buildSpMetadata({
    entityId: SP_ENTITY_ID,
    acsUrls: [ACS_URL],
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    requestedAttributes: ['FirstName', 'LastName', 'Country', 'Email'].map((name) => ({ name, isRequired: true })),
    serviceName: 'Upwork Enterprise',
    wantAssertionsSigned,
  });
}

const tempDir = mkdtempSync(path.join(tmpdir(), 'saml-lens-trust-'));
function tempFile(name: string, text: string): string {
  const file = path.join(tempDir, name);
  writeFileSync(file, text);
  return file;
}

interface Paths {
  idp: string;
  sp: string;
}

/** The command line's path: files named with --idp-metadata and --sp-metadata. */
function viaCli(xml: string, paths: Paths) {
  const args: ValidateArgs = {
    idpMetadata: paths.idp,
    spMetadata: paths.sp,
    acs: [],
    now: NOW.toISOString(),
    strictSha1: false,
    json: true,
  };
  const report = validateMessage(decode(xml), args);
  return { report, choices: report.selection.choices };
}

/** The panel's path (its VS Code-free part): the same files found in the workspace. */
function viaPanel(xml: string, paths: Paths) {
  const decoded = decode(xml);
  const documents: MetadataDocument[] = [paths.idp, paths.sp].map((file) => {
    const summary = summariseMetadata(readFileSync(file, 'utf8'));
    assert.ok(summary.ok);
    return { label: file, contents: summary, namedFor: 'found' };
  });
  const selection = selectForPanel(
    decoded.messageType,
    readAddressing(decoded.xml),
    { trustDocuments: documents, expectationDocuments: documents, anchors: [], serviceProviders: [] },
    NOW,
  );
  const { report } = runValidation(decoded, {
    now: NOW.toISOString(),
    clockSkewSeconds: 180,
    selection,
    trustNotes: [],
    expectationNotes: [],
  });
  return { report, choices: selection.choices };
}

const shape = (choices: readonly TrustChoice[]) => choices.map((c) => [c.what, c.entityId, c.how]);

describe('metadata aggregates, the same in the command line and the panel', () => {
  const swamid = corpusFile('swamid-1.0-aggregate.xml');
  const switchAai = corpusFile('switch-aaitest-aggregate-2019.xml');
  const kalmar = corpusFile('swamid-kalmar-1.0-aggregate-2010.xml');
  const skip = skipUnless(corpus('metadata'));

  const paths = (wantAssertionsSigned = false): Paths => ({
    idp: tempFile('idp-aggregate.xml', insertIntoAggregate(swamid!, idpEntity())),
    sp: tempFile(
      `sp-aggregate-${wantAssertionsSigned}.xml`,
      insertIntoAggregate(switchAai!, spEntity(wantAssertionsSigned)),
    ),
  });

  test(
    'the IdP is matched by Issuer and the SP by Audience in two corpus aggregates: valid in both paths',
    { skip },
    () => {
      const files = paths();
      const idpSummary = summariseMetadata(readFileSync(files.idp, 'utf8'));
      assert.ok(idpSummary.ok && idpSummary.entityCount > 100, 'a real aggregate');
      const xml = buildResponse();
      const cli = viaCli(xml, files);
      const panel = viaPanel(xml, files);
      assert.deepEqual(shape(cli.choices), [
        [`IdP ${IDP_ENTITY_ID}`, IDP_ENTITY_ID, 'matched by Issuer'],
        ['Service provider', SP_ENTITY_ID, 'matched by Audience'],
      ]);
      assert.deepEqual(shape(panel.choices), shape(cli.choices));
      assert.equal(cli.report.verdict, 'valid', JSON.stringify(failed(cli.report)));
      assert.equal(panel.report.verdict, cli.report.verdict);
      assert.deepEqual(
        panel.report.findings.map((f) => [f.code, f.status]),
        cli.report.findings.map((f) => [f.code, f.status]),
      );
      assert.ok(found(cli.report, 'issuer.match').length > 0);
      assert.ok(found(cli.report, 'attributes.expected').length > 0, 'the SP requested attributes were checked');
    },
  );

  test(
    'an Issuer no entity has: a specific finding naming the count and the closest entityIDs, not verifiable',
    { skip },
    () => {
      const files = paths();
      const otherTenant = '72f988bf-86f1-41af-91ab-2d7cd011db48';
      const xml = buildResponse({ issuer: `https://sts.windows.net/${otherTenant}/` });
      const summary = summariseMetadata(readFileSync(files.idp, 'utf8'));
      assert.ok(summary.ok);
      const cli = viaCli(xml, files);
      assert.equal(cli.report.verdict, 'not-verifiable');
      const finding = found(cli.report, 'trust.no-matching-entity')[0];
      assert.ok(finding, JSON.stringify(cli.report.findings.map((f) => f.code)));
      assert.equal(finding.status, 'not-checked');
      assert.match(
        finding.message,
        new RegExp(
          `^None of the ${summary.entityCount} entities in ${files.idp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is an IdP with entityID https://sts\\.windows\\.net/${otherTenant}/ .*; closest: ${IDP_ENTITY_ID.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      );
      // The panel's workspace scan is not "named" metadata: it finds nothing to trust and says so
      // through the validator, with the same verdict.
      const panel = viaPanel(xml, files);
      assert.equal(panel.report.verdict, cli.report.verdict);
      assert.equal(panel.choices.filter((c) => c.role === 'signer').length, 0);
    },
  );

  test('metadata past its validUntil: keys still used, a warning, the verdict stays valid', { skip }, () => {
    // The Kalmar aggregate's EntitiesDescriptor says validUntil="2010-04-03T11:30:05Z".
    const files = { ...paths(), idp: tempFile('expired-aggregate.xml', insertIntoAggregate(kalmar!, idpEntity())) };
    const xml = buildResponse();
    for (const { report, choices } of [viaCli(xml, files), viaPanel(xml, files)]) {
      assert.equal(report.verdict, 'valid', JSON.stringify(failed(report)));
      assert.equal(choices[0].how, 'matched by Issuer');
      const expired = found(report, 'trust.metadata-expired');
      assert.deepEqual(
        expired.map((f) => [f.status, f.found]),
        [['warn', '2010-04-03T11:30:05Z']],
      );
      assert.match(expired[0].message, /still used/);
      assert.equal(report.signatures[0].trusted, true);
    }
  });

  test(
    'WantAssertionsSigned="true" in the SP metadata: a response signed only at the Response fails in both paths',
    { skip },
    () => {
      const xml = buildResponse({ signResponse: true, signAssertion: false });
      const relaxed = paths(false);
      assert.equal(viaCli(xml, relaxed).report.verdict, 'valid');
      assert.equal(viaPanel(xml, relaxed).report.verdict, 'valid');
      const strict = paths(true);
      for (const { report } of [viaCli(xml, strict), viaPanel(xml, strict)]) {
        assert.equal(report.verdict, 'invalid');
        assert.deepEqual(failed(report), ['signature.assertion-unsigned']);
      }
      // A signed assertion satisfies it.
      assert.equal(viaCli(buildResponse(), strict).report.verdict, 'valid');
    },
  );
});

describe('the selection rule', () => {
  const contents = (text: string) => {
    const summary = summariseMetadata(text);
    assert.ok(summary.ok, summary.ok ? '' : summary.message);
    return summary;
  };
  const addressing = { issuer: IDP_ENTITY_ID, destination: ACS_URL, audiences: [SP_ENTITY_ID], recipients: [ACS_URL] };

  test('a file named for the IdP with one IdP: used even when the Issuer differs ("the only IdP in the file")', () => {
    const selection = selectTrust({
      messageType: 'Response',
      addressing: { ...addressing, issuer: 'https://elsewhere.example/' },
      now: NOW,
      documents: [{ label: 'idp.xml', contents: contents(idpEntity()), namedFor: 'idp' }],
    });
    assert.deepEqual(shape(selection.choices), [[`IdP ${IDP_ENTITY_ID}`, IDP_ENTITY_ID, 'the only IdP in the file']]);
    assert.equal(selection.idpEntityId, IDP_ENTITY_ID);
  });

  test('an SP aggregate without the Audience or Destination: the finding names both, and no SP is used', () => {
    const other = buildSpMetadata({
      entityId: 'https://www.upwork.example/other',
      acsUrls: ['https://www.upwork.example/other/acs'],
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      requestedAttributes: [],
      serviceName: 'Other',
      wantAssertionsSigned: false,
    });
    const aggregate = `<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">${[
      other,
      spEntity(false).replace(SP_ENTITY_ID, 'https://www.upwork.com/x'),
    ]
      .map((e) => e.replace(/^<\?xml[^>]*\?>\s*/, ''))
      .join('')}</EntitiesDescriptor>`;
    const selection = selectTrust({
      messageType: 'Response',
      addressing: { ...addressing, destination: 'https://www.upwork.com/acs-elsewhere', recipients: [] },
      now: NOW,
      documents: [{ label: 'sps.xml', contents: contents(aggregate), namedFor: 'sp' }],
    });
    assert.equal(selection.sp, undefined);
    assert.deepEqual(
      selection.findings.map((f) => [f.code, f.status, f.message]),
      [
        [
          'trust.no-matching-entity',
          'not-checked',
          `None of the 2 entities in sps.xml is an SP with entityID ${SP_ENTITY_ID} (the message's Audience) or ACS URL https://www.upwork.com/acs-elsewhere (the message's Destination); closest: https://www.upwork.com/x, https://www.upwork.example/other.`,
        ],
      ],
    );
  });

  test('a file merely found is used only where an entity matches', () => {
    const selection = selectTrust({
      messageType: 'Response',
      addressing: { ...addressing, issuer: 'https://elsewhere.example/' },
      now: NOW,
      documents: [{ label: 'idp.xml', contents: contents(idpEntity()), namedFor: 'found' }],
    });
    assert.deepEqual(selection.choices, []);
    assert.deepEqual(selection.findings, []);
  });

  test('an attribute authority signs responses to attribute queries: matched by Issuer when no IdP is', () => {
    const certificate = makeRsaKeyPair('aa').certificateBase64;
    const metadata = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP_ENTITY_ID}">
      <AttributeAuthorityDescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
        <AttributeService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.example/aa"/>
      </AttributeAuthorityDescriptor></EntityDescriptor>`;
    const selection = selectTrust({
      messageType: 'Response',
      addressing,
      now: NOW,
      documents: [{ label: 'aa.xml', contents: contents(metadata), namedFor: 'found' }],
    });
    assert.deepEqual(shape(selection.choices), [
      [`Attribute authority ${IDP_ENTITY_ID}`, IDP_ENTITY_ID, 'matched by Issuer (AttributeAuthorityDescriptor)'],
    ]);
    assert.deepEqual(
      selection.trustedCertificates.map((c) => c.base64),
      [certificate],
    );
  });

  test('configured anchors are labelled as what they are; command-line expectations override metadata', () => {
    const key = createPublicKey(idpKeyPair().certificatePem).export({ type: 'spki', format: 'pem' }).toString();
    const fingerprint = parseFingerprint(`sha256:${'AB'.repeat(32)}`, 'settings');
    assert.ok(fingerprint.ok);
    const selection = selectTrust({
      messageType: 'Response',
      addressing,
      now: NOW,
      documents: [{ label: 'sp.xml', contents: contents(spEntity(true)), namedFor: 'sp' }],
      anchors: [anchorFrom(key, 'idp.pub'), fingerprint.anchor],
      spOverride: { acsUrls: ['https://override.example/acs'], source: 'command-line options' },
    });
    assert.deepEqual(
      selection.choices.map((c) => [c.what, c.how]),
      [
        ['Trusted public key', 'configured'],
        ['Trusted SHA-256 fingerprint', 'configured'],
        ['Service provider', 'matched by Audience'],
        ['Service provider', 'configured'],
      ],
    );
    assert.deepEqual(selection.sp?.acsUrls, ['https://override.example/acs']);
    assert.equal(selection.sp?.entityId, SP_ENTITY_ID);
    assert.equal(selection.requireSignedAssertion, true);
  });
});

describe('metadata that requires signed AuthnRequests', () => {
  const sp = makeRsaKeyPair('upwork-sp-signing');
  const unsignedRequest = () =>
    buildAuthnRequest({
      id: '_req-unsigned-1',
      issuer: SP_ENTITY_ID,
      destination: 'https://login.microsoftonline.com/x/saml2',
      assertionConsumerServiceUrl: ACS_URL,
      issueInstant: NOW,
    });
  const spMetadata = (authnRequestsSigned: boolean) =>
    buildSpMetadata({
      entityId: SP_ENTITY_ID,
      acsUrls: [ACS_URL],
      certificate: sp.certificateBase64,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      requestedAttributes: [],
      serviceName: 'Upwork Enterprise',
      wantAssertionsSigned: false,
    }).replace(/AuthnRequestsSigned="(true|false)"/, `AuthnRequestsSigned="${authnRequestsSigned}"`);
  const idpMetadata = (wantAuthnRequestsSigned: boolean) =>
    buildIdpMetadata({
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      signingCertificates: [idpKeyPair().certificateBase64],
    }).replace('<IDPSSODescriptor ', `<IDPSSODescriptor WantAuthnRequestsSigned="${wantAuthnRequestsSigned}" `);
  const validateWith = (documents: { label: string; xml: string; namedFor: 'idp' | 'sp' }[]) => {
    const decoded = decode(unsignedRequest());
    const selection = selectTrust({
      messageType: decoded.messageType,
      addressing: readAddressing(decoded.xml),
      now: NOW,
      documents: documents.map(({ label, xml, namedFor }) => {
        const summary = summariseMetadata(xml);
        assert.ok(summary.ok, summary.ok ? '' : summary.message);
        return { label, contents: summary, namedFor };
      }),
    });
    return validateDecoded(decoded, contextFromSelection(selection, { now: NOW }));
  };

  test('an unsigned AuthnRequest fails when its SP metadata says AuthnRequestsSigned="true", and is information otherwise', () => {
    const promised = validateWith([{ label: 'sp.xml', xml: spMetadata(true), namedFor: 'sp' }]);
    assert.deepEqual(failed(promised), ['signature.missing']);
    assert.match(found(promised, 'signature.missing')[0].message, /sp\.xml .* says AuthnRequestsSigned="true"/);
    const notPromised = validateWith([{ label: 'sp.xml', xml: spMetadata(false), namedFor: 'sp' }]);
    assert.deepEqual(failed(notPromised), []);
    assert.equal(found(notPromised, 'signature.missing')[0]?.status, 'info');
  });

  test('an unsigned AuthnRequest fails when the IdP it is for says WantAuthnRequestsSigned="true"', () => {
    const wanted = validateWith([
      { label: 'sp.xml', xml: spMetadata(false), namedFor: 'sp' },
      { label: 'idp.xml', xml: idpMetadata(true), namedFor: 'idp' },
    ]);
    assert.deepEqual(failed(wanted), ['signature.missing']);
    assert.match(found(wanted, 'signature.missing')[0].message, /idp\.xml .* says WantAuthnRequestsSigned="true"/);
    const notWanted = validateWith([
      { label: 'sp.xml', xml: spMetadata(false), namedFor: 'sp' },
      { label: 'idp.xml', xml: idpMetadata(false), namedFor: 'idp' },
    ]);
    assert.deepEqual(failed(notWanted), []);
  });
});
