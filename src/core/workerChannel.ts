// One request/reply protocol for every worker thread of SAML Lens: the extension host (or the CLI,
// or a test) asks with `WorkerClient.request`, the worker answers with `serveRequests`. An answer
// may come in parts, each sent only when the asker wants the next one, so a large answer never
// arrives in one lump that blocks the asker's thread while it is read. Cancellation is an
// AbortSignal everywhere.
import { parentPort, Worker } from 'node:worker_threads';

/** Asker → worker. */
export type ChannelRequest<Body> =
  | { readonly id: number; readonly type: 'ask'; readonly body: Body }
  /** Send the next part of the answer to `id`. */
  | { readonly id: number; readonly type: 'next' }
  /** The asker went away: drop what is left of the answer to `id`. */
  | { readonly id: number; readonly type: 'drop' };

/** Worker → asker. */
export type ChannelReply =
  | { readonly id: number; readonly kind: 'part'; readonly data: unknown }
  | { readonly id: number; readonly kind: 'end'; readonly data: unknown }
  | { readonly id: number; readonly kind: 'error'; readonly message: string };

/** What a worker's handler returns: the parts to send one at a time (if any), then the result. */
export interface WorkerAnswer {
  readonly parts?: readonly unknown[];
  readonly result?: unknown;
}

/** The error an aborted request rejects with (`name` is 'AbortError'). */
export function abortError(message = 'The operation was cancelled.'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Resolves on the next turn of the event loop, after timers and I/O had theirs: for work done in slices. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface WorkerClientOptions {
  /** Names the worker in error messages, e.g. "metadata worker". */
  readonly name: string;
  /**
   * What aborting a request does. 'drop' tells the worker to forget the answer and keeps the worker
   * (it holds state worth keeping); 'terminate' stops the worker, the only way to stop synchronous
   * work, and every other open request rejects too. The next request then starts a fresh worker.
   */
  readonly onAbort: 'drop' | 'terminate';
  /** Lets the process exit while the worker idles (the extension host must be able to shut down). */
  readonly unref?: boolean;
  /** Turns a worker's error message into the error the request rejects with. */
  readonly describeError?: (message: string) => Error;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Receives each part of the answer, in order; the next part is asked for after it returns. */
  readonly onPart?: (data: unknown) => void;
}

interface OpenRequest<Body> {
  readonly body: Body;
  readonly onPart?: (data: unknown) => void;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: Error) => void;
  /** The first part came: the worker has finished working the answer out. */
  answering: boolean;
  /** The asker went away; kept only until the worker says it stopped working on it. */
  dropped: boolean;
}

/** The asking side of one worker thread, started on the first request. */
export class WorkerClient<Body> {
  private worker: Worker | undefined;
  private readonly open = new Map<number, OpenRequest<Body>>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(
    private readonly entryPath: string,
    private readonly options: WorkerClientOptions,
  ) {}

  /** Whether an answer is still being worked out or sent. */
  get busy(): boolean {
    return this.open.size > 0;
  }

  /** Whether the worker is still working out (not yet sending) the answer to a request that `matches`. */
  isWorkingOn(matches: (body: Body) => boolean): boolean {
    for (const request of this.open.values()) if (!request.answering && matches(request.body)) return true;
    return false;
  }

