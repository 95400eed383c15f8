import * as vscode from 'vscode';
import { isAbortError } from '../../core/workerChannel';
import { readConfig } from '../../config';
import { log } from '../../log';
import { type CertificateDetails, certificateDetails, findingsForDocument } from './headless/judge';
import { type ExtractedDocument, extractBinaryCertificate, extractCertificates } from './headless/extract';
import { CertificatesAssembler } from './headless/workerAnswers';
import { type MetadataDocuments, sharedMetadataDocuments } from '../metadataDocuments/headless/client';
import { WORKER_THRESHOLD, documentLength, documentSource, watchDocuments } from '../metadataTree/load';
import type { AnalysedCertificate, CertificateOccurrence, TextFinding } from './headless/types';

export type { AnalysedCertificate, CertificateOccurrence, TextFinding } from './headless/types';

/** Everything the certificate features show for one version of one document. */
export interface DocumentAnalysis {
  readonly uri: vscode.Uri;
  /** The document version analysed, or -1 for a file read from disk. */
  readonly version: number;
  readonly certificates: readonly AnalysedCertificate[];
  /** Certificate findings and metadata lint findings, with offsets into the text. */
  readonly findings: readonly TextFinding[];
  /** The instant the findings were judged against. */
  readonly now: Date;
  readonly expiryWarningDays: number;
}

/** Text that is not an open document (the workspace check) is parsed in a worker above this many characters. */
const TEXT_WORKER_THRESHOLD = 1024 * 1024;

const REFRESH_INTERVAL_MS = 60 * 60 * 1000;

/** Certificate details are a pure function of the certificate text, so they are shared across documents. */
const DETAILS_CACHE_SIZE = 500;

interface CachedExtraction {
  readonly version: number;
  /** The certificates found on the host; undefined when the document's worker does the whole analysis. */
  readonly extraction?: Promise<ExtractedDocument>;
  readonly cancel: AbortController;
  /** The worker's judgement in progress: hovers, CodeLens and diagnostics asking at once share it. */
  judging?: { readonly now: Date; readonly expiryWarningDays: number; readonly analysis: Promise<DocumentAnalysis> };
}

/**
 * The shared document-analysis cache behind diagnostics, hovers, CodeLens, quick fixes, the
 * status bar and the workspace check. Parsing is cached per document version; findings are
 * recomputed when the clock or settings change; a newer version cancels a stale parse.
 */
export class CertificateAnalyzer implements vscode.Disposable {
  private clockOverride: Date | undefined;
  private readonly extractions = new Map<string, CachedExtraction>();
  private readonly latest = new Map<string, DocumentAnalysis>();
  private readonly details = new Map<string, CertificateDetails>();
  private readonly inputsChanged = new vscode.EventEmitter<void>();
  private readonly analysed = new vscode.EventEmitter<DocumentAnalysis>();
  private readonly forgotten = new vscode.EventEmitter<vscode.Uri>();

  /** Fires when the clock or the settings change, so every open document must be judged again. */
  readonly onDidChangeInputs = this.inputsChanged.event;
  /** Fires with each completed analysis of an open document. */
  readonly onDidAnalyse = this.analysed.event;
  /** Fires when a document's analysis is dropped (document closed). */
  readonly onDidForget = this.forgotten.event;

  /** "Expires in 23 days" goes stale while a document stays open: judge again every hour. */
  private readonly refreshTimer = setInterval(() => {
    if (!this.clockOverride) this.inputsChanged.fire();
  }, REFRESH_INTERVAL_MS);

  private readonly documents: MetadataDocuments;
  private readonly diskWatch = watchDocuments();

  constructor(private readonly workerPath: string) {
    this.documents = sharedMetadataDocuments(workerPath);
  }

  /** Real time unless a test pinned the clock. */
  now(): Date {
    return this.clockOverride ?? new Date();
  }

  /** Pins "now" (tests) or returns to real time with `undefined`. */
  setClock(now: Date | undefined): void {
    this.clockOverride = now;
    this.inputsChanged.fire();
  }

