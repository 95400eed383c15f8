/**
 * worker_threads entry (bundled to dist/metadataWorker.js): metadata work off the extension host's
 * thread. It speaks two protocols (see client.ts):
 *
 * - `{ text, options }` → the whole `MetadataParseResult` as JSON, for `parseMetadataInWorker`
 *   (one-off parses: the workspace check, tests). A large model is 85 M characters of JSON, and
 *   parsing that in one go blocked the receiving thread for a second or more, so the answer comes
 *   in pieces the receiver asks for one at a time: first the result with the model's entity and
 *   certificate lists empty, then those lists in slices, each small enough to parse in a few
 *   milliseconds. (On a 12,000-entity aggregate JSON.parse measured about 3× faster than
 *   structured-clone deserialisation of the same object graph.)
 * - `{ id, type: 'ask', … }` → for `MetadataDocuments`: the worker keeps one document and its model,
 *   parsed once per version, and answers the tree (its outline) and the certificate checks (their
 *   findings, positions included) with small ready-made parts, so the host never holds the model.
 *
 * The document answers use the view's outline and the certificate checks' wording, which live with
 * those features but never touch vscode.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { certificateAnswerParts } from '../../certificates/headless/workerAnswers';
import { outlineParts } from '../../metadataTree/headless/fromModel';
import { parseMetadata, type MetadataParseOptions, type MetadataParseResult } from '../../../core/metadata/parse';
import {
  SAVED_FILE_NOT_UTF8,
  type DocumentSource,
  type DocumentWorkerReply,
  type DocumentWorkerRequest,
  type MetadataWorkerReply,
} from './client';
import { LineIndex, stripBom } from '../../../core/xml/lineIndex';

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

function answerWholeParse(message: MetadataWorkerRequest): void {
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
}

// ---------------------------------------------------------------- the document this worker keeps

interface HeldDocument {
  readonly version: number;
  readonly text: string;
  parsed?: MetadataParseResult;
  lines?: LineIndex;
}

let held: HeldDocument | undefined;
/** Parts of each answer not yet asked for, by question id. */
const answers = new Map<number, string[]>();
/** Questions being worked out, and those of them whose asker went away meanwhile. */
const working = new Set<number>();
const dropped = new Set<number>();

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function readSource(source: DocumentSource): string {
  if (!('path' in source)) return source.text;
  const bytes = readFileSync(source.path);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new Error(SAVED_FILE_NOT_UTF8);
  try {
    // The editor drops a byte order mark, so offsets must be counted without it too.
    return stripBom(strictUtf8.decode(bytes));
  } catch {
    throw new Error(SAVED_FILE_NOT_UTF8);
  }
}

function send(reply: DocumentWorkerReply): void {
  parentPort?.postMessage(reply);
}

function sendNext(id: number): void {
  const parts = answers.get(id);
  const json = parts?.shift();
  if (json === undefined) {
    answers.delete(id);
    send({ id, kind: 'end' });
  } else {
    send({ id, kind: 'part', json });
  }
}

async function answerQuestion(request: Extract<DocumentWorkerRequest, { type: 'ask' }>): Promise<void> {
  const { id, question } = request;
  working.add(id);
  try {
    if (request.source) held = { version: request.version, text: readSource(request.source) };
    const document = held;
    if (!document || document.version !== request.version)
      throw new Error(`the worker does not hold version ${request.version}`);
    const parse = () => (document.parsed ??= parseMetadata(document.text));
    let parts: string[] | undefined;
    if (question.type === 'outline') {
      const clock =
        question.now === undefined ? undefined : { now: new Date(question.now), warnDays: question.warnDays ?? 30 };
      parts = outlineParts(document.text, parse, clock);
    } else {
      const lines = () => (document.lines ??= new LineIndex(document.text));
      parts = await certificateAnswerParts(document.text, parse, lines, {
        now: new Date(question.now),
        expiryWarningDays: question.warnDays,
      });
    }
    // A dropped question still ends, so the host knows this worker is free again.
    answers.set(id, dropped.delete(id) ? [] : (parts ?? []));
    sendNext(id);
  } catch (error) {
    dropped.delete(id);
    send({ id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    working.delete(id);
  }
}

parentPort?.on('message', (message: MetadataWorkerRequest | DocumentWorkerRequest | 'next') => {
  if (message === 'next') {
    parentPort?.postMessage(pending.shift() ?? { kind: 'end' });
  } else if (!('type' in message)) {
    answerWholeParse(message);
  } else if (message.type === 'ask') {
    void answerQuestion(message);
  } else if (message.type === 'next') {
    sendNext(message.id);
  } else {
    answers.delete(message.id);
    if (working.has(message.id)) dropped.add(message.id);
  }
});
