/**
 * The signature statuses of open metadata documents, one answer per document version and setting
 * state: small documents are checked on the host, large ones in the metadata worker that already
 * holds them (features/metadataDocuments), so a large aggregate never blocks the editor.
 */
import { resolve as resolvePath } from 'node:path';
import * as vscode from 'vscode';
import { parseMetadata } from '../../core/metadata/parse';
import { log } from '../../log';
import { type MetadataDocuments, sharedMetadataDocuments } from '../metadataDocuments/headless/client';
import { LARGE_DOCUMENT } from '../certificates/diagnostics';
import { documentLength, documentSource, WORKER_THRESHOLD } from '../metadataTree/load';
import { mayBeSigned, NO_SIGNATURE, type SignatureAnswer, signatureAnswer } from './headless/answer';
import { type ResolvedSigners, signersFor } from './signers';

export interface DocumentSignatures {
  readonly version: number;
  readonly answer: SignatureAnswer;
  readonly problems: readonly string[];
}

export class MetadataSignatures implements vscode.Disposable {
  private readonly documents: MetadataDocuments;
  private readonly cache = new Map<string, Promise<DocumentSignatures>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when statuses must be asked again (the setting changed). */
  readonly onDidChange = this.changed.event;
  private readonly watch: vscode.Disposable;
  private clock: () => Date = () => new Date();

  constructor(private readonly workerPath: string) {
    this.documents = sharedMetadataDocuments(workerPath);
    this.watch = vscode.Disposable.from(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('samlLens.metadata.trustedSigners')) this.settingsChanged();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.settingsChanged()),
      vscode.workspace.onDidCloseTextDocument((document) => this.cache.delete(document.uri.toString())),
    );
  }

  setClock(clock: () => Date): void {
    this.clock = clock;
    this.settingsChanged();
  }

  private settingsChanged(): void {
    this.cache.clear();
    this.changed.fire();
  }

  /** The statuses of this version of `document`; undefined `answer.ok` false when it has no signature or is not metadata. */
  statuses(document: vscode.TextDocument, signal?: AbortSignal): Promise<DocumentSignatures> {
    const key = document.uri.toString();
    const version = document.version;
    const cached = this.cache.get(key);
    if (cached) {
      const previous = cached;
      return previous.then((answer) => (answer.version === version ? answer : this.ask(document, signal)));
    }
    return this.ask(document, signal);
  }

  private ask(document: vscode.TextDocument, signal?: AbortSignal): Promise<DocumentSignatures> {
    const key = document.uri.toString();
    const version = document.version;
    const asking = this.compute(document, signal);
    this.cache.set(key, asking);
    asking.catch(() => {
      if (this.cache.get(key) === asking) this.cache.delete(key);
    });
    return asking.then((answer) => ({ ...answer, version }));
  }

  private async compute(document: vscode.TextDocument, signal?: AbortSignal): Promise<DocumentSignatures> {
    const version = document.version;
    const length = documentLength(document);
    let resolved: ResolvedSigners | undefined;
    const signers = async () => (resolved ??= await signersFor(document));
    if (length <= WORKER_THRESHOLD) {
      const text = document.getText();
      if (!mayBeSigned(text)) return { version, answer: NO_SIGNATURE, problems: [] };
      const { signers: pinned, problems } = await signers();
      const answer = signatureAnswer(text, () => parseMetadata(text), { signers: pinned, now: this.clock().getTime() });
      return { version, answer, problems };
    }
    const { signers: pinned, problems } = await signers();
    // Above 2 MB the check takes seconds: it waits for the certificate findings of this version
    // (computed for XML documents), which the person typing waits for, rather than delay them.
    if (length > LARGE_DOCUMENT && document.languageId === 'xml')
      await this.documents.whenAnswered(document.uri.toString(), version, 'certificates', signal);
    let answer: SignatureAnswer = NO_SIGNATURE;
    const started = Date.now();
    await this.documents.ask(
      document.uri.toString(),
      { version, length },
      (needsText, heldVersion) => documentSource(document, needsText, heldVersion),
      { type: 'signatures', signers: pinned, now: this.clock().getTime() },
      (json) => (answer = JSON.parse(json) as SignatureAnswer),
      signal,
    );
    log().debug(
      `Metadata signatures of ${document.uri.toString()} checked in the worker in ${Date.now() - started} ms`,
    );
    return { version, answer, problems };
  }

  dispose(): void {
    if (shared.get(this.workerPath) === this) shared.delete(this.workerPath);
    this.watch.dispose();
    this.changed.dispose();
    this.cache.clear();
  }
}

const shared = new Map<string, MetadataSignatures>();

/** One service per worker entry, shared by the diagnostics and the metadata tree. */
export function sharedMetadataSignatures(workerPath: string): MetadataSignatures {
  const key = resolvePath(workerPath);
  let service = shared.get(key);
  if (!service) {
    service = new MetadataSignatures(key);
    shared.set(key, service);
  }
  return service;
}
