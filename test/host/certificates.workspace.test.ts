// "SAML: Check Certificates in Workspace" and the certificate settings, through the real API.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { DEFAULT_CONFIG } from '../../src/config';
import { EXTENSION_ID } from '../../src/ids';
import { certificateFileText, extractBinaryCertificate } from '../../src/features/certificates/headless/extract';
import { findingsForDocument } from '../../src/features/certificates/headless/judge';
import {
  DAY,
  NOW,
  buildCertificate,
  certificateElements,
  codeOf,
  codesAt,
  expectedCodes,
  opensslFacts,
  pemOf,
  pollFor,
  samlLensApi,
} from './certificates.fixtures';

interface WorkspaceCheckResult {
  files: number;
  certificates: number;
  expired: number;
  expiring: number;
  invalid: number;
  cancelled: boolean;
}

const samplesRoot = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const sampleUri = (path: string) => vscode.Uri.file(join(samplesRoot(), path));
const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath);

/** The PEM body of a sample file and its range, as the extension reports it (between the BEGIN and END lines). */
function pemBody(uri: vscode.Uri): { base64: string; range: vscode.Range } {
  const text = readFileSync(uri.fsPath, 'utf8');
  const begin = '-----BEGIN CERTIFICATE-----';
  const start = text.indexOf(begin) + begin.length;
  const end = text.indexOf('-----END CERTIFICATE-----');
  const position = (offset: number) => {
    const before = text.slice(0, offset).split(/\r?\n/);
    return new vscode.Position(before.length - 1, before[before.length - 1].length);
  };
  return { base64: text.slice(start, end), range: new vscode.Range(position(start), position(end)) };
}

async function checkWorkspace(): Promise<WorkspaceCheckResult> {
  const result = await vscode.commands.executeCommand<WorkspaceCheckResult>('samlLens.checkWorkspaceCertificates');
  assert.ok(result, 'the command returned no result');
  assert.equal(result.cancelled, false);
  return result;
}

/** The sample certificate files (PEM text) the check reads from disk. */
const SAMPLE_PEMS = [
  'certificates/partner-idp-expired.pem',
  'certificates/partner-idp-expiring-soon.pem',
  'certificates/partner-idp-sha1-signed.pem',
  'certificates/legacy-idp-rsa-1024.pem',
  'certificates/modern-idp-ec-p256.pem',
  'entra-id/UpworkEnterprise.cer',
  'upwork-enterprise/sp-certificate.pem',
];

