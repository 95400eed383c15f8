import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import type { CertificateAnalyzer } from './analysis';
import type { CertificateTarget } from './commands';
import { describeValidity, shortThumbprint } from './headless/present';
import type { AnalysedCertificate } from './headless/types';

const STATUS_ICON: Record<AnalysedCertificate['status'], string> = {
  valid: '$(pass)',
  expiring: '$(warning)',
  expired: '$(error)',
  'not-yet-valid': '$(error)',
  invalid: '$(error)',
};

/** The summary lens carries its certificate so the title is computed only when the lens is shown. */
class CertificateSummaryLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly certificate: AnalysedCertificate,
    readonly target: CertificateTarget,
    readonly now: Date,
  ) {
    super(range);
  }
}

/** The summary line for a certificate: "expires in 23 days (2026-12-22) · SHA-1 3A:1F:C4:09:…". */
export function summaryTitle(analyzer: CertificateAnalyzer, certificate: AnalysedCertificate, now: Date): string {
  const validity = describeValidity(certificate, now);
  const details = analyzer.detailsOf(certificate);
  const thumbprint = details.ok ? ` · SHA-1 ${shortThumbprint(details.sha1)}` : '';
  return `${STATUS_ICON[certificate.status]} ${validity}${thumbprint}`;
}

/** Documents with at most this many certificates get their lens titles at once, and action lenses. */
const EAGER_TITLE_LIMIT = 200;

function resolveSummary(analyzer: CertificateAnalyzer, lens: CertificateSummaryLens): CertificateSummaryLens {
  lens.command = {
    title: summaryTitle(analyzer, lens.certificate, lens.now),
    tooltip: 'Show every field of this certificate',
    command: CommandId.ShowCertificateDetails,
    arguments: [lens.target],
  };
  return lens;
}

/** Above each certificate: its validity and thumbprint, then Copy PEM and Save as…. */
export function registerCertificateCodeLens(
  analyzer: CertificateAnalyzer,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider<vscode.CodeLens> = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document, token) {
      const analysis = await analyzer.analysisForVersion(document);
      if (!analysis || token.isCancellationRequested) return [];
      const lenses: vscode.CodeLens[] = [];
      // Titles need each certificate's facts; for large aggregates they wait until a lens is shown.
      const resolveNow = analysis.certificates.length <= EAGER_TITLE_LIMIT;
      for (const certificate of analysis.certificates) {
        // From the worker for large documents: thousands of positionAt calls would block the host.
        const start = certificate.startPosition
          ? new vscode.Position(certificate.startPosition.line, certificate.startPosition.character)
          : document.positionAt(certificate.start);
        const range = new vscode.Range(start, start);
        const target: CertificateTarget = { uri: document.uri.toString(), index: certificate.index };
        const summary = new CertificateSummaryLens(range, certificate, target, analysis.now);
        lenses.push(resolveNow ? resolveSummary(analyzer, summary) : summary);
        // In large aggregates one lens per certificate is enough; the details view has the PEM.
        if (certificate.status !== 'invalid' && resolveNow) {
          lenses.push(
            new vscode.CodeLens(range, {
              title: 'Copy PEM',
              command: CommandId.CopyCertificatePem,
              arguments: [target],
            }),
            new vscode.CodeLens(range, { title: 'Save as…', command: CommandId.SaveCertificate, arguments: [target] }),
          );
        }
      }
      return lenses;
    },
    resolveCodeLens(lens) {
      return lens instanceof CertificateSummaryLens && !lens.command ? resolveSummary(analyzer, lens) : lens;
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(selector, provider),
    // Relative times ("expires in 23 days") change with the clock and the warning threshold.
    analyzer.onDidChangeInputs(() => changed.fire()),
    changed,
  );
}
