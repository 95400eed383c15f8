// The extension side of the metadata worker (worker.ts beside this file): one-off parses in a fresh
// worker, and MetadataDocuments, which keeps each large open document parsed in a worker of its own
// and answers the metadata tree and the certificate checks from it.
import { resolve as resolvePath } from 'node:path';
import type { MetadataModel } from '../../../core/metadata/model';
import type { MetadataParseOptions, MetadataParseResult } from '../../../core/metadata/parse';
import type { TextChange } from '../../../core/metadata/reparse';
import { abortError, WorkerClient } from '../../../core/workerChannel';
import type { SignatureQuestion } from '../../metadataSignatures/headless/answer';

/** What the metadata worker is asked (through core/workerChannel). */
export type MetadataWorkerBody =
  /** A one-off parse; the answer's parts are the result without the model's entities and certificates, then those lists in slices. */
  | { readonly type: 'parse'; readonly text: string; readonly options?: MetadataParseOptions }
  /** A question about one version of the document the worker holds; `source` comes with the first question about a version. */
  | {
      readonly type: 'document';
      readonly version: number;
      readonly source?: DocumentSource;
      readonly question: DocumentQuestion;
    }
  /** One part of a long text, in order from index 0; the last one makes it the document's `version`. */
  | {
      readonly type: 'text-part';
      readonly version: number;
      readonly index: number;
      readonly text: string;
      readonly last: boolean;
    };

/** One part of a one-off parse's answer: JSON text, each small enough to parse in a few milliseconds. */
export type ParsePart =
  | { readonly kind: 'head'; readonly json: string }
  | { readonly kind: 'entities' | 'certificates'; readonly json: string };

export interface WorkerParseOptions {
  parse?: MetadataParseOptions;
  /** Aborting terminates the worker at once and rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * Parses metadata in a fresh worker thread, so a 50 MB aggregate never blocks the caller's
 * thread. `workerPath` is the worker entry (dist/metadataWorker.js in the extension).
 * Resolves with the same result as `parseMetadata`; rejects only if the worker itself fails or the
 * signal aborts.
 */
export async function parseMetadataInWorker(
  text: string,
  workerPath: string,
  options: WorkerParseOptions = {},
): Promise<MetadataParseResult> {
  const client = new WorkerClient<MetadataWorkerBody>(resolvePath(workerPath), {
    name: 'metadata worker',
    onAbort: 'terminate',
  });
  let result: MetadataParseResult | undefined;
  let model: MetadataModel | undefined;
  const onPart = (data: unknown) => {
    const part = data as ParsePart;
    if (part.kind === 'head') {
      result = JSON.parse(part.json) as MetadataParseResult;
      model = result.ok ? result.model : result.partial;
    } else {
      if (!model) throw new Error(`the worker sent ${part.kind} before the result`);
      const target: unknown[] = model[part.kind];
      for (const item of JSON.parse(part.json) as unknown[]) target.push(item);
    }
  };
  try {
    await client.request({ type: 'parse', text, options: options.parse }, { signal: options.signal, onPart });
  } catch (error) {
    if (error instanceof SyntaxError || (error instanceof Error && error.message.startsWith('the worker sent')))
      throw new Error(`The metadata worker sent an unreadable answer: ${error.message}`, { cause: error });
    if (error instanceof Error && error.name === 'AbortError') throw abortError('Parsing the metadata was cancelled.');
    throw error;
  } finally {
    client.terminate();
  }
  if (!result) throw new Error('The metadata worker ended before sending a result.');
  return result;
}

// ---------------------------------------------------------------- documents kept in a worker

/**
 * Where a worker reads a document's text: the saved file itself (the host then never copies a
 * 48 MB document into a string), or the text when the editor holds unsaved changes.
 */
export type DocumentSource = { readonly path: string } | { readonly text: string } | { readonly edits: DocumentEdits };

/**
 * The edits from the version the worker holds to the one asked about, in the order they were
 * made (as `TextDocumentChangeEvent.contentChanges` lists them); the worker re-reads only the
 * entity they fall in when it can (core/metadata/reparse.ts).
 */
export interface DocumentEdits {
  readonly fromVersion: number;
  readonly changes: readonly TextChange[];
  /** The length of the text they make, checked by the worker. */
  readonly length: number;
}

/**
 * How the host hands over a document: as the worker reads it, or, for long unsaved text, in parts
 * made one at a time (e.g. ranges of lines), each sent in its own turn of the event loop, so that
 * neither reading a 48 MB document into one string nor copying it to the worker blocks the host
 * for hundreds of milliseconds. `textParts` throws when the document changed meanwhile.
 */
export type HostDocumentSource = DocumentSource | { readonly textParts: () => Iterable<string> };

/**
 * The worker's error when a saved file is not UTF-8 (a UTF-16 byte order mark, or bytes that do
 * not decode): the editor decoded it some other way, so the host must send the editor's text.
 */
export const SAVED_FILE_NOT_UTF8 = 'The saved file is not UTF-8; the editor text is needed.';

/** The worker's error when edits do not apply to the version it holds: the host must send the text. */
export const EDITS_WITHOUT_BASE = 'The worker does not hold the version these edits apply to.';

/** A question about one version of the document a worker holds; `source` comes with the first question about a version. */
export type DocumentQuestion =
  /** With a clock, the answer also counts expiring and expired certificates as of then. */
  /** `since`: the version whose outline the asker holds; entities unchanged are not sent again. */
  | { readonly type: 'outline'; readonly now?: number; readonly warnDays?: number; readonly since?: number }
  /** `since`: the version whose certificates the asker holds; those unchanged are not sent again. */
  | { readonly type: 'certificates'; readonly now: number; readonly warnDays: number; readonly since?: number }
  /** The signature statuses (features/metadataSignatures/headless/answer.ts), one part of JSON. */
  | ({ readonly type: 'signatures' } & SignatureQuestion)
  /**
   * Where offsets fall in lines, one part of JSON (`{ line, character }[]`): for a file read from
   * disk, whose text only the worker holds.
   */
  | { readonly type: 'positions'; readonly offsets: readonly number[] };

/** One worker thread holding one document: its text, and its model once parsed. */
class DocumentWorker {
  private readonly client: WorkerClient<MetadataWorkerBody>;
  /** The version whose text the worker has been sent, and its length. */
  version: number | undefined;
  length = 0;
  /** The text being sent in parts; questions wait for it, so they reach the worker after it. */
  private textSending: Promise<void> | undefined;

