import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { readConfig } from '../../config';
import { abortSignalFor } from '../cancellation';
import { LineIndex } from '../../core/xml/lineIndex';
import { CommandId } from '../../ids';
import { log } from '../../log';
import type { CertificateAnalyzer, DocumentAnalysis } from './analysis';
import { certificateFileText } from './headless/extract';
import { type DiagnosticDocs, toDiagnostics } from './diagnostics';
import { summarise } from './statusBar';

/** Stops a runaway glob from reading a whole disk. */
const MAX_FILES = 10_000;
/** Files read ahead of the one being judged. */
const READ_AHEAD = 8;
/** How often diagnostics and progress go to the workbench during a check. */
const BATCH_MS = 100;

export interface WorkspaceCheckResult {
  readonly files: number;
  readonly filesWithProblems: number;
  readonly certificates: number;
  readonly expired: number;
  readonly expiring: number;
  readonly invalid: number;
  readonly otherFindings: number;
  readonly cancelled: boolean;
  /** Files that could not be read, with the reason. */
  readonly unreadable: readonly string[];
}

/**
 * Files matching the include glob that neither `files.exclude` nor our own exclude setting hides.
 * `findFiles` applies `files.exclude` only when given no exclude of its own, so the two searches
 * are intersected.
 */
async function filesToCheck(token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const { workspaceGlob, exclude } = readConfig().certificates;
  const [outsideOurExclude, outsideFilesExclude] = await Promise.all([
    vscode.workspace.findFiles(workspaceGlob, exclude, MAX_FILES, token),
    vscode.workspace.findFiles(workspaceGlob, undefined, MAX_FILES, token),
  ]);
  const allowed = new Set(outsideFilesExclude.map((uri) => uri.toString()));
  return outsideOurExclude.filter((uri) => allowed.has(uri.toString())).sort((a, b) => a.path.localeCompare(b.path));
}

/** Local files up to this size are read in one synchronous call: a fraction of a millisecond. */
const READ_AT_ONCE_BELOW = 256 * 1024;

/**
 * A file's bytes: local files straight from the disk (the extension runs beside them), small ones
 * at once, as `fs/promises` takes five thread-pool round trips for each; others through VS Code's
 * file system API, which answers each read with a message round trip.
 */
function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme !== 'file') return Promise.resolve(vscode.workspace.fs.readFile(uri));
  try {
    if (statSync(uri.fsPath).size < READ_AT_ONCE_BELOW) return Promise.resolve(readFileSync(uri.fsPath));
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return readFile(uri.fsPath);
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
}

/** The summary shown when the check ends, e.g. "Checked 12 files: 9 certificates — 2 expired, 1 expiring within 30 days." */
export function describeResult(result: WorkspaceCheckResult, warningDays: number): string {
  const problems: string[] = [];
  if (result.expired > 0) problems.push(`${result.expired} expired or not yet valid`);
  if (result.expiring > 0) problems.push(`${result.expiring} expiring within ${warningDays} days`);
  if (result.invalid > 0) problems.push(`${result.invalid} not readable`);
  const certificates = `${result.certificates} certificate${result.certificates === 1 ? '' : 's'}`;
  const files = `${result.files} file${result.files === 1 ? '' : 's'}`;
  const verdict = problems.length > 0 ? ` — ${problems.join(', ')}` : result.certificates > 0 ? ', all valid' : '';
  const other =
    result.otherFindings > 0
      ? ` ${result.otherFindings} other metadata finding${result.otherFindings === 1 ? '' : 's'}.`
      : '';
  const prefix = result.cancelled ? 'Check cancelled after' : 'Checked';
  return `${prefix} ${files}: ${certificates}${verdict}.${other}`;
}

/**
 * "SAML: Check Certificates in Workspace": reads every matching file (open documents from the
 * editor, the rest from disk), fills the Problems view and reports a summary. Returns the result,
 * so tests and other commands can use it.
 */
