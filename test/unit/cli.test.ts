// The command line, run as a child process on a fresh bundle of the current source: exit codes,
// JSON fields against the documented schema, and certificate dates and thumbprints against openssl.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCliBundle } from './cliBundle';
import Ajv from 'ajv';
import { OPENSSL, pathRequirement, skipUnless, skipWithout, XMLLINT } from '../requirements';
import { ACS_URL, buildResponse, idpKeyPair, NOW, REQUEST_ID, SP_ENTITY_ID } from '../fixtures/builder/responses';

const repoRoot = path.resolve(__dirname, '..', '..');
const samples = path.join(repoRoot, 'samples');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'metadata');
const IDP = path.join(samples, 'entra-id', 'UpworkEnterprise-FederationMetadata.xml');
const SP = path.join(samples, 'upwork-enterprise', 'sp-metadata.xml');
const response = (name: string) => path.join(samples, 'responses', `b.simon-${name}.saml.txt`);
/** The samples were generated for this instant; the valid response stays valid for ten years. */
const SAMPLE_NOW = '2026-11-29T00:00:00Z';

let cli: string;

before(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-cli-'));
  cli = buildCliBundle(dir);
});

function run(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    cwd: repoRoot,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(args: string[]) {
  const result = run([...args, '--json']);
  return { code: result.code, body: JSON.parse(result.stdout), stderr: result.stderr };
}

function openssl(args: string[], input: string): string {
  const result = spawnSync('openssl', args, { input, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

const validateSchema = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'cli-validate.schema.json'), 'utf8')),
);

function assertSchema(body: unknown) {
  assert.ok(validateSchema(body), JSON.stringify(validateSchema.errors, null, 2));
}

describe('saml-lens validate', () => {
  const base = ['--idp-metadata', IDP, '--sp-metadata', SP, '--now', SAMPLE_NOW];

  test('the sample response is valid, with B.Simon and the four expected claims verified', () => {
    const { code, body } = json(['validate', response('valid'), ...base]);
    assertSchema(body);
    assert.equal(code, 0);
    assert.equal(body.verdict, 'valid');
    assert.deepEqual(body.subject.nameId.value, 'B.Simon@contoso.com');
    assert.equal(body.subject.nameId.verified, true);
    assert.deepEqual(body.attributes.map((a: { name: string }) => a.name).sort(), [
      'Country',
      'Email',
      'FirstName',
      'LastName',
    ]);
    assert.ok(body.attributes.every((a: { verified: boolean }) => a.verified));
    assert.ok(
      body.signatures.some((s: { trusted: boolean; signatureValid: boolean }) => s.trusted && s.signatureValid),
    );
    assert.equal(body.findings.filter((f: { status: string }) => f.status === 'fail').length, 0);
  });

  const broken: [string, string][] = [
    ['expired', 'time.expired'],
    ['wrong-audience', 'audience.mismatch'],
  ];
  for (const [name, code] of broken) {
    test(`the ${name} sample is invalid with ${code}`, () => {
      const result = json(['validate', response(name), ...base]);
      assertSchema(result.body);
      assert.equal(result.code, 1);
      assert.equal(result.body.verdict, 'invalid');
      assert.ok(
        result.body.findings.some((f: { code: string; status: string }) => f.code === code && f.status === 'fail'),
        JSON.stringify(result.body.findings.map((f: { code: string }) => f.code)),
      );
    });
  }

  test('a certificate from other metadata does not verify the signature: never valid', () => {
    const other = path.join(samples, 'certificates', 'partner-idp-expiring-soon.xml');
    const { code, body } = json(['validate', response('valid'), '--idp-metadata', other, '--now', SAMPLE_NOW]);
    assertSchema(body);
    assert.notEqual(body.verdict, 'valid');
    assert.notEqual(code, 0);
    assert.equal(body.subject.nameId.verified, false);
  });

  test('the message can come from standard input, in a form body', () => {
    const base64 = readFileSync(response('valid'), 'utf8').trim();
    const body = `SAMLResponse=${encodeURIComponent(base64)}&RelayState=xyz`;
    const result = run(['validate', '-', ...base, '--json'], { input: body });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).verdict, 'valid');
  });

  test('undecodable input is a parse error (exit 3) with a specific message', () => {
    const asJson = json(['validate', 'this is not SAML', ...base]);
    assertSchema(asJson.body);
    assert.equal(asJson.code, 3);
    assert.equal(asJson.body.verdict, 'parse-error');
    assert.match(asJson.body.error.message, /SAML/);
    const human = run(['validate', 'this is not SAML', ...base]);
    assert.equal(human.code, 3);
    assert.match(human.stderr, /^saml-lens: /);
    assert.doesNotMatch(human.stderr, /at .*\.js:\d+/, 'no stack trace without --debug');
  });

  const usage: [string, string[], RegExp][] = [
    ['no --idp-metadata', ['validate', response('valid')], /--idp-metadata/],
    ['a bad --now', ['validate', response('valid'), '--idp-metadata', IDP, '--now', 'yesterday'], /ISO-8601/],
    [
      'a bad --clock-skew',
      ['validate', response('valid'), '--idp-metadata', IDP, '--clock-skew', '3m'],
      /whole number/,
    ],
    ['an unknown option', ['validate', response('valid'), '--idp', IDP], /--idp/],
    ['an unknown command', ['verify'], /Unknown command "verify"/],
  ];
  for (const [name, args, message] of usage) {
    test(`usage error (exit 64): ${name}`, () => {
      const result = run(args);
      assert.equal(result.code, 64);
      assert.match(result.stderr, message);
    });
  }

  test('missing files are named', () => {
    const result = run(['validate', response('valid'), '--idp-metadata', 'nowhere.xml']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /nowhere\.xml.*no such file/);
  });
});

