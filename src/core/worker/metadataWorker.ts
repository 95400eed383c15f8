/**
 * worker_threads entry (bundled to dist/metadataWorker.js): parses metadata off the extension
 * host's thread. Receives `{ text, options }`, answers with the `MetadataParseResult` as JSON
 * (on a 12,000-entity aggregate JSON.parse measured about 3× faster than structured-clone
 * deserialisation of the same object graph).
 *
 * A large model is 85 M characters of JSON, and parsing that in one go blocked the receiving thread
 * for a second or more. So the answer comes in pieces the receiver asks for one at a time
 * (see ../metadata/worker.ts): first the result with the model's entity and certificate lists
 * empty, then those lists in slices, each small enough to parse in a few milliseconds.
 */
import { parentPort } from 'node:worker_threads';
import { parseMetadata, type MetadataParseOptions } from '../metadata/parse';
import type { MetadataWorkerReply } from '../metadata/worker';

export interface MetadataWorkerRequest {
  text: string;
  options?: MetadataParseOptions;
}

/** Entities per slice: about 0.5 MB of JSON for typical federation entities. */
const ENTITIES_PER_SLICE = 64;
/** Certificates are smaller: about 0.25 MB of JSON per slice. */
const CERTIFICATES_PER_SLICE = 128;

let pending: MetadataWorkerReply[] = [];

function slices<T>(items: readonly T[], size: number, kind: 'entities' | 'certificates'): MetadataWorkerReply[] {
  const replies: MetadataWorkerReply[] = [];
  for (let i = 0; i < items.length; i += size) replies.push({ kind, json: JSON.stringify(items.slice(i, i + size)) });
  return replies;
}

parentPort?.on('message', (message: MetadataWorkerRequest | 'next') => {
  if (message === 'next') {
    parentPort?.postMessage(pending.shift() ?? { kind: 'end' });
    return;
  }
  const result = parseMetadata(message.text, message.options);
  const model = result.ok ? result.model : result.partial;
  // The head keeps every key in its place; only the two long lists are sent later.
  const head = result.ok
    ? { ...result, model: { ...model, entities: [], certificates: [] } }
    : { ...result, partial: { ...model, entities: [], certificates: [] } };
  pending = [
    ...slices(model.entities, ENTITIES_PER_SLICE, 'entities'),
    ...slices(model.certificates, CERTIFICATES_PER_SLICE, 'certificates'),
  ];
  parentPort?.postMessage({ kind: 'head', json: JSON.stringify(head) } satisfies MetadataWorkerReply);
});
