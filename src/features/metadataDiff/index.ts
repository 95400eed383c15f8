/**
 * "SAML: Compare Metadata": the semantic diff (core/metadata/diff.ts) of the metadata in the active
 * editor against another file or its last committed version, shown as a read-only Markdown document.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMetadata, type MetadataModel } from '../../core/metadata';
import { diffMetadata, formatMetadataDiff } from '../../core/metadata/diff';
import { CommandId } from '../../ids';
import { committedText } from './headless/committed';

export const DIFF_SCHEME = 'saml-lens-diff';

/** What to compare: `old` is a file or "HEAD" (the last committed version of `new`). */
export interface CompareArguments {
  readonly old: vscode.Uri | 'HEAD';
  readonly new: vscode.Uri;
}

type Read = { ok: true; model: MetadataModel } | { ok: false; message: string };

function readModel(text: string, name: string): Read {
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: vscode.l10n.t('{0} cannot be read: {1}', name, parsed.error.message) };
  if (parsed.model.entities.length === 0)
    return { ok: false, message: vscode.l10n.t('{0} holds no EntityDescriptor: it is not SAML metadata.', name) };
  return { ok: true, model: parsed.model };
}

async function textOf(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

/** Asks what to compare the active editor's metadata with; undefined when cancelled. */
async function askArguments(): Promise<CompareArguments | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Open the metadata to compare first: there is no active editor.'),
    );
    return undefined;
  }
  const headLabel = vscode.l10n.t('Its last committed version (git show HEAD)');
  const fileLabel = vscode.l10n.t('Another metadata file…');
  const picked = await vscode.window.showQuickPick(
    document.uri.scheme === 'file' ? [headLabel, fileLabel] : [fileLabel],
    {
      placeHolder: vscode.l10n.t('Compare {0} with…', path.basename(document.uri.path)),
    },
  );
  if (!picked) return undefined;
  if (picked === headLabel) return { old: 'HEAD', new: document.uri };
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Compare'),
    title: vscode.l10n.t('The older metadata file'),
    filters: { XML: ['xml'] },
  });
  return files?.[0] ? { old: files[0], new: document.uri } : undefined;
}

/** Shows Markdown as a read-only diff document; returns its URI. */
export type ShowDiffDocument = (title: string, markdown: string) => Promise<vscode.Uri>;

export function registerMetadataDiff(): vscode.Disposable & { show: ShowDiffDocument } {
  const documents = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let count = 0;
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? '',
  };

  /** Runs the comparison; returns the diff document's URI, or undefined after telling the user why not. */
  async function compare(given?: CompareArguments): Promise<vscode.Uri | undefined> {
    const args = given ?? (await askArguments());
    if (!args) return undefined;
    const newName = path.basename(args.new.path);
    let oldText: string;
    let oldName: string;
    if (args.old === 'HEAD') {
      const committed = await committedText(args.new.fsPath);
      if (!committed.ok) {
        void vscode.window.showErrorMessage(committed.message);
        return undefined;
      }
      oldText = committed.text;
      oldName = `${newName} (HEAD)`;
    } else {
      oldText = await textOf(args.old);
      oldName = path.basename(args.old.path);
    }
    const before = readModel(oldText, oldName);
    const after = readModel(await textOf(args.new), newName);
    for (const read of [before, after])
      if (!read.ok) {
        void vscode.window.showErrorMessage(read.message);
        return undefined;
      }
    if (!before.ok || !after.ok) return undefined;
    const diff = diffMetadata(before.model, after.model, { now: new Date() });
    return show(`${oldName} → ${newName}`, formatMetadataDiff(diff, { old: oldName, new: newName }));
  }

  async function show(title: string, markdown: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${++count}/${title}.md` });
    documents.set(uri.toString(), markdown);
    // The ".md" name makes it a Markdown document; the scheme's documents are read-only.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    return uri;
  }

  const disposable = vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, provider),
    vscode.workspace.onDidCloseTextDocument((document) => documents.delete(document.uri.toString())),
    vscode.commands.registerCommand(CommandId.CompareMetadata, (args?: CompareArguments) => compare(args)),
  );
  return Object.assign(disposable, { show });
}
