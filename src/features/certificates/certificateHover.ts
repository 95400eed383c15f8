import * as vscode from 'vscode';
import { formatDateTime, relativeTime } from '../../core/time';
import { CommandId } from '../../ids';
import { type CertificateAnalyzer, certificateAt } from './analysis';
import { describeRole, describeValidity } from './present';
import type { AnalysedCertificate } from './types';

/** Commands the hover's links may run; nothing else is trusted. */
const HOVER_COMMANDS = [CommandId.CopyCertificateText, CommandId.CopyCertificatePem, CommandId.ShowCertificateDetails];

const STATUS_ICON: Record<AnalysedCertificate['status'], string> = {
  valid: '$(pass)',
  expiring: '$(warning)',
  expired: '$(error)',
  'not-yet-valid': '$(error)',
  invalid: '$(error)',
};

/** A `command:` link whose arguments are JSON-encoded and URI-escaped, as VS Code expects. */
export function commandLink(label: string, command: string, args: unknown[], tooltip: string): string {
  const query = encodeURIComponent(JSON.stringify(args));
  return `[${label}](command:${command}?${query} "${tooltip.replace(/"/g, "'")}")`;
}

/**
 * Escapes text (subject names, entity IDs) so markdown shows it literally. Every escaped value sits
 * inside a line, so only inline markup characters (and table pipes) need escaping.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (character) => `\\${character}`);
}

function row(label: string, value: string): string {
  return `| ${label} | ${value} |`;
}

/** The hover body for one certificate. Exported for the tests' wording checks. */
export function certificateHoverMarkdown(
  analyzer: CertificateAnalyzer,
  document: vscode.TextDocument,
  certificate: AnalysedCertificate,
  now: Date,
): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
  const details = analyzer.detailsOf(certificate);
  const target = { uri: document.uri.toString(), index: certificate.index, version: document.version };

  markdown.appendMarkdown(`**X.509 ${escapeMarkdown(describeRole(certificate))}**\n\n`);
  markdown.appendMarkdown(`${STATUS_ICON[certificate.status]} ${escapeMarkdown(describeValidity(certificate, now))}\n\n`);
  if (!details.ok) {
    markdown.appendMarkdown(`${escapeMarkdown(details.error)}\n\n`);
    if (details.fix) markdown.appendMarkdown(`*Fix:* ${escapeMarkdown(details.fix)}\n\n`);
    return markdown;
  }
  const copy = (value: string, what: string) =>
    commandLink('Copy', CommandId.CopyCertificateText, [value, what], `Copy the ${what}`);
  const rows = [
    '| | |',
    '|:--|:--|',
    row('Subject', escapeMarkdown(details.subject)),
    row('Issuer', escapeMarkdown(details.issuer) + (details.selfSigned ? ' *(self-signed)*' : '')),
    row('Serial', `\`${details.serial}\``),
    row('Valid from', `${formatDateTime(details.notBefore)} (${relativeTime(details.notBefore, now)})`),
    row('Valid until', `${formatDateTime(details.notAfter)} (${relativeTime(details.notAfter, now)})`),
    row('Key', escapeMarkdown(details.key)),
    row('Signature', escapeMarkdown(details.signatureAlgorithm)),
    row('SHA-1', `\`${details.sha1}\` ${copy(details.sha1, 'SHA-1 thumbprint')}`),
    row('SHA-256', `\`${details.sha256}\` ${copy(details.sha256, 'SHA-256 thumbprint')}`),
  ];
  if (details.subjectAltNames.length > 0) rows.push(row('SANs', escapeMarkdown(details.subjectAltNames.join(', '))));
  if (certificate.use || certificate.role) rows.push(row('Used for', escapeMarkdown(describeRole(certificate))));
  markdown.appendMarkdown(rows.join('\n') + '\n\n');
  markdown.appendMarkdown(
    [
      commandLink('Copy PEM', CommandId.CopyCertificatePem, [target], 'Copy the certificate as a PEM file'),
      commandLink('Show details', CommandId.ShowCertificateDetails, [target], 'Open every field of the certificate'),
    ].join(' · '),
  );
  return markdown;
}

/** Hover over any certificate text: who it is, when it expires, key, algorithms, thumbprints. */
export function registerCertificateHover(analyzer: CertificateAnalyzer, selector: vscode.DocumentSelector): vscode.Disposable {
  return vscode.languages.registerHoverProvider(selector, {
    async provideHover(document, position, token) {
      const analysis = await analyzer.analysisForVersion(document);
      if (!analysis || token.isCancellationRequested) return undefined;
      const certificate = certificateAt(analysis, document.offsetAt(position));
      if (!certificate) return undefined;
      const range = new vscode.Range(document.positionAt(certificate.start), document.positionAt(certificate.end));
      return new vscode.Hover(certificateHoverMarkdown(analyzer, document, certificate, analysis.now), range);
    },
  });
}
