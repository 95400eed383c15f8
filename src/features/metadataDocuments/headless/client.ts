// The extension side of the metadata worker (worker.ts beside this file): one-off parses in a fresh
// worker, and MetadataDocuments, which keeps each large open document parsed in a worker of its own
// and answers the metadata tree and the certificate checks from it.
import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MetadataModel } from '../../../core/metadata/model';
import type { MetadataParseOptions, MetadataParseResult } from '../../../core/metadata/parse';

/**
 * What the worker posts: the result without the model's entities and certificates (`head`), then
 * those lists in slices, one per 'next' the receiver sends, then `end`.
 */
export type MetadataWorkerReply =
  { kind: 'head'; json: string } | { kind: 'entities' | 'certificates'; json: string } | { kind: 'end' };

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
export function parseMetadataInWorker(
  text: string,
  workerPath: string,
  options: WorkerParseOptions = {},
): Promise<MetadataParseResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError());
      return;
    }
    let worker: Worker;
    try {
      worker = new Worker(resolvePath(workerPath));
    } catch (error) {
      reject(
        new Error(
          `Cannot start the metadata worker ${workerPath}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return;
    }
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const onAbort = () => finish(() => reject(abortError()));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Each slice is parsed in its own turn of the event loop: asking for the next one only after
    // the last is in lets timers, input and other extensions run in between.
    let result: MetadataParseResult | undefined;
    let model: MetadataModel | undefined;
    worker.on('message', (reply: MetadataWorkerReply) => {
      if (settled) return;
      try {
        if (reply.kind === 'head') {
          result = JSON.parse(reply.json) as MetadataParseResult;
          model = result.ok ? result.model : result.partial;
        } else if (reply.kind === 'end') {
          const complete = result;
          if (!complete) throw new Error('the worker ended before sending a result');
          finish(() => resolve(complete));
          return;
        } else {
          if (!model) throw new Error(`the worker sent ${reply.kind} before the result`);
          const target: unknown[] = model[reply.kind];
          for (const item of JSON.parse(reply.json) as unknown[]) target.push(item);
        }
        worker.postMessage('next');
      } catch (error) {
        finish(() => reject(new Error(`The metadata worker sent an unreadable answer: ${(error as Error).message}`)));
      }
    });
    worker.once('error', (error) => finish(() => reject(new Error(`The metadata worker failed: ${error.message}`))));
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`The metadata worker stopped (exit code ${code}) before answering.`))),
    );
    worker.postMessage({ text, options: options.parse });
  });
}

function abortError(): Error {
  const error = new Error('Parsing the metadata was cancelled.');
  error.name = 'AbortError';
  return error;
}

// ---------------------------------------------------------------- documents kept in a worker

/**
 * Where a worker reads a document's text: the saved file itself (the host then never copies a
 * 48 MB document into a string), or the text when the editor holds unsaved changes.
 */
export type DocumentSource = { readonly path: string } | { readonly text: string };

/**
 * The worker's error when a saved file is not UTF-8 (a UTF-16 byte order mark, or bytes that do
 * not decode): the editor decoded it some other way, so the host must send the editor's text.
 */
export const SAVED_FILE_NOT_UTF8 = 'The saved file is not UTF-8; the editor text is needed.';

/** A question about one version of the document a worker holds; `source` comes with the first question about a version. */
export type DocumentQuestion =
  /** With a clock, the answer also counts expiring and expired certificates as of then. */
  | { readonly type: 'outline'; readonly now?: number; readonly warnDays?: number }
  | { readonly type: 'certificates'; readonly now: number; readonly warnDays: number };

export type DocumentWorkerRequest =
  | {
      readonly id: number;
      readonly type: 'ask';
      readonly version: number;
      readonly source?: DocumentSource;
      readonly question: DocumentQuestion;
    }
  /** The next part of the answer to `id`. */
  | { readonly id: number; readonly type: 'next' }
  /** The asker went away: drop what is left of the answer to `id`. */
  | { readonly id: number; readonly type: 'drop' };

/** Each answer comes in parts (JSON, each small enough to parse in a few milliseconds), one per 'next', then 'end'. */
export type DocumentWorkerReply =
  | { readonly id: number; readonly kind: 'part'; readonly json: string }
  | { readonly id: number; readonly kind: 'end' }
  | { readonly id: number; readonly kind: 'error'; readonly message: string };

interface OpenQuestion {
  readonly onPart: (json: string) => void;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  /** The first part came: the worker has finished working the answer out. */
  answering: boolean;
  /** The asker went away; kept only until the worker says it stopped working on it. */
  dropped: boolean;
}

/** One worker thread holding one document: its text, and its model once parsed. */
class DocumentWorker {
  private readonly worker: Worker;
  private readonly open = new Map<number, OpenQuestion>();
  private nextId = 1;
  /** The version whose text the worker has been sent, and its length. */
  version: number | undefined;
  length = 0;
  private failure: Error | undefined;

  constructor(workerPath: string) {
    this.worker = new Worker(resolvePath(workerPath));
    this.worker.on('message', (reply: DocumentWorkerReply) => this.onReply(reply));
    this.worker.once('error', (error) => this.fail(new Error(`The metadata worker failed: ${error.message}`)));
    this.worker.once('exit', (code) =>
      this.fail(new Error(`The metadata worker stopped (exit code ${code}) before answering.`)),
    );
  }

  /** Whether an answer is still being computed or sent. */
  get busy(): boolean {
    return this.open.size > 0;
  }

  /** The thread died or was stopped: it answers nothing more. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  ask(
    version: number,
    length: number,
    source: DocumentSource | undefined,
    question: DocumentQuestion,
    onPart: (json: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (signal?.aborted) return reject(abortError());
      const id = this.nextId++;
      const onAbort = () => {
        const question = this.open.get(id);
        if (!question) return;
        question.dropped = true;
        // Still being worked out, the question keeps the worker busy until the worker says it stopped.
        if (question.answering) this.open.delete(id);
        this.worker.postMessage({ id, type: 'drop' } satisfies DocumentWorkerRequest);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.open.set(id, {
        onPart,
        resolve: () => {
          done();
          resolve();
        },
        reject: (error) => {
          done();
          reject(error);
        },
        answering: false,
        dropped: false,
      });
      this.version = version;
      if (source) this.length = 'text' in source ? source.text.length : length;
      this.worker.postMessage({ id, type: 'ask', version, source, question } satisfies DocumentWorkerRequest);
    });
  }

  private onReply(reply: DocumentWorkerReply): void {
    const question = this.open.get(reply.id);
    if (!question) return;
    if (question.dropped) {
      this.open.delete(reply.id);
      return;
    }
    if (reply.kind === 'part') {
      question.answering = true;
      try {
        question.onPart(reply.json);
      } catch (error) {
        this.open.delete(reply.id);
        this.worker.postMessage({ id: reply.id, type: 'drop' } satisfies DocumentWorkerRequest);
        question.reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Ask for the next part only after timers had their turn: the worker answers at once, and
      // parts arriving back to back were handled in one go (up to 190 ms with the tree's and the
      // certificate checks' answers interleaved).
      setImmediate(() => {
        if (this.open.get(reply.id) === question)
          this.worker.postMessage({ id: reply.id, type: 'next' } satisfies DocumentWorkerRequest);
      });
      return;
    }
    this.open.delete(reply.id);
    if (reply.kind === 'end') question.resolve();
    else question.reject(new Error(reply.message));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const question of this.open.values()) question.reject(this.failure);
    this.open.clear();
  }

  /** Stops the worker; unanswered questions reject with an AbortError. */
  terminate(): void {
    this.fail(abortError());
    void this.worker.terminate();
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

  constructor(private readonly workerPath: string) {}

  /**
   * Asks about `version` of the document `key`; `source` is called only when the worker does not
   * hold that version yet. `onPart` receives each part of the answer, in order.
   */
  ask(
    key: string,
    document: { readonly version: number; readonly length: number },
    source: (needsText?: boolean) => DocumentSource,
    question: DocumentQuestion,
    onPart: (json: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { version, length } = document;
    let worker = this.workers.get(key);
    // Waiting for stale work on a small document costs less than starting a new worker (~50 ms).
    const staleWorkIsLong = (worker?.length ?? 0) > STOP_STALE_WORK_ABOVE;
    if (worker && (worker.failed || (worker.version !== version && worker.busy && staleWorkIsLong))) {
      worker.terminate();
      worker = undefined;
    }
    if (!worker) {
      try {
        worker = new DocumentWorker(this.workerPath);
      } catch (error) {
        return Promise.reject(
          new Error(
            `Cannot start the metadata worker ${this.workerPath}: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      }
      this.workers.set(key, worker);
    }
    const sent = worker.version === version ? undefined : source();
    const asking = worker;
    return worker.ask(version, length, sent, question, onPart, signal).catch((error: unknown) => {
      if (!(sent && 'path' in sent && error instanceof Error && error.message === SAVED_FILE_NOT_UTF8)) throw error;
      // The worker could not read the file as the editor did: ask again with the editor's text.
      asking.version = undefined;
      return this.ask(key, document, () => source(true), question, onPart, signal);
    });
  }

  /** Stops the worker of a closed document and frees its model. */
  forget(key: string): void {
    this.workers.get(key)?.terminate();
    this.workers.delete(key);
  }

  dispose(): void {
    for (const worker of this.workers.values()) worker.terminate();
    this.workers.clear();
  }
}

/** A busy worker holding an older version of a document this long is stopped rather than waited for (parsing 4 M characters takes ~0.1 s). */
const STOP_STALE_WORK_ABOVE = 4 * 1024 * 1024;

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
