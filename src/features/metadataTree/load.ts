/**
 * Where the tree's text comes from and how it becomes an outline: the active editor's document,
 * or — for files too large for VS Code to hand to extensions — the file read from disk.
 * Small texts parse in the extension host; large ones in the metadata worker so the host stays responsive.
 */
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { DEFAULT_METADATA_MAX_LENGTH, parseMetadata } from '../../core/metadata/parse';
import type { TextChange } from '../../core/metadata/reparse';
import {
  type DocumentEdits,
  type HostDocumentSource,
  type MetadataDocuments,
  parseMetadataInWorker,
} from '../metadataDocuments/headless/client';
import { abortError } from '../../core/workerChannel';
import { CERTIFICATE_SCHEME } from './certificates';
import { looksLikeMetadata, outlineFromModel } from './headless/fromModel';
import { type CountedAt, type HeldOutline, OutlineAssembler } from './headless/outlineParts';
import type { Clock, MetadataOutline } from './headless/outline';

export type TreeSource =
  | { readonly kind: 'document'; readonly document: vscode.TextDocument }
  /** An open editor whose document VS Code does not share with extensions (over ~50 MB). */
  | { readonly kind: 'disk'; readonly uri: vscode.Uri };

/**
 * Documents larger than this are parsed in the metadata worker, once per version for the tree and
 * the certificate checks together; smaller ones parse on the host (about 8 ms for 256 K characters),
 * where they skip the round trip.
 */
export const WORKER_THRESHOLD = 256 * 1024;

/**
 * The version of each document known to equal its file on disk: as opened, or as just saved. Only
 * then may a worker read the file instead of the editor's text; `isDirty` alone is not enough, as
 * the extension host may learn of an edit before it learns that the document became dirty.
 */
const versionsOnDisk = new WeakMap<vscode.TextDocument, number>();

/**
 * The recent edits of each document, version to version, so a worker holding an older version
 * is sent what changed rather than the whole text again.
 */
const recentEdits = new WeakMap<vscode.TextDocument, { version: number; steps: EditStep[] }>();
interface EditStep {
  readonly from: number;
  readonly to: number;
  readonly changes: readonly TextChange[];
}
/** Kept per document: enough for a burst of typing between two questions; more costs memory for nothing. */
const MAX_EDIT_STEPS = 64;
const MAX_EDITED_CHARACTERS = 1024 * 1024;

let documentWatchers = 0;
let documentWatch: vscode.Disposable | undefined;

/**
 * Starts noting which document versions equal their files, and the edits between versions;
 * every caller disposes what it gets.
 */
export function watchDocuments(): vscode.Disposable {
  if (documentWatchers++ === 0) {
    const note = (document: vscode.TextDocument) => {
      if (document.uri.scheme === 'file') versionsOnDisk.set(document, document.version);
    };
    const opened = (document: vscode.TextDocument) => {
      recentEdits.set(document, { version: document.version, steps: [] });
      note(document);
    };
    documentWatch = vscode.Disposable.from(
      vscode.workspace.onDidOpenTextDocument(opened),
      vscode.workspace.onDidSaveTextDocument(note),
      vscode.workspace.onDidChangeTextDocument((event) => recordEdit(event)),
    );
    // The feature loads when the first XML document opens, just after its open event.
    for (const document of vscode.workspace.textDocuments) {
      recentEdits.set(document, { version: document.version, steps: [] });
      if (!document.isDirty) note(document);
    }
  }
  let disposed = false;
  return new vscode.Disposable(() => {
    if (disposed) return;
    disposed = true;
    if (--documentWatchers === 0) {
      documentWatch?.dispose();
      documentWatch = undefined;
    }
  });
}

function recordEdit(event: vscode.TextDocumentChangeEvent): void {
  const { document, contentChanges } = event;
  if (contentChanges.length === 0) return;
  const known = recentEdits.get(document);
  // The version before this edit is known only when the document's earlier versions were seen too.
  const steps = known?.steps ?? [];
  if (known)
    steps.push({
      from: known.version,
      to: document.version,
      changes: contentChanges.map((change) => ({
        start: change.rangeOffset,
        end: change.rangeOffset + change.rangeLength,
        text: change.text,
      })),
    });
  let characters = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    for (const change of steps[i].changes) characters += change.text.length;
    if (characters > MAX_EDITED_CHARACTERS || steps.length - i > MAX_EDIT_STEPS) {
      steps.splice(0, i + 1);
      break;
    }
  }
  recentEdits.set(document, { version: document.version, steps });
}

/** The edits that lead from version `from` to the document's current version, when all are known. */
function editsSince(document: vscode.TextDocument, from: number): DocumentEdits | undefined {
  const known = recentEdits.get(document);
  if (!known || known.version !== document.version) return undefined;
  const first = known.steps.findIndex((step) => step.from === from);
  if (first < 0) return undefined;
  const changes: TextChange[] = [];
  let version = from;
  for (const step of known.steps.slice(first)) {
    if (step.from !== version) return undefined;
    changes.push(...step.changes);
    version = step.to;
  }
  return version === document.version ? { fromVersion: from, changes, length: documentLength(document) } : undefined;
}

