// The seam between the certificate features and the vscode-free core: finds certificates in a text
// (XML through the metadata parser, PEM blocks, or a binary DER file), judges them with the core's
// certificate checks and the metadata lint, and adds the editor's wording (who the certificate
// belongs to) and the formatting hint behind the "Normalise certificate" quick fix.
import { createHash } from 'node:crypto';
import {
  CertificateCode,
  type CertificateFinding,
  certificateFacts,
  certificateFindings,
  decodeCertificateDer,
  documentCertificateFindings,
  readOutline,
} from '../../core/certs';
import {
  type CertificateOccurrence as ModelCertificate,
  type MetadataModel,
  type MetadataParseResult,
  lintMetadata,
  parseMetadata,
  parseMetadataInWorker,
} from '../../core/metadata';
import { XmlErrorCode, type XmlError } from '../../core/xml';
import type { LineIndex } from '../../core/xml/lineIndex';
import { DiagnosticCode } from '../../ids';
import { normaliseCertificateText } from './normalise';
import type {
  AnalysedCertificate,
  CertificateOccurrence,
  CertificateStatus,
  FindingSeverity,
  TextFinding,
} from './types';

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

/** Certificates found in a text, before any judgement about dates (which depend on the clock). */
export interface ExtractedDocument {
  /** The text the offsets refer to. */
  readonly text: string;
  readonly certificates: readonly CertificateOccurrence[];
  /** The metadata model, for XML that parsed (fully or partly). */
  readonly model?: MetadataModel;
  /** Role identity per certificate index, for the core's duplicate checks. */
  readonly roleKeys: readonly (string | undefined)[];
  /** The certificate came from a binary DER file: no text positions. */
  readonly binary: boolean;
  /** Why the XML could not be read to the end; certificates after `offset` were not seen. */
  readonly xmlError?: XmlError;
}

export interface ExtractOptions {
  readonly workerPath: string;
  readonly useWorker: boolean;
  readonly signal?: AbortSignal;
}

export interface JudgeOptions {
  readonly now: Date;
  readonly expiryWarningDays: number;
  readonly signal?: AbortSignal;
}

/**
 * Certificates are judged in slices, yielding in between, so a huge aggregate never blocks the
 * host: reading one certificate's outline takes about 0.3 ms, so a slice is some 30 ms.
 */
const JUDGE_SLICE = 100;

const PEM_BLOCK = /-----BEGIN (CERTIFICATE|X509 CERTIFICATE|TRUSTED CERTIFICATE)-----([\s\S]*?)-----END \1-----/g;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The certificate analysis was cancelled', 'AbortError');
}

// ---------------------------------------------------------------- extraction

function locationOf(certificate: ModelCertificate): string {
  if (certificate.place === 'signature') return 'Signature KeyInfo';
  if (certificate.place === 'key-descriptor')
    return certificate.keyUse ? `KeyDescriptor (${certificate.keyUse})` : 'KeyDescriptor';
  return 'X509Certificate';
}

function fromModel(text: string, model: MetadataModel, xmlError?: XmlError): ExtractedDocument {
  const certificates: CertificateOccurrence[] = [];
  const roleKeys: (string | undefined)[] = [];
  model.certificates.forEach((certificate, index) => {
    certificates.push({
      index,
      start: certificate.range.start,
      end: certificate.range.end,
      text: certificate.base64,
      use: certificate.keyUse,
      entityId: certificate.entityID,
      role: certificate.roleKind,
      location: locationOf(certificate),
    });
    roleKeys.push(
      certificate.place === 'key-descriptor' && certificate.entityIndex !== undefined
        ? `${certificate.entityIndex}/${certificate.roleIndex ?? '-'}`
        : undefined,
    );
  });
  return { text, certificates, model, roleKeys, binary: false, xmlError };
}

