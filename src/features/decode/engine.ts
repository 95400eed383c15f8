/**
 * The extension host's client for the decode worker: one long-lived worker thread, started on
 * first use, requests matched to answers by id. Cancelling a request terminates the worker (the
 * only way to stop synchronous work in it); the next request starts a fresh one.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { DecodeSuccess } from '../../core/messages/decode';
import type { MetadataSummary } from '../../core/metadata/summary';
import type { ValidationInputs } from './validation';
import type { DecodeOutcome, RedactOutcome, ValidateOutcome, WorkerRequest, WorkerResponse } from './workerProtocol';

export class DecodeCancelledError extends Error {
  constructor() {
    super('Decoding was cancelled.');
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface CancelSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export class DecodeEngine {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `extensionPath` locates dist/decodeWorker.js. */
  constructor(private readonly extensionPath: string) {}

  decode(text: string, cancel?: CancelSignal): Promise<DecodeOutcome> {
    return this.request({ op: 'decode', text }, cancel) as Promise<DecodeOutcome>;
  }

  validate(decoded: DecodeSuccess, inputs: ValidationInputs, cancel?: CancelSignal): Promise<ValidateOutcome> {
    return this.request({ op: 'validate', decoded, inputs }, cancel) as Promise<ValidateOutcome>;
  }

  redact(xml: string): Promise<RedactOutcome> {
    return this.request({ op: 'redact', xml }) as Promise<RedactOutcome>;
  }

  summariseMetadata(text: string): Promise<MetadataSummary> {
    return this.request({ op: 'summariseMetadata', text }) as Promise<MetadataSummary>;
  }

  dispose(): void {
    this.stop(new Error('The decode worker was shut down.'));
  }

  private request(body: RequestBody, cancel?: CancelSignal): Promise<unknown> {
    if (cancel?.isCancellationRequested) return Promise.reject(new DecodeCancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const subscription = cancel?.onCancellationRequested(() => this.stop(new DecodeCancelledError()));
      this.pending.set(id, {
        resolve: (value) => {
          subscription?.dispose();
          resolve(value);
        },
        reject: (error) => {
          subscription?.dispose();
          reject(error);
        },
      });
      worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'decodeWorker.js'));
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (response.ok) pending.resolve(response.result);
      else pending.reject(new Error(`The decoder failed unexpectedly: ${response.error}`));
    });
    worker.on('error', (error) => this.stop(new Error(`The decode worker crashed: ${error.message}`)));
    worker.on('exit', () => {
      if (this.worker === worker) this.stop(new Error('The decode worker stopped unexpectedly.'));
    });
    // The worker must not keep the extension host alive on shutdown.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(reason);
  }
}
