// The decode panel's "Decryption key…" and "Request ID…" actions in a real extension host, with the
// window's dialogs scripted: an encrypted response is not verifiable without the SP's key, valid
// once its PKCS#12 file (made by openssl here) is chosen; a remembered key sits in secret storage,
// is used for the next encrypted message and never shows up in the log, the report or the model.
// Expected attribute values are the ones the fixture builder was given, written out by hand.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { buildEncryptedSamlResponse } from '../../src/core/build/response';
import type { DecodeApi } from '../../src/features/decode/register';
import { EXTENSION_ID } from '../../src/ids';
import { WindowStubs } from './windowStubs';
import { ACS_URL, NOW, REQUEST_ID, SP_ENTITY_ID, baseSpec, idpKeyPair, spKeyPair } from '../fixtures/builder/responses';

/** Replaces vscode.window prompts for one test; `restore()` puts the real ones back. */
class ScriptedWindow extends WindowStubs {
  readonly errors: string[] = [];
  readonly informations: string[] = [];
  readonly inputBoxes: vscode.InputBoxOptions[] = [];

  constructor(script: { openDialogs?: string[]; inputs?: string[]; informationAnswer?: string }) {
    super();
    this.replace('showOpenDialog', async () => {
      const next = script.openDialogs?.shift();
      return next === undefined ? undefined : [vscode.Uri.file(next)];
    });
    this.replace('showInputBox', async (options: vscode.InputBoxOptions = {}) => {
      this.inputBoxes.push(options);
      const value = script.inputs?.shift();
      if (value === undefined) return undefined;
      const problem = await options.validateInput?.(value);
      assert.equal(
        problem ?? undefined,
        undefined,
        `input ${JSON.stringify(value)} was refused: ${JSON.stringify(problem)}`,
      );
      return value;
    });
    this.replace('showQuickPick', async () => undefined);
    this.replace('showInformationMessage', async (message: string) => {
      this.informations.push(message);
      return script.informationAnswer;
    });
    this.replace('showErrorMessage', async (message: string) => {
      this.errors.push(message);
      return undefined;
    });
  }
}

/** The whole key, its base64 body, and each line of it. */
function assertNoKey(output: string, pem: string, where: string): void {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const lines = pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'));
  for (const fragment of [body, ...lines, body.slice(0, 40), body.slice(-40)]) {
    assert.ok(!output.includes(fragment), `${where} contains private key material: …${fragment.slice(0, 24)}…`);
  }
  assert.doesNotMatch(output, /PRIVATE KEY-----/, `${where} contains a PEM private key header`);
}

/** The data folders the VS Code server serving this extension host was started with (Linux: read from /proc). */
function serverDataFolders(): string[] {
  const folders: string[] = [];
  let pid = process.pid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    args.forEach((arg, i) => {
      const [flag, inline] = arg.split('=', 2);
      if (flag === '--user-data-dir' || flag === '--server-data-dir') folders.push(inline ?? args[i + 1]);
    });
    pid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  }
  return folders.filter((folder) => folder && existsSync(folder));
}

/** Everything the "SAML Lens" log channel wrote in this run (its files below the server's data folders). */
function logChannelText(): string {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 10) return;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, depth + 1);
      else if (name.includes('SAML Lens') && name.endsWith('.log')) found.push(full);
    }
  };
  const folders = serverDataFolders();
  folders.forEach((folder) => walk(folder, 0));
  assert.ok(found.length > 0, `no "SAML Lens" log file found below ${JSON.stringify(folders)}`);
  return found.map((file) => readFileSync(file, 'utf8')).join('\n');
}

