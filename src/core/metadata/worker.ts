import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MetadataModel } from './model';
import type { MetadataParseOptions, MetadataParseResult } from './parse';

/**
 * What the worker posts: the result without the model's entities and certificates (`head`), then
 * those lists in slices, one per 'next' the receiver sends, then `end`.
 */
export type MetadataWorkerReply =
  | { kind: 'head'; json: string }
  | { kind: 'entities' | 'certificates'; json: string }
  | { kind: 'end' };

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
