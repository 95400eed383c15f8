// "Generate Self-Signed Certificate" without VS Code: every key choice gives a certificate that
// openssl parses with the chosen key, CN and validity (dates written by hand), whose key matches
// the private key; the input checks, and the git check that guards private keys.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  addYears,
  commonNameFromEntityId,
  commonNameProblem,
  createSelfSignedCertificate,
  KEY_CHOICES,
  parseValidityYears,
} from '../../src/features/generators/headless/certificateOptions';
import { gitExposure } from '../../src/features/generators/headless/gitTracking';
import { withTempDir } from '../fixtures/builder/peers';
import { GIT, OPENSSL, skipWithout } from '../requirements';

function openssl(args: string[], input: string): string {
  const result = spawnSync('openssl', args, { input, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const KEY_LINES: Record<string, RegExp> = {
  'rsa-2048': /Public-Key: \(2048 bit\)/,
  'rsa-3072': /Public-Key: \(3072 bit\)/,
  'rsa-4096': /Public-Key: \(4096 bit\)/,
  'ec-p256': /NIST CURVE: P-256/,
  'ec-p384': /NIST CURVE: P-384/,
};

test('the key choices are the five the command offers', () => {
  assert.deepEqual(
    KEY_CHOICES.map((choice) => choice.label),
    ['RSA 2048', 'RSA 3072', 'RSA 4096', 'EC P-256', 'EC P-384'],
  );
});

for (const choice of KEY_CHOICES) {
  test(`createSelfSignedCertificate ${choice.label}: openssl x509 reads CN, dates and key; the private key matches`, async (t) => {
    if (skipWithout(t, OPENSSL)) return;
    const generated = await createSelfSignedCertificate({
      key: choice.spec,
      commonName: ' www.upwork.com ',
      years: 3,
      now: new Date('2026-11-29T10:30:00Z'),
    });
    const text = openssl(['x509', '-noout', '-text', '-nameopt', 'RFC2253'], generated.certificatePem);
    assert.match(text, /Subject: CN=www\.upwork\.com\n/);
    assert.match(text, /Issuer: CN=www\.upwork\.com\n/);
    assert.match(text, /Not Before: Nov 29 10:30:00 2026 GMT/);
    assert.match(text, /Not After : Nov 29 10:30:00 2029 GMT/);
    assert.match(text, KEY_LINES[choice.id]);
    // Self-signed: openssl verifies the certificate with itself as the trust anchor.
    withTempDir((dir) => {
      writeFileSync(path.join(dir, 'cert.pem'), generated.certificatePem);
      const verified = spawnSync(
        'openssl',
        [
          'verify',
          '-attime',
          String(Date.parse('2027-01-01T00:00:00Z') / 1000),
          '-CAfile',
          path.join(dir, 'cert.pem'),
          path.join(dir, 'cert.pem'),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(verified.status, 0, verified.stderr + verified.stdout);
    });
    const publicFromKey = openssl(['pkey', '-pubout'], generated.privateKeyPem);
    const publicFromCertificate = openssl(['x509', '-noout', '-pubkey'], generated.certificatePem);
    assert.equal(publicFromKey, publicFromCertificate);
    assert.match(generated.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(generated.certificateBase64, generated.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''));
  });
}

test('createSelfSignedCertificate refuses a bad CN or validity with the input box message', async () => {
  const key = KEY_CHOICES[3].spec;
  await assert.rejects(
    createSelfSignedCertificate({ key, commonName: '', years: 1, now: new Date('2026-11-29T00:00:00Z') }),
    /Enter a common name/,
  );
  await assert.rejects(
    createSelfSignedCertificate({ key, commonName: 'x', years: 11, now: new Date('2026-11-29T00:00:00Z') }),
    /1 to 10 years; 11 is outside/,
  );
});

const VALIDITY: [string, number | RegExp][] = [
  ['1', 1],
  [' 10 ', 10],
  ['3', 3],
  ['0', /1 to 10 years; 0 is outside/],
  ['11', /1 to 10 years; 11 is outside/],
  ['2.5', /whole number of years from 1 to 10/],
  ['-1', /whole number of years/],
  ['', /whole number of years/],
  ['two', /whole number of years/],
];
for (const [text, expected] of VALIDITY) {
  test(`parseValidityYears(${JSON.stringify(text)})`, () => {
    const parsed = parseValidityYears(text);
    if (typeof expected === 'number') assert.deepEqual(parsed, { ok: true, years: expected });
    else assert.match((parsed as { message: string }).message, expected);
  });
}

const ENTITY_HOSTS: [string | undefined, string | undefined][] = [
  ['https://www.upwork.com/upwork-enterprise', 'www.upwork.com'],
  ['http://localhost:8080/saml', 'localhost'],
  ['urn:example:sp', undefined],
  ['spn:4f1a9c2e-7b3d-4e8a-9c51-2d6b8e0f3a77', undefined],
  ['not a uri', undefined],
  [undefined, undefined],
];
for (const [entityId, host] of ENTITY_HOSTS) {
  test(`commonNameFromEntityId(${JSON.stringify(entityId)}) is ${JSON.stringify(host)}`, () =>
    assert.equal(commonNameFromEntityId(entityId), host));
}

const COMMON_NAMES: [string, RegExp | undefined][] = [
  ['www.upwork.com', undefined],
  ['Upwork Enterprise SAML signing', undefined],
  ['   ', /Enter a common name/],
  ['x'.repeat(65), /at most 64 characters; this one has 65/],
  ['bad\u0007name', /control character/],
];
for (const [name, problem] of COMMON_NAMES) {
  test(`commonNameProblem(${JSON.stringify(name.slice(0, 20))})`, () => {
    const found = commonNameProblem(name);
    if (problem) assert.match(found ?? '', problem);
    else assert.equal(found, undefined);
  });
}

test('addYears keeps the time of day; 29 February becomes 1 March in a common year', () => {
  assert.equal(addYears(new Date('2026-11-29T10:30:00Z'), 3).toISOString(), '2029-11-29T10:30:00.000Z');
  assert.equal(addYears(new Date('2028-02-29T00:00:00Z'), 1).toISOString(), '2029-03-01T00:00:00.000Z');
});

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

test('gitExposure: ignored, not ignored, tracked despite .gitignore, nested folder, outside any repository', async (t) => {
  if (skipWithout(t, GIT)) return;
  // Not withTempDir: it removes the folder before an async body has finished.
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'generators-git-')));
  try {
    const repository = path.join(dir, 'repo');
    mkdirSync(path.join(repository, 'keys', 'deep'), { recursive: true });
    git(repository, 'init', '--quiet');
    writeFileSync(path.join(repository, '.gitignore'), '*.key.pem\n');
    writeFileSync(path.join(repository, 'tracked.key.pem'), 'x');
    git(repository, 'add', '--force', 'tracked.key.pem');
    const outside = path.join(dir, 'outside');
    mkdirSync(outside);

    assert.deepEqual(await gitExposure(path.join(repository, 'new.key.pem')), {
      inRepository: true,
      root: repository,
      ignored: true,
    });
    assert.deepEqual(await gitExposure(path.join(repository, 'keys', 'deep', 'signing.pem')), {
      inRepository: true,
      root: repository,
      ignored: false,
    });
    assert.deepEqual(await gitExposure(path.join(repository, 'tracked.key.pem')), {
      inRepository: true,
      root: repository,
      ignored: false,
    });
    assert.deepEqual(await gitExposure(path.join(outside, 'signing.key.pem')), { inRepository: false });
    // Without a git executable, a .git folder above still counts; whether it is ignored is unknown.
    assert.deepEqual(await gitExposure(path.join(repository, 'keys', 'a.pem'), 'git-that-does-not-exist'), {
      inRepository: true,
      root: repository,
      ignored: undefined,
    });
    assert.deepEqual(await gitExposure(path.join(outside, 'a.pem'), 'git-that-does-not-exist'), {
      inRepository: false,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
