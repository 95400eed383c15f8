/**
 * worker_threads entry (bundled to dist/metadataWorker.js): metadata work off the extension host's
 * thread, asked through core/workerChannel (client.ts is the asking side):
 *
 * - `parse` → the whole `MetadataParseResult`, for `parseMetadataInWorker` (one-off parses: the
 *   workspace check, tests). A large model is 85 M characters of JSON, and parsing that in one go
 *   blocked the receiving thread for a second or more, so the answer comes in parts the receiver
 *   asks for one at a time: first the result with the model's entity and certificate lists empty,
 *   then those lists in slices, each small enough to parse in a few milliseconds. (On a
 *   12,000-entity aggregate JSON.parse measured about 3× faster than structured-clone
 *   deserialisation of the same object graph.)
 * - `document` → for `MetadataDocuments`: the worker keeps one document and its model, parsed once
 *   per version, and answers the tree (its outline) and the certificate checks (their findings,
 *   positions included) with small ready-made parts, so the host never holds the model, and the
 *   signature statuses (checked on a DOM of the text, so a large aggregate never blocks the host),
 *   and the positions of offsets in a file read from disk, whose text the host never holds.
 *
 * The document answers use the view's outline and the certificate checks' wording, which live with
 * those features in their headless folders.
 */
import { readFileSync } from 'node:fs';
import { parseMetadata, type MetadataParseOptions, type MetadataParseResult } from '../../../core/metadata/parse';
import { serveRequests, type WorkerAnswer } from '../../../core/workerChannel';
import { LineIndex, stripBom } from '../../../core/xml/lineIndex';
import { type AnsweredCertificates, certificateAnswerParts } from '../../certificates/headless/workerAnswers';
import { JudgeCache } from '../../certificates/headless/judge';
import { type AnsweredOutline, outlineParts } from '../../metadataTree/headless/outlineParts';
import { signatureAnswer } from '../../metadataSignatures/headless/answer';
import { applyChanges, reparseAfterChange, type ChangedSpan } from '../../../core/metadata/reparse';
import {
  EDITS_WITHOUT_BASE,
  SAVED_FILE_NOT_UTF8,
  type DocumentEdits,
  type DocumentQuestion,
  type DocumentSource,
  type MetadataWorkerBody,
  type ParsePart,
} from './client';

/** Entities per slice: about 0.5 MB of JSON for typical federation entities. */
const ENTITIES_PER_SLICE = 64;
/** Certificates are smaller: about 0.25 MB of JSON per slice. */
const CERTIFICATES_PER_SLICE = 128;

function slices<T>(items: readonly T[], size: number, kind: 'entities' | 'certificates'): ParsePart[] {
  const parts: ParsePart[] = [];
  for (let i = 0; i < items.length; i += size) parts.push({ kind, json: JSON.stringify(items.slice(i, i + size)) });
  return parts;
}

function answerWholeParse(text: string, options: MetadataParseOptions | undefined): WorkerAnswer {
  const result = parseMetadata(text, options);
  const model = result.ok ? result.model : result.partial;
  // The head keeps every key in its place; only the two long lists are sent later.
  const head = result.ok
    ? { ...result, model: { ...model, entities: [], certificates: [] } }
    : { ...result, partial: { ...model, entities: [], certificates: [] } };
  const parts: ParsePart[] = [
    { kind: 'head', json: JSON.stringify(head) },
    ...slices(model.entities, ENTITIES_PER_SLICE, 'entities'),
    ...slices(model.certificates, CERTIFICATES_PER_SLICE, 'certificates'),
  ];
  return { parts };
}

// ---------------------------------------------------------------- the document this worker keeps

interface HeldDocument {
  readonly version: number;
  readonly text: string;
  parsed?: MetadataParseResult;
  /** The parse of an earlier version and where this text differs from it, for re-reading one entity. */
  since?: { readonly parsed: MetadataParseResult; readonly changed: ChangedSpan };
  lines?: LineIndex;
}

let held: HeldDocument | undefined;

/** A text arriving in parts, until its last part makes it the held document. */
let arriving: { version: number; parts: string[] } | undefined;

