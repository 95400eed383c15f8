// Judges extracted certificates with the core's certificate checks and the metadata lint, in the
// editor's wording (whose certificate it is), and describes one certificate for hovers and details.
import {
  CertificateCode,
  type CertificateFinding,
  certificateFacts,
  decodeCertificateDer,
  documentCertificateFindings,
  outlineFindings,
  readOutline,
} from '../../../core/certs';
import { lintMetadata } from '../../../core/metadata';
import { nextTurn } from '../../../core/workerChannel';
import type { Severity } from '../../../core/severity';
import { type Normalisation, normaliseCertificateText } from './normalise';
import type { AnalysedCertificate, CertificateOccurrence, CertificateStatus, TextFinding } from './types';
import { type ExtractedDocument, xmlErrorFinding } from './extract';

export type CertificateDetails =
  | {
      readonly ok: true;
      readonly subject: string;
      readonly issuer: string;
      readonly selfSigned: boolean;
      /** Uppercase hex, as OpenSSL prints it. */
      readonly serial: string;
      readonly notBefore: Date;
      readonly notAfter: Date;
      /** "RSA 2048 bits", "EC P-256 (256 bits)". */
      readonly key: string;
      readonly signatureAlgorithm: string;
      /** Uppercase hex with colons, as `openssl x509 -fingerprint` prints it. */
      readonly sha1: string;
      readonly sha256: string;
      readonly subjectAltNames: readonly string[];
    }
  | { readonly ok: false; readonly error: string; readonly fix?: string };

export interface JudgeOptions {
  readonly now: Date;
  readonly expiryWarningDays: number;
  readonly signal?: AbortSignal;
  /** Kept across versions of one document: what does not depend on the clock is worked out once per text. */
  readonly cache?: JudgeCache;
}

interface Writing {
  readonly written: string;
  readonly normalisation: Normalisation | undefined;
}

/** What the cache knows of one certificate text. */
interface Known {
  readonly outline: ReturnType<typeof readOutline>;
  /** Its judgement while valid: the same at any moment it stays valid (its findings name no dates). */
  valid?: { readonly warnDays: number; readonly judged: Judged };
}

/**
 * What judging a certificate costs that a later judgement can reuse: reading its DER outline,
 * checking how it is written, and the whole judgement while the certificate stays valid. A
 * document's worker keeps one, so an edit re-reads only the certificates it changed (24,000
 * outlines took a third of a second); entries not used by the latest judgement are dropped.
 */
export class JudgeCache {
  private known = new Map<string, Known>();
  private writings = new Map<string, Writing>();
  private usedKnown = new Map<string, Known>();
  private usedWritings = new Map<string, Writing>();

  judge(text: string, now: Date, warnDays: number): Judged {
    let known = this.usedKnown.get(text) ?? this.known.get(text);
    if (!known) known = { outline: readOutline(text) };
    this.usedKnown.set(text, known);
    const valid = known.valid;
    if (valid && valid.warnDays === warnDays && stillValid(valid.judged, now, warnDays)) return valid.judged;
    const judged = judgeOutline(known.outline, now, warnDays);
    known.valid = judged.status === 'valid' ? { warnDays, judged } : undefined;
    return judged;
  }

  /**
   * How the certificate `base64` is written at `start`–`end` of `text` needs normalising. Kept by
   * the certificate, whose string the model keeps across edits (its hash is worked out once), and
   * compared with the text's slice for equality: hashing the 12,000 freshly sliced writings of an
   * aggregate took 30 ms per edit, and `startsWith` read the text one character at a time.
   */
  normalisation(
    base64: string,
    text: string,
    start: number,
    end: number,
    compute: (written: string) => Normalisation | undefined,
  ): Normalisation | undefined {
    let writing = this.usedWritings.get(base64) ?? this.writings.get(base64);
    if (!writing || writing.written.length !== end - start || text.slice(start, end) !== writing.written) {
      const written = text.slice(start, end);
      writing = { written, normalisation: compute(written) };
    }
    this.usedWritings.set(base64, writing);
    return writing.normalisation;
  }

  /** Ends a judgement: what it did not use is forgotten. */
  settle(): void {
    this.known = this.usedKnown;
    this.writings = this.usedWritings;
    this.usedKnown = new Map();
    this.usedWritings = new Map();
  }
}

