// The certificate checks' answer from the metadata worker: judged in the worker, with positions
// worked out there, sent to the host in parts small enough to parse in a few milliseconds. After
// an edit, the certificates the asker already holds are not sent again.
import { createHash } from 'node:crypto';
import type { MetadataParseResult } from '../../../core/metadata';
import type { LineIndex } from '../../../core/xml/lineIndex';
import type { AnalysedCertificate, TextFinding } from './types';
import { extractWithParse } from './extract';
import { findingsForDocument, type JudgeOptions } from './judge';

/**
 * The certificates of version `since` that the answer keeps: the first `keep` as they were, and
 * the last `keepEnd` moved by `offsetDelta` characters and `lineDelta` lines (on the same
 * characters of their lines); the certificates in between are sent.
 */
export interface ReusedCertificates {
  readonly since: number;
  readonly keep: number;
  readonly keepEnd: number;
  readonly offsetDelta: number;
  readonly lineDelta: number;
}

/** One part of the worker's answer about a document's certificates. */
export interface CertificatesPart {
  /** Only ever in the first part. */
  readonly reuse?: ReusedCertificates;
  readonly certificates?: readonly AnalysedCertificate[];
  readonly findings?: readonly TextFinding[];
}

/** Certificates carry their text (about 1.5 KB each): some 0.4 MB of JSON per part. */
const CERTIFICATES_PER_PART = 256;
const FINDINGS_PER_PART = 500;

/** The certificates an answer described, kept by the worker so the next answer can send only what changed. */
export interface AnsweredCertificates {
  readonly version: number;
  readonly certificates: readonly AnalysedCertificate[];
}

/**
 * Judges the certificates of a text and lays the answer out in parts for the host, with every
 * finding's positions already worked out: the worker holds the text, the host would have to map
 * thousands of offsets on its own thread. With `earlier` (what the asker holds), certificates
 * unchanged since are not sent again.
 */
export async function certificateAnswerParts(
  text: string,
  parse: () => MetadataParseResult,
  lines: () => LineIndex,
  options: JudgeOptions,
  earlier?: AnsweredCertificates,
): Promise<{ parts: string[]; certificates: AnalysedCertificate[] } | undefined> {
  const judged = await findingsForDocument(extractWithParse(text, parse), options);
  if (!judged) return undefined;
  const index = lines();
  const findings = judged.findings.map((finding) => ({
    ...finding,
    positions: { start: index.positionAt(finding.start), end: index.positionAt(finding.end) },
  }));
  // The same text hashes the same: the previous answer's keys save most of the hashing.
  const knownKeys = new Map(earlier?.certificates.map((c) => [c.text, c.distinctKey]));
  // The judged certificates are this answer's own: they are placed as they are, not copied.
  const certificates = judged.certificates as Placed[];
  for (const certificate of certificates) {
    certificate.distinctKey = knownKeys.get(certificate.text) ?? distinctKey(certificate.text);
    certificate.startPosition = index.positionAt(certificate.start);
    certificate.endPosition = index.positionAt(certificate.end);
  }
  const reuse = earlier && reusable(earlier, certificates);
  const sent = reuse ? certificates.slice(reuse.keep, certificates.length - reuse.keepEnd) : certificates;
  const parts: string[] = [];
  if (reuse) parts.push(JSON.stringify({ reuse } satisfies CertificatesPart));
  for (let i = 0; i < sent.length; i += CERTIFICATES_PER_PART) {
    parts.push(JSON.stringify({ certificates: sent.slice(i, i + CERTIFICATES_PER_PART) } satisfies CertificatesPart));
  }
  for (let i = 0; i < findings.length; i += FINDINGS_PER_PART) {
    parts.push(JSON.stringify({ findings: findings.slice(i, i + FINDINGS_PER_PART) } satisfies CertificatesPart));
  }
  return { parts, certificates };
}

type Placed = Omit<AnalysedCertificate, 'distinctKey' | 'startPosition' | 'endPosition'> & {
  -readonly [K in 'distinctKey' | 'startPosition' | 'endPosition']: AnalysedCertificate[K];
};

/** Fields that say where a certificate is; every other field must be equal for it to be reused. */
const PLACE_FIELDS: ReadonlySet<string> = new Set(['index', 'start', 'end', 'startPosition', 'endPosition']);