function receiveTextPart(version: number, index: number, text: string, last: boolean): WorkerAnswer {
  if (index === 0) arriving = { version, parts: [] };
  if (!arriving || arriving.version !== version || arriving.parts.length !== index)
    throw new Error(`text part ${index} of version ${version} arrived out of order`);
  arriving.parts.push(text);
  if (last) {
    held = { version, text: arriving.parts.join('') };
    arriving = undefined;
  }
  return {};
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The held document after `edits`. Its parse moves to the new version (the re-parse changes that
 * model in place), so the old version is no longer answered from it.
 */
function applyEdits(version: number, edits: DocumentEdits): HeldDocument {
  const base = held;
  if (!base || base.version !== edits.fromVersion) throw new Error(EDITS_WITHOUT_BASE);
  let applied: ReturnType<typeof applyChanges>;
  try {
    applied = applyChanges(base.text, edits.changes, base.parsed ? undefined : base.since?.changed);
  } catch {
    throw new Error(EDITS_WITHOUT_BASE);
  }
  if (applied.text.length !== edits.length) throw new Error(EDITS_WITHOUT_BASE);
  const parsed = base.parsed ?? base.since?.parsed;
  base.parsed = undefined;
  base.since = undefined;
  const { text, changed } = applied;
  if (!parsed) return { version, text };
  return changed ? { version, text, since: { parsed, changed } } : { version, text, parsed };
}

/** The whole parse of a held document: from its earlier version's when only one entity changed. */
function parseHeld(document: HeldDocument): MetadataParseResult {
  if (!document.parsed) {
    const since = document.since;
    document.since = undefined;
    document.parsed =
      (since && reparseAfterChange(since.parsed, document.text, since.changed)) ?? parseMetadata(document.text);
  }
  return document.parsed;
}

function readSource(source: Exclude<DocumentSource, { edits: DocumentEdits }>): string {
  if ('text' in source) return source.text;
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

async function answerQuestion(
  version: number,
  source: DocumentSource | undefined,
  question: DocumentQuestion,
): Promise<WorkerAnswer> {
  if (source) held = 'edits' in source ? applyEdits(version, source.edits) : { version, text: readSource(source) };
  const document = held;
  if (!document || document.version !== version) throw new Error(`the worker does not hold version ${version}`);
  const parse = () => parseHeld(document);
  if (question.type === 'outline') {
    const clock =
      question.now === undefined ? undefined : { now: new Date(question.now), warnDays: question.warnDays ?? 30 };
    const outline = outlineParts(document.text, parse, clock, {
      version,
      since: question.since,
      earlier: answeredOutlines,
    });
    if (outline.answered) keepNewest(answeredOutlines, outline.answered);
    return { parts: outline.parts };
  }
  if (question.type === 'signatures')
    return { parts: [JSON.stringify(signatureAnswer(document.text, parse, question))] };
  const lines = () => (document.lines ??= new LineIndex(document.text));
  if (question.type === 'positions') {
    const index = lines();
    return { parts: [JSON.stringify(question.offsets.map((offset) => index.positionAt(offset)))] };
  }
  const earlier =
    question.since === undefined ? undefined : answeredCertificates.find((a) => a.version === question.since);
  const answer = await certificateAnswerParts(
    document.text,
    parse,
    lines,
    { now: new Date(question.now), expiryWarningDays: question.warnDays, cache: judgeCache },
    earlier,
  );
  if (!answer) return { parts: [] };
  keepNewest(answeredCertificates, { version, certificates: answer.certificates });
  return { parts: answer.parts };
}

/** The latest answers, newest first: what askers may say they hold (`since`). */
const answeredCertificates: AnsweredCertificates[] = [];
const answeredOutlines: AnsweredOutline[] = [];
/** Questions a host dropped while typing still leave answers here, so a few are kept. */
const ANSWERS_KEPT = 4;

function keepNewest<T>(answers: T[], answer: T): void {
  answers.unshift(answer);
  answers.length = Math.min(answers.length, ANSWERS_KEPT);
}
const judgeCache = new JudgeCache();

serveRequests<MetadataWorkerBody>((body) =>
  body.type === 'parse'
    ? answerWholeParse(body.text, body.options)
    : body.type === 'text-part'
      ? receiveTextPart(body.version, body.index, body.text, body.last)
      : answerQuestion(body.version, body.source, body.question),
);
