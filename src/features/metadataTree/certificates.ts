/**
 * Certificates from the tree as documents: PEM text, DER bytes, and a read-only virtual document
 * (`saml-lens-cert:` scheme) with the certificate's facts, as markdown for the preview or as a
 * PEM file with the facts above the block.
 *
 * The certificate travels in the URI's query, so the documents survive a window reload without
 * any state in the extension.
 */
import * as vscode from 'vscode';
import { certificateFacts, type CertificateFacts } from '../../core/certs/facts';
import { certificateFindings } from '../../core/certs/findings';
import { formatDateTime, relativeTime } from '../../core/time';
import { escapeMarkdown } from '../markdown';

export const CERTIFICATE_SCHEME = 'saml-lens-cert';

/** The certificate's base64 without whitespace: canonical when it decodes, else the text as written. */
export function compactBase64(text: string): string {
  const facts = certificateFacts(text);
  return facts.ok ? facts.value.base64 : text.replace(/\s+/g, '');
}

export function pemOf(base64: string): string {
  const compact = compactBase64(base64);
  const lines = compact.match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----', ''].join('\n');
}

/** A file name from the subject CN: letters, digits, dot, dash and underscore only. */
export function certificateFileStem(base64: string): string {
  const facts = certificateFacts(base64);
  const name = facts.ok ? (facts.value.subjectCommonName ?? facts.value.thumbprints.sha1) : 'certificate';
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 80) || 'certificate'
  );
}

export type CertificateView = 'details' | 'pem';

export function certificateUri(base64: string, view: CertificateView): vscode.Uri {
  const extension = view === 'details' ? 'md' : 'pem';
  return vscode.Uri.from({
    scheme: CERTIFICATE_SCHEME,
    path: `/${certificateFileStem(base64)}.${extension}`,
    query: new URLSearchParams({ cert: compactBase64(base64) }).toString(),
  });
}

interface FactRow {
  readonly label: string;
  readonly value: string;
}

function factRows(facts: CertificateFacts, now: Date): FactRow[] {
  const expiry =
    facts.notAfter.getTime() < now.getTime()
      ? vscode.l10n.t('expired {0}', relativeTime(facts.notAfter, now))
      : vscode.l10n.t('expires {0}', relativeTime(facts.notAfter, now));
  const key = [
    facts.publicKey.algorithm,
    facts.publicKey.curve,
    facts.publicKey.bits ? vscode.l10n.t('{0} bits', facts.publicKey.bits) : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const rows: FactRow[] = [
    { label: vscode.l10n.t('Subject'), value: facts.subject },
    { label: vscode.l10n.t('Issuer'), value: facts.issuer },
    { label: vscode.l10n.t('Serial number'), value: facts.serialNumber },
    { label: vscode.l10n.t('Valid from'), value: formatDateTime(facts.notBefore) },
    { label: vscode.l10n.t('Valid until'), value: `${formatDateTime(facts.notAfter)} (${expiry})` },
    { label: vscode.l10n.t('Public key'), value: key },
    { label: vscode.l10n.t('Signature algorithm'), value: facts.signatureAlgorithm.name },
    { label: vscode.l10n.t('SHA-1 thumbprint'), value: facts.thumbprints.sha1 },
    { label: vscode.l10n.t('SHA-256 thumbprint'), value: facts.thumbprints.sha256WithColons },
    { label: vscode.l10n.t('Self-signed'), value: facts.selfSigned ? vscode.l10n.t('yes') : vscode.l10n.t('no') },
  ];
  if (facts.subjectAltNames.length)
    rows.push({ label: vscode.l10n.t('Subject alternative names'), value: facts.subjectAltNames.join(', ') });
  if (facts.keyUsage) rows.push({ label: vscode.l10n.t('Key usage'), value: facts.keyUsage.join(', ') });
  if (facts.extendedKeyUsage)
    rows.push({ label: vscode.l10n.t('Extended key usage'), value: facts.extendedKeyUsage.join(', ') });
  return rows;
}

export function renderCertificateMarkdown(base64: string, now: Date): string {
  const result = certificateFacts(base64);
  if (!result.ok) {
    return `# ${vscode.l10n.t('Certificate')}\n\n${escapeMarkdown(result.error.message)}\n\n${escapeMarkdown(result.error.fix)}\n`;
  }
  const facts = result.value;
  const title = facts.subjectCommonName ?? facts.subject;
  const lines = [
    `# ${escapeMarkdown(title)}`,
    '',
    `| ${vscode.l10n.t('Field')} | ${vscode.l10n.t('Value')} |`,
    '|---|---|',
  ];
  for (const row of factRows(facts, now)) lines.push(`| ${escapeMarkdown(row.label)} | ${escapeMarkdown(row.value)} |`);
  const findings = certificateFindings(facts, { now });
  if (findings.length) {
    lines.push('', `## ${vscode.l10n.t('Findings')}`, '');
    for (const finding of findings)
      lines.push(`- **${finding.severity}**: ${escapeMarkdown(finding.message)} ${escapeMarkdown(finding.fix)}`);
  }
  lines.push('', '```', pemOf(base64).trimEnd(), '```', '');
  return lines.join('\n');
}

/** The facts as the explanatory text OpenSSL allows before a PEM block, then the block. */
export function renderCertificatePem(base64: string, now: Date): string {
  const result = certificateFacts(base64);
  if (!result.ok) return `${result.error.message}\n${result.error.fix}\n\n${pemOf(base64)}`;
  const rows = factRows(result.value, now);
  const width = Math.max(...rows.map((r) => r.label.length));
  return `${rows.map((r) => `${r.label.padEnd(width)}  ${r.value}`).join('\n')}\n\n${pemOf(base64)}`;
}

export class CertificateDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly now: () => Date) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const base64 = new URLSearchParams(uri.query).get('cert');
    if (!base64) return vscode.l10n.t('This link does not carry a certificate.');
    return uri.path.endsWith('.md')
      ? renderCertificateMarkdown(base64, this.now())
      : renderCertificatePem(base64, this.now());
  }
}