describe('saml-lens validate: trust from aggregates, keys and fingerprints', () => {
  const ENTRA_CERTIFICATE = path.join(samples, 'entra-id', 'UpworkEnterprise.cer');
  const ISSUER = 'https://sts.windows.net/4f1a9c2e-7b3d-4e8a-9c51-2d6b8e0f3a77/';
  const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-cli-trust-'));
  const skip = skipUnless(pathRequirement(path.join(corpus, 'swamid-1.0-aggregate.xml'), '../shared/corpus'));

  /** A corpus aggregate with one sample entity added as the last child of its root. */
  function aggregateWith(corpusName: string, entityFile: string, name: string): string {
    const aggregate = readFileSync(path.join(corpus, corpusName), 'utf8');
    const entity = readFileSync(entityFile, 'utf8').replace(/^\uFEFF?<\?xml[^>]*\?>\s*/, '');
    const close = aggregate.lastIndexOf('</');
    const file = path.join(dir, name);
    writeFileSync(file, `${aggregate.slice(0, close)}${entity}\n${aggregate.slice(close)}`);
    return file;
  }

  test(
    'aggregates as --idp-metadata and --sp-metadata: matched by Issuer and Audience, a full report',
    { skip },
    () => {
      const idps = aggregateWith('swamid-1.0-aggregate.xml', IDP, 'idps.xml');
      const sps = aggregateWith('switch-aaitest-aggregate-2019.xml', SP, 'sps.xml');
      const args = ['validate', response('valid'), '--idp-metadata', idps, '--sp-metadata', sps, '--now', SAMPLE_NOW];
      const { code, body, stderr } = json(args);
      assert.equal(code, 0, stderr);
      assertSchema(body);
      assert.equal(body.verdict, 'valid');
      assert.deepEqual(
        body.trust.map((t: { what: string; how: string; source: string }) => [t.what, t.how, t.source]),
        [
          [`IdP ${ISSUER}`, 'matched by Issuer', idps],
          ['Service provider', 'matched by Audience', sps],
        ],
      );
      const text = run(args);
      assert.match(
        text.stdout,
        /^trust {2}IdP https:\/\/sts\.windows\.net\/\S+: .*idps\.xml \(matched by Issuer\), 1 signing certificate$/m,
      );
      assert.match(text.stdout, /^trust {2}Service provider: .*sps\.xml \(matched by Audience\)$/m);
    },
  );

  test(
    'an aggregate without the Issuer: not verifiable (exit 2), naming the entity count and the closest entityIDs',
    { skip },
    () => {
      const aggregate = path.join(corpus, 'swamid-1.0-aggregate.xml');
      // Counted by xmllint when it is there, otherwise by the start tags in the text.
      const xmllint = spawnSync('xmllint', ['--xpath', "count(//*[local-name()='EntityDescriptor'])", aggregate], {
        encoding: 'utf8',
      });
      const entities =
        xmllint.status === 0
          ? Number(xmllint.stdout)
          : (readFileSync(aggregate, 'utf8').match(/<md:EntityDescriptor[\s>]/g) ?? []).length;
      const { code, body } = json(['validate', response('valid'), '--idp-metadata', aggregate, '--now', SAMPLE_NOW]);
      assertSchema(body);
      assert.equal(code, 2);
      assert.equal(body.verdict, 'not-verifiable');
      const finding = body.findings.find((f: { code: string }) => f.code === 'trust.no-matching-entity');
      assert.ok(finding, JSON.stringify(body.findings.map((f: { code: string }) => f.code)));
      assert.match(
        finding.message,
        new RegExp(
          `^None of the ${entities} entities in .*swamid-1\\.0-aggregate\\.xml is an IdP with entityID ${ISSUER.replace(/[./]/g, '\\$&')} \\(the message's Issuer\\); closest: https://`,
        ),
      );
    },
  );

  test('--trust-key with the public key openssl extracts from the certificate: valid, labelled a public key', () => {
    const keyFile = path.join(dir, 'entra.pub.pem');
    writeFileSync(keyFile, openssl(['x509', '-pubkey', '-noout', '-in', ENTRA_CERTIFICATE], ''));
    const { code, body } = json([
      'validate',
      response('valid'),
      '--trust-key',
      keyFile,
      '--sp-metadata',
      SP,
      '--now',
      SAMPLE_NOW,
    ]);
    assertSchema(body);
    assert.equal(code, 0);
    assert.equal(body.signatures[0].certificate.kind, 'public-key');
    assert.match(body.signatures[0].certificate.source, /entra\.pub\.pem \(--trust-key\)/);
    assert.deepEqual(
      body.trust.map((t: { what: string; how: string }) => [t.what, t.how]),
      [
        ['Trusted public key', 'configured'],
        ['Service provider', 'matched by Audience'],
      ],
    );
  });

  test('--trust-fingerprint: SHA-256 from openssl is valid; SHA-1 warns; another fingerprint fails; a malformed one is a usage error', () => {
    const fingerprint = (algorithm: string) =>
      openssl(['x509', '-noout', '-fingerprint', `-${algorithm}`, '-in', ENTRA_CERTIFICATE], '').replace(/^.*=/, '');
    const withFingerprint = (value: string) =>
      json(['validate', response('valid'), '--trust-fingerprint', value, '--sp-metadata', SP, '--now', SAMPLE_NOW]);
    const sha256 = withFingerprint(`sha256:${fingerprint('sha256')}`);
    assertSchema(sha256.body);
    assert.equal(sha256.code, 0);
    assert.equal(sha256.body.signatures[0].certificate.kind, 'fingerprint');
    assert.equal(sha256.body.signatures[0].certificate.sha256, fingerprint('sha256'));

    const sha1 = withFingerprint(`sha1:${fingerprint('sha1')}`);
    assert.equal(sha1.code, 0);
    assert.ok(
      sha1.body.findings.some(
        (f: { code: string; status: string }) => f.code === 'trust.fingerprint-sha1' && f.status === 'warn',
      ),
    );

    const other = withFingerprint(`sha256:${'00'.repeat(32)}`);
    assert.equal(other.code, 1);
    assert.ok(other.body.findings.some((f: { code: string }) => f.code === 'signature.untrusted-certificate'));

    const malformed = run(['validate', response('valid'), '--trust-fingerprint', 'sha256:abc']);
    assert.equal(malformed.code, 64);
    assert.match(malformed.stderr, /--trust-fingerprint/);
  });

  test('--help names the trust options', () => {
    const help = run(['validate', '--help']).stdout;
    for (const option of [
      '--idp-metadata',
      '--trust-key',
      '--trust-fingerprint',
      'trust.metadata-expired',
      'WantAssertionsSigned',
    ])
      assert.ok(help.includes(option), option);
  });
});

