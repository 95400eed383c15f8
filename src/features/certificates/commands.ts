import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import type { CertificateAnalyzer } from './analysis';
import { detailsAsText, suggestedFileName, toPem } from './headless/present';
import type { AnalysedCertificate } from './headless/types';

/** Names one certificate in a document; hover links and CodeLens pass it to the commands below. */
export interface CertificateTarget {
  readonly uri: string;
  readonly index: number;
}

const DETAILS_SCHEME = 'saml-lens-certificate';

function isTarget(value: unknown): value is CertificateTarget {
  const candidate = value as CertificateTarget | undefined;
  return typeof candidate?.uri === 'string' && Number.isInteger(candidate.index);
}

async function resolveTarget(
  analyzer: CertificateAnalyzer,
  value: unknown,
): Promise<{ document: vscode.TextDocument; certificate: AnalysedCertificate } | undefined> {
  if (!isTarget(value)) {
    void vscode.window.showErrorMessage(
      'SAML Lens: this command needs a certificate; use it from a certificate hover or CodeLens.',
    );
    return undefined;
  }
  const uri = vscode.Uri.parse(value.uri);
  const document =
    vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === value.uri) ??
    (await vscode.workspace.openTextDocument(uri));
  const analysis = await analyzer.analysisForVersion(document);
  const certificate = analysis?.certificates[value.index];
  if (!certificate) {
    void vscode.window.showErrorMessage(
      `SAML Lens: certificate ${value.index + 1} is no longer in ${vscode.workspace.asRelativePath(uri)}; the document changed.`,
    );
    return undefined;
  }
  return { document, certificate };
}

/** The base64 a PEM should carry: the inner certificate for a double-encoded PEM. */
function certificateBase64(certificate: AnalysedCertificate): string {
  return certificate.innerBase64 ?? certificate.text;
}

/** Copy a value, copy/save a certificate as PEM, and show a certificate's details in a read-only view. */
export function registerCertificateCommands(analyzer: CertificateAnalyzer): vscode.Disposable {
  const detailsProvider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const resolved = await resolveTarget(analyzer, JSON.parse(uri.query));
      if (!resolved) return 'The certificate is no longer in the document.';
      return detailsAsText(resolved.certificate, analyzer.detailsOf(resolved.certificate), analyzer.now());
    },
  };

  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, detailsProvider),
    vscode.commands.registerCommand(CommandId.CopyCertificateText, async (value: unknown, what: unknown) => {
      if (typeof value !== 'string') return;
      await vscode.env.clipboard.writeText(value);
      vscode.window.setStatusBarMessage(`Copied the ${typeof what === 'string' ? what : 'value'}`, 3000);
    }),
    vscode.commands.registerCommand(CommandId.CopyCertificatePem, async (value: unknown) => {
      const resolved = await resolveTarget(analyzer, value);
      if (!resolved) return;
      await vscode.env.clipboard.writeText(toPem(certificateBase64(resolved.certificate)));
      vscode.window.setStatusBarMessage('Copied the certificate as PEM', 3000);
    }),
    vscode.commands.registerCommand(CommandId.SaveCertificate, async (value: unknown) => {
      const resolved = await resolveTarget(analyzer, value);
      if (!resolved) return;
      const name = suggestedFileName(analyzer.detailsOf(resolved.certificate));
      const folder =
        vscode.workspace.getWorkspaceFolder(resolved.document.uri)?.uri ??
        vscode.Uri.joinPath(resolved.document.uri, '..');
      const destination = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, name),
        filters: { 'PEM certificate': ['pem', 'crt'] },
        title: 'Save certificate as PEM',
      });
      if (!destination) return;
      await vscode.workspace.fs.writeFile(
        destination,
        Buffer.from(toPem(certificateBase64(resolved.certificate)), 'utf8'),
      );
      vscode.window.setStatusBarMessage(`Saved ${vscode.workspace.asRelativePath(destination)}`, 3000);
    }),
    vscode.commands.registerCommand(CommandId.ShowCertificateDetails, async (value: unknown) => {
      const resolved = await resolveTarget(analyzer, value);
      if (!resolved) return;
      const details = analyzer.detailsOf(resolved.certificate);
      const title = details.ok ? (/CN=([^,]+)/.exec(details.subject)?.[1] ?? 'certificate') : 'invalid certificate';
      const target: CertificateTarget = { uri: resolved.document.uri.toString(), index: resolved.certificate.index };
      const uri = vscode.Uri.from({
        scheme: DETAILS_SCHEME,
        path: `/${title.replace(/[\\/:]+/g, '-')}.txt`,
        query: JSON.stringify(target),
      });
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
  );
}