  /** The worker died (or could not start): this client answers nothing more. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Asks the worker; resolves with the answer's result once every part has been received. */
  request(body: Body, options: RequestOptions = {}): Promise<unknown> {
    const { signal, onPart } = options;
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(abortError());
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(
        new Error(`Cannot start the ${this.options.name} ${this.entryPath}: ${(error as Error).message}`),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.abort(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settled = () => signal?.removeEventListener('abort', onAbort);
      this.open.set(id, {
        body,
        onPart,
        resolve: (data) => {
          settled();
          resolve(data);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
        answering: false,
        dropped: false,
      });
      worker.postMessage({ id, type: 'ask', body } satisfies ChannelRequest<Body>);
    });
  }

  /** Stops the worker; open requests reject with an AbortError, and later ones start a new worker. */
  terminate(): void {
    this.stop(abortError());
  }

  private abort(id: number): void {
    const request = this.open.get(id);
    if (!request || request.dropped) return;
    if (this.options.onAbort === 'terminate') {
      this.stop(abortError());
      return;
    }
    request.dropped = true;
    // While still being worked out, the request keeps the worker busy until the worker says it stopped.
    if (request.answering) this.open.delete(id);
    this.worker?.postMessage({ id, type: 'drop' } satisfies ChannelRequest<Body>);
    request.reject(abortError());
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entryPath);
    worker.on('message', (reply: ChannelReply) => this.onReply(worker, reply));
    worker.once('error', (error) => this.fail(worker, new Error(`The ${this.options.name} failed: ${error.message}`)));
    worker.once('exit', (code) =>
      this.fail(worker, new Error(`The ${this.options.name} stopped (exit code ${code}) before answering.`)),
    );
    if (this.options.unref) worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, reply: ChannelReply): void {
    const request = this.open.get(reply.id);
    if (!request || worker !== this.worker) return;
    if (request.dropped) {
      this.open.delete(reply.id);
      return;
    }
    if (reply.kind === 'part') {
      request.answering = true;
      try {
        request.onPart?.(reply.data);
      } catch (error) {
        this.open.delete(reply.id);
        worker.postMessage({ id: reply.id, type: 'drop' } satisfies ChannelRequest<Body>);
        request.reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Ask for the next part only after timers and input had their turn: parts arriving back to
      // back would otherwise be handled in one go.
      setImmediate(() => {
        if (this.open.get(reply.id) === request && this.worker === worker)
          worker.postMessage({ id: reply.id, type: 'next' } satisfies ChannelRequest<Body>);
      });
      return;
    }
    this.open.delete(reply.id);
    if (reply.kind === 'end') request.resolve(reply.data);
    else request.reject(this.options.describeError?.(reply.message) ?? new Error(reply.message));
  }

  /** The worker died on its own: with 'terminate' a later request starts a new one; with 'drop' the client is done. */
  private fail(worker: Worker, error: Error): void {
    if (worker !== this.worker) return;
    this.stop(error);
  }

  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
    const open = [...this.open.values()];
    this.open.clear();
    for (const request of open) if (!request.dropped) request.reject(reason);
    if (this.options.onAbort === 'drop' && worker) this.failure ??= reason;
  }
}

/**
 * The worker's side: answers each request with `handle` (sync or async), sends the parts one per
 * 'next', then the result. A thrown error becomes the request's error message.
 */
export function serveRequests<Body>(handle: (body: Body) => WorkerAnswer | Promise<WorkerAnswer>): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs only inside a worker thread');
  /** Parts not yet asked for, and the result to end with, by request id. */
  const answers = new Map<number, { parts: unknown[]; result: unknown }>();
  /** Requests being worked out, and those of them whose asker went away meanwhile. */
  const working = new Set<number>();
  const dropped = new Set<number>();
  const send = (reply: ChannelReply) => port.postMessage(reply);

  const sendNext = (id: number) => {
    const answer = answers.get(id);
    if (!answer) return;
    if (answer.parts.length > 0) {
      send({ id, kind: 'part', data: answer.parts.shift() });
    } else {
      answers.delete(id);
      send({ id, kind: 'end', data: answer.result });
    }
  };

  const answer = async (id: number, body: Body) => {
    working.add(id);
    try {
      const { parts = [], result } = await handle(body);
      // A dropped request still ends, so the asker knows the worker is free again.
      answers.set(id, dropped.delete(id) ? { parts: [], result: undefined } : { parts: [...parts], result });
      sendNext(id);
    } catch (error) {
      dropped.delete(id);
      send({ id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      working.delete(id);
    }
  };

  port.on('message', (request: ChannelRequest<Body>) => {
    if (request.type === 'ask') void answer(request.id, request.body);
    else if (request.type === 'next') sendNext(request.id);
    else {
      answers.delete(request.id);
      if (working.has(request.id)) dropped.add(request.id);
    }
  });
}
