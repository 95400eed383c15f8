/**
 * Metadata signatures in the editor: a diagnostic on the ds:Signature of a document whose signature
 * is broken (most often because the document was edited after signing), with the quick fixes
 * "Sign Metadata…" and "Remove signature". The statuses come from MetadataSignatures (service.ts),
 * which the metadata tree shares for its root node.
 */
import * as vscode from 'vscode';
import { isAbortError } from '../../core/workerChannel';
import { MetadataSignatureCode } from '../../core/metadata/signature';
import { CommandId, DIAGNOSTIC_SOURCE } from '../../ids';
import { log } from '../../log';
import { DiagnosticDocs, editDebounceMs } from '../certificates/diagnostics';
import { type PlacedSignatureStatus, signatureElementSpan } from './headless/answer';
import { type MetadataSignatures, sharedMetadataSignatures } from './service';
import { registerSignatureStatusBar, type SignatureStatusBar } from './statusBar';

/** The quick fixes' titles in English (tests look for them). */
export const SIGN_METADATA_TITLE = 'Sign Metadata…';
export const REMOVE_SIGNATURE_TITLE = 'Remove signature';

/** Content changed after signing is an error; a signature refused by the rules is a warning. */
function severityOf(status: PlacedSignatureStatus): vscode.DiagnosticSeverity {
  const contentChanged = status.reasons.some((r) =>
    ['digest-mismatch', 'signature-value', 'wrong-reference'].includes(r.reason),
  );
  return contentChanged ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
}

function diagnosticsOf(
  document: vscode.TextDocument,
  statuses: readonly PlacedSignatureStatus[],
  docs: DiagnosticDocs,
): vscode.Diagnostic[] {
  const diagnostics: vscode.Diagnostic[] = [];
  for (const status of statuses) {
    if (status.state !== 'broken' || status.signatureStart === undefined) continue;
    const start = document.positionAt(status.signatureStart);
    const tag = /^<[\w.:-]+/.exec(document.getText(new vscode.Range(start, start.translate(0, 40))));
    const range = new vscode.Range(start, start.translate(0, tag ? tag[0].length : 1));
    const details = status.reasons.map((r) => r.message).join(' ');
    const diagnostic = new vscode.Diagnostic(range, `${status.message} ${details}`.trim(), severityOf(status));
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: MetadataSignatureCode.Broken, target: docs.uriFor(MetadataSignatureCode.Broken) };
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function isXml(document: vscode.TextDocument): boolean {
  return document.languageId === 'xml';
}

function registerDiagnostics(
  service: MetadataSignatures,
  collection: vscode.DiagnosticCollection,
  docs: DiagnosticDocs,
  statusBar: SignatureStatusBar,
): vscode.Disposable {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Map<string, AbortController>();
  const check = async (document: vscode.TextDocument) => {
    if (!isXml(document) || document.isClosed) return;
    const key = document.uri.toString();
    running.get(key)?.abort();
    const controller = new AbortController();
    running.set(key, controller);
    try {
      const { answer, problems, version } = await service.statuses(document, controller.signal);
      if (controller.signal.aborted || document.isClosed || document.version !== version) return;
      for (const problem of problems) log().warn(`Metadata signers: ${problem}`);
      const statuses = answer.ok ? [...(answer.root ? [answer.root] : []), ...answer.entities] : [];
      collection.set(document.uri, diagnosticsOf(document, statuses, docs));
      statusBar.show(document, answer.ok ? answer.root : undefined);
    } catch (error) {
      if (!controller.signal.aborted && !isAbortError(error))
        log().error(`Checking the metadata signature of ${key} failed: ${(error as Error).message}`);
    } finally {
      if (running.get(key) === controller) running.delete(key);
    }
  };
  const schedule = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    // The check of the previous version is cancelled by the edit itself, not by the next check.
    running.get(key)?.abort();
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        void check(document);
      }, editDebounceMs(document)),
    );
  };
  for (const document of vscode.workspace.textDocuments) void check(document);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((document) => void check(document)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0 && isXml(event.document)) schedule(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      clearTimeout(pending.get(key));
      pending.delete(key);
      running.get(key)?.abort();
      collection.delete(document.uri);
    }),
    service.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) void check(document);
    }),
    new vscode.Disposable(() => {
      for (const timer of pending.values()) clearTimeout(timer);
      for (const controller of running.values()) controller.abort();
    }),
  );
}

function registerQuickFixes(service: MetadataSignatures): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { language: 'xml' },
    {
      async provideCodeActions(document, _range, context) {
        const broken = context.diagnostics.filter(
          (d) => typeof d.code === 'object' && d.code.value === MetadataSignatureCode.Broken,
        );
        if (broken.length === 0) return [];
        const { answer, version } = await service.statuses(document);
        if (!answer.ok || version !== document.version) return [];
        const statuses = [...(answer.root ? [answer.root] : []), ...answer.entities];
        const actions: vscode.CodeAction[] = [];
        for (const diagnostic of broken) {
          const offset = document.offsetAt(diagnostic.range.start);
          const status = statuses.find((s) => s.signatureStart === offset);
          if (!status) continue;
          if (status === answer.root) {
            const sign = new vscode.CodeAction(vscode.l10n.t('Sign Metadata…'), vscode.CodeActionKind.QuickFix);
            sign.command = { command: CommandId.SignMetadata, title: vscode.l10n.t('Sign Metadata…') };
            sign.diagnostics = [diagnostic];
            actions.push(sign);
          }
          const span = signatureElementSpan(document.getText(), offset);
          if (!span) continue;
          const remove = new vscode.CodeAction(vscode.l10n.t('Remove signature'), vscode.CodeActionKind.QuickFix);
          remove.edit = new vscode.WorkspaceEdit();
          remove.edit.delete(
            document.uri,
            new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)),
          );
          remove.diagnostics = [diagnostic];
          actions.push(remove);
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}

/** What the extension-host tests read. */
export interface MetadataSignaturesApi {
  /** The status bar text, or undefined while it is hidden. */
  statusBarText(): string | undefined;
}

/**
 * Diagnostics, quick fixes and the status bar item for metadata signatures; read-only checks, so
 * they run in untrusted workspaces too (pinned signers are not read there).
 */
export function registerMetadataSignatures(
  context: vscode.ExtensionContext,
): vscode.Disposable & { readonly api: MetadataSignaturesApi } {
  const service = sharedMetadataSignatures(
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'metadataWorker.js').fsPath,
  );
  const collection = vscode.languages.createDiagnosticCollection('saml-lens-metadata-signatures');
  const statusBar = registerSignatureStatusBar(service);
  const disposable = vscode.Disposable.from(
    service,
    collection,
    statusBar,
    registerDiagnostics(service, collection, DiagnosticDocs.forExtension(context.extensionUri), statusBar),
    registerQuickFixes(service),
  );
  return Object.assign(disposable, { api: { statusBarText: () => statusBar.current() } });
}