/**
 * Certificates are judged in slices of this many milliseconds, yielding in between, so a huge
 * aggregate never blocks the host and a newer version can cancel the judgement. A slice of a
 * fixed count would be 30 ms when outlines are read (0.3 ms each) and a fraction of a millisecond
 * when the cache has them: 240 turns of the event loop per edit of an aggregate.
 */
const JUDGE_SLICE_MS = 20;

const DAY_MS = 86_400_000;

/** "Signing certificate for https://sts.windows.net/…/" and the like, to start a message with. */
function ownerPhrase(certificate: CertificateOccurrence): string {
  if (certificate.location === 'Signature KeyInfo') return "The certificate in the document's Signature";
  const use =
    certificate.use === 'signing'
      ? 'Signing certificate'
      : certificate.use === 'encryption'
        ? 'Encryption certificate'
        : 'Certificate';
  return certificate.entityId ? `${use} for ${certificate.entityId}` : use;
}

/** Puts the owner in front: "Certificate expired …" → "Signing certificate for X expired …". */
function withOwner(certificate: CertificateOccurrence, message: string): string {
  const owner = ownerPhrase(certificate);
  if (message.startsWith('Certificate ')) return `${owner} ${message.slice('Certificate '.length)}`;
  return `${owner}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** The task's severities: a certificate that is not valid yet is as unusable as an expired one. */
function severityOf(finding: CertificateFinding): Severity {
  return finding.code === CertificateCode.NotYetValid ? 'error' : finding.severity;
}

interface Judged {
  readonly status: CertificateStatus;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly error?: string;
  readonly innerBase64?: string;
  readonly findings: readonly CertificateFinding[];
}

function judgeText(text: string, now: Date, warnDays: number, cache: JudgeCache | undefined): Judged {
  return cache ? cache.judge(text, now, warnDays) : judgeOutline(readOutline(text), now, warnDays);
}

/** Whether a certificate judged valid is still valid at `now`: its judgement then stands as it was. */
function stillValid(judged: Judged, now: Date, warnDays: number): boolean {
  const { notBefore, notAfter } = judged;
  return !!notBefore && !!notAfter && statusAt(notBefore, notAfter, now, warnDays) === 'valid';
}

function statusAt(notBefore: Date, notAfter: Date, now: Date, warnDays: number): CertificateStatus {
  const remaining = notAfter.getTime() - now.getTime();
  if (now.getTime() < notBefore.getTime()) return 'not-yet-valid';
  if (remaining <= 0) return 'expired';
  return remaining <= warnDays * DAY_MS ? 'expiring' : 'valid';
}

function judgeOutline(outline: ReturnType<typeof readOutline>, now: Date, warnDays: number): Judged {
  if (!outline.ok) {
    const { error } = outline;
    return {
      status: 'invalid',
      error: error.message,
      innerBase64: error.innerBase64,
      findings: [{ code: error.code, severity: 'error', message: error.message, fix: error.fix }],
    };
  }
  const { notBefore, notAfter } = outline.value;
  const status = statusAt(notBefore, notAfter, now, warnDays);
  return { status, notBefore, notAfter, findings: outlineFindings(outline.value, { now, warnDays }) };
}

/**
 * Judges every certificate of an extracted document against `now`, plus the document-level
 * certificate checks. Resolves to undefined when cancelled.
 */
export async function findingsForDocument(
  extracted: ExtractedDocument,
  options: JudgeOptions,
): Promise<{ certificates: AnalysedCertificate[]; findings: TextFinding[] } | undefined> {
  const { now, expiryWarningDays, signal, cache } = options;
  const certificates: AnalysedCertificate[] = [];
  const findings: TextFinding[] = [];
  // The same certificate often appears several times (Entra ID repeats it in four places).
  const judgedByText = new Map<string, Judged>();
  let sliceStarted = performance.now();
  for (let i = 0; i < extracted.certificates.length; i++) {
    if (performance.now() - sliceStarted > JUDGE_SLICE_MS) {
      await nextTurn();
      if (signal?.aborted) return undefined;
      sliceStarted = performance.now();
    }
    const occurrence = extracted.certificates[i];
    let judged = judgedByText.get(occurrence.text);
    if (!judged) {
      judged = judgeText(occurrence.text, now, expiryWarningDays, cache);
      judgedByText.set(occurrence.text, judged);
    }
    certificates.push(analysed(occurrence, judged));
    for (const finding of judged.findings) {
      findings.push({
        code: finding.code,
        severity: severityOf(finding),
        message: withOwner(occurrence, finding.message),
        fix: finding.fix,
        start: occurrence.start,
        end: occurrence.end,
      });
    }
    if (judged.status !== 'invalid' && !extracted.binary) {
      const { start, end } = occurrence;
      const normalise = (written: string) => normaliseCertificateText({ written, eol: '\n' });
      const normalisation = cache
        ? cache.normalisation(occurrence.text, extracted.text, start, end, normalise)
        : normalise(extracted.text.slice(start, end));
      if (normalisation) {
        findings.push({
          code: CertificateCode.Formatting,
          severity: 'info',
          message: `${ownerPhrase(occurrence)} is readable, but ${normalisation.reasons.join(' and ')}; strict SAML libraries may refuse it.`,
          fix: 'Use the "Normalise certificate" quick fix.',
          start: occurrence.start,
          end: occurrence.end,
        });
      }
    }
  }
  const occurrences = extracted.certificates
    .map((occurrence, index) => ({
      base64: occurrence.text,
      role: extracted.roleKeys[index],
      use: knownUse(occurrence.use),
      occurrence,
    }))
    .filter((entry) => entry.role !== undefined && certificates[entry.occurrence.index].status !== 'invalid');
  for (const finding of documentCertificateFindings(occurrences)) {
    findings.push({
      code: finding.code,
      severity: finding.severity,
      message: withOwner(finding.occurrence.occurrence, finding.message),
      fix: finding.fix,
      start: finding.occurrence.occurrence.start,
      end: finding.occurrence.occurrence.end,
    });
  }
  if (extracted.xmlError) {
    const finding = xmlErrorFinding(extracted.xmlError, extracted.text.length);
    if (finding) findings.push(finding);
  }
  // Lint only a complete model: a partial one lacks whatever follows the error (endpoints, keys).
  if (extracted.model && !extracted.xmlError) {
    await nextTurn();
    if (signal?.aborted) return undefined;
    for (const finding of lintMetadata(extracted.model, { now })) {
      const { code, severity, message, fix, range } = finding;
      findings.push({ code, severity, message, fix, start: range.start, end: range.end });
    }
  }
  cache?.settle();
  return { certificates, findings };
}

/** Every field named, not spread: spreading an aggregate's 12,000 occurrences took a third of a judgement. */
type Named<T> = { [K in keyof Required<T>]: Required<T>[K] | undefined };

function analysed(occurrence: CertificateOccurrence, judged: Judged): AnalysedCertificate {
  // The fields a worker fills in later are there from the start, so every certificate has one shape.
  const certificate: Named<AnalysedCertificate> = {
    index: occurrence.index,
    start: occurrence.start,
    end: occurrence.end,
    text: occurrence.text,
    use: occurrence.use,
    entityId: occurrence.entityId,
    role: occurrence.role,
    location: occurrence.location,
    status: judged.status,
    notBefore: judged.notBefore,
    notAfter: judged.notAfter,
    error: judged.error,
    innerBase64: judged.innerBase64,
    distinctKey: undefined,
    startPosition: undefined,
    endPosition: undefined,
  };
  return certificate as AnalysedCertificate;
}

function knownUse(use: string | undefined): 'signing' | 'encryption' | undefined {
  return use === 'signing' || use === 'encryption' ? use : undefined;
}

function describeKey(algorithm: string, bits: number | undefined, curve: string | undefined): string {
  if (curve) return `${algorithm} ${curve}${bits ? ` (${bits} bits)` : ''}`;
  return bits ? `${algorithm} ${bits} bits` : algorithm;
}

/** Everything the hover and the details view show about one certificate text. Never throws. */
export function certificateDetails(text: string): CertificateDetails {
  const facts = certificateFacts(text);
  if (!facts.ok) return { ok: false, error: facts.error.message, fix: facts.error.fix };
  const value = facts.value;
  return {
    ok: true,
    subject: value.subject,
    issuer: value.issuer,
    selfSigned: value.selfSigned,
    serial: value.serialNumber,
    notBefore: value.notBefore,
    notAfter: value.notAfter,
    key: describeKey(value.publicKey.algorithm, value.publicKey.bits, value.publicKey.curve),
    signatureAlgorithm: value.signatureAlgorithm.name,
    sha1: value.thumbprints.sha1WithColons,
    sha256: value.thumbprints.sha256WithColons,
    subjectAltNames: value.subjectAltNames,
  };
}

/** True when the text decodes to DER that reads as a certificate. */
export function isReadableCertificate(text: string): boolean {
  return decodeCertificateDer(text).ok && readOutline(text).ok;
}