/** PEM blocks; each occurrence covers the body between the BEGIN and END lines. */
function fromPem(text: string): ExtractedDocument {
  const certificates: CertificateOccurrence[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const blockStart = match.index ?? 0;
    const start = blockStart + match[0].indexOf(match[2]);
    certificates.push({
      index: certificates.length,
      start,
      end: start + match[2].length,
      text: match[2],
      location: 'PEM file',
    });
  }
  return { text, certificates, roleKeys: certificates.map(() => undefined), binary: false };
}

function looksLikePem(text: string): boolean {
  return !/^\s*</.test(text) && text.includes('-----BEGIN');
}

/** Finds every certificate in an XML or PEM text. Rejects with an AbortError when cancelled. */
export async function extractCertificates(text: string, options: ExtractOptions): Promise<ExtractedDocument> {
  if (looksLikePem(text)) return fromPem(text);
  throwIfAborted(options.signal);
  const parsed = options.useWorker
    ? await parseMetadataInWorker(text, options.workerPath, { signal: options.signal })
    : parseMetadata(text);
  return fromParse(text, parsed);
}

/** The same as `extractCertificates` in-thread, with the parse supplied (the worker parses once per version). */
export function extractWithParse(text: string, parse: () => MetadataParseResult): ExtractedDocument {
  return looksLikePem(text) ? fromPem(text) : fromParse(text, parse());
}

function fromParse(text: string, parsed: MetadataParseResult): ExtractedDocument {
  // A document being edited is often briefly malformed: the certificates before the error still count.
  return parsed.ok ? fromModel(text, parsed.model) : fromModel(text, parsed.partial, parsed.error);
}

/**
 * Says where reading stopped and why, so a document that is not (safe, well-formed) XML is not
 * mistaken for one whose certificates are all fine. An empty document is just new: no finding.
 */
function xmlErrorFinding(error: XmlError, textLength: number): TextFinding | undefined {
  if (error.code === XmlErrorCode.Empty) return undefined;
  const start = Math.min(error.offset, Math.max(0, textLength - 1));
  return {
    code: error.code,
    severity: 'warning',
    message: `SAML Lens stopped reading here, so certificates after this point are not checked: ${error.reason}.`,
    fix:
      error.code === XmlErrorCode.Doctype
        ? 'Remove the DOCTYPE; SAML documents never need one.'
        : 'Fix the XML at this point.',
    start,
    end: Math.min(textLength, start + 1),
  };
}

/** Text of a certificate file read from disk: UTF-8 (BOM removed, as the editor does), or base64 for binary DER. */
export function certificateFileText(bytes: Uint8Array): { text: string; binary: boolean } {
  const buffer = Buffer.from(bytes);
  const printable = buffer
    .subarray(0, 64)
    .every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f) || byte >= 0x80);
  if (buffer.length > 0 && buffer[0] === 0x30 && !printable) return { text: buffer.toString('base64'), binary: true };
  return { text: new TextDecoder('utf-8').decode(buffer), binary: false };
}

/** A binary DER file as one certificate occurrence. */
export function extractBinaryCertificate(base64: string): ExtractedDocument {
  return {
    text: base64,
    certificates: [{ index: 0, start: 0, end: 0, text: base64, location: 'DER file' }],
    roleKeys: [undefined],
    binary: true,
  };
}

// ---------------------------------------------------------------- judgement

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
function severityOf(finding: CertificateFinding): FindingSeverity {
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

function judgeText(text: string, now: Date, warnDays: number): Judged {
  const outline = readOutline(text);
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
  const { now, expiryWarningDays, signal } = options;
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
      judged = judgeText(occurrence.text, now, expiryWarningDays);
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
      const normalisation = normaliseCertificateText({
        written: extracted.text.slice(occurrence.start, occurrence.end),
        eol: '\n',
      });
      if (normalisation) {
        findings.push({
          code: DiagnosticCode.CertFormatting,
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
  return { certificates, findings };
}

function knownUse(use: string | undefined): 'signing' | 'encryption' | undefined {
  return use === 'signing' || use === 'encryption' ? use : undefined;
}

// ---------------------------------------------------------------- details and checks

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

// ---------------------------------------------------------------- answers from the worker

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
