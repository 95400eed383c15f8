/**
 * Where the tree's text comes from and how it becomes an outline: the active editor's document,
 * or — for files too large for VS Code to hand to extensions — the file read from disk.
 * Small texts parse in the extension host; large ones in the metadata worker so the host stays responsive.
 */
import * as vscode from 'vscode';
import { parseMetadata } from '../../core/metadata/parse';
import { parseMetadataInWorker } from '../../core/metadata/worker';
import { stripBom } from '../../core/xml/lineIndex';
import { CERTIFICATE_SCHEME } from './certificates';
import { outlineFromModel } from './fromModel';
import type { MetadataOutline } from './outline';

export type TreeSource =
  | { readonly kind: 'document'; readonly document: vscode.TextDocument }
  /** An open editor whose document VS Code does not share with extensions (over ~50 MB). */
  | { readonly kind: 'disk'; readonly uri: vscode.Uri };

/** Texts larger than this parse in the worker. */
export const WORKER_THRESHOLD = 512 * 1024;

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
    return IGNORED_SCHEMES.has(editor.document.uri.scheme) ? undefined : { kind: 'document', document: editor.document };
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

/** Cheap test before parsing: metadata always names one of these two elements. */
export function looksLikeMetadata(text: string): boolean {
  return text.includes('EntityDescriptor') || text.includes('EntitiesDescriptor');
}

export type LoadResult =
  | { readonly kind: 'not-metadata'; readonly text: string }
  | { readonly kind: 'outline'; readonly text: string; readonly outline: MetadataOutline };

export async function readSourceText(source: TreeSource): Promise<string> {
  if (source.kind === 'document') return source.document.getText();
  const bytes = await vscode.workspace.fs.readFile(source.uri);
  // The editor drops a byte order mark, so offsets must be counted without it too.
  return stripBom(new TextDecoder('utf-8').decode(bytes));
}

/** Aborting `signal` stops a worker parse at once (a newer text replaced this one). */
export async function loadOutline(source: TreeSource, workerPath: string, signal?: AbortSignal): Promise<LoadResult> {
  const text = await readSourceText(source);
  if (!looksLikeMetadata(text)) return { kind: 'not-metadata', text };
  const result = text.length > WORKER_THRESHOLD ? await parseMetadataInWorker(text, workerPath, { signal }) : parseMetadata(text);
  if (!result.ok) {
    return {
      kind: 'outline',
      text,
      outline: { entities: [], unknown: [], error: { message: result.error.message, offset: result.error.offset } },
    };
  }
  return { kind: 'outline', text, outline: outlineFromModel(result.model) };
}