describe('saml-lens decode', () => {
  test('--raw prints exactly the bytes the base64 carries', () => {
    const base64 = readFileSync(response('valid'), 'utf8');
    const result = run(['decode', response('valid'), '--raw']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, Buffer.from(base64.replace(/\s+/g, ''), 'base64').toString('utf8'));
    assert.match(result.stderr, /Response · HTTP-POST/);
  });

  test('an HTTP-Redirect URL is inflated (checked against zlib in python)', () => {
    const url = readFileSync(
      path.join(samples, 'requests', 'upwork-enterprise-authn-request.redirect-url.txt'),
      'utf8',
    ).trim();
    const expected = spawnSync(
      'python3',
      [
        '-c',
        'import sys,zlib,base64,urllib.parse as u; q=u.parse_qs(u.urlparse(sys.stdin.read().strip()).query); sys.stdout.write(zlib.decompress(base64.b64decode(q["SAMLRequest"][0]), -15).decode())',
      ],
      { input: url, encoding: 'utf8' },
    );
    assert.equal(expected.status, 0, expected.stderr);
    const result = json(['decode', url, '--raw']);
    assert.equal(result.code, 0);
    assert.equal(result.body.messageType, 'AuthnRequest');
    assert.equal(result.body.binding, 'redirect');
    assert.equal(result.body.xml, expected.stdout);
  });

  test('output has no colour codes when not on a terminal, nor with NO_COLOR', () => {
    for (const env of [{}, { NO_COLOR: '1', FORCE_COLOR: '1' }]) {
      const result = run(
        ['validate', response('expired'), '--idp-metadata', IDP, '--sp-metadata', SP, '--now', SAMPLE_NOW],
        { env },
      );
      assert.doesNotMatch(result.stdout + result.stderr, /\u001b\[/);
      assert.match(result.stdout, /^INVALID/);
    }
  });
});

describe('saml-lens certs', () => {
  const sampleCerts = path.join(samples, 'certificates');

  test('dates and thumbprints of the sample PEM certificates match openssl', () => {
    const pems = readdirSync(sampleCerts).filter((f) => f.endsWith('.pem'));
    assert.ok(pems.length >= 4);
    for (const file of pems) {
      const pem = readFileSync(path.join(sampleCerts, file), 'utf8');
      const { body } = json(['certs', path.join(sampleCerts, file), '--now', SAMPLE_NOW]);
      const [cert] = body.files[0].certificates;
      const notAfter = new Date(openssl(['x509', '-noout', '-enddate'], pem).replace('notAfter=', ''));
      assert.equal(cert.notAfter, notAfter.toISOString(), file);
      const sha256 = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).split('=')[1].replace(/:/g, '');
      assert.equal(cert.sha256, sha256, file);
    }
  });

  test('the CI gate fails on an expired certificate and passes on a valid one', () => {
    const expired = run(['certs', path.join(sampleCerts, 'partner-idp-expired.xml'), '--now', SAMPLE_NOW]);
    assert.equal(expired.code, 1);
    assert.match(expired.stdout, /cert\.expired/);
    const valid = run(['certs', IDP, '--now', SAMPLE_NOW]);
    assert.equal(valid.code, 0, valid.stdout);
    assert.match(valid.stdout, /0 expired, 0 expiring/);
  });

  test('the warning window is respected: 20 days left fails with 30, passes with 10', () => {
    const file = path.join(sampleCerts, 'partner-idp-expiring-soon.xml');
    assert.equal(run(['certs', file, '--now', SAMPLE_NOW, '--warn-days', '30']).code, 1);
    assert.equal(run(['certs', file, '--now', SAMPLE_NOW, '--warn-days', '10']).code, 0);
  });

  test('a quoted glob is expanded, and a glob that matches nothing is an error', () => {
    const { body } = json(['certs', 'samples/certificates/*.xml', '--now', SAMPLE_NOW]);
    const expectedFiles = readdirSync(sampleCerts).filter((f) => f.endsWith('.xml')).length;
    assert.equal(body.files.length, expectedFiles);
    const none = run(['certs', 'samples/**/*.nothing']);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /No files match/);
  });

  test('a broken certificate fails the gate with a specific finding', () => {
    const { code, body } = json(['certs', path.join(sampleCerts, 'broken-base64.xml'), '--now', SAMPLE_NOW]);
    assert.equal(code, 1);
    assert.equal(body.files[0].certificates[0].findings[0].code, 'cert.invalid');
  });

  test('every corpus metadata file is read; expiry dates agree with openssl', (t) => {
    if (skipWithout(t, pathRequirement(corpus, '../shared/corpus'), OPENSSL)) return;
    const files = readdirSync(corpus)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => path.join(corpus, f));
    const { body } = json(['certs', ...files, '--now', '2025-11-29T00:00:00Z']);
    assert.equal(body.files.length, files.length);
    let compared = 0;
    for (const file of body.files) {
      if (file.error) {
        assert.match(path.basename(file.path), /malformed/, `${file.path}: ${file.error}`);
        continue;
      }
      for (const cert of file.certificates.filter((c: { notAfter: string | null }) => c.notAfter).slice(0, 2)) {
        const pem = `-----BEGIN CERTIFICATE-----\n${readBase64(file.path, cert.sha256)}\n-----END CERTIFICATE-----\n`;
        assert.equal(
          cert.notAfter,
          new Date(openssl(['x509', '-noout', '-enddate'], pem).replace('notAfter=', '')).toISOString(),
        );
        compared++;
      }
    }
    assert.ok(compared > 30, `compared ${compared}`);
  });
});

