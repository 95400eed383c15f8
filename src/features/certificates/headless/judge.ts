// Judges extracted certificates with the core's certificate checks and the metadata lint, in the
// editor's wording (whose certificate it is), and describes one certificate for hovers and details.
import {
  CertificateCode,
  type CertificateFinding,
  certificateFacts,
  certificateFindings,
  decodeCertificateDer,
  documentCertificateFindings,
  readOutline,
} from '../../../core/certs';
import { lintMetadata } from '../../../core/metadata';
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

/**
 * What judging a certificate costs that does not depend on the clock: reading its DER outline and
 * checking how it is written. A document's worker keeps one, so an edit re-reads only the
 * certificates it changed (24,000 outlines took a third of a second); entries not used by the
 * latest judgement are dropped.
 */
export class JudgeCache {
  private outlines = new Map<string, ReturnType<typeof readOutline>>();
  private writings = new Map<string, Normalisation | undefined>();
  private usedOutlines = new Map<string, ReturnType<typeof readOutline>>();
  private usedWritings = new Map<string, Normalisation | undefined>();

  outline(text: string): ReturnType<typeof readOutline> {
    let outline = this.usedOutlines.get(text) ?? this.outlines.get(text);
    if (!outline) outline = readOutline(text);
    this.usedOutlines.set(text, outline);
    return outline;
  }

  normalisation(written: string, compute: () => Normalisation | undefined): Normalisation | undefined {
    if (this.usedWritings.has(written)) return this.usedWritings.get(written);
    const normalisation = this.writings.has(written) ? this.writings.get(written) : compute();
    this.usedWritings.set(written, normalisation);
    return normalisation;
  }

  /** Ends a judgement: what it did not use is forgotten. */
  settle(): void {
    this.outlines = this.usedOutlines;
    this.writings = this.usedWritings;
    this.usedOutlines = new Map();
    this.usedWritings = new Map();
  }
}

/**
 * Certificates are judged in slices, yielding in between, so a huge aggregate never blocks the
 * host: reading one certificate's outline takes about 0.3 ms, so a slice is some 30 ms.
 */
const JUDGE_SLICE = 100;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

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
  const outline = cache ? cache.outline(text) : readOutline(text);
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
  const remaining = notAfter.getTime() - now.getTime();
  const status: CertificateStatus =
    now.getTime() < notBefore.getTime()
      ? 'not-yet-valid'
      : remaining <= 0
        ? 'expired'
        : remaining <= warnDays * 86_400_000
          ? 'expiring'
          : 'valid';
  return { status, notBefore, notAfter, findings: certificateFindings(text, { now, warnDays }) };
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
  for (let i = 0; i < extracted.certificates.length; i++) {
    if (i > 0 && i % JUDGE_SLICE === 0) {
      await yieldToEventLoop();
      if (signal?.aborted) return undefined;
    }
    const occurrence = extracted.certificates[i];
    let judged = judgedByText.get(occurrence.text);
    if (!judged) {
      judged = judgeText(occurrence.text, now, expiryWarningDays, cache);
      judgedByText.set(occurrence.text, judged);
    }
    certificates.push({
      ...occurrence,
      status: judged.status,
      notBefore: judged.notBefore,
      notAfter: judged.notAfter,
      error: judged.error,
      innerBase64: judged.innerBase64,
    });
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
      const written = extracted.text.slice(occurrence.start, occurrence.end);
      const normalise = () => normaliseCertificateText({ written, eol: '\n' });
      const normalisation = cache ? cache.normalisation(written, normalise) : normalise();
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
    await yieldToEventLoop();
    if (signal?.aborted) return undefined;
    for (const finding of lintMetadata(extracted.model, { now })) {
      const { code, severity, message, fix, range } = finding;
      findings.push({ code, severity, message, fix, start: range.start, end: range.end });
    }
  }
  cache?.settle();
  return { certificates, findings };
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