function matchesDisk(document: vscode.TextDocument): boolean {
  return (
    document.uri.scheme === 'file' &&
    !document.isDirty &&
    versionsOnDisk.get(document) === document.version &&
    // The worker reads the file as UTF-8; with another encoding chosen, only the editor's text is right.
    UTF8_ENCODINGS.has(vscode.workspace.getConfiguration('files', document.uri).get<string>('encoding') ?? 'utf8')
  );
}

const UTF8_ENCODINGS = new Set(['utf8', 'utf8bom']);

/** Below this many lines a document's exact length costs next to nothing. */
const FEW_LINES = 2000;

/**
 * About how many characters a document holds, without copying its text and without making
 * VS Code index the line starts of a 48 MB document (130 ms the first time): a document that
 * equals its file is as long as the file (in bytes, which is close enough to choose a path).
 */
export function documentLength(document: vscode.TextDocument): number {
  if (document.lineCount > FEW_LINES && matchesDisk(document)) {
    try {
      return statSync(document.uri.fsPath).size;
    } catch {
      // Gone from disk meanwhile: count in the editor.
    }
  }
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/** Unsaved text longer than this goes to the worker in parts of PART_LINES lines. */
const TEXT_IN_PARTS_ABOVE = 4 * 1024 * 1024;
const PART_LINES = 5_000;

/**
 * What the worker reads: the saved file itself when the editor holds exactly that (no copy of a
 * 48 MB text on the host's thread), the edits since the version the worker holds (`heldVersion`),
 * otherwise the editor's text: long texts in parts of lines,
 * read one at a time (an aggregate's 48 MB in one `getText` and one message kept the host busy
 * for 300 ms after each edit).
 */
export function documentSource(
  document: vscode.TextDocument,
  needsText = false,
  heldVersion?: number,
): HostDocumentSource {
  if (!needsText && matchesDisk(document)) return { path: document.uri.fsPath };
  const edits = heldVersion === undefined ? undefined : editsSince(document, heldVersion);
  if (edits) return { edits };
  const length = documentLength(document);
  if (length <= TEXT_IN_PARTS_ABOVE) return { text: document.getText() };
  const version = document.version;
  return {
    *textParts() {
      for (let line = 0; line < document.lineCount; line += PART_LINES) {
        // A part of another version would make a text that never existed: the next edit asks again.
        if (document.version !== version) throw abortError(`${document.uri.fsPath} changed while it was being read`);
        const end = line + PART_LINES;
        yield document.getText(
          end < document.lineCount
            ? new vscode.Range(line, 0, end, 0)
            : new vscode.Range(line, 0, document.lineCount - 1, document.lineAt(document.lineCount - 1).text.length),
        );
      }
    },
  };
}

/** Documents the tree never switches to: panels, and the certificate documents it opens itself. */
const IGNORED_SCHEMES = new Set(['output', CERTIFICATE_SCHEME]);

/**
 * What the tree should show now, or undefined to keep showing what it shows (no editor, a panel,
 * or one of the tree's own certificate documents). An active tab that is a text file without a
 * document means the file is too large for VS Code to share with extensions.
 */
export function currentSource(): TreeSource | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.viewColumn !== undefined) {
    return IGNORED_SCHEMES.has(editor.document.uri.scheme)
      ? undefined
      : { kind: 'document', document: editor.document };
  }
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText && !IGNORED_SCHEMES.has(input.uri.scheme)) {
    const key = input.uri.toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (document) return { kind: 'document', document };
    if (input.uri.scheme === 'file' || input.uri.scheme === 'vscode-remote') return { kind: 'disk', uri: input.uri };
  }
  return undefined;
}

export function sourceUri(source: TreeSource): vscode.Uri {
  return source.kind === 'document' ? source.document.uri : source.uri;
}

export function sameSource(a: TreeSource | undefined, b: TreeSource | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && sourceUri(a).toString() === sourceUri(b).toString();
}

export type LoadResult =
  | { readonly kind: 'not-metadata' }
  | {
      readonly kind: 'outline';
      readonly outline: MetadataOutline;
      /** `searchTextOf` per entity, when the worker computed them. */
      readonly searchTexts?: readonly string[];
      /** Certificate counts, when the worker computed them, and the clock they were judged by. */
      readonly counted?: CountedAt;
      /** The document version the outline was made of, when the worker made it. */
      readonly version?: number;
      /** The entities that differ from `earlier`, when the rest of it was kept and the groups kept their shape. */
      readonly changed?: readonly number[];
      /** To be called when the outline takes the place of `earlier` (see `OutlineAssembler.result`). */
      readonly replaceEarlier?: () => void;
    };

/**
 * Aborting `signal` drops the answer (a newer text replaced this one). Large documents are asked
 * of `documents`, which shares one parse per version with the certificate checks and sends the
 * outline ready-made, in parts.
 */
