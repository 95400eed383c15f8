import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import type { CertificateAnalyzer, DocumentAnalysis } from './analysis';
import { distinctKey } from './headless/workerAnswers';
import type { AnalysedCertificate } from './headless/types';

/**
 * The count follows analyses after this pause: typing in an aggregate analyses it after every
 * edit, and counting its certificates in the same turn as publishing its diagnostics made one
 * long stretch of the two.
 */
const UPDATE_DELAY_MS = 200;

export interface CertificateSummary {
  /** Distinct certificates (the same certificate repeated in a file counts once). */
  readonly total: number;
  readonly expired: number;
  readonly expiring: number;
  readonly invalid: number;
}

/** Keys of certificates judged on the host (the worker sends its own), hashed once per certificate. */
const hashedKeys = new WeakMap<AnalysedCertificate, string>();

function keyOf(certificate: AnalysedCertificate): string {
  if (certificate.distinctKey) return certificate.distinctKey;
  let key = hashedKeys.get(certificate);
  if (key === undefined) hashedKeys.set(certificate, (key = distinctKey(certificate.text)));
  return key;
}

/** Counts distinct certificates by status across the given analyses. */
export function summarise(analyses: readonly DocumentAnalysis[]): CertificateSummary {
  const statusByCertificate = new Map<string, string>();
  for (const analysis of analyses) {
    for (const certificate of analysis.certificates) statusByCertificate.set(keyOf(certificate), certificate.status);
  }
  const statuses = [...statusByCertificate.values()];
  const count = (...wanted: string[]) => statuses.filter((status) => wanted.includes(status)).length;
  return {
    total: statuses.length,
    expired: count('expired', 'not-yet-valid'),
    expiring: count('expiring'),
    invalid: count('invalid'),
  };
}

/** The status bar text, or undefined when no open document holds a certificate. */
export function statusText(summary: CertificateSummary): string | undefined {
  if (summary.total === 0) return undefined;
  const parts: string[] = [];
  if (summary.expired > 0) parts.push(`${summary.expired} expired`);
  if (summary.expiring > 0) parts.push(`${summary.expiring} expiring`);
  if (summary.invalid > 0) parts.push(`${summary.invalid} invalid`);
  const certificates = `${summary.total} certificate${summary.total === 1 ? '' : 's'}`;
  return parts.length === 0 ? `$(verified) ${certificates} OK` : `$(warning) ${parts.join(' · ')}`;
}

/** A status bar item counting expired and expiring certificates in open documents. */
export function registerCertificateStatusBar(analyzer: CertificateAnalyzer): {
  disposable: vscode.Disposable;
  current(): string | undefined;
} {
  const item = vscode.window.createStatusBarItem('samlLens.certificates', vscode.StatusBarAlignment.Left, 50);
  item.name = 'SAML Lens Certificates';
  item.command = { command: CommandId.CheckWorkspaceCertificates, title: 'Check Certificates in Workspace' };
  let text: string | undefined;

  const update = () => {
    const summary = summarise(analyzer.allLatest());
    text = statusText(summary);
    if (!text) {
      item.hide();
      return;
    }
    item.text = text;
    const warningDays = analyzer.allLatest()[0]?.expiryWarningDays;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: [CommandId.CheckWorkspaceCertificates, 'workbench.actions.view.problems'] };
    tooltip.appendMarkdown(
      `**Certificates in open documents:** ${summary.total}\n\n` +
        `- expired or not yet valid: ${summary.expired}\n` +
        `- expiring within ${warningDays ?? '?'} days: ${summary.expiring}\n` +
        `- not readable: ${summary.invalid}\n\n` +
        `[Check the whole workspace](command:${CommandId.CheckWorkspaceCertificates}) · [Show Problems](command:workbench.actions.view.problems)`,
    );
    item.tooltip = tooltip;
    item.backgroundColor =
      summary.expired + summary.invalid > 0
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : summary.expiring > 0
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.show();
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, UPDATE_DELAY_MS);
  };
  return {
    disposable: vscode.Disposable.from(
      item,
      analyzer.onDidAnalyse(schedule),
      analyzer.onDidForget(schedule),
      new vscode.Disposable(() => clearTimeout(timer)),
    ),
    current: () => text,
  };
}