/** The certificate text in a file whose DER hashes to sha256 (found independently of the CLI). */
function readBase64(file: string, sha256: string): string {
  const crypto = require('node:crypto') as typeof import('node:crypto');
  for (const match of readFileSync(file, 'utf8').matchAll(/X509Certificate[^>]*>([^<]+)</g)) {
    const base64 = match[1].replace(/\s+/g, '');
    if (crypto.createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').toUpperCase() === sha256)
      return base64.match(/.{1,64}/g)!.join('\n');
  }
  throw new Error(`certificate ${sha256} not found in ${file}`);
}

describe('saml-lens metadata and help', () => {
  test('metadata --json counts match xmllint', (t) => {
    if (skipWithout(t, XMLLINT)) return;
    const { code, body } = json(['metadata', IDP, '--now', SAMPLE_NOW]);
    assert.equal(code, 0);
    const count = (xpath: string) =>
      Number(spawnSync('xmllint', ['--xpath', `count(${xpath})`, IDP], { encoding: 'utf8' }).stdout);
    assert.equal(body.counts.entities, count("//*[local-name()='EntityDescriptor']"));
    assert.equal(body.counts.certificates, count("//*[local-name()='X509Certificate']"));
    assert.equal(
      body.counts.endpoints,
      count(
        "//*[local-name()='SingleSignOnService' or local-name()='SingleLogoutService' or local-name()='AssertionConsumerService' or local-name()='ArtifactResolutionService']",
      ) + count("//*[local-name()='RoleDescriptor']//*[@Binding]"),
    );
  });

  test('every command has --help, exit 0', () => {
    for (const command of ['decode', 'validate', 'flow', 'certs', 'metadata', 'diff']) {
      const result = run([command, '--help']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, new RegExp(`^Usage: saml-lens ${command}`));
    }
    assert.equal(run([]).code, 64);
  });

  test('a metadata file that is not well-formed gives line and column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-md-'));
    const file = path.join(dir, 'broken.xml');
    writeFileSync(
      file,
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">\n  <md:SPSSODescriptor>\n</md:EntityDescriptor>\n',
    );
    const result = run(['metadata', file]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /[Ll]ine 3/);
  });
});

