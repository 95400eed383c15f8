// The certificate checks' answer from the metadata worker: judged in the worker, with positions
// worked out there, sent to the host in parts small enough to parse in a few milliseconds.
import { createHash } from 'node:crypto';
import type { MetadataParseResult } from '../../../core/metadata';
import type { LineIndex } from '../../../core/xml/lineIndex';
import type { AnalysedCertificate, TextFinding } from './types';
import { extractWithParse } from './extract';
import { findingsForDocument, type JudgeOptions } from './judge';

/** One part of the worker's answer about a document's certificates. */
export interface CertificatesPart {
  readonly certificates?: readonly AnalysedCertificate[];
  readonly findings?: readonly TextFinding[];
}

/** Certificates carry their text (about 1.5 KB each): some 0.4 MB of JSON per part. */
const CERTIFICATES_PER_PART = 256;
const FINDINGS_PER_PART = 500;

/**
 * Judges the certificates of a text and lays the answer out in parts for the host, with every
 * finding's positions already worked out: the worker holds the text, the host would have to map
 * thousands of offsets on its own thread.
 */
export async function certificateAnswerParts(
  text: string,
  parse: () => MetadataParseResult,
  lines: () => LineIndex,
  options: JudgeOptions,
): Promise<string[] | undefined> {
  const judged = await findingsForDocument(extractWithParse(text, parse), options);
  if (!judged) return undefined;
  const index = lines();
  const findings = judged.findings.map((finding) => ({
    ...finding,
    positions: { start: index.positionAt(finding.start), end: index.positionAt(finding.end) },
  }));
  const parts: string[] = [];
  const certificates = judged.certificates.map((certificate) => ({
    ...certificate,
    distinctKey: distinctKey(certificate.text),
    startPosition: index.positionAt(certificate.start),
    endPosition: index.positionAt(certificate.end),
  }));
  for (let i = 0; i < certificates.length; i += CERTIFICATES_PER_PART) {
    parts.push(
      JSON.stringify({ certificates: certificates.slice(i, i + CERTIFICATES_PER_PART) } satisfies CertificatesPart),
    );
  }
  for (let i = 0; i < findings.length; i += FINDINGS_PER_PART) {
    parts.push(JSON.stringify({ findings: findings.slice(i, i + FINDINGS_PER_PART) } satisfies CertificatesPart));
  }
  return parts;
}

/** Adds one part of `certificateAnswerParts` to the lists being rebuilt on the host. */
export function receiveCertificatesPart(
  json: string,
  certificates: AnalysedCertificate[],
  findings: TextFinding[],
): void {
  const part = JSON.parse(json) as CertificatesPart;
  for (const certificate of part.certificates ?? []) {
    // Dates travel as ISO strings.
    const dated = certificate as { notBefore?: Date | string; notAfter?: Date | string };
    if (typeof dated.notBefore === 'string') dated.notBefore = new Date(dated.notBefore);
    if (typeof dated.notAfter === 'string') dated.notAfter = new Date(dated.notAfter);
    certificates.push(certificate);
  }
  for (const finding of part.findings ?? []) findings.push(finding);
}

/**
 * The same for every writing of one certificate (line breaks and indentation differ) and short, so
 * counting distinct certificates of an aggregate does not hash 24,000 texts of 1.5 KB on the host.
 */
export function distinctKey(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, '')).digest('base64');
}
