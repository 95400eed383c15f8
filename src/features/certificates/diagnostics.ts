import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../ids';
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
 * Where each diagnostic code is explained: its section in docs/diagnostics.md, shipped inside the
 * extension. The link is the file with a `#L<line>` fragment, which VS Code opens at that line from
 * the Problems view and from the editor hover alike (a `command:` link would be ignored by the
 * hover), works offline, and always matches the installed version (there is no public site).
 */
export class DiagnosticDocs {
  private headingLines: Map<string, number> | undefined;

  constructor(private readonly docsUri: vscode.Uri) {}

  static forExtension(extensionUri: vscode.Uri): DiagnosticDocs {
    return new DiagnosticDocs(vscode.Uri.joinPath(extensionUri, 'docs', 'diagnostics.md'));
  }

  uriFor(code: string): vscode.Uri {
    const line = this.lines().get(code);
    return line ? this.docsUri.with({ fragment: `L${line}` }) : this.docsUri;
  }

  /** 1-based line of each "### `code`" heading; read once, on first use. */
  private lines(): Map<string, number> {
    if (!this.headingLines) {
      this.headingLines = new Map();
      let text = '';
      try {
        text = readFileSync(this.docsUri.fsPath, 'utf8');
      } catch (error) {
        log().warn(`Diagnostic docs not readable, links go to the file: ${(error as Error).message}`);
      }
      text.split(/\r?\n/).forEach((line, index) => {
        const heading = /^### `([^`]+)`/.exec(line);
        if (heading) this.headingLines!.set(heading[1], index + 1);
      });
    }
    return this.headingLines;
  }
}

/** Converts findings to diagnostics; `positionAt` maps text offsets (document or LineIndex). */
export function toDiagnostics(
  findings: readonly TextFinding[],
  positionAt: (offset: number) => { line: number; character: number },
  docs: DiagnosticDocs,
): vscode.Diagnostic[] {
  return findings.map((finding) => {
    const start = positionAt(finding.start);
    const end = positionAt(finding.end);
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.code, target: docs.uriFor(finding.code) };
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
  docs: DiagnosticDocs,
): vscode.Disposable {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  // VS Code keeps a document in memory for a while after its last editor tab closes; for the
  // user it is closed, so its diagnostics go with the tab (and come back if it is shown again).
  const closedTabs = new Set<string>();

  const publish = (document: vscode.TextDocument, analysis: DocumentAnalysis) => {
    if (document.isClosed || closedTabs.has(document.uri.toString()) || analysis.version !== document.version) return;
    collection.set(document.uri, toDiagnostics(analysis.findings, (offset) => document.positionAt(offset), docs));
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