describe('saml-lens diff', () => {
  // Values read from the files with openssl (test/unit/metadata.diff.test.ts has the details).
  const old2018 = 'D4:0D:F0:1C:CE:DE:49:D2:07:CB:6D:8A:BD:15:77:0A:4B:6E:CA:14:A8:54:48:C2:95:9A:98:F8:5D:C3:1E:D4';

  test('a signing certificate still valid but gone from NEW: exit 1, in text and JSON', (t) => {
    if (skipWithout(t, pathRequirement(corpus, '../shared/corpus'))) return;
    const files = [path.join(corpus, 'okta-idp-metadata-2018.xml'), path.join(corpus, 'okta-idp-metadata.xml')];
    const text = run(['diff', ...files, '--now', SAMPLE_NOW]);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /Entities: 1 added, 1 removed, 0 changed, 0 unchanged\./);
    assert.ok(text.stdout.includes(`✗ The signing certificate ${old2018} `));
    const { code, body } = json(['diff', ...files, '--now', SAMPLE_NOW]);
    assert.equal(code, 1);
    assert.equal(body.signingCertificateRemoved, true);
    assert.deepEqual(
      body.entities.map((e: { change: string }) => e.change),
      ['added', 'removed'],
    );
    // Judged after the 2018 certificate expired (2028-09-07), dropping it is no longer an error.
    assert.equal(run(['diff', ...files, '--now', '2029-01-01T00:00:00Z']).code, 0);
  });

  test('the same file twice: exit 0, nothing changed', () => {
    const result = run(['diff', IDP, IDP]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Entities: 0 added, 0 removed, 0 changed, 1 unchanged\./);
    assert.match(result.stdout, /No signing certificate was added or removed\./);
  });

  test('one file, or a file that is not metadata, is refused with its reason', () => {
    const one = run(['diff', IDP]);
    assert.equal(one.code, 64);
    assert.match(one.stderr, /diff compares two metadata files, OLD and NEW; got 1\./);
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-diff-'));
    const file = path.join(dir, 'response.xml');
    writeFileSync(file, '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"/>');
    const notMetadata = run(['diff', IDP, file]);
    assert.equal(notMetadata.code, 3);
    assert.equal(notMetadata.stderr.trim(), `saml-lens: ${file} holds no EntityDescriptor: it is not SAML metadata.`);
  });
});