suite('Decode: decryption key and request ID', () => {
  let decode: DecodeApi;
  let dir: string;
  let idpCertificate: vscode.Uri;
  let p12File: string;
  let encrypted: string;
  let scripted: ScriptedWindow | undefined;
  const script = (answers: ConstructorParameters<typeof ScriptedWindow>[0]) => (scripted = new ScriptedWindow(answers));
  const options = () => ({ certificate: { kind: 'file' as const, uri: idpCertificate } });

  suiteSetup(async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SamlLensApi;
    assert.ok(api.decode, 'activate() returned no decode API');
    decode = api.decode;
    decode.setClock(NOW);
    dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-decrypt-'));
    writeFileSync(path.join(dir, 'idp.crt'), idpKeyPair().certificatePem);
    idpCertificate = vscode.Uri.file(path.join(dir, 'idp.crt'));
    writeFileSync(path.join(dir, 'sp.key'), spKeyPair().privateKeyPem);
    writeFileSync(path.join(dir, 'sp.crt'), spKeyPair().certificatePem);
    p12File = path.join(dir, 'upwork-sp.p12');
    execFileSync(
      'openssl',
      ['pkcs12', '-export', '-inkey', 'sp.key', '-in', 'sp.crt', '-passout', 'pass:p12-pass', '-out', p12File],
      { cwd: dir },
    );
    encrypted = await buildEncryptedSamlResponse({
      ...baseSpec(),
      encryptTo: { certificatePem: spKeyPair().certificatePem },
    });
    await vscode.workspace.getConfiguration('samlLens').update(
      'serviceProviders',
      [
        {
          entityId: SP_ENTITY_ID,
          acsUrls: [ACS_URL],
          expectedAttributes: ['FirstName', 'LastName', 'Country', 'Email'],
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await vscode.commands.executeCommand('samlLens.forgetDecryptionKeys');
  });

  teardown(() => {
    scripted?.restore();
    scripted = undefined;
  });

  suiteTeardown(async () => {
    script({});
    await vscode.commands.executeCommand('samlLens.forgetDecryptionKeys');
    scripted?.restore();
    await vscode.workspace
      .getConfiguration('samlLens')
      .update('serviceProviders', undefined, vscode.ConfigurationTarget.Global);
    decode.setClock(undefined);
    // Closing the panel drops its render acknowledgement, which the next suite waits for afresh.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  test('without a key the encrypted assertion is not verifiable; its PKCS#12 file makes it valid, and remembering it keeps it out of every output', async () => {
    script({});
    const before = await decode.decodeText(encrypted, options());
    assert.ok(before.ok, before.ok ? '' : before.message);
    assert.equal(before.model.verdict, 'not-verifiable');
    assert.ok(
      before.model.checks.some((c) => c.code === 'encryption.no-key' && c.status === 'not-checked'),
      JSON.stringify(before.model.checks.map((c) => c.code)),
    );
    assert.deepEqual(before.model.attributes, []);
    scripted!.restore();

    const window = script({ openDialogs: [p12File], inputs: ['p12-pass'], informationAnswer: 'Remember' });
    await decode.chooseDecryptionKey();
    assert.deepEqual(window.errors, []);
    assert.equal(window.inputBoxes[0]?.password, true, 'the PKCS#12 password is asked in a password box');
    assert.match(window.informations[0] ?? '', /Remember this decryption key for https:\/\/www\.upwork\.com\?/);
    const model = decode.lastModel()!;
    assert.equal(
      model.verdict,
      'valid',
      JSON.stringify(model.checks.filter((c) => c.status !== 'pass' && c.status !== 'info')),
    );
    assert.ok(!model.checks.some((c) => c.code === 'encryption.no-key'));
    assert.deepEqual(
      model.attributes.map((a) => [a.name, a.values, a.signed]),
      [
        ['FirstName', ['B'], true],
        ['LastName', ['Simon'], true],
        ['Country', ['US'], true],
        ['Email', ['B.Simon@contoso.com'], true],
      ],
    );
    assert.deepEqual(model.subject, {
      nameId: 'B.Simon@contoso.com',
      format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      signed: true,
    });
    assert.deepEqual(
      model.trust.find((n) => n.what === 'Decryption key'),
      { what: 'Decryption key', source: 'upwork-sp.p12 (chosen in the panel)' },
    );
    assert.equal(await decode.hasRememberedKey(), true);

    // A new message from the same IdP: the remembered key is used, and the panel says where it came from.
    scripted!.restore();
    script({});
    const again = await decode.decodeText(encrypted, options());
    assert.ok(again.ok, again.ok ? '' : again.message);
    assert.equal(again.model.verdict, 'valid');
    assert.deepEqual(
      again.model.trust.find((n) => n.what === 'Decryption key'),
      { what: 'Decryption key', source: 'decryption key from secret storage' },
    );

    const keyPem = spKeyPair().privateKeyPem;
    const outputs = {
      'the report': JSON.stringify(decode.lastReport()),
      'the panel model': JSON.stringify(decode.lastModel()),
      'the panel state': JSON.stringify(decode.panelState()),
      'the settings': JSON.stringify(vscode.workspace.getConfiguration('samlLens')),
      'the log channel': logChannelText(),
    };
    assert.match(
      outputs['the log channel'],
      /remembered a decryption key for https:\/\/www\.upwork\.com in secret storage/,
    );
    for (const [where, output] of Object.entries(outputs)) assertNoKey(output, keyPem, where);
  });

  test('a wrong PKCS#12 password is refused with its reason and no key is used', async () => {
    await vscode.commands.executeCommand('samlLens.forgetDecryptionKeys');
    scripted?.restore();
    const window = script({ openDialogs: [p12File], inputs: ['not-the-password'] });
    const result = await decode.decodeText(encrypted, options());
    assert.ok(result.ok);
    await decode.chooseDecryptionKey();
    assert.deepEqual(window.errors, ['SAML Lens: upwork-sp.p12: The password for this PKCS#12 file is wrong.']);
    assert.equal(decode.lastModel()!.verdict, 'not-verifiable');
    assert.equal(await decode.hasRememberedKey(), false);
  });

  test('a PEM key used only for this message is not remembered; "Forget Decryption Keys" clears a remembered one', async () => {
    script({ openDialogs: [path.join(dir, 'sp.key')], informationAnswer: 'Only for this message' });
    await decode.decodeText(encrypted, options());
    await decode.chooseDecryptionKey();
    assert.equal(decode.lastModel()!.verdict, 'valid');
    assert.equal(await decode.hasRememberedKey(), false);
    scripted!.restore();

    script({ openDialogs: [path.join(dir, 'sp.key')], informationAnswer: 'Remember' });
    await decode.chooseDecryptionKey();
    assert.equal(await decode.hasRememberedKey(), true);
    const count = await vscode.commands.executeCommand('samlLens.forgetDecryptionKeys');
    assert.equal(count, 1);
    assert.equal(await decode.hasRememberedKey(), false);
    const after = await decode.decodeText(encrypted, options());
    assert.ok(after.ok);
    assert.ok(after.model.checks.some((c) => c.code === 'encryption.no-key'));
  });

  test('a request ID that differs from InResponseTo fails, the right one passes, and it shows in the expectations', async () => {
    script({
      openDialogs: [path.join(dir, 'sp.key')],
      informationAnswer: 'Only for this message',
      inputs: ['_some-other-request'],
    });
    await decode.decodeText(encrypted, options());
    await decode.chooseDecryptionKey();
    const unchecked = decode.lastModel()!.checks.find((c) => c.code?.startsWith('in-response-to.'));
    assert.equal(unchecked?.code, 'in-response-to.not-checked');

    await decode.enterRequestId();
    let model = decode.lastModel()!;
    assert.equal(model.verdict, 'invalid');
    const mismatch = model.checks.find((c) => c.code === 'in-response-to.mismatch');
    assert.ok(mismatch && mismatch.status === 'fail', JSON.stringify(model.checks.map((c) => c.code)));
    assert.equal(mismatch.found, REQUEST_ID);
    assert.equal(mismatch.expected, '_some-other-request');
    assert.deepEqual(
      model.expectations.find((n) => n.what === 'Request ID (InResponseTo)'),
      { what: 'Request ID (InResponseTo)', source: '_some-other-request (entered in the panel)' },
    );
    scripted!.restore();

    const window = script({ inputs: [REQUEST_ID] });
    await decode.enterRequestId();
    assert.equal(window.inputBoxes[0]?.value, '_some-other-request', 'the box offers the ID entered before');
    model = decode.lastModel()!;
    assert.equal(model.verdict, 'valid');
    assert.equal(model.checks.find((c) => c.code?.startsWith('in-response-to.'))?.code, 'in-response-to.match');
    assert.equal(model.checks.find((c) => c.code === 'in-response-to.match')?.status, 'pass');
  });

  test('the request ID box refuses text that is no XML ID', async () => {
    const window = script({});
    await decode.decodeText(encrypted, options());
    await decode.enterRequestId();
    const validate = window.inputBoxes[0]?.validateInput;
    assert.ok(validate);
    const table: [string, RegExp | undefined][] = [
      ['', undefined],
      [REQUEST_ID, undefined],
      ['id-ü1', undefined],
      ['_a b', /no spaces/],
      ['1abc', /starts with a letter or "_"/],
      ['<id>', /starts with a letter or "_"/],
      ['_'.repeat(257), /at most 256/],
    ];
    for (const [value, problem] of table) {
      const result: string | vscode.InputBoxValidationMessage | undefined | null = await validate(value);
      const answer: string | undefined = typeof result === 'string' ? result : (result?.message ?? undefined);
      if (problem) assert.match(String(answer), problem, value);
      else assert.equal(answer, undefined, value);
    }
  });
});