export async function loadOutline(
  source: TreeSource,
  documents: MetadataDocuments,
  workerPath: string,
  signal?: AbortSignal,
  clock?: Clock,
  earlier?: HeldOutline,
): Promise<LoadResult> {
  const length = source.kind === 'document' ? documentLength(source.document) : 0;
  if (source.kind === 'document' && length > WORKER_THRESHOLD) {
    const { document } = source;
    // The certificate findings of this version (computed for XML documents) go first: the person
    // typing waits for those, and in the shared worker the outline would hold them back.
    if (document.languageId === 'xml')
      await documents.whenAnswered(document.uri.toString(), document.version, 'certificates', signal);
    return outlineFromWorker(
      documents,
      document.uri.toString(),
      { version: document.version, length },
      (needsText, heldVersion) => documentSource(document, needsText, heldVersion),
      clock,
      signal,
      earlier,
    );
  }
  if (source.kind === 'disk') return loadFromDisk(source.uri, documents, signal, clock);
  const text = source.document.getText();
  if (!looksLikeMetadata(text)) return { kind: 'not-metadata' };
  const result =
    text.length > WORKER_THRESHOLD ? await parseMetadataInWorker(text, workerPath, { signal }) : parseMetadata(text);
  if (!result.ok) {
    return {
      kind: 'outline',
      outline: { entities: [], unknown: [], error: { message: result.error.message, offset: result.error.offset } },
    };
  }
  return { kind: 'outline', outline: outlineFromModel(result.model) };
}

/** Each file read from disk gets a new version whenever its size or modification time changes. */
const diskVersions = new Map<string, { readonly stamp: string; readonly version: number }>();

/** The key a file read from disk has in `MetadataDocuments`; apart from an editor document's. */
export function diskKey(uri: vscode.Uri): string {
  return `disk:${uri.toString()}`;
}

/**
 * A file too large for VS Code to share with extensions (over 50 MB; the generated 190 MB
 * aggregate takes 3.5 s to parse): the worker reads it and keeps it, so the host never decodes,
 * copies or indexes the text; positions come from the worker too (`positionsOnDisk`).
 */
async function loadFromDisk(
  uri: vscode.Uri,
  documents: MetadataDocuments,
  signal: AbortSignal | undefined,
  clock: Clock | undefined,
): Promise<LoadResult> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > DEFAULT_METADATA_MAX_LENGTH)
    throw new Error(
      vscode.l10n.t(
        '{0} is {1} MB; metadata is read up to {2} MB.',
        uri.fsPath,
        Math.round(stat.size / 1024 / 1024),
        DEFAULT_METADATA_MAX_LENGTH / 1024 / 1024,
      ),
    );
  const key = diskKey(uri);
  const stamp = `${stat.size}:${stat.mtime}`;
  const known = diskVersions.get(key);
  const version = known?.stamp === stamp ? known.version : (known?.version ?? 0) + 1;
  diskVersions.set(key, { stamp, version });
  return outlineFromWorker(
    documents,
    key,
    { version, length: stat.size },
    (needsText) => {
      if (needsText) throw new Error(vscode.l10n.t('{0} is not UTF-8 text.', uri.fsPath));
      return { path: uri.fsPath };
    },
    clock,
    signal,
  );
}

/**
 * The outline of one version of the document `key`, made by its worker and received in parts;
 * with `earlier` (the outline the tree holds), only the entities that changed travel.
 */
async function outlineFromWorker(
  documents: MetadataDocuments,
  key: string,
  document: { readonly version: number; readonly length: number },
  source: (needsText?: boolean, heldVersion?: number) => HostDocumentSource,
  clock: Clock | undefined,
  signal: AbortSignal | undefined,
  earlier?: HeldOutline,
): Promise<LoadResult> {
  const assembler = new OutlineAssembler(earlier);
  await documents.ask(
    key,
    document,
    source,
    { type: 'outline', now: clock?.now.getTime(), warnDays: clock?.warnDays, since: earlier?.version },
    (json) => assembler.add(json),
    signal,
  );
  const received = assembler.result();
  return received ? { kind: 'outline', ...received, version: document.version } : { kind: 'not-metadata' };
}

/** The positions of `offsets` in a file read from disk, from the worker that read it. */
export async function positionsOnDisk(
  uri: vscode.Uri,
  documents: MetadataDocuments,
  offsets: readonly number[],
): Promise<vscode.Position[]> {
  const version = diskVersions.get(diskKey(uri))?.version;
  if (version === undefined) throw new Error(`${uri.fsPath} has not been read`);
  let answer: { line: number; character: number }[] = [];
  await documents.ask(
    diskKey(uri),
    { version, length: 0 },
    () => ({ path: uri.fsPath }),
    { type: 'positions', offsets },
    (json) => (answer = JSON.parse(json) as typeof answer),
  );
  return answer.map((position) => new vscode.Position(position.line, position.character));
}
