import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MetadataParseOptions, MetadataParseResult } from './parse';

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
      reject(new Error(`Cannot start the metadata worker ${workerPath}: ${error instanceof Error ? error.message : String(error)}`));
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
    worker.once('message', (json: string) => finish(() => resolve(JSON.parse(json) as MetadataParseResult)));
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
