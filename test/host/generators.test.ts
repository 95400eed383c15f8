// The generator commands in a real extension host, driven by scripted answers: the window's
// quick picks, input boxes, file dialogs and messages are replaced for each test and restored after.
// Results are checked with openssl, xmllint and xmlsec1, and with the project's metadata reader.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateCertificate } from '../../src/core/build/certificate';
import { serviceProviderFromMetadata } from '../../src/core/build/testResponse';
import { parseMetadata } from '../../src/core/metadata';
import { EXTENSION_ID } from '../../src/ids';
import { WindowStubs } from './windowStubs';

type Answer = string | ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined);

/** Replaces vscode.window functions for one test; `restore()` puts the real ones back. */
class ScriptedWindow extends WindowStubs {
  readonly quickPicks: { placeHolder?: string; labels: string[] }[] = [];
  readonly inputBoxes: vscode.InputBoxOptions[] = [];
  readonly errors: string[] = [];
  readonly warnings: { message: string; options: unknown[] }[] = [];
  readonly informations: string[] = [];

  constructor(
    private readonly script: {
      quickPicks?: Answer[];
      /** `null` accepts the box's default value; `undefined` (end of the list) cancels. */
      inputs?: (string | null)[];
      openDialogs?: string[];
      saveDialogs?: string[];
      warningAnswer?: string;
      informationAnswer?: string;
      /** Runs before an information message is answered (e.g. to edit a document meanwhile). */
      beforeInformationAnswer?: () => Promise<void>;
    },
  ) {
    super();
    this.replace('showQuickPick', async (items: any, options?: vscode.QuickPickOptions) => {
      const resolved: (string | vscode.QuickPickItem)[] = await items;
      const asItems = resolved.map((item) => (typeof item === 'string' ? { label: item } : item));
      this.quickPicks.push({ placeHolder: options?.placeHolder, labels: asItems.map((item) => item.label) });
      const answer = this.script.quickPicks?.shift();
      if (answer === undefined) return undefined;
      const picked = typeof answer === 'string' ? asItems.find((item) => item.label === answer) : answer(asItems);
      assert.ok(picked, `no quick pick item ${String(answer)} among ${asItems.map((item) => item.label).join(' | ')}`);
      return typeof resolved[0] === 'string' ? picked.label : picked;
    });
    this.replace('showInputBox', async (options: vscode.InputBoxOptions = {}) => {
      this.inputBoxes.push(options);
      const inputs = this.script.inputs ?? [];
      if (inputs.length === 0) return undefined;
      const answer = inputs.shift();
      const value = answer === null ? (options.value ?? '') : answer!;
      const problem = await options.validateInput?.(value);
      assert.equal(
        problem ?? undefined,
        undefined,
        `input ${JSON.stringify(value)} for "${options.prompt}" was refused: ${JSON.stringify(problem)}`,
      );
      return value;
    });
    this.replace('showOpenDialog', async () => {
      const next = this.script.openDialogs?.shift();
      return next === undefined ? undefined : [vscode.Uri.file(next)];
    });
    this.replace('showSaveDialog', async () => {
      const next = this.script.saveDialogs?.shift();
      return next === undefined ? undefined : vscode.Uri.file(next);
    });
    this.replace('showErrorMessage', async (message: string) => {
      this.errors.push(message);
      return undefined;
    });
    this.replace('showWarningMessage', async (message: string, ...options: unknown[]) => {
      this.warnings.push({ message, options });
      return this.script.warningAnswer;
    });
    this.replace('showInformationMessage', async (message: string) => {
      this.informations.push(message);
      await this.script.beforeInformationAnswer?.();
      return this.script.informationAnswer;
    });
  }
}

let scripted: ScriptedWindow | undefined;
function script(answers: ConstructorParameters<typeof ScriptedWindow>[0]): ScriptedWindow {
  scripted = new ScriptedWindow(answers);
  return scripted;
}

function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
}

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8' });
}

