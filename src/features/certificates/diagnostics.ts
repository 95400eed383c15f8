import * as vscode from 'vscode';
import { CommandId, DIAGNOSTIC_SOURCE, diagnosticAnchor } from '../../ids';
import { log } from '../../log';
import type { CertificateAnalyzer, DocumentAnalysis } from './analysis';
import type { FindingSeverity, TextFinding } from './types';

/** Edits settle for this long before a document is analysed again. */
export const EDIT_DEBOUNCE_MS = 250;

const CERTIFICATE_FILE = /\.(pem|crt|cer)$/i;

/** XML documents (metadata, SAML messages, any signed XML) and PEM certificate files. */
export function isCertificateDocument(document: vscode.TextDocument): boolean {
  if (document.languageId === 'xml') return true;
  return CERTIFICATE_FILE.test(document.uri.path) && document.uri.scheme !== 'output';
}

const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * The explanation behind a diagnostic code: a command link that opens docs/diagnostics.md, shipped
 * inside the extension, at the code's section. The extension has no public website, and this
 * works offline and always matches the installed version.
 */
export function explanationUri(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${CommandId.ExplainDiagnostic}?${encodeURIComponent(JSON.stringify([code]))}`);
}

/** Converts findings to diagnostics; `positionAt` maps text offsets (document or LineIndex). */
export function toDiagnostics(
  findings: readonly TextFinding[],
  positionAt: (offset: number) => { line: number; character: number },
): vscode.Diagnostic[] {
  return findings.map((finding) => {
    const start = positionAt(finding.start);
    const end = positionAt(finding.end);
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.code, target: explanationUri(finding.code) };
    return diagnostic;
  });
}

/**
 * Keeps the one SAML Lens diagnostic collection in step with open documents: analysed on open,
 * again after edits settle, again when the clock or settings change, removed on close (of the
 * document, or of its last editor tab).
 */
export function registerCertificateDiagnostics(
  analyzer: CertificateAnalyzer,
  collection: vscode.DiagnosticCollection,
): vscode.Disposable {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  // VS Code keeps a document in memory for a while after its last editor tab closes; for the
  // user it is closed, so its diagnostics go with the tab (and come back if it is shown again).
  const closedTabs = new Set<string>();

  const publish = (document: vscode.TextDocument, analysis: DocumentAnalysis) => {
    if (document.isClosed || closedTabs.has(document.uri.toString()) || analysis.version !== document.version) return;
    collection.set(document.uri, toDiagnostics(analysis.findings, (offset) => document.positionAt(offset)));
  };

  const analyse = async (document: vscode.TextDocument) => {
    if (!isCertificateDocument(document) || closedTabs.has(document.uri.toString())) return;
    try {
      const analysis = await analyzer.analyseDocument(document);
      if (analysis) publish(document, analysis);
    } catch (error) {
      log().error(`Could not check certificates in ${document.uri.toString(true)}: ${(error as Error).stack ?? error}`);
    }
  };

  const cancelPending = (uri: vscode.Uri) => {
    const key = uri.toString();
    clearTimeout(pending.get(key));
    pending.delete(key);
  };

  const schedule = (document: vscode.TextDocument) => {
    if (!isCertificateDocument(document)) return;
    cancelPending(document.uri);
    pending.set(
      document.uri.toString(),
      setTimeout(() => {
        pending.delete(document.uri.toString());
        void analyse(document);
      }, EDIT_DEBOUNCE_MS),
    );
  };

  const clear = (uri: vscode.Uri) => {
    cancelPending(uri);
    analyzer.forget(uri);
    collection.delete(uri);
  };

  const analyseAllOpen = () => {
    for (const document of vscode.workspace.textDocuments) void analyse(document);
  };

  const tabUri = (tab: vscode.Tab) => (tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined);
  const onTabsChanged = (event: vscode.TabChangeEvent) => {
    const shown = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tabUri(tab)?.toString())));
    for (const tab of event.closed) {
      const uri = tabUri(tab);
      if (!uri || shown.has(uri.toString())) continue;
      closedTabs.add(uri.toString());
      clear(uri);
    }
    for (const tab of event.opened) {
      const uri = tabUri(tab);
      if (!uri || !closedTabs.delete(uri.toString())) continue;
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      if (document) void analyse(document);
    }
  };

  analyseAllOpen();
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((document) => {
      closedTabs.delete(document.uri.toString());
      void analyse(document);
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0 && !closedTabs.has(event.document.uri.toString())) schedule(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      closedTabs.delete(document.uri.toString());
      clear(document.uri);
    }),
    vscode.window.tabGroups.onDidChangeTabs(onTabsChanged),
    analyzer.onDidChangeInputs(analyseAllOpen),
    { dispose: () => pending.forEach((timer) => clearTimeout(timer)) },
  );
}

/** Opens docs/diagnostics.md at the section that explains `code`. */
export function registerExplainDiagnosticCommand(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.ExplainDiagnostic, async (code: unknown) => {
    const docs = vscode.Uri.joinPath(extensionUri, 'docs', 'diagnostics.md');
    const document = await vscode.workspace.openTextDocument(docs);
    const anchor = typeof code === 'string' ? diagnosticAnchor(code) : '';
    // Sections are headed "## <code>"; their anchors are the code with "." turned into "-".
    let line = 0;
    for (let i = 0; i < document.lineCount; i++) {
      const heading = /^#{2,3}\s+`?([^`\s]+)`?/.exec(document.lineAt(i).text);
      if (heading && diagnosticAnchor(heading[1]) === anchor) {
        line = i;
        break;
      }
    }
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(document, {
      preview: true,
      selection: new vscode.Range(position, position),
    });
    const editor = vscode.window.activeTextEditor;
    editor?.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  });
}