  /** Called when settings change: cached parses stay valid, findings are judged again. */
  settingsChanged(): void {
    this.inputsChanged.fire();
  }

  /** The most recent analysis of an open document, if any (whatever its version). */
  latestFor(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.latest.get(uri.toString());
  }

  /** All analyses of open documents, for summaries such as the status bar. */
  allLatest(): DocumentAnalysis[] {
    return [...this.latest.values()];
  }

  /**
   * Analyses an open document, reusing the parse of the same version. Resolves to `undefined`
   * when a newer version arrived meanwhile (the caller's result would be stale).
   */
  async analyseDocument(document: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const key = document.uri.toString();
    const version = document.version;
    const now = this.now();
    // A window-scoped setting: read with a resource, VS Code logs a warning each time (the first took 150 ms).
    const expiryWarningDays = readConfig().certificates.expiryWarningDays;
    const cached = this.latest.get(key);
    if (
      cached &&
      cached.version === version &&
      cached.now.getTime() === now.getTime() &&
      cached.expiryWarningDays === expiryWarningDays
    ) {
      return cached;
    }
    const extraction = this.extractionFor(document);
    let analysis: DocumentAnalysis | undefined;
    try {
      if (extraction.extraction) {
        const extracted = await extraction.extraction;
        // A newer version started meanwhile: this result describes text that is gone.
        if (this.extractions.get(key) !== extraction) return undefined;
        analysis = await this.judge(document.uri, version, extracted, now, expiryWarningDays, extraction.cancel.signal);
      } else {
        const running = extraction.judging;
        // With the real clock, a judgement started a moment ago is as good as a new one.
        const reusable =
          running &&
          running.expiryWarningDays === expiryWarningDays &&
          (!this.clockOverride || running.now.getTime() === now.getTime());
        if (reusable) {
          const shared = await running.analysis;
          return this.extractions.get(key) === extraction ? shared : undefined;
        }
        const judging = this.judgeInWorker(document, now, expiryWarningDays, extraction.cancel.signal);
        extraction.judging = { now, expiryWarningDays, analysis: judging };
        judging.catch(() => undefined);
        analysis = await judging;
      }
    } catch (error) {
      // Cancelled, or the document changed while its text was being sent: a newer version follows.
      if (extraction.cancel.signal.aborted || isAbortError(error)) return undefined;
      throw error;
    }
    if (!analysis || this.extractions.get(key) !== extraction) return undefined;
    this.latest.set(key, analysis);
    this.analysed.fire(analysis);
    return analysis;
  }

  /** The analysis for exactly this document version, computing it when needed (hovers, CodeLens, quick fixes). */
  async analysisForVersion(document: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const cached = this.latest.get(document.uri.toString());
    if (cached && cached.version === document.version) return cached;
    return this.analyseDocument(document);
  }

  /**
   * Analyses text that is not open in an editor (the workspace check). `binary` marks the base64 of
   * a binary DER certificate file.
   */
  async analyseText(
    uri: vscode.Uri,
    text: string,
    options: { signal?: AbortSignal; binary?: boolean } = {},
  ): Promise<DocumentAnalysis | undefined> {
    const { signal, binary } = options;
    const extracted = binary
      ? extractBinaryCertificate(text)
      : await extractCertificates(text, {
          workerPath: this.workerPath,
          useWorker: text.length > TEXT_WORKER_THRESHOLD,
          signal,
        });
    const expiryWarningDays = readConfig().certificates.expiryWarningDays;
    return this.judge(uri, -1, extracted, this.now(), expiryWarningDays, signal);
  }

  /** Drops everything cached for a closed document and cancels its pending parse. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.extractions.get(key)?.cancel.abort();
    this.documents.forget(key);
    this.extractions.delete(key);
    if (this.latest.delete(key)) this.forgotten.fire(uri);
  }

  /** Subject, issuer, thumbprints… of one certificate text; cached by the text itself. */
  detailsOf(certificate: CertificateOccurrence): CertificateDetails {
    const cached = this.details.get(certificate.text);
    if (cached) return cached;
    const details = certificateDetails(certificate.text);
    if (this.details.size >= DETAILS_CACHE_SIZE) {
      // Maps iterate in insertion order, so the first key is the oldest entry.
      this.details.delete(this.details.keys().next().value as string);
    }
    this.details.set(certificate.text, details);
    return details;
  }