  constructor(workerPath: string) {
    this.client = new WorkerClient(resolvePath(workerPath), { name: 'metadata worker', onAbort: 'drop' });
  }

  /** Whether an answer is still being computed or sent. */
  get busy(): boolean {
    return this.client.busy;
  }

  /** A signature check is under way: seconds of work on an aggregate that nothing interrupts. */
  get checkingSignatures(): boolean {
    return this.client.isWorkingOn((body) => body.type === 'document' && body.question.type === 'signatures');
  }

  /** The thread died or was stopped: it answers nothing more. */
  get failed(): boolean {
    return this.client.failed;
  }

  ask(
    version: number,
    length: number,
    source: HostDocumentSource | undefined,
    question: DocumentQuestion,
    onPart: (json: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    this.version = version;
    if (source) this.length = 'text' in source ? source.text.length : length;
    if (source && 'textParts' in source) {
      const sending = this.sendTextParts(version, source.textParts(), signal);
      this.textSending = sending;
      const done = () => {
        if (this.textSending === sending) this.textSending = undefined;
      };
      sending.then(done, done);
    }
    const sent = source && !('textParts' in source) ? source : undefined;
    const request = () =>
      this.client.request(
        { type: 'document', version, source: sent, question },
        { signal, onPart: (data) => onPart(data as string) },
      );
    // Asked at once when no text is on its way, so the worker is busy from now (a newer version
    // then stops it rather than wait for it); otherwise after the text's last part.
    return this.textSending ? this.textSending.then(request).then(() => undefined) : request().then(() => undefined);
  }

  private async sendTextParts(version: number, parts: Iterable<string>, signal?: AbortSignal): Promise<void> {
    try {
      const iterator = parts[Symbol.iterator]();
      let next = iterator.next();
      for (let index = 0; !next.done; index++) {
        const text = next.value;
        next = iterator.next();
        // Each part is answered at once; awaiting it gives the host's other work a turn in between.
        await this.client.request({ type: 'text-part', version, index, text, last: next.done === true }, { signal });
      }
    } catch (error) {
      if (this.version === version) this.version = undefined;
      throw error;
    }
  }

  /** Stops the worker; unanswered questions reject with an AbortError. */
  terminate(): void {
    this.client.terminate();
  }
}

/**
 * Large documents parsed once per version, in a worker per document that keeps the model, shared
 * by everything that asks (the metadata tree and the certificate checks). The host only receives
 * small, ready-made answers in parts. A question about a newer version stops a worker still busy
 * with an older one, so stale work never delays fresh work.
 */
export class MetadataDocuments {
  private readonly workers = new Map<string, DocumentWorker>();
  /** Per document, the newest version each kind of question has been answered about. */
  private readonly answered = new Map<string, Map<DocumentQuestion['type'], number>>();
  private readonly waiting = new Set<{ key: string; version: number; type: string; done: () => void }>();

