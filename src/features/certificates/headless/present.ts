// Wording shared by the hover, the CodeLens, the details view and the status bar.
import { formatDate, formatDateTime, relativeTime } from '../../../core/time';
import type { CertificateDetails } from './judge';
import type { AnalysedCertificate } from './types';

/** "expires in 23 days", "expired 12 days ago (2026-11-17)", "not valid until …", "not a valid certificate". */
export function describeValidity(certificate: AnalysedCertificate, now: Date): string {
  const { notBefore, notAfter } = certificate;
  if (certificate.status === 'invalid' || !notBefore || !notAfter) return 'not a valid certificate';
  if (now < notBefore) return `not valid until ${formatDate(notBefore)} (${relativeTime(notBefore, now)})`;
  if (now > notAfter) return `expired ${relativeTime(notAfter, now)} (${formatDate(notAfter)})`;
  return `expires ${relativeTime(notAfter, now)} (${formatDate(notAfter)})`;
}

/** Who the certificate serves, e.g. "signing certificate of https://sts.windows.net/… (IDPSSODescriptor)". */
export function describeRole(certificate: AnalysedCertificate): string {
  const purpose = certificate.use ? `${certificate.use} certificate` : 'certificate';
  const owner = certificate.entityId ? ` of ${certificate.entityId}` : '';
  const role = certificate.role ? ` (${certificate.role})` : '';
  return `${purpose}${owner}${role}`;
}

/** First `groups` byte pairs of a colon-separated thumbprint, e.g. "3A:1F:…". */
export function shortThumbprint(thumbprint: string, groups = 4): string {
  const parts = thumbprint.split(':');
  return parts.length > groups ? `${parts.slice(0, groups).join(':')}:…` : thumbprint;
}

/** The certificate as a PEM file: 64-column base64 between BEGIN/END lines. */
export function toPem(base64: string): string {
  const compact = base64.replace(/\s+/g, '');
  const lines = compact.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A file name for saving: the subject's CN (or "certificate") plus the expiry date. */
export function suggestedFileName(details: CertificateDetails): string {
  if (!details.ok) return 'certificate.pem';
  const commonName = /CN=([^,]+)/.exec(details.subject)?.[1] ?? 'certificate';
  const safe = commonName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'certificate';
  return `${safe}-${formatDate(details.notAfter)}.pem`;
}

/** Plain-text details, one field a line (the "Show Certificate Details" view). */
export function detailsAsText(certificate: AnalysedCertificate, details: CertificateDetails, now: Date): string {
  const lines = [
    `Certificate ${certificate.index + 1}: ${describeRole(certificate)}`,
    `Location: ${certificate.location}`,
    '',
  ];
  if (!details.ok) {
    lines.push(`Not a valid certificate: ${details.error}`);
    if (details.fix) lines.push(`Fix: ${details.fix}`);
    return lines.join('\n') + '\n';
  }
  lines.push(
    `Subject:             ${details.subject}`,
    `Issuer:              ${details.issuer}${details.selfSigned ? ' (self-signed)' : ''}`,
    `Serial number:       ${details.serial}`,
    `Not before:          ${formatDateTime(details.notBefore)} (${relativeTime(details.notBefore, now)})`,
    `Not after:           ${formatDateTime(details.notAfter)} (${relativeTime(details.notAfter, now)})`,
    `Public key:          ${details.key}`,
    `Signature algorithm: ${details.signatureAlgorithm}`,
    `SHA-1 thumbprint:    ${details.sha1}`,
    `SHA-256 thumbprint:  ${details.sha256}`,
  );
  if (details.subjectAltNames.length > 0) lines.push(`Subject alt. names:  ${details.subjectAltNames.join(', ')}`);
  lines.push('', toPem(certificate.innerBase64 ?? certificate.text));
  return lines.join('\n');
}