function xmlsec1Verifies(xml: string, certificatePem: string, idAttribute: string): boolean {
  const dir = tempDir('saml-lens-xmlsec-');
  writeFileSync(path.join(dir, 'doc.xml'), xml);
  writeFileSync(path.join(dir, 'cert.pem'), certificatePem);
  return (
    spawnSync('xmlsec1', [
      '--verify',
      '--id-attr:ID',
      idAttribute,
      '--pubkey-cert-pem',
      path.join(dir, 'cert.pem'),
      path.join(dir, 'doc.xml'),
    ]).status === 0
  );
}

function xpath(xml: string, expression: string): string {
  const dir = tempDir('saml-lens-xpath-');
  writeFileSync(path.join(dir, 'doc.xml'), xml);
  return execFileSync('xmllint', ['--xpath', expression, path.join(dir, 'doc.xml')], { encoding: 'utf8' }).trim();
}

function samplesFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the host tests run with the samples folder open');
  return folder;
}

function rsaKeyAndCertificate(commonName: string): { privateKeyPem: string; certificatePem: string } {
  const privateKeyPem = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
  const { certificatePem } = generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName },
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      privateKeyPem,
    },
  );
  return { privateKeyPem, certificatePem };
}

/** Closes every editor without saving: untitled results and edited documents would otherwise ask to be saved. */
async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 30 && vscode.window.tabGroups.all.some((group) => group.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

suite('Generators', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  teardown(async () => {
    scripted?.restore();
    scripted = undefined;
    await closeAllEditors();
  });

  test('Generate Self-Signed Certificate: EC P-256 files that openssl reads, CN defaulted from the SP, inserted at the cursor', async () => {
    const metadata = readFileSync(path.join(samplesFolder(), 'upwork-enterprise', 'sp-metadata.xml'), 'utf8');
    const document = await vscode.workspace.openTextDocument({ content: metadata, language: 'xml' });
    const editor = await vscode.window.showTextDocument(document);
    // The cursor inside the second (encryption) KeyDescriptor.
    const encryptionOffset = metadata.indexOf('<md:KeyDescriptor use="encryption">') + 5;
    editor.selection = new vscode.Selection(
      document.positionAt(encryptionOffset),
      document.positionAt(encryptionOffset),
    );

    const dir = tempDir('saml-lens-cert-');
    const window = script({
      quickPicks: ['EC P-256'],
      inputs: [null, '2'],
      saveDialogs: [path.join(dir, 'sp.crt.pem'), path.join(dir, 'sp.key.pem')],
      informationAnswer: 'Insert into Metadata',
    });
    const result = (await vscode.commands.executeCommand('samlLens.generateCertificate')) as
      { inserted: boolean } | undefined;
    assert.ok(result, `the command returned nothing; errors: ${window.errors.join(' | ')}`);

    assert.deepEqual(window.quickPicks[0].labels, ['RSA 2048', 'RSA 3072', 'RSA 4096', 'EC P-256', 'EC P-384']);
    assert.equal(window.inputBoxes[0].value, 'www.upwork.com', 'the CN default is the host of the SP entityID');
    // The validity box refuses what is out of range, with the reason.
    assert.match(String(await window.inputBoxes[1].validateInput!('11')), /1 to 10 years; 11 is outside/);
    assert.deepEqual(window.warnings, [], 'a folder outside git needs no warning');

    const certificatePem = readFileSync(path.join(dir, 'sp.crt.pem'), 'utf8');
    const text = openssl(['x509', '-noout', '-text', '-nameopt', 'RFC2253'], certificatePem);
    assert.match(text, /Subject: CN=www\.upwork\.com\n/);
    assert.match(text, /NIST CURVE: P-256/);
    const notBefore = Date.parse(
      openssl(['x509', '-noout', '-startdate'], certificatePem).trim().replace('notBefore=', ''),
    );
    const notAfter = Date.parse(
      openssl(['x509', '-noout', '-enddate'], certificatePem).trim().replace('notAfter=', ''),
    );
    const twoYears = new Date(notBefore);
    twoYears.setUTCFullYear(twoYears.getUTCFullYear() + 2);
    assert.equal(notAfter, twoYears.getTime());
    assert.equal(
      openssl(['pkey', '-pubout', '-in', path.join(dir, 'sp.key.pem')]),
      openssl(['x509', '-noout', '-pubkey'], certificatePem),
    );
    assert.equal(
      statSync(path.join(dir, 'sp.key.pem')).mode & 0o777,
      0o600,
      'the private key is readable by its owner only',
    );

    assert.equal(result.inserted, true);
    const base64 = certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    const parsed = parseMetadata(document.getText());
    assert.ok(parsed.ok);
    const [signing, encryption] = parsed.model.entities[0].roles[0].keyDescriptors;
    assert.equal(encryption.certificates[0].base64, base64, 'the encryption KeyDescriptor holds the new certificate');
    assert.notEqual(signing.certificates[0].base64, base64, 'the signing KeyDescriptor is untouched');
  });

  test('Generate Self-Signed Certificate: a metadata document edited meanwhile is left alone, with a warning', async () => {
    const metadata = readFileSync(path.join(samplesFolder(), 'upwork-enterprise', 'sp-metadata.xml'), 'utf8');
    const document = await vscode.workspace.openTextDocument({ content: metadata, language: 'xml' });
    const editor = await vscode.window.showTextDocument(document);
    const offset = metadata.indexOf('<md:KeyDescriptor use="signing">') + 5;
    editor.selection = new vscode.Selection(document.positionAt(offset), document.positionAt(offset));
    const dir = tempDir('saml-lens-cert-edited-');
    const window = script({
      quickPicks: ['EC P-256'],
      inputs: ['sp.example.com', '1'],
      saveDialogs: [path.join(dir, 'sp.crt.pem'), path.join(dir, 'sp.key.pem')],
      informationAnswer: 'Insert into Metadata',
      beforeInformationAnswer: async () => {
        await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '<!-- edited -->\n'));
      },
    });
    const result = (await vscode.commands.executeCommand('samlLens.generateCertificate')) as
      { inserted: boolean } | undefined;
    assert.equal(result?.inserted, false);
    assert.equal(document.getText(), `<!-- edited -->\n${metadata}`);
    assert.match(window.warnings[0]?.message ?? '', /changed while the certificate was generated; it was not modified/);
    assert.ok(existsSync(path.join(dir, 'sp.crt.pem')), 'the certificate file is written all the same');
  });

  test('Generate Self-Signed Certificate: a key inside a git repository needs a modal confirmation; cancelling writes nothing', async () => {
    const repository = tempDir('saml-lens-git-');
    execFileSync('git', ['init', '--quiet'], { cwd: repository });
    const keyFile = path.join(repository, 'idp.key.pem');
    const certificateFile = path.join(repository, 'idp.crt.pem');

    let window = script({
      quickPicks: ['RSA 2048'],
      inputs: ['idp.example.com', '1'],
      saveDialogs: [certificateFile, keyFile],
    });
    assert.equal(await vscode.commands.executeCommand('samlLens.generateCertificate'), undefined);
    assert.equal(window.warnings.length, 1);
    assert.match(
      window.warnings[0].message,
      new RegExp(`inside the git repository ${repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const options = window.warnings[0].options[0] as vscode.MessageOptions;
    assert.equal(options.modal, true);
    assert.match(String(options.detail), /idp\.key\.pem is not ignored by \.gitignore/);
    assert.equal(existsSync(keyFile), false);
    assert.equal(existsSync(certificateFile), false);
    window.restore();

    // Ignored by .gitignore: no question asked.
    writeFileSync(path.join(repository, '.gitignore'), '*.key.pem\n');
    window = script({
      quickPicks: ['RSA 2048'],
      inputs: ['idp.example.com', '1'],
      saveDialogs: [certificateFile, keyFile],
    });
    assert.ok(await vscode.commands.executeCommand('samlLens.generateCertificate'));
    assert.deepEqual(window.warnings, []);
    assert.match(
      openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253', '-in', certificateFile]),
      /subject=CN=idp\.example\.com/,
    );
    assert.match(openssl(['pkey', '-noout', '-text', '-in', keyFile]), /Private-Key: \(2048 bit/);
  });

  test('Create SP Metadata: answers become a complete SP metadata document in a new editor', async () => {
    const dir = tempDir('saml-lens-sp-');
    const certificatePem = readFileSync(path.join(samplesFolder(), 'upwork-enterprise', 'sp-certificate.pem'), 'utf8');
    writeFileSync(path.join(dir, 'sp.pem'), certificatePem);
    const window = script({
      inputs: ['https://sp.example.com/saml', null, 'https://sp.example.com/saml/logout', null],
      quickPicks: ['persistent', 'Pick a PEM certificate file…', 'Yes', 'Open in a New Editor'],
      openDialogs: [path.join(dir, 'sp.pem')],
    });
    const result = (await vscode.commands.executeCommand('samlLens.createSpMetadata')) as
      { document?: vscode.TextDocument } | undefined;
    assert.ok(result?.document, `no document; errors: ${window.errors.join(' | ')}`);
    assert.equal(window.inputBoxes[1].value, 'https://sp.example.com/saml/acs', 'the ACS default follows the entityID');
    assert.equal(
      window.inputBoxes[3].value,
      'FirstName=user.givenname; LastName=user.surname; Country=user.country; Email=user.userprincipalname',
    );
    assert.match(String(await window.inputBoxes[0].validateInput!('my sp')), /cannot contain spaces/);
    assert.equal(window.quickPicks[0].labels[0], 'emailAddress', 'the most common NameID format comes first');

    const xml = result.document.getText();
    assert.equal(result.document.languageId, 'xml');
    assert.equal(spawnSync('xmllint', ['--noout', '-'], { input: xml }).status, 0, 'xmllint: well-formed');
    const ns = "namespace-uri()='urn:oasis:names:tc:SAML:2.0:metadata'";
    assert.equal(
      xpath(xml, `string(/*[local-name()='EntityDescriptor' and ${ns}]/@entityID)`),
      'https://sp.example.com/saml',
    );
    assert.equal(xpath(xml, "string(//*[local-name()='SPSSODescriptor']/@WantAssertionsSigned)"), 'true');
    assert.equal(xpath(xml, "string(//*[local-name()='SPSSODescriptor']/@AuthnRequestsSigned)"), 'true');
    assert.equal(
      xpath(xml, "string(//*[local-name()='NameIDFormat'])"),
      'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    );
    assert.equal(
      xpath(xml, "string(//*[local-name()='AssertionConsumerService']/@Location)"),
      'https://sp.example.com/saml/acs',
    );
    assert.equal(
      xpath(xml, "string(//*[local-name()='SingleLogoutService']/@Location)"),
      'https://sp.example.com/saml/logout',
    );
    assert.equal(xpath(xml, "count(//*[local-name()='RequestedAttribute'])"), '4');
    assert.equal(
      xpath(xml, "string(//*[local-name()='RequestedAttribute'][4]/@FriendlyName)"),
      'user.userprincipalname',
    );
    assert.equal(
      xpath(xml, "string(//*[local-name()='KeyDescriptor'][@use='signing']//*[local-name()='X509Certificate'])"),
      certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''),
    );
    const read = serviceProviderFromMetadata(xml);
    assert.ok(read.ok);
    assert.deepEqual(
      read.sp.requestedAttributes.map((attribute) => attribute.name),
      ['FirstName', 'LastName', 'Country', 'Email'],
    );
  });

  test('Create SP Metadata: without a certificate, saved to a file', async () => {
    const dir = tempDir('saml-lens-sp-file-');
    const target = path.join(dir, 'sp-metadata.xml');
    const window = script({
      inputs: ['urn:example:sp', 'https://a.example/acs https://b.example/acs', '', 'Email'],
      quickPicks: ['emailAddress', 'None', 'No', 'Save to a File…'],
      saveDialogs: [target],
    });
    const result = (await vscode.commands.executeCommand('samlLens.createSpMetadata')) as
      { uri?: vscode.Uri } | undefined;
    assert.equal(result?.uri?.fsPath, target, `errors: ${window.errors.join(' | ')}`);
    const xml = readFileSync(target, 'utf8');
    assert.equal(xpath(xml, "count(//*[local-name()='KeyDescriptor'])"), '0');
    assert.equal(xpath(xml, "count(//*[local-name()='SingleLogoutService'])"), '0');
    assert.equal(xpath(xml, "string(//*[local-name()='SPSSODescriptor']/@AuthnRequestsSigned)"), 'false');
    assert.equal(
      xpath(xml, "string(//*[local-name()='AssertionConsumerService'][@isDefault='true']/@Location)"),
      'https://a.example/acs',
    );
    assert.equal(xpath(xml, "string(//*[local-name()='AssertionConsumerService'][2]/@index)"), '1');
  });

  test('Create SP Metadata: "generate one" runs the certificate dialog and publishes the new certificate', async () => {
    const dir = tempDir('saml-lens-sp-generate-');
    const window = script({
      // entityID, ACS (default), no logout URL, CN, validity, attributes (default).
      inputs: ['https://app.example.org/saml', null, '', 'app.example.org', '1', null],
      quickPicks: ['transient', 'Generate a new self-signed certificate…', 'RSA 2048', 'No', 'Open in a New Editor'],
      saveDialogs: [path.join(dir, 'app.crt.pem'), path.join(dir, 'app.key.pem')],
    });
    const result = (await vscode.commands.executeCommand('samlLens.createSpMetadata')) as
      { document?: vscode.TextDocument } | undefined;
    assert.ok(result?.document, `no document; errors: ${window.errors.join(' | ')}`);
    const certificatePem = readFileSync(path.join(dir, 'app.crt.pem'), 'utf8');
    assert.match(
      openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], certificatePem),
      /subject=CN=app\.example\.org/,
    );
    const xml = result.document.getText();
    const base64 = certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    assert.equal(
      xpath(xml, "string(//*[local-name()='KeyDescriptor'][@use='signing']//*[local-name()='X509Certificate'])"),
      base64,
    );
    assert.equal(
      xpath(xml, "string(//*[local-name()='KeyDescriptor'][@use='encryption']//*[local-name()='X509Certificate'])"),
      base64,
    );
    assert.equal(xpath(xml, "string(//*[local-name()='SPSSODescriptor']/@WantAssertionsSigned)"), 'false');
    assert.equal(
      xpath(xml, "string(//*[local-name()='NameIDFormat'])"),
      'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    );
  });

  test('Create SP Metadata: a certificate file that is not a certificate is refused by name, and nothing is created', async () => {
    const dir = tempDir('saml-lens-sp-bad-');
    writeFileSync(path.join(dir, 'notes.pem'), 'just some notes');
    const window = script({
      inputs: ['https://sp.example.com/saml', null, ''],
      quickPicks: ['emailAddress', 'Pick a PEM certificate file…'],
      openDialogs: [path.join(dir, 'notes.pem')],
    });
    assert.equal(await vscode.commands.executeCommand('samlLens.createSpMetadata'), undefined);
    assert.equal(window.errors.length, 1);
    assert.match(window.errors[0], /notes\.pem holds no "BEGIN CERTIFICATE" block; pick a PEM certificate\./);
  });

  // The failures each defect must cause, by hand: the Upwork SP wants signed assertions.
  const DEFECTS: { label: string; failures: string[] }[] = [
    { label: 'No defect', failures: [] },
    { label: 'Expired', failures: ['time.expired', 'time.subject-confirmation-expired'] },
    { label: 'Wrong audience', failures: ['audience.mismatch'] },
    { label: 'Unsigned', failures: ['signature.assertion-unsigned', 'signature.missing'] },
    { label: 'Wrong Recipient', failures: ['recipient.mismatch'] },
  ];
  for (const defect of DEFECTS) {
    test(`Build Test Response (${defect.label}): base64 and auto-POST documents, validated as intended`, async () => {
      const window = script({
        quickPicks: [(items) => items[0], 'Generate a throwaway key and certificate', defect.label],
        inputs: [null, null, null],
      });
      const result = (await vscode.commands.executeCommand('samlLens.buildTestResponse')) as
        | {
            xml: string;
            base64Document: vscode.TextDocument;
            htmlDocument: vscode.TextDocument;
            failures: string[];
            idpCertificatePem: string;
          }
        | undefined;
      assert.ok(result, `no result; errors: ${window.errors.join(' | ')}`);
      assert.equal(
        window.quickPicks[0].labels[0],
        'upwork-enterprise/sp-metadata.xml',
        'the sample SP is offered first',
      );
      assert.equal(window.inputBoxes[1].value, 'B.Simon@contoso.com');
      assert.equal(
        window.inputBoxes[2].value,
        'FirstName=B; LastName=Simon; Country=United States; Email=B.Simon@contoso.com',
      );
      assert.deepEqual([...result.failures].sort(), defect.failures);

      const xml = Buffer.from(result.base64Document.getText().trim(), 'base64').toString('utf8');
      assert.equal(xml, result.xml);
      assert.equal(xpath(xml, "string(//*[local-name()='NameID'])"), 'B.Simon@contoso.com');
      assert.equal(xpath(xml, "string(//*[local-name()='Attribute'][@Name='Email']/*)"), 'B.Simon@contoso.com');
      assert.equal(xpath(xml, "string(//*[local-name()='Issuer'])"), 'https://test-idp.example.com/saml');
      if (defect.label !== 'Unsigned') {
        assert.ok(
          xmlsec1Verifies(xml, result.idpCertificatePem, 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion'),
          'xmlsec1 verifies the assertion',
        );
      }
      const page = result.htmlDocument.getText();
      assert.equal(result.htmlDocument.languageId, 'html');
      assert.ok(page.includes('<form method="post" action="https://www.upwork.com/ab/account-security/saml/acs">'));
      assert.ok(page.includes(`name="SAMLResponse" value="${result.base64Document.getText().trim()}"`));
      assert.match(
        window.informations[0],
        defect.failures.length ? new RegExp(`rejects it exactly for: ${defect.failures.join('|')}`) : /finds it valid/,
      );
    });
  }

  test('Build Test Response with PEM files: a key that does not match the certificate is refused with the reason', async () => {
    const dir = tempDir('saml-lens-idp-');
    const idp = rsaKeyAndCertificate('idp.example.com');
    const other = rsaKeyAndCertificate('other.example.com');
    writeFileSync(path.join(dir, 'idp.key.pem'), idp.privateKeyPem);
    writeFileSync(path.join(dir, 'idp.crt.pem'), idp.certificatePem);
    writeFileSync(path.join(dir, 'other.crt.pem'), other.certificatePem);

    let window = script({
      quickPicks: [(items) => items[0], 'Pick PEM files (private key, then certificate)…', 'No defect'],
      inputs: [null, null, null],
      openDialogs: [path.join(dir, 'idp.key.pem'), path.join(dir, 'idp.crt.pem')],
    });
    const valid = (await vscode.commands.executeCommand('samlLens.buildTestResponse')) as
      { failures: string[]; idpCertificatePem: string } | undefined;
    assert.ok(valid, `errors: ${window.errors.join(' | ')}`);
    assert.deepEqual(valid.failures, []);
    assert.equal(valid.idpCertificatePem, idp.certificatePem);
    window.restore();

    window = script({
      quickPicks: [(items) => items[0], 'Pick PEM files (private key, then certificate)…', 'No defect'],
      inputs: [null, null, null],
      openDialogs: [path.join(dir, 'idp.key.pem'), path.join(dir, 'other.crt.pem')],
    });
    assert.equal(await vscode.commands.executeCommand('samlLens.buildTestResponse'), undefined);
    assert.deepEqual(window.errors, [
      'The test response was not built: The IdP private key does not belong to the IdP certificate; pick the key the certificate was issued for.',
    ]);
  });

  test('Sign Metadata: the editor content is replaced by a signature xmlsec1 verifies, and undo restores the original', async () => {
    const dir = tempDir('saml-lens-sign-');
    const original = readFileSync(path.join(samplesFolder(), 'upwork-enterprise', 'sp-metadata.xml'), 'utf8');
    const file = path.join(dir, 'sp-metadata.xml');
    writeFileSync(file, original);
    const signer = rsaKeyAndCertificate('metadata-signer.example.com');
    writeFileSync(path.join(dir, 'signer.key.pem'), signer.privateKeyPem);
    writeFileSync(path.join(dir, 'signer.crt.pem'), signer.certificatePem);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);

    const window = script({ openDialogs: [path.join(dir, 'signer.key.pem'), path.join(dir, 'signer.crt.pem')] });
    const result = (await vscode.commands.executeCommand('samlLens.signMetadata')) as
      { id: string; addedId: boolean } | undefined;
    assert.ok(result, `errors: ${window.errors.join(' | ')}`);
    assert.equal(result.addedId, true);
    const signed = document.getText();
    assert.ok(
      xmlsec1Verifies(signed, signer.certificatePem, 'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor'),
      'xmlsec1 verifies the signed editor content',
    );
    assert.equal(xpath(signed, 'local-name(/*/*[1])'), 'Signature');
    assert.equal(xpath(signed, 'string(/*/@ID)'), result.id);
    assert.match(window.informations[0], /Signed .*sp-metadata\.xml \(RSA-SHA256, exclusive c14n\) and verified/);

    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original);
  });

  test('Sign Metadata: an EC key and a document that is not metadata are refused with the reason; the document stays as it was', async () => {
    const dir = tempDir('saml-lens-sign-bad-');
    const ecKey = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    const ecCertificate = generateCertificate(
      { keyType: 'ec', curve: 'P-256' },
      {
        subject: { commonName: 'ec.example.com' },
        notBefore: new Date(),
        notAfter: new Date(Date.now() + 86_400_000),
        privateKeyPem: ecKey,
      },
    ).certificatePem;
    writeFileSync(path.join(dir, 'ec.key.pem'), ecKey);
    writeFileSync(path.join(dir, 'ec.crt.pem'), ecCertificate);
    const original = readFileSync(path.join(samplesFolder(), 'upwork-enterprise', 'sp-metadata.xml'), 'utf8');
    const document = await vscode.workspace.openTextDocument({ content: original, language: 'xml' });
    await vscode.window.showTextDocument(document);

    let window = script({ openDialogs: [path.join(dir, 'ec.key.pem'), path.join(dir, 'ec.crt.pem')] });
    assert.equal(await vscode.commands.executeCommand('samlLens.signMetadata'), undefined);
    assert.equal(window.errors.length, 1);
    assert.match(
      window.errors[0],
      /was not signed: Metadata is signed with RSA-SHA256, which needs an RSA key; this key is EC\./,
    );
    assert.equal(document.getText(), original);
    window.restore();

    const notMetadata = await vscode.workspace.openTextDocument({ content: '<note>hello</note>', language: 'xml' });
    await vscode.window.showTextDocument(notMetadata);
    window = script({});
    assert.equal(await vscode.commands.executeCommand('samlLens.signMetadata'), undefined);
    assert.match(window.errors[0], /is not SAML metadata: it has no EntityDescriptor or EntitiesDescriptor\./);
  });
});