function sameApartFromPlace(a: AnalysedCertificate, b: AnalysedCertificate): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const key of keys) {
    if (PLACE_FIELDS.has(key)) continue;
    const x = (a as unknown as Record<string, unknown>)[key];
    const y = (b as unknown as Record<string, unknown>)[key];
    if (x === y) continue;
    if (!(x instanceof Date && y instanceof Date && x.getTime() === y.getTime())) return false;
  }
  return true;
}

function movedBy(a: AnalysedCertificate, b: AnalysedCertificate, offsetDelta: number, lineDelta: number): boolean {
  return (
    b.start === a.start + offsetDelta &&
    b.end === a.end + offsetDelta &&
    b.startPosition?.line === (a.startPosition?.line ?? NaN) + lineDelta &&
    b.startPosition?.character === a.startPosition?.character &&
    b.endPosition?.line === (a.endPosition?.line ?? NaN) + lineDelta &&
    b.endPosition?.character === a.endPosition?.character &&
    sameApartFromPlace(a, b)
  );
}

/** How much of `earlier` the new list keeps, or undefined when too little to be worth it. */
function reusable(earlier: AnsweredCertificates, next: readonly AnalysedCertificate[]): ReusedCertificates | undefined {
  const before = earlier.certificates;
  let keep = 0;
  while (keep < before.length && keep < next.length && movedBy(before[keep], next[keep], 0, 0)) keep++;
  let keepEnd = 0;
  let offsetDelta = 0;
  let lineDelta = 0;
  if (before.length > keep && next.length > keep) {
    const a = before[before.length - 1];
    const b = next[next.length - 1];
    offsetDelta = b.start - a.start;
    lineDelta = (b.startPosition?.line ?? 0) - (a.startPosition?.line ?? 0);
    while (
      keepEnd < before.length - keep &&
      keepEnd < next.length - keep &&
      movedBy(before[before.length - 1 - keepEnd], next[next.length - 1 - keepEnd], offsetDelta, lineDelta)
    )
      keepEnd++;
  }
  if (keep + keepEnd === 0) return undefined;
  return { since: earlier.version, keep, keepEnd, offsetDelta, lineDelta };
}

/**
 * Puts a document's certificates and findings together on the host from the parts of
 * `certificateAnswerParts`; `earlier` is the list the question said it holds (its `since`).
 */
export class CertificatesAssembler {
  readonly findings: TextFinding[] = [];
  private readonly sent: AnalysedCertificate[] = [];
  private reuse: ReusedCertificates | undefined;

  constructor(private readonly earlier?: AnsweredCertificates) {}

  add(json: string): void {
    const part = JSON.parse(json) as CertificatesPart;
    if (part.reuse) {
      if (!this.earlier || part.reuse.since !== this.earlier.version || this.sent.length > 0)
        throw new Error(
          `the worker reused certificates of version ${part.reuse.since}, which this answer does not hold`,
        );
      this.reuse = part.reuse;
    }
    for (const certificate of part.certificates ?? []) {
      // Dates travel as ISO strings.
      const dated = certificate as { notBefore?: Date | string; notAfter?: Date | string };
      if (typeof dated.notBefore === 'string') dated.notBefore = new Date(dated.notBefore);
      if (typeof dated.notAfter === 'string') dated.notAfter = new Date(dated.notAfter);
      this.sent.push(certificate);
    }
    for (const finding of part.findings ?? []) this.findings.push(finding);
  }

  /** Every certificate of the answer, in document order, with `index` its place in the list. */
  certificates(): AnalysedCertificate[] {
    const reuse = this.reuse;
    if (!reuse || !this.earlier) return this.sent;
    const before = this.earlier.certificates;
    const { keep, keepEnd, offsetDelta, lineDelta } = reuse;
    const moved = before.slice(before.length - keepEnd).map((certificate, i): AnalysedCertificate => ({
      ...certificate,
      index: keep + this.sent.length + i,
      start: certificate.start + offsetDelta,
      end: certificate.end + offsetDelta,
      startPosition: certificate.startPosition && {
        line: certificate.startPosition.line + lineDelta,
        character: certificate.startPosition.character,
      },
      endPosition: certificate.endPosition && {
        line: certificate.endPosition.line + lineDelta,
        character: certificate.endPosition.character,
      },
    }));
    const middle = this.sent.map((certificate, i) => ({ ...certificate, index: keep + i }));
    return [...before.slice(0, keep), ...middle, ...moved];
  }
}

/**
 * The same for every writing of one certificate (line breaks and indentation differ) and short, so
 * counting distinct certificates of an aggregate does not hash 24,000 texts of 1.5 KB on the host.
 */
export function distinctKey(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, '')).digest('base64');
}