export function registerWorkspaceCheck(
  analyzer: CertificateAnalyzer,
  collection: vscode.DiagnosticCollection,
  docs: DiagnosticDocs,
): vscode.Disposable & { check(token?: vscode.CancellationToken): Thenable<WorkspaceCheckResult> } {
  // Files the last check reported on; a new check first withdraws those reports (for files that are
  // not open), so files deleted or excluded since then do not keep stale problems.
  let reported: vscode.Uri[] = [];
  const withdrawReports = () => {
    for (const uri of reported) if (!openDocument(uri)) collection.delete(uri);
    reported = [];
  };

  /** `external` cancels like the notification's Cancel button (the API's callers have no button). */
  const check = (external?: vscode.CancellationToken) =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SAML Lens: checking certificates', cancellable: true },
      async (progress, shown): Promise<WorkspaceCheckResult> => {
        const token = external ? eitherToken(shown, external) : shown;
        const signal = abortSignalFor(token);
        const analyses: DocumentAnalysis[] = [];
        const unreadable: string[] = [];
        let filesWithProblems = 0;
        let otherFindings = 0;
        progress.report({ message: 'finding files…' });
        // VS Code's search takes a quarter of a second to stop: a cancel does not wait for it.
        let stopWaiting: vscode.Disposable | undefined;
        const files = await Promise.race([
          filesToCheck(token),
          new Promise<vscode.Uri[]>((resolve) => {
            if (token.isCancellationRequested) resolve([]);
            stopWaiting = token.onCancellationRequested(() => resolve([]));
          }),
        ]);
        stopWaiting?.dispose();
        withdrawReports();
        reported = files;
        // Files are read a few ahead of the one being judged; diagnostics and progress go to the
        // workbench in batches: one message per file kept a 10,000-file check busy for 30 s.
        const reads = new Map<number, Promise<Uint8Array>>();
        const readAhead = (from: number) => {
          for (let k = from; k < Math.min(from + READ_AHEAD, files.length); k++) {
            if (reads.has(k) || openDocument(files[k])) continue;
            const read = readBytes(files[k]);
            read.catch(() => undefined); // Awaited in turn; a check cancelled before then drops it.
            reads.set(k, read);
          }
        };
        const batch: [vscode.Uri, vscode.Diagnostic[]][] = [];
        const flush = () => {
          if (batch.length > 0) collection.set(batch.splice(0));
        };
        let sentAt = 0;
        let reportedUpTo = 0;
        for (let i = 0; i < files.length; i++) {
          if (token.isCancellationRequested) break;
          const uri = files[i];
          const name = vscode.workspace.asRelativePath(uri);
          readAhead(i);
          if (Date.now() - sentAt >= BATCH_MS) {
            flush();
            progress.report({ message: name, increment: (100 * (i - reportedUpTo)) / files.length });
            reportedUpTo = i;
            sentAt = Date.now();
          }
          try {
            const document = openDocument(uri);
            let analysis: DocumentAnalysis | undefined;
            if (document) {
              // An open document is analysed from the editor's text, which may differ from the disk.
              analysis = await analyzer.analysisForVersion(document);
              if (analysis)
                batch.push([uri, toDiagnostics(analysis.findings, (offset) => document.positionAt(offset), docs)]);
            } else {
              const bytes = await (reads.get(i) ?? readBytes(uri));
              reads.delete(i);
              const file = certificateFileText(bytes);
              analysis = await analyzer.analyseText(uri, file.text, { signal, binary: file.binary });
              if (analysis) {
                // A binary DER file has no text positions: its findings point at the file's start.
                const lines = new LineIndex(file.text);
                const positionAt = file.binary
                  ? () => ({ line: 0, character: 0 })
                  : (offset: number) => lines.positionAt(offset);
                batch.push([uri, toDiagnostics(analysis.findings, positionAt, docs)]);
              }
            }
            if (!analysis) continue;
            analyses.push(analysis);
            const certificateCodes = analysis.findings.filter((finding) => finding.code.startsWith('cert.')).length;
            otherFindings += analysis.findings.length - certificateCodes;
            if (analysis.findings.some((finding) => finding.severity === 'error' || finding.severity === 'warning'))
              filesWithProblems++;
          } catch (error) {
            reads.delete(i);
            if (signal?.aborted) break;
            unreadable.push(`${name}: ${(error as Error).message}`);
            log().warn(`Certificate check could not read ${name}: ${(error as Error).message}`);
          }
        }
        flush();
        const summary = summarise(analyses);
        return {
          files: analyses.length,
          filesWithProblems,
          certificates: summary.total,
          expired: summary.expired,
          expiring: summary.expiring,
          invalid: summary.invalid,
          otherFindings,
          cancelled: token.isCancellationRequested,
          unreadable,
        };
      },
    );

  const command = vscode.commands.registerCommand(CommandId.CheckWorkspaceCertificates, async () => {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('SAML Lens: open a folder to check the certificates in its files.');
      return undefined;
    }
    const result = await check();
    const message = describeResult(result, readConfig().certificates.expiryWarningDays);
    log().info(message);
    for (const problem of result.unreadable) log().warn(`  ${problem}`);
    const problems = result.expired + result.expiring + result.invalid + result.otherFindings;
    const show = problems > 0 ? 'Show Problems' : undefined;
    // Not awaited: the command returns its result while the message is still on screen.
    void (
      problems > 0
        ? vscode.window.showWarningMessage(message, ...(show ? [show] : []))
        : vscode.window.showInformationMessage(message)
    ).then((choice) => {
      if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return result;
  });
  return Object.assign(command, { check });
}

/** Cancelled as soon as either is. */
function eitherToken(a: vscode.CancellationToken, b: vscode.CancellationToken): vscode.CancellationToken {
  const source = new vscode.CancellationTokenSource();
  if (a.isCancellationRequested || b.isCancellationRequested) source.cancel();
  a.onCancellationRequested(() => source.cancel());
  b.onCancellationRequested(() => source.cancel());
  return source.token;
}
