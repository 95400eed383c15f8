/**
 * The extension host's client for the decode worker: one long-lived worker thread, started on
 * first use, asked through core/workerChannel. Cancelling a request terminates the worker (the only
 * way to stop synchronous work in it); the next request starts a fresh one.
 */
import * as path from 'path';
import type { DecodeSuccess } from '../../../core/messages/decode';
import type { MetadataSummary } from '../../../core/metadata/summary';
import { WorkerClient } from '../../../core/workerChannel';
import type { ValidationInputs } from './validation';
import type { DecodeOutcome, DecodeWorkerBody, RedactOutcome, ValidateOutcome } from './workerProtocol';

export class DecodeEngine {
  private readonly client: WorkerClient<DecodeWorkerBody>;

  /** `extensionPath` locates dist/decodeWorker.js. */
  constructor(extensionPath: string) {
    this.client = new WorkerClient(path.join(extensionPath, 'dist', 'decodeWorker.js'), {
      name: 'decode worker',
      onAbort: 'terminate',
      // The worker must not keep the extension host alive on shutdown.
      unref: true,
      describeError: (message) => new Error(`The decoder failed unexpectedly: ${message}`),
    });
  }

  decode(text: string, signal?: AbortSignal): Promise<DecodeOutcome> {
    return this.client.request({ op: 'decode', text }, { signal }) as Promise<DecodeOutcome>;
  }

  validate(decoded: DecodeSuccess, inputs: ValidationInputs, signal?: AbortSignal): Promise<ValidateOutcome> {
    return this.client.request({ op: 'validate', decoded, inputs }, { signal }) as Promise<ValidateOutcome>;
  }

  redact(xml: string): Promise<RedactOutcome> {
    return this.client.request({ op: 'redact', xml }) as Promise<RedactOutcome>;
  }

  summariseMetadata(text: string): Promise<MetadataSummary> {
    return this.client.request({ op: 'summariseMetadata', text }) as Promise<MetadataSummary>;
  }

  dispose(): void {
    this.client.terminate();
  }
}
