import * as vscode from 'vscode';
import { formatDateTime } from '../../core/time';
import { CommandId } from '../../ids';
import { type CertificateAnalyzer, certificateAt } from './analysis';
import { describeValidity } from './headless/present';
import type { AnalysedCertificate } from './headless/types';
import { escapeMarkdown } from '../markdown';

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

function row(label: string, value: string): string {
  return `| ${label} | ${value} |`;
}

/** "signing certificate of `https://…` (IDPSSODescriptor)"; the entityID as code, so it is not a link. */
function roleMarkdown(certificate: AnalysedCertificate): string {
  const purpose = certificate.use ? `${escapeMarkdown(certificate.use)} certificate` : 'certificate';
  const owner = certificate.entityId ? ` of ${codeSpan(certificate.entityId)}` : '';
  const role = certificate.role ? ` (${certificate.role})` : '';
  return `${purpose}${owner}${role}`;
}

/** A code span that holds any text, backticks included (CommonMark: a longer fence). */
function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${longestRun > 0 ? ' ' : ''}${text}${longestRun > 0 ? ' ' : ''}${fence}`;
}

/**
 * The hover body for one certificate. VS Code caps a hover at about 250 pixels, so the most asked-for
 * facts come first, in few lines: who, status and key on two lines, a short table, then the actions.
 */
export function certificateHoverMarkdown(
  analyzer: CertificateAnalyzer,
  document: vscode.TextDocument,
  certificate: AnalysedCertificate,
  now: Date,
): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
  const details = analyzer.detailsOf(certificate);
  const target = { uri: document.uri.toString(), index: certificate.index };

  markdown.appendMarkdown(`**X.509 ${roleMarkdown(certificate)}**\n\n`);
  const status = `${STATUS_ICON[certificate.status]} ${escapeMarkdown(describeValidity(certificate, now))}`;
  if (!details.ok) {
    markdown.appendMarkdown(`${status}\n\n${escapeMarkdown(details.error)}\n\n`);
    if (details.fix) markdown.appendMarkdown(`*Fix:* ${escapeMarkdown(details.fix)}\n\n`);
    return markdown;
  }
  const selfSigned = details.selfSigned ? ' · self-signed' : '';
  markdown.appendMarkdown(
    `${status} · ${escapeMarkdown(details.key)} · ${escapeMarkdown(details.signatureAlgorithm)}${selfSigned}\n\n`,
  );
  const rows = ['| | |', '|:--|:--|', row('Subject', escapeMarkdown(details.subject))];
  if (!details.selfSigned || details.issuer !== details.subject)
    rows.push(row('Issuer', escapeMarkdown(details.issuer)));
  rows.push(
    row('Valid', `${formatDateTime(details.notBefore)} → ${formatDateTime(details.notAfter)}`),
    row('SHA-256', `\`${details.sha256}\``),
    row('SHA-1', `\`${details.sha1}\``),
    row('Serial', `\`${details.serial}\``),
  );
  if (details.subjectAltNames.length > 0) rows.push(row('SANs', escapeMarkdown(details.subjectAltNames.join(', '))));
  markdown.appendMarkdown(rows.join('\n') + '\n\n');
  markdown.appendMarkdown(
    [
      commandLink(
        'Copy SHA-256',
        CommandId.CopyCertificateText,
        [details.sha256, 'SHA-256 thumbprint'],
        'Copy the SHA-256 thumbprint',
      ),
      commandLink(
        'Copy SHA-1',
        CommandId.CopyCertificateText,
        [details.sha1, 'SHA-1 thumbprint'],
        'Copy the SHA-1 thumbprint',
      ),
      commandLink('Copy PEM', CommandId.CopyCertificatePem, [target], 'Copy the certificate as a PEM file'),
      commandLink('Show details', CommandId.ShowCertificateDetails, [target], 'Open every field of the certificate'),
    ].join(' · '),
  );
  return markdown;
}

/** Hover over any certificate text: who it is, when it expires, key, algorithms, thumbprints. */
export function registerCertificateHover(
  analyzer: CertificateAnalyzer,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
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
