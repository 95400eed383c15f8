import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../ids';
import { log } from '../../log';
import type { CertificateAnalyzer, DocumentAnalysis } from './analysis';
import type { Severity } from '../../core/severity';
import { nextTurn } from '../../core/workerChannel';
import type { TextFinding } from './headless/types';
import { documentLength } from '../metadataTree/load';

/**
 * Edits settle for a moment before a document is analysed again: briefly for documents that are
 * analysed in tens of milliseconds (a 1 MB file: one parse in its worker, off the editor's thread,
 * so analysing after nearly every keystroke costs the person typing nothing), longer for aggregates,
 * where an edit still costs the worker a few hundred milliseconds (re-reading the entity it falls
 * in and judging every certificate again) and the host the publishing of thousands of diagnostics.
 */
export const EDIT_DEBOUNCE_MS = 15;
export const LARGE_DOCUMENT_EDIT_DEBOUNCE_MS = 100;
export const LARGE_DOCUMENT = 2 * 1024 * 1024;

export function editDebounceMs(document: vscode.TextDocument): number {
  return documentLength(document) > LARGE_DOCUMENT ? LARGE_DOCUMENT_EDIT_DEBOUNCE_MS : EDIT_DEBOUNCE_MS;
}

/** Diagnostics made per turn of the event loop: a few milliseconds' work, so the host stays responsive. */
const DIAGNOSTICS_PER_TURN = 300;

const CERTIFICATE_FILE = /\.(pem|crt|cer)$/i;

/** XML documents (metadata, SAML messages, any signed XML) and PEM certificate files. */
export function isCertificateDocument(document: vscode.TextDocument): boolean {
  if (document.languageId === 'xml') return true;
  return CERTIFICATE_FILE.test(document.uri.path) && document.uri.scheme !== 'output';
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
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
  return findings.map((finding) => toDiagnostic(finding, rangeOf(finding, positionAt), docs));
}

/** A finding's range: from the worker's positions when it sent them, else through `positionAt`. */
function rangeOf(
  finding: TextFinding,
  positionAt: (offset: number) => { line: number; character: number },
): vscode.Range {
  const start = finding.positions?.start ?? positionAt(finding.start);
  const end = finding.positions?.end ?? positionAt(finding.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

function toDiagnostic(finding: TextFinding, range: vscode.Range, docs: DiagnosticDocs): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: docs.uriFor(finding.code) };
  return diagnostic;
}

/**
 * `toDiagnostics` a few hundred at a time, yielding in between (an aggregate has thousands);
 * undefined when `stillWanted` turns false meanwhile.
 */
export async function toDiagnosticsInTurns(
  findings: readonly TextFinding[],
  positionAt: (offset: number) => { line: number; character: number },
  docs: DiagnosticDocs,
  stillWanted: () => boolean,
): Promise<vscode.Diagnostic[] | undefined> {
  const diagnostics: vscode.Diagnostic[] = [];
  for (let i = 0; i < findings.length; i++) {
    if (i > 0 && i % DIAGNOSTICS_PER_TURN === 0) {
      await nextTurn();
      if (!stillWanted()) return undefined;
    }
    diagnostics.push(toDiagnostic(findings[i], rangeOf(findings[i], positionAt), docs));
  }
  return diagnostics;
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

  // The analysis each document's diagnostics come from (or are being made from), so one analysis shared by several callers is published once.
  const published = new Map<string, DocumentAnalysis>();
  const publish = async (document: vscode.TextDocument, analysis: DocumentAnalysis) => {
    const key = document.uri.toString();
    const current = () => !document.isClosed && !closedTabs.has(key) && analysis.version === document.version;
    if (!current() || published.get(key) === analysis) return;
    published.set(key, analysis);
    const diagnostics = await toDiagnosticsInTurns(
      analysis.findings,
      (offset) => document.positionAt(offset),
      docs,
      current,
    );
    // Judged again meanwhile (clock, settings): the newer analysis publishes its own.
    if (diagnostics && current() && published.get(key) === analysis) collection.set(document.uri, diagnostics);
  };

  const analyse = async (document: vscode.TextDocument) => {
    if (!isCertificateDocument(document) || closedTabs.has(document.uri.toString())) return;
    try {
      const analysis = await analyzer.analyseDocument(document);
      if (analysis) await publish(document, analysis);
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
      }, editDebounceMs(document)),
    );
  };

  const clear = (uri: vscode.Uri) => {
    cancelPending(uri);
    published.delete(uri.toString());
    analyzer.forget(uri);
    collection.delete(uri);
  };

  const analyseAllOpen = () => {
    for (const document of vscode.workspace.textDocuments) void analyse(document);
  };

  const tabUri = (tab: vscode.Tab) => (tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined);
  const onTabsChanged = (event: vscode.TabChangeEvent) => {
    const shown = new Set(
      vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tabUri(tab)?.toString())),
    );
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
