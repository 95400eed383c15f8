// Secrets: a private key given for decryption never appears in any output (report JSON, finding messages,
// CLI stdout/stderr in both formats, error messages for a wrong or broken key); and in an untrusted
// workspace, files named by workspace settings (certificates, IdP metadata) are never read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCliBundle } from './cliBundle';
import { buildEncryptedSamlResponse } from '../../src/core/build/response';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import { validateResponse } from '../../src/core/validate';
import { attackContext } from '../fixtures/attacks/catalogue';
import {
  ACS_URL,
  NOW,
  SP_ENTITY_ID,
  attackerKeyPair,
  baseSpec,
  idpKeyPair,
  spKeyPair,
} from '../fixtures/builder/responses';

/** Every piece of a PEM key that would give it away: the whole text, its base64 body, and each of its lines. */
function keyFragments(pem: string): string[] {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const lines = pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'));
  return [pem.trim(), body, ...lines, body.slice(0, 40), body.slice(-40)];
}

function assertNoKey(output: string, pem: string, where: string) {
  for (const fragment of keyFragments(pem))
    assert.ok(!output.includes(fragment), `${where} contains private key material: …${fragment.slice(0, 24)}…`);
  assert.doesNotMatch(
    output,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/]{16}/,
    `${where} contains a PRIVATE KEY block`,
  );
}

let encrypted: string;
const damagedKey = () => spKeyPair().privateKeyPem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');

before(async () => {
  encrypted = await buildEncryptedSamlResponse({
    ...baseSpec(),
    encryptTo: { certificatePem: spKeyPair().certificatePem },
  });
});

describe('a decryption key never appears in the validation report', () => {
  const keys: [string, () => string, string][] = [
    ['the right key', () => spKeyPair().privateKeyPem, 'valid'],
    ['a wrong key', () => attackerKeyPair().privateKeyPem, 'invalid'],
    ['a damaged key', damagedKey, 'invalid'],
  ];
  for (const [name, key, verdict] of keys) {
    test(name, () => {
      const report = validateResponse(encrypted, { ...attackContext(), decryptionKeyPem: key() });
      assert.equal(report.verdict, verdict, JSON.stringify(report.findings.filter((f) => f.status === 'fail')));
      if (verdict === 'invalid') assert.ok(report.findings.some((f) => f.code === 'encryption.failed'));
      assertNoKey(JSON.stringify(report), key(), 'the report');
    });
  }
});

describe('the command line never prints the decryption key', () => {
  let dir: string;
  let cli: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-secrets-'));
    cli = buildCliBundle(dir);
    writeFileSync(
      path.join(dir, 'idp.xml'),
      buildIdpMetadata({
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        signingCertificates: [idpKeyPair().certificatePem],
      }),
    );
    writeFileSync(path.join(dir, 'response.txt'), Buffer.from(encrypted).toString('base64'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const keys: [string, () => string, number][] = [
    ['the right key', () => spKeyPair().privateKeyPem, 0],
    ['a wrong key', () => attackerKeyPair().privateKeyPem, 1],
    ['a damaged key', damagedKey, 1],
    // A key file whose BEGIN line is missing is refused as input; the refusal must not quote the file.
    [
      'a PEM body without its BEGIN line',
      () => spKeyPair().privateKeyPem.replace(/-----BEGIN PRIVATE KEY-----\n/, ''),
      66,
    ],
  ];
  for (const [name, key, exitCode] of keys) {
    for (const format of ['--json', 'text'] as const) {
      test(`${name}, ${format === '--json' ? 'JSON' : 'text'} output`, () => {
        const keyFile = path.join(dir, 'sp-key.pem');
        writeFileSync(keyFile, key());
        const args = [
          cli,
          'validate',
          path.join(dir, 'response.txt'),
          '--idp-metadata',
          path.join(dir, 'idp.xml'),
          '--sp-entity-id',
          SP_ENTITY_ID,
          '--acs',
          ACS_URL,
          '--now',
          NOW.toISOString(),
          '--decryption-key',
          keyFile,
        ];
        if (format === '--json') args.push('--json');
        const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        if (exitCode !== 66) assert.equal(result.status, exitCode, result.stderr);
        else assert.ok(result.status !== 0 && result.stderr.trim() !== '', 'refused with a message');
        // Every key used here is the SP key, a damaged copy of it, or the attacker's: search for both.
        for (const pem of [spKeyPair().privateKeyPem, attackerKeyPair().privateKeyPem])
          assertNoKey(`${result.stdout}\n${result.stderr}`, pem, 'CLI output');
      });
    }
  }
});

/**
 * The decode feature's trust resolution, loaded with a stand-in for the `vscode` module that records
 * every file read and lets the test choose whether the workspace is trusted.
 */
describe('untrusted workspaces: files named by workspace settings are never read', () => {
  const reads: string[] = [];
  let trusted = false;
  const fakeUri = (fsPath: string) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` });
  const fakeVscode = {
    Uri: {
      file: fakeUri,
      joinPath: (base: { fsPath: string }, ...parts: string[]) => fakeUri(path.join(base.fsPath, ...parts)),
    },
    workspace: {
      get isTrusted() {
        return trusted;
      },
      workspaceFolders: [{ uri: fakeUri('/workspace'), name: 'workspace', index: 0 }],
      getWorkspaceFolder: () => undefined,
      asRelativePath: (uri: { fsPath: string }) => uri.fsPath,
      fs: {
        readFile: async (uri: { fsPath: string }) => {
          reads.push(uri.fsPath);
          return Buffer.from(idpKeyPair().certificatePem);
        },
      },
    },
  };
  type Loader = (request: string, ...rest: unknown[]) => unknown;
  const moduleWithLoad = Module as unknown as { _load: Loader };
  const originalLoad = moduleWithLoad._load;
  let trust: typeof import('../../src/features/decode/trust');

  before(async () => {
    moduleWithLoad._load = function (this: unknown, request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fakeVscode : originalLoad.call(this, request, ...rest);
    } as Loader;
    trust = await import('../../src/features/decode/trust');
  });
  after(() => {
    moduleWithLoad._load = originalLoad;
  });

  const emptyIndex = {
    files: async () => [],
    summary: async (uri: { fsPath: string }) => {
      reads.push(`metadata ${uri.fsPath}`);
      return undefined;
    },
  } as never;
  const settings = {
    clockSkewSeconds: 180,
    trustedCertificates: ['certs/idp-signing.pem', '/etc/saml/idp.pem'],
    serviceProviders: [
      { entityId: SP_ENTITY_ID, acsUrls: [ACS_URL], expectedAttributes: [], idpMetadata: 'metadata/idp.xml' },
    ],
  };
  const resolve = () => trust.resolveTrust({ kind: 'automatic' }, emptyIndex, settings, settings.serviceProviders[0]);

  test('untrusted: nothing read, and the panel says why', async () => {
    trusted = false;
    reads.length = 0;
    const result = await resolve();
    assert.deepEqual(reads, []);
    assert.equal(result.anchors.length, 0);
    assert.ok(
      result.notes.some((n) => /only read in a trusted workspace/.test(n.source)),
      JSON.stringify(result.notes),
    );
  });

  test('trusted (control): the same settings are read', async () => {
    trusted = true;
    reads.length = 0;
    const result = await resolve();
    assert.deepEqual(
      reads.sort(),
      [
        '/etc/saml/idp.pem',
        path.join('/workspace', 'certs/idp-signing.pem'),
        `metadata ${path.join('/workspace', 'metadata/idp.xml')}`,
      ].sort(),
    );
    assert.equal(result.anchors.length, 2);
  });
});