// The sample workspace is shared with other test runs, so these tests write no files into it:
// they check the samples as they are and change settings (in the throwaway user profile) only.
suite('Check Certificates in Workspace', function () {
  this.timeout(120_000);
  let api: SamlLensApi;

  suiteSetup(async () => {
    api = await samlLensApi();
    api.certificates!.setClock(NOW);
  });

  suiteTeardown(async () => {
    api.certificates?.setClock(undefined);
    const configuration = vscode.workspace.getConfiguration();
    await configuration.update('samlLens.certificates.expiryWarningDays', undefined, vscode.ConfigurationTarget.Global);
    await configuration.update('samlLens.certificates.exclude', undefined, vscode.ConfigurationTarget.Global);
    await configuration.update('files.exclude', undefined, vscode.ConfigurationTarget.Global);
  });

  test('fills the Problems view for certificate files that are not open, with the severities openssl implies', async () => {
    const unopened = SAMPLE_PEMS.map(sampleUri).filter((uri) => !isOpen(uri));
    assert.ok(unopened.length >= 3, `only ${unopened.length} sample certificate files are not open`);
    const result = await checkWorkspace();
    assert.ok(result.files >= SAMPLE_PEMS.length, JSON.stringify(result));
    assert.ok(result.expired >= 1 && result.expiring >= 1 && result.invalid >= 1, JSON.stringify(result));
    for (const uri of unopened) {
      const { base64, range } = pemBody(uri);
      assert.deepEqual(codesAt(vscode.languages.getDiagnostics(uri), range), expectedCodes(base64, NOW), uri.path);
    }
    const expired = sampleUri('certificates/partner-idp-expired.pem');
    if (!isOpen(expired)) {
      const notAfter = opensslFacts(pemBody(expired).base64)!.notAfter;
      const days = Math.floor((NOW.getTime() - notAfter.getTime()) / DAY);
      assert.equal(days, 45, 'the sample expired 45 days before 2026-11-29 (samples/README.md)');
      const message = vscode.languages.getDiagnostics(expired).find((d) => codeOf(d) === 'cert.expired')?.message;
      assert.equal(message, `Certificate expired 45 days ago (${notAfter.toISOString().slice(0, 10)}).`);
    }
  });

  test('a cancelled check stops before the next file and says it was cancelled; an uncancelled token changes nothing', async () => {
    const whole = await api.certificates!.checkWorkspace(new vscode.CancellationTokenSource().token);
    assert.equal(whole.cancelled, false);
    assert.ok(whole.files >= SAMPLE_PEMS.length, JSON.stringify(whole));
    // Cancelled while the files are being found: no file is checked.
    const source = new vscode.CancellationTokenSource();
    const checking = api.certificates!.checkWorkspace(source.token);
    source.cancel();
    const cancelled = await checking;
    assert.equal(cancelled.cancelled, true);
    assert.equal(cancelled.files, 0, JSON.stringify(cancelled));
  });

  test('skips files matched by samlLens.certificates.exclude or files.exclude, and withdraws their earlier reports', async () => {
    const expired = sampleUri('certificates/partner-idp-expired.pem');
    const sha1 = sampleUri('certificates/partner-idp-sha1-signed.pem');
    assert.ok(!isOpen(expired) && !isOpen(sha1), 'the sample certificate files must not be open for this test');
    const configuration = () => vscode.workspace.getConfiguration();
    await checkWorkspace();
    assert.ok(vscode.languages.getDiagnostics(expired).length > 0);

    await configuration().update(
      'samlLens.certificates.exclude',
      '**/certificates/**',
      vscode.ConfigurationTarget.Global,
    );
    const withoutCertificates = await checkWorkspace();
    assert.deepEqual(vscode.languages.getDiagnostics(expired), []);
    assert.deepEqual(vscode.languages.getDiagnostics(sha1), []);
    await configuration().update('samlLens.certificates.exclude', undefined, vscode.ConfigurationTarget.Global);

    await configuration().update(
      'files.exclude',
      { '**/partner-idp-expired.pem': true },
      vscode.ConfigurationTarget.Global,
    );
    const withoutExpired = await checkWorkspace();
    assert.deepEqual(vscode.languages.getDiagnostics(expired), []);
    assert.deepEqual(codesAt(vscode.languages.getDiagnostics(sha1), pemBody(sha1).range), [
      'warning:cert.weak-signature-algorithm',
    ]);
    await configuration().update('files.exclude', undefined, vscode.ConfigurationTarget.Global);

    const everything = await checkWorkspace();
    assert.ok(
      withoutCertificates.files < withoutExpired.files && withoutExpired.files === everything.files - 1,
      JSON.stringify([withoutCertificates, withoutExpired, everything]),
    );
    assert.ok(vscode.languages.getDiagnostics(expired).length > 0);
  });

  test('a binary DER certificate file is read as one certificate, its findings at the start of the file', async () => {
    const base64 = buildCertificate(
      { keyType: 'ec', curve: 'P-256' },
      {
        subject: { commonName: 'der.example.test' },
        notBefore: new Date(NOW.getTime() - 400 * DAY),
        notAfter: new Date(NOW.getTime() - 3 * DAY),
        seed: 'workspace-der',
      },
    );
    const file = certificateFileText(Buffer.from(base64, 'base64'));
    assert.equal(file.binary, true);
    assert.equal(file.text, base64);
    const judged = await findingsForDocument(extractBinaryCertificate(file.text), { now: NOW, expiryWarningDays: 30 });
    const notAfter = opensslFacts(base64)!.notAfter.toISOString().slice(0, 10);
    assert.deepEqual(
      judged!.findings.map((f) => [f.code, f.severity, f.start, f.message]),
      [['cert.expired', 'error', 0, `Certificate expired 3 days ago (${notAfter}).`]],
    );
    // PEM text is not mistaken for DER.
    assert.equal(certificateFileText(Buffer.from(pemOf(base64))).binary, false);
  });

  test('expiryWarningDays decides what counts as expiring; changing it re-judges open documents', async () => {
    const file = sampleUri('certificates/partner-idp-expiring-soon.xml');
    const document = await vscode.workspace.openTextDocument(file);
    const [certificate] = certificateElements(document.getText());
    // Hand-checked: the sample expires 20 days after 2026-11-29, inside 30 days and outside 10.
    assert.deepEqual(expectedCodes(certificate.base64, NOW, 30), ['warning:cert.expiring']);
    assert.deepEqual(expectedCodes(certificate.base64, NOW, 10), []);
    const codes = () =>
      vscode.languages
        .getDiagnostics(file)
        .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
        .map(codeOf);
    await pollFor('the 30-day warning', codes, (found) => found.join() === 'cert.expiring');
    await vscode.workspace
      .getConfiguration('samlLens')
      .update('certificates.expiryWarningDays', 10, vscode.ConfigurationTarget.Global);
    await pollFor('no warning with a 10-day window', codes, (found) => found.length === 0);
    await vscode.workspace
      .getConfiguration('samlLens')
      .update('certificates.expiryWarningDays', undefined, vscode.ConfigurationTarget.Global);
    await pollFor('the warning back with the default', codes, (found) => found.join() === 'cert.expiring');
  });
});

suite('Certificate settings and docs', () => {
  test('contributed samlLens.certificates.* settings mirror the typed configuration and its defaults', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const properties = manifest.contributes.configuration.properties as Record<
      string,
      { default: unknown; markdownDescription?: string }
    >;
    const contributed = Object.fromEntries(
      Object.entries(properties)
        .filter(([key]) => key.startsWith('samlLens.certificates.'))
        .map(([key, value]) => [key.slice('samlLens.certificates.'.length), value.default]),
    );
    assert.deepEqual(contributed, { ...DEFAULT_CONFIG.certificates });
    for (const [key, value] of Object.entries(properties).filter(([k]) => k.startsWith('samlLens.certificates.'))) {
      assert.ok(value.markdownDescription && !value.markdownDescription.startsWith('%'), `${key} has no description`);
    }
  });
});