  constructor(private readonly workerPath: string) {}

  /**
   * Asks about `version` of the document `key`; `source` is called only when the worker does not
   * hold that version yet, with the version it holds (edits from there suffice). `onPart`
   * receives each part of the answer, in order.
   */
  ask(
    key: string,
    document: { readonly version: number; readonly length: number },
    source: (needsText?: boolean, heldVersion?: number) => HostDocumentSource,
    question: DocumentQuestion,
    onPart: (json: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { version, length } = document;
    let worker = this.workers.get(key);
    let sent = worker && !worker.failed && worker.version !== version ? source(false, worker.version) : undefined;
    // Waiting for stale work on a small document costs less than starting a new worker (~50 ms),
    // and so does waiting for anything but a signature check when the edits since suffice.
    const staleWorkIsLong =
      (worker?.length ?? 0) > STOP_STALE_WORK_ABOVE && !(sent && 'edits' in sent && !worker?.checkingSignatures);
    if (worker && (worker.failed || (worker.version !== version && worker.busy && staleWorkIsLong))) {
      worker.terminate();
      worker = undefined;
      sent = undefined;
    }
    if (!worker) {
      worker = new DocumentWorker(this.workerPath);
      this.workers.set(key, worker);
    }
    if (worker.version !== version) sent ??= source(false, worker.version);
    const asking = worker;
    const answered = () => this.noteAnswered(key, version, question.type);
    return worker.ask(version, length, sent, question, onPart, signal).then(answered, (error: unknown) => {
      const message = error instanceof Error ? error.message : undefined;
      if (sent && 'edits' in sent && message === EDITS_WITHOUT_BASE) {
        // The worker lost the version the edits start from (or they did not fit): send the text.
        asking.version = undefined;
        return this.ask(key, document, (needsText) => source(needsText), question, onPart, signal);
      }
      if (!(sent && 'path' in sent && message === SAVED_FILE_NOT_UTF8)) throw error;
      // The worker could not read the file as the editor did: ask again with the editor's text.
      asking.version = undefined;
      return this.ask(key, document, () => source(true), question, onPart, signal);
    });
  }

  /**
   * Resolves once a question of `type` about `version` (or a newer one) of the document `key` has
   * been answered, or after `timeoutMs` when none comes; rejects with an AbortError when `signal`
   * aborts. Lets slow, secondary work wait for the answer a person is waiting for.
   */
  whenAnswered(
    key: string,
    version: number,
    type: DocumentQuestion['type'],
    signal?: AbortSignal,
    timeoutMs = 10_000,
  ): Promise<void> {
    if ((this.answered.get(key)?.get(type) ?? -Infinity) >= version) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        this.waiting.delete(waiter);
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        outcome();
      };
      const waiter = { key, version, type, done: () => settle(resolve) };
      const aborted = () => settle(() => reject(abortError()));
      const timer = setTimeout(waiter.done, timeoutMs);
      signal?.addEventListener('abort', aborted, { once: true });
      this.waiting.add(waiter);
      if (signal?.aborted) aborted();
    });
  }

  private noteAnswered(key: string, version: number, type: DocumentQuestion['type']): void {
    let versions = this.answered.get(key);
    if (!versions) this.answered.set(key, (versions = new Map()));
    versions.set(type, Math.max(version, versions.get(type) ?? -Infinity));
    for (const waiter of [...this.waiting])
      if (waiter.key === key && waiter.type === type && waiter.version <= version) waiter.done();
  }

  /** Stops the worker of a closed document and frees its model. */
  forget(key: string): void {
    this.workers.get(key)?.terminate();
    this.workers.delete(key);
    this.answered.delete(key);
  }

  dispose(): void {
    for (const worker of this.workers.values()) worker.terminate();
    this.workers.clear();
  }
}

/**
 * A busy worker holding an older version of a document this long is stopped rather than waited for:
 * above 2 M characters its stale work (a parse, or a signature check taking a second) costs more
 * than starting a worker (~50 ms) and sending the text again.
 */
const STOP_STALE_WORK_ABOVE = 2 * 1024 * 1024;

const sharedDocuments = new Map<string, MetadataDocuments>();

/** The one document service per worker entry, so features asking about the same document share its parse. */
export function sharedMetadataDocuments(workerPath: string): MetadataDocuments {
  const key = resolvePath(workerPath);
  let documents = sharedDocuments.get(key);
  if (!documents) {
    documents = new MetadataDocuments(key);
    sharedDocuments.set(key, documents);
  }
  return documents;
}