describe('saml-lens validate --as: what the SP libraries would answer', () => {
  // Entra ID's default: the assertion is signed, the Response is not.
  let args: string[];
  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-as-'));
    const message = path.join(dir, 'assertion-signed.xml');
    const key = path.join(dir, 'idp.pem');
    writeFileSync(message, buildResponse());
    writeFileSync(key, idpKeyPair().certificatePem);
    args = [
      'validate',
      message,
      '--trust-key',
      key,
      '--sp-entity-id',
      SP_ENTITY_ID,
      '--acs',
      ACS_URL,
      '--request-id',
      REQUEST_ID,
      '--now',
      NOW.toISOString(),
    ];
  });

  test('node-saml rejects an assertion-only signature, and says which setting would accept it', () => {
    const result = run([...args, '--as', 'node-saml']);
    assert.equal(result.code, 0, result.stderr);
    const section = result.stdout.slice(result.stdout.indexOf('Service provider libraries'));
    assert.ok(section.startsWith('Service provider libraries'), result.stdout);
    assert.match(section, /node-saml 5\.1\.0 {2}REJECTED {2}"Invalid document signature"/);
    assert.match(section, /`wantAuthnResponseSigned: false` would accept this/);
    assert.doesNotMatch(section, /samlify|python3-saml|ruby-saml/);
  });

  test('--json carries libraryVerdicts, within the schema', () => {
    const { code, body } = json([...args, '--as', 'node-saml']);
    assertSchema(body);
    assert.equal(code, 0);
    assert.equal(body.libraryVerdicts.length, 1);
    const [verdict] = body.libraryVerdicts;
    assert.equal(verdict.library, 'node-saml');
    assert.equal(verdict.outcome, 'rejected');
    assert.equal(verdict.message, 'Invalid document signature');
    assert.deepEqual(
      verdict.changes.find((c: { option: string }) => c.option === 'wantAuthnResponseSigned'),
      { option: 'wantAuthnResponseSigned', value: false, outcome: 'would accept this' },
    );
    assert.equal(json(args).body.libraryVerdicts, undefined, 'no --as, no libraryVerdicts');
  });

  test("--library-option applies the library's own option", () => {
    const { body } = json([
      ...args,
      '--as',
      'node-saml',
      '--library-option',
      'node-saml.wantAuthnResponseSigned=false',
    ]);
    assertSchema(body);
    assert.equal(body.libraryVerdicts[0].outcome, 'accepted');
    assert.equal(body.libraryVerdicts[0].options.wantAuthnResponseSigned, false);
  });

  test('--as all prints a table of the four libraries', () => {
    const result = run([...args, '--as', 'all']);
    const section = result.stdout.slice(result.stdout.indexOf('Service provider libraries'));
    assert.match(section, /^Library +Outcome +Message +Would change it$/m);
    for (const id of ['node-saml', 'samlify', 'python3-saml', 'ruby-saml'])
      assert.match(section, new RegExp(`^${id} \\S+ +(ACCEPTED|REJECTED|UNKNOWN)`, 'm'));
    assert.match(section, /^node-saml 5\.1\.0 +REJECTED +"Invalid document signature"/m);
    assert.equal(json([...args, '--as', 'all']).body.libraryVerdicts.length, 4);
  });

  test('a library that accepts what SAML Lens rejects is said plainly', () => {
    const result = run([
      ...args.map((a) => (a === REQUEST_ID ? '_another-request' : a)),
      '--as',
      'node-saml',
      '--library-option',
      'node-saml.wantAuthnResponseSigned=false',
      '--library-option',
      'node-saml.validateInResponseTo=never',
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      /^Warning: node-saml 5\.1\.0 with these settings would accept this response, which SAML Lens rejects: \S*in-?response-?to/im,
    );
  });

  for (const [what, extra, message] of [
    ['an unknown --as', ['--as', 'foo'], /"foo".*node-saml, samlify, python3-saml, ruby-saml/],
    [
      'an unknown library in --library-option',
      ['--as', 'all', '--library-option', 'passport.x=1'],
      /"passport".*node-saml, samlify, python3-saml, ruby-saml/,
    ],
    [
      'an unknown option name',
      ['--as', 'node-saml', '--library-option', 'node-saml.wantResponseSigned=false'],
      /node-saml has no option "wantResponseSigned"; its options are wantAuthnResponseSigned, /,
    ],
    [
      'a value of the wrong type',
      ['--as', 'node-saml', '--library-option', 'node-saml.wantAuthnResponseSigned=no'],
      /wantAuthnResponseSigned takes a boolean/,
    ],
    [
      'an option of a library not asked for',
      ['--as', 'samlify', '--library-option', 'node-saml.wantAuthnResponseSigned=false'],
      /add --as node-saml/,
    ],
  ] as const) {
    test(`${what} is a usage error naming the valid choices`, () => {
      const result = run([...args, ...extra]);
      assert.equal(result.code, 64);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    });
  }
});
