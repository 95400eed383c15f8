// Certificate diagnostics, hover, CodeLens and quick fix through the real VS Code API, on metadata
// built at test time with the project's certificate builder. Expected values come from openssl.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import {
  DAY,
  NOW,
  buildCertificate,
  codeOf,
  codesAt,
  expectedCodes,
  opensslFacts,
  pemOf,
  pollFor,
  rangeOf,
  samlLensApi,
} from './certificates.fixtures';

const ENTITY_ID = 'https://idp.example.test/saml';

interface FixtureCertificate {
  name: string;
  use: 'signing' | 'encryption';
  base64: string;
}

function metadataXml(certificates: readonly FixtureCertificate[]): string {
  const keyDescriptors = certificates
    .map(
      (c) => `    <!-- ${c.name} -->
    <md:KeyDescriptor use="${c.use}">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>${c.base64}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${ENTITY_ID}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
${keyDescriptors}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
}

function certificateRange(document: vscode.TextDocument, base64: string): vscode.Range {
  const start = document.getText().indexOf(`>${base64}<`) + 1;
  assert.ok(start > 0, 'certificate text not found in the document');
  return rangeOf(document, start, start + base64.length);
}

suite('Certificates in the editor', function () {
  // RSA key generation in JavaScript takes a few seconds per key.
  this.timeout(120_000);
  let api: SamlLensApi;
  let folder: string;
  let certificates: FixtureCertificate[];
  let file: vscode.Uri;

  suiteSetup(async function () {
    api = await samlLensApi();
    api.certificates!.setClock(NOW);
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-certificates-'));
    const subject = (commonName: string) => ({ commonName, organization: 'SAML Lens tests' });
    const rsa = { keyType: 'rsa', bits: 2048 } as const;
    const ec = { keyType: 'ec', curve: 'P-256' } as const;
    const valid = buildCertificate(rsa, {
      subject: subject('valid.example.test'),
      notBefore: new Date(NOW.getTime() - 30 * DAY),
      notAfter: new Date(NOW.getTime() + 400 * DAY),
      seed: 'valid',
    });
    certificates = [
      {
        name: 'expired 12 days ago',
        use: 'signing',
        base64: buildCertificate(rsa, {
          subject: subject('expired.example.test'),
          notBefore: new Date(NOW.getTime() - 365 * DAY),
          notAfter: new Date(NOW.getTime() - 12 * DAY),
          seed: 'expired',
        }),
      },
      {
        name: 'expires in 5 days',
        use: 'signing',
        base64: buildCertificate(ec, {
          subject: subject('expiring.example.test'),
          notBefore: new Date(NOW.getTime() - 360 * DAY),
          notAfter: new Date(NOW.getTime() + 5 * DAY),
          seed: 'expiring',
        }),
      },
      { name: 'valid RSA', use: 'signing', base64: valid },
      {
        name: 'valid EC',
        use: 'encryption',
        base64: buildCertificate(ec, {
          subject: subject('ec.example.test'),
          notBefore: new Date(NOW.getTime() - DAY),
          notAfter: new Date(NOW.getTime() + 700 * DAY),
          seed: 'ec',
        }),
      },
      {
        name: 'SHA-1 signed',
        use: 'signing',
        base64: buildCertificate(rsa, {
          subject: subject('sha1.example.test'),
          notBefore: new Date(NOW.getTime() - DAY),
          notAfter: new Date(NOW.getTime() + 700 * DAY),
          signatureAlgorithm: 'sha1',
          seed: 'sha1',
        }),
      },
      {
        name: 'RSA 1024',
        use: 'encryption',
        base64: buildCertificate(
          { keyType: 'rsa', bits: 1024 },
          {
            subject: subject('small.example.test'),
            notBefore: new Date(NOW.getTime() - DAY),
            notAfter: new Date(NOW.getTime() + 700 * DAY),
            seed: 'small',
          },
        ),
      },
      {
        name: 'not yet valid',
        use: 'signing',
        base64: buildCertificate(ec, {
          subject: subject('future.example.test'),
          notBefore: new Date(NOW.getTime() + 3 * DAY),
          notAfter: new Date(NOW.getTime() + 400 * DAY),
          seed: 'future',
        }),
      },
      { name: 'broken base64', use: 'signing', base64: `${valid.slice(0, 100)}%${valid.slice(101)}` },
      { name: 'double-encoded PEM', use: 'signing', base64: Buffer.from(pemOf(valid)).toString('base64') },
    ];
    file = vscode.Uri.file(join(folder, 'idp-metadata.xml'));
    writeFileSync(file.fsPath, metadataXml(certificates));
  });

  suiteTeardown(() => {
    api.certificates?.setClock(undefined);
    rmSync(folder, { recursive: true, force: true });
  });

  test('each certificate gets the diagnostics openssl’s reading of it implies', async () => {
    const document = await vscode.workspace.openTextDocument(file);
    assert.equal(document.languageId, 'xml');
    const expected = certificates.map((c) => ({ name: c.name, codes: expectedCodes(c.base64, NOW) }));
    // Hand-checked expectations, so a broken reference cannot make the test vacuous.
    assert.deepEqual(
      expected.map((e) => e.codes.join(',')),
      [
        'error:cert.expired',
        'warning:cert.expiring',
        '',
        '',
        'warning:cert.weak-signature-algorithm',
        'warning:cert.weak-rsa-key',
        'error:cert.not-yet-valid',
        'error:unreadable',
        'error:unreadable',
      ],
    );
    const actual = () => {
      const diagnostics = vscode.languages.getDiagnostics(file);
      return certificates.map((c) => ({
        name: c.name,
        codes: codesAt(diagnostics, certificateRange(document, c.base64)),
      }));
    };
    await pollFor('certificate diagnostics', actual, (value) => JSON.stringify(value) === JSON.stringify(expected));
  });

  test('messages say whose certificate it is and when; codes link to their explanation', async () => {
    const document = await vscode.workspace.openTextDocument(file);
    const expiredRange = certificateRange(document, certificates[0].base64);
    const expired = await pollFor(
      'the expired-certificate diagnostic',
      () =>
        vscode.languages
          .getDiagnostics(file)
          .find((d) => codeOf(d) === 'cert.expired' && d.range.isEqual(expiredRange)),
      (d) => d !== undefined,
    );
    const notAfter = opensslFacts(certificates[0].base64)!.notAfter.toISOString().slice(0, 10);
    assert.equal(expired!.message, `Signing certificate for ${ENTITY_ID} expired 12 days ago (${notAfter}).`);
    assert.equal(expired!.source, 'SAML Lens');
    const code = expired!.code as { value: string; target: vscode.Uri };
    // The code links to its section of docs/diagnostics.md inside the extension, by line.
    assert.equal(code.target.scheme, 'file');
    assert.ok(code.target.path.endsWith('/docs/diagnostics.md'), code.target.toString());
    const line = Number(/^L(\d+)$/.exec(code.target.fragment)?.[1]);
    const docsLines = readFileSync(code.target.fsPath, 'utf8').split('\n');
    assert.equal(docsLines[line - 1], '### `cert.expired`');

    await vscode.commands.executeCommand('vscode.open', code.target);
    const editor = await pollFor(
      'docs/diagnostics.md to open',
      () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.path.endsWith('/docs/diagnostics.md') === true,
    );
    assert.equal(editor!.selection.active.line, line - 1);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the status bar counts expired and expiring certificates in open documents', async () => {
    // Other open documents count too, so the test opens three new certificates and checks the change.
    const counts = () => {
      const text = api.certificates!.statusBarText() ?? '';
      const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0);
      return { expired: count('expired'), expiring: count('expiring'), invalid: count('invalid'), text };
    };
    const ec = { keyType: 'ec', curve: 'P-256' } as const;
    const added = [
      buildCertificate(ec, {
        subject: { commonName: 'status-expired.example.test' },
        notBefore: new Date(NOW.getTime() - 90 * DAY),
        notAfter: new Date(NOW.getTime() - DAY),
        seed: 'status-expired',
      }),
      buildCertificate(ec, {
        subject: { commonName: 'status-expiring.example.test' },
        notBefore: new Date(NOW.getTime() - 90 * DAY),
        notAfter: new Date(NOW.getTime() + 2 * DAY),
        seed: 'status-expiring',
      }),
    ];
    added.push(`${added[0].slice(0, 30)}!${added[0].slice(31)}`);
    assert.deepEqual(
      added.map((c) => expectedCodes(c, NOW).join()),
      ['error:cert.expired', 'warning:cert.expiring', 'error:unreadable'],
    );
    const statusFile = vscode.Uri.file(join(folder, 'status.xml'));
    writeFileSync(
      statusFile.fsPath,
      metadataXml(added.map((base64, i) => ({ name: `status ${i}`, use: 'signing', base64 }))),
    );
    await vscode.workspace.openTextDocument(file);
    // Other documents may still be re-judged after the clock change: wait until the text holds still.
    let previous = '';
    const before = await pollFor(
      'a settled status bar',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return counts();
      },
      (c) => {
        const settled = c.text !== '' && c.text === previous;
        previous = c.text;
        return settled;
      },
    );
    const document = await vscode.workspace.openTextDocument(statusFile);
    await vscode.window.showTextDocument(document);
    await pollFor(
      'the status bar to count the new certificates',
      () => counts(),
      (c) => c.expired === before.expired + 1 && c.expiring === before.expiring + 1 && c.invalid === before.invalid + 1,
    );
    assert.match(counts().text, /^\$\(warning\) \d+ expired · \d+ expiring · \d+ invalid$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await pollFor(
      'the counts to drop when the tab closes',
      () => counts(),
      (c) => c.expired === before.expired && c.expiring === before.expiring && c.invalid === before.invalid,
    );
  });

  test('hover shows subject, dates, key and the SHA-256 thumbprint openssl computes', async () => {
    const document = await vscode.workspace.openTextDocument(file);
    const valid = certificates[2];
    const range = certificateRange(document, valid.base64);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      file,
      range.start.translate(0, 10),
    );
    const ours = hovers
      .map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'))
      .find((text) => text.includes('X.509'));
    assert.ok(ours, `no certificate hover among ${hovers.length} hovers`);
    const facts = opensslFacts(valid.base64)!;
    assert.ok(ours.includes(`\`${facts.sha256}\``), `SHA-256 ${facts.sha256} not in hover:\n${ours}`);
    assert.ok(ours.includes(`\`${facts.sha1}\``), `SHA-1 ${facts.sha1} not in hover:\n${ours}`);
    // openssl's RFC 2253 form has no space after the commas; the hover has one.
    const subject = facts.subject.replace(/,/g, ', ');
    assert.ok(ours.includes(`| Subject | ${subject} |`), `subject ${subject} not in hover:\n${ours}`);
    assert.ok(
      ours.includes(`RSA 2048 bits · ${facts.signatureAlgorithm} · self-signed`),
      'key size or signature algorithm missing',
    );
    assert.ok(ours.includes(`signing certificate of \`${ENTITY_ID}\` (IDPSSODescriptor)`), 'use and entity missing');
    assert.ok(ours.includes(`expires in 400 days (${facts.notAfter.toISOString().slice(0, 10)})`), 'validity missing');
    const copyLink = `command:samlLens.certificates.copyText?${encodeURIComponent(JSON.stringify([facts.sha256, 'SHA-256 thumbprint']))}`;
    assert.ok(ours.includes(copyLink), 'copy link for the SHA-256 thumbprint missing');

    // A hover over the EC certificate names its curve.
    const ecRange = certificateRange(document, certificates[3].base64);
    const ecHovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      file,
      ecRange.start.translate(0, 3),
    );
    const ecText = ecHovers
      .map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'))
      .join('\n');
    assert.ok(ecText.includes('EC P-256'), `curve missing:\n${ecText}`);
  });

  test('CodeLens above each certificate: validity and SHA-1 thumbprint, Copy PEM, Save as', async () => {
    const document = await vscode.workspace.openTextDocument(file);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file, 100);
    const summaries = lenses.filter((lens) => lens.command?.command === 'samlLens.certificates.showDetails');
    assert.equal(summaries.length, certificates.length);
    const expiredLine = certificateRange(document, certificates[0].base64).start.line;
    const expiredLens = summaries.find((lens) => lens.range.start.line === expiredLine);
    const facts = opensslFacts(certificates[0].base64)!;
    const shortSha1 = facts.sha1.split(':').slice(0, 4).join(':');
    assert.equal(
      expiredLens?.command?.title,
      `$(error) expired 12 days ago (${facts.notAfter.toISOString().slice(0, 10)}) · SHA-1 ${shortSha1}:…`,
    );
    const onExpiredLine = lenses
      .filter((lens) => lens.range.start.line === expiredLine)
      .map((lens) => lens.command?.title);
    assert.deepEqual(onExpiredLine.sort(), [expiredLens!.command!.title, 'Copy PEM', 'Save as…'].sort());
    const brokenLine = certificateRange(document, certificates[7].base64).start.line;
    assert.deepEqual(
      lenses.filter((lens) => lens.range.start.line === brokenLine).map((lens) => lens.command?.title),
      ['$(error) not a valid certificate'],
    );
  });

  test('the details view shows the fields and the PEM openssl reads back to the same certificate', async () => {
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.commands.executeCommand('samlLens.certificates.showDetails', {
      uri: document.uri.toString(),
      index: 2,
    });
    const editor = await pollFor(
      'the details view',
      () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.scheme === 'saml-lens-certificate',
    );
    const text = editor!.document.getText();
    const facts = opensslFacts(certificates[2].base64)!;
    assert.ok(text.includes(`SHA-256 thumbprint:  ${facts.sha256}`), text);
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.exec(text)![0];
    assert.equal(opensslFacts(pem.replace(/-----[A-Z ]+-----/g, ''))?.sha256, facts.sha256);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('an edit that breaks a certificate turns its diagnostic into an error after the debounce', async () => {
    const editedFile = vscode.Uri.file(join(folder, 'edited.xml'));
    writeFileSync(editedFile.fsPath, metadataXml([certificates[2]]));
    const document = await vscode.workspace.openTextDocument(editedFile);
    const range = certificateRange(document, certificates[2].base64);
    await pollFor(
      'the first analysis',
      () => api.certificates!.statusBarText(),
      (text) => text !== undefined,
    );
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editedFile, new vscode.Range(range.start.translate(0, 40), range.start.translate(0, 41)), '%');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await pollFor(
      'cert.invalid on the edited certificate',
      () => codesAt(vscode.languages.getDiagnostics(editedFile), range),
      (codes) => codes.join() === 'error:unreadable',
    );
    const invalid = vscode.languages.getDiagnostics(editedFile).find((d) => codeOf(d) === 'cert.invalid')!;
    assert.match(invalid.message, /unexpected character "%" at offset 40/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('XML that cannot be read says where reading stopped; certificates before that point are still checked', async () => {
    const doctypeFile = vscode.Uri.file(join(folder, 'doctype.xml'));
    const doctypeText = `<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [<!ENTITY a "a">]>\n${metadataXml([certificates[0]]).replace(/^<\?xml[^>]*>\n/, '')}`;
    writeFileSync(doctypeFile.fsPath, doctypeText);
    const doctype = await vscode.workspace.openTextDocument(doctypeFile);
    const refused = await pollFor(
      'the DOCTYPE warning',
      () => vscode.languages.getDiagnostics(doctypeFile),
      (found) => found.length > 0,
    );
    assert.deepEqual(
      refused.map((d) => [codeOf(d), d.severity, d.range.start.line]),
      [['xml.doctype', vscode.DiagnosticSeverity.Warning, 1]],
    );
    assert.match(
      refused[0].message,
      /^SAML Lens stopped reading here, so certificates after this point are not checked: DOCTYPE declarations are refused/,
    );
    assert.equal(
      doctype.lineAt(1).text.slice(refused[0].range.start.character, refused[0].range.start.character + 9),
      '<!DOCTYPE',
    );

    // A second root element after a complete first one: the first one's certificate is still judged.
    const twoRootsFile = vscode.Uri.file(join(folder, 'two-roots.xml'));
    const first = metadataXml([certificates[0]]);
    writeFileSync(twoRootsFile.fsPath, `${first}${first.replace(/^<\?xml[^>]*>\n/, '')}`);
    const twoRoots = await vscode.workspace.openTextDocument(twoRootsFile);
    const firstCertificate = rangeOf(
      twoRoots,
      first.indexOf(certificates[0].base64),
      first.indexOf(certificates[0].base64) + certificates[0].base64.length,
    );
    const found = await pollFor(
      'both findings',
      () => vscode.languages.getDiagnostics(twoRootsFile),
      (all) => all.length >= 2,
    );
    assert.deepEqual(codesAt(found, firstCertificate), ['error:cert.expired']);
    const stop = found.find((d) => codeOf(d) === 'xml.multiple-roots');
    assert.ok(stop, found.map(codeOf).join());
    assert.equal(
      twoRoots.offsetAt(stop.range.start),
      first.length + first.replace(/^<\?xml[^>]*>\n/, '').indexOf('<md:EntityDescriptor'),
    );
  });

  test('diagnostics disappear when the document is closed', async () => {
    const closedFile = vscode.Uri.file(join(folder, 'closed.xml'));
    writeFileSync(closedFile.fsPath, metadataXml([certificates[0]]));
    const document = await vscode.workspace.openTextDocument(closedFile);
    await vscode.window.showTextDocument(document);
    await pollFor(
      'diagnostics on open',
      () => vscode.languages.getDiagnostics(closedFile).length,
      (count) => count > 0,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await pollFor(
      'diagnostics cleared on close',
      () => vscode.languages.getDiagnostics(closedFile).length,
      (count) => count === 0,
      60_000,
    );
  });
});

suite('Normalise certificate quick fix', function () {
  this.timeout(60_000);
  let api: SamlLensApi;
  let folder: string;
  let base64: string;

  suiteSetup(async () => {
    api = await samlLensApi();
    api.certificates!.setClock(NOW);
    folder = mkdtempSync(join(tmpdir(), 'saml-lens-quickfix-'));
    base64 = buildCertificate(
      { keyType: 'ec', curve: 'P-256' },
      {
        subject: { commonName: 'wrapped.example.test' },
        notBefore: new Date(NOW.getTime() - DAY),
        notAfter: new Date(NOW.getTime() + 300 * DAY),
        seed: 'wrapped',
      },
    );
  });

  suiteTeardown(() => {
    api.certificates?.setClock(undefined);
    rmSync(folder, { recursive: true, force: true });
  });

  async function normalise(
    name: string,
    certificateText: string,
  ): Promise<{ before: string; after: string; document: vscode.TextDocument }> {
    const uri = vscode.Uri.file(join(folder, name));
    const before = `<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">\n  <ds:X509Data>\n    <ds:X509Certificate>${certificateText}</ds:X509Certificate>\n  </ds:X509Data>\n</ds:KeyInfo>\n`;
    writeFileSync(uri.fsPath, before);
    const document = await vscode.workspace.openTextDocument(uri);
    const start = before.indexOf(certificateText);
    const range = rangeOf(document, start, start + certificateText.length);
    // The fix is offered once the diagnostic it resolves is there. (vscode.executeCodeActionProvider
    // does not return an action's linked diagnostics, so that link cannot be checked here.)
    await pollFor(
      'a fixable diagnostic',
      () => vscode.languages.getDiagnostics(uri).map(codeOf),
      (codes) => codes.some((c) => c === 'cert.formatting' || c === 'cert.double-encoded-pem'),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
    );
    const fix = actions.find((action) => action.title === 'Normalise certificate');
    assert.ok(fix?.edit, `no "Normalise certificate" among: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.kind?.value, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const after = /<ds:X509Certificate>([\s\S]*)<\/ds:X509Certificate>/.exec(document.getText())![1];
    return { before, after, document };
  }

  test('broken wrapping and stray spaces become 64-column lines with the same indentation', async () => {
    // 50, 70 and the rest: irregular; plus a space inside the second line.
    const messy = `\n      ${base64.slice(0, 50)}\n      ${base64.slice(50, 90)} ${base64.slice(90, 120)}\n      ${base64.slice(120)}\n    `;
    const { after, document } = await normalise('wrapped.xml', messy);
    const lines = after.split('\n');
    assert.equal(lines[0], '');
    assert.equal(lines[lines.length - 1], '    ');
    const body = lines.slice(1, -1);
    for (const line of body) assert.match(line, /^ {6}[A-Za-z0-9+/=]+$/);
    assert.ok(
      body.slice(0, -1).every((line) => line.length === 6 + 64),
      'lines are not 64 columns',
    );
    assert.equal(opensslFacts(after)?.sha256, opensslFacts(base64)?.sha256);
    await pollFor(
      'the formatting diagnostic to go',
      () => vscode.languages.getDiagnostics(document.uri).map(codeOf),
      (codes) => !codes.includes('cert.formatting'),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a double-encoded PEM becomes the certificate’s own base64, on one line', async () => {
    const doubleEncoded = Buffer.from(pemOf(base64)).toString('base64');
    assert.equal(opensslFacts(doubleEncoded), undefined, 'openssl should not read a double-encoded PEM');
    const { after, document } = await normalise('double.xml', doubleEncoded);
    assert.equal(after, base64);
    await pollFor(
      'the double-encoding error to go',
      () => vscode.languages.getDiagnostics(document.uri).map(codeOf),
      (codes) => codes.length === 0,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('no fix is offered for a clean certificate', async () => {
    const uri = vscode.Uri.file(join(folder, 'clean.xml'));
    const text = `<ds:X509Certificate xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${base64}</ds:X509Certificate>\n`;
    writeFileSync(uri.fsPath, text);
    const document = await vscode.workspace.openTextDocument(uri);
    const start = text.indexOf(base64);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      rangeOf(document, start, start + 10),
    );
    assert.deepEqual(
      actions.filter((a) => a.title === 'Normalise certificate'),
      [],
    );
  });
});