  dispose(): void {
    clearInterval(this.refreshTimer);
    for (const extraction of this.extractions.values()) extraction.cancel.abort();
    this.extractions.clear();
    this.documents.dispose();
    this.diskWatch.dispose();
    this.latest.clear();
    this.details.clear();
    this.inputsChanged.dispose();
    this.analysed.dispose();
    this.forgotten.dispose();
  }

  private extractionFor(document: vscode.TextDocument): CachedExtraction {
    const key = document.uri.toString();
    const existing = this.extractions.get(key);
    if (existing && existing.version === document.version) return existing;
    existing?.cancel.abort();
    const cancel = new AbortController();
    if (documentLength(document) > WORKER_THRESHOLD) {
      const entry = { version: document.version, cancel };
      this.extractions.set(key, entry);
      return entry;
    }
    const text = document.getText();
    const extraction = extractCertificates(text, {
      workerPath: this.workerPath,
      useWorker: false,
      signal: cancel.signal,
    });
    // Avoid an unhandled rejection when nobody awaits a cancelled parse.
    extraction.catch(() => undefined);
    const entry = { version: document.version, extraction, cancel };
    this.extractions.set(key, entry);
    return entry;
  }

  /**
   * A large document is judged in its worker, which already holds its model (the tree asks the
   * same worker) and answers with findings whose positions are worked out: the host only collects
   * the parts, each in its own turn of the event loop.
   */
  private async judgeInWorker(
    document: vscode.TextDocument,
    now: Date,
    expiryWarningDays: number,
    signal: AbortSignal,
  ): Promise<DocumentAnalysis> {
    const started = Date.now();
    // What the host holds of an earlier version: the worker sends only the certificates that changed.
    const earlier = this.latest.get(document.uri.toString());
    const assembler = new CertificatesAssembler(earlier);
    await this.documents.ask(
      document.uri.toString(),
      { version: document.version, length: documentLength(document) },
      (needsText, heldVersion) => documentSource(document, needsText, heldVersion),
      { type: 'certificates', now: now.getTime(), warnDays: expiryWarningDays, since: earlier?.version },
      (json) => assembler.add(json),
      signal,
    );
    const certificates = assembler.certificates();
    const findings = assembler.findings;
    const elapsed = Date.now() - started;
    if (elapsed > 500)
      log().info(`Judged ${certificates.length} certificates in ${document.uri.fsPath} in ${elapsed} ms (worker)`);
    return { uri: document.uri, version: document.version, certificates, findings, now, expiryWarningDays };
  }

  private async judge(
    uri: vscode.Uri,
    version: number,
    extracted: ExtractedDocument,
    now: Date,
    expiryWarningDays: number,
    signal: AbortSignal | undefined,
  ): Promise<DocumentAnalysis | undefined> {
    const started = Date.now();
    const judged = await findingsForDocument(extracted, { now, expiryWarningDays, signal });
    if (!judged) return undefined;
    const elapsed = Date.now() - started;
    if (elapsed > 500)
      log().info(`Judged ${judged.certificates.length} certificates in ${uri.fsPath} in ${elapsed} ms`);
    return { uri, version, certificates: judged.certificates, findings: judged.findings, now, expiryWarningDays };
  }
}

/** The certificate whose text contains `offset`, if any. */
export function certificateAt(analysis: DocumentAnalysis, offset: number): AnalysedCertificate | undefined {
  // Certificates are in document order, so a binary search keeps hovers fast in large aggregates.
  let low = 0;
  let high = analysis.certificates.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const certificate = analysis.certificates[mid];
    if (offset < certificate.start) high = mid - 1;
    else if (offset > certificate.end) low = mid + 1;
    else return certificate;
  }
  return undefined;
}
