/**
 * "SAML: Refresh Metadata from Source": downloads a metadata file's configured source
 * (samlLens.metadata.sources), checks its signature against the pinned signer, shows the semantic
 * diff with the file, and writes only after the person accepts. Nothing is written on any failure.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../ids';
import { log } from '../../log';
import { abortSignalFor } from '../cancellation';
import type { ShowDiffDocument } from '../metadataDiff';
import { readSigner, signersFor } from '../metadataSignatures/signers';
import { describeUri } from '../settingFiles';
import type { MetadataSourceEntry } from './headless/sources';
import { proxyFor } from './headless/proxy';
import { planRefresh, type RefreshStep } from './headless/refresh';
import { configuredSources, filesOf, SOURCES_SETTING, sourceFor } from './sources';

export interface RefreshArguments {
  /** The file to refresh; it must have a source in samlLens.metadata.sources. */
  readonly file: vscode.Uri;
}

export interface RefreshOutcome {
  readonly written: boolean;
  /** Where it stopped, when nothing was written. */
  readonly step?: RefreshStep | 'source' | 'declined' | 'write';
  readonly message: string;
}

interface Target {
  readonly document: vscode.TextDocument;
  readonly source: MetadataSourceEntry;
}

async function pickTarget(): Promise<Target | RefreshOutcome | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const activeSource = active && sourceFor(active);
  if (active && activeSource) return { document: active, source: activeSource };
  const { sources, problems } = configuredSources();
  for (const problem of problems) log().warn(problem);
  const items: (vscode.QuickPickItem & { uri: vscode.Uri; source: MetadataSourceEntry })[] = [];
  for (const source of sources)
    for (const uri of await filesOf(source))
      items.push({ label: describeUri(uri), description: source.url, uri, source });
  if (items.length === 0)
    return {
      written: false,
      step: 'source',
      message:
        problems[0] ??
        vscode.l10n.t('No metadata file has a source: add an entry with "file" and "url" to {0}.', SOURCES_SETTING),
    };
  const picked =
    items.length === 1
      ? items[0]
      : await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Refresh which metadata file?') });
  return picked && { document: await vscode.workspace.openTextDocument(picked.uri), source: picked.source };
}

function stepMessage(step: RefreshStep, file: string, message: string): string {
  switch (step) {
    case 'download':
      return vscode.l10n.t('{0} was not refreshed: the download failed. {1}', file, message);
    case 'parse':
      return vscode.l10n.t('{0} was not refreshed: the downloaded document cannot be read. {1}', file, message);
    case 'signature':
      return vscode.l10n.t('{0} was not refreshed: the signature check failed. {1}', file, message);
  }
}

export function registerMetadataRefresh(showDiff: ShowDiffDocument): vscode.Disposable {
  async function refresh(args?: RefreshArguments): Promise<RefreshOutcome> {
    let target: Target | RefreshOutcome | undefined;
    if (args?.file) {
      const document = await vscode.workspace.openTextDocument(args.file);
      const source = sourceFor(document);
      target = source
        ? { document, source }
        : {
            written: false,
            step: 'source',
            message: vscode.l10n.t('{0} has no source in {1}.', describeUri(args.file), SOURCES_SETTING),
          };
    } else target = await pickTarget();
    if (!target) return { written: false, step: 'declined', message: vscode.l10n.t('Nothing was picked.') };
    if ('written' in target) return target;
    const { document, source } = target;
    const fileName = path.basename(document.uri.path);
    if (document.isDirty)
      return {
        written: false,
        step: 'source',
        message: vscode.l10n.t('{0} has unsaved changes: save or revert them before refreshing it.', fileName),
      };
    const resolved = await signersFor(document, source.url);
    const signers = [...resolved.signers];
    if (source.signer) {
      const read = await readSigner(source.signer, `${SOURCES_SETTING} for ${source.url}`);
      if (!read.ok)
        return {
          written: false,
          step: 'signature',
          message: vscode.l10n.t(
            '{0} was not refreshed: its pinned signer cannot be read. {1}',
            fileName,
            read.message,
          ),
        };
      signers.push(read.signer);
    }
    for (const problem of resolved.problems) log().warn(problem);
    const plan = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Downloading {0}', source.url),
        cancellable: true,
      },
      (progress, token) =>
        planRefresh({
          url: source.url,
          currentText: document.getText(),
          fileName,
          signers,
          now: new Date(),
          download: {
            signal: abortSignalFor(token),
            proxyFor: (url) => {
              const settings = vscode.workspace.getConfiguration('http');
              return proxyFor(url, {
                proxySupport: settings.get<string>('proxySupport'),
                proxy: settings.get<string>('proxy'),
                noProxy: settings.get<string[]>('noProxy'),
                env: process.env,
              });
            },
            onProgress: ({ bytes }) => progress.report({ message: vscode.l10n.t('{0} KB', Math.round(bytes / 1024)) }),
          },
        }),
    );
    if (!plan.ok) return { written: false, step: plan.step, message: stepMessage(plan.step, fileName, plan.message) };
    if (plan.unchanged)
      return {
        written: false,
        message: vscode.l10n.t('{0} is already what {1} publishes. {2}', fileName, plan.url, plan.signatureNote),
      };
    await showDiff(`${fileName} → ${fileName} (downloaded)`, plan.diffText);
    const replace = vscode.l10n.t('Replace');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Replace {0} with the downloaded metadata?', fileName),
      { modal: true, detail: plan.summary },
      replace,
    );
    if (answer !== replace)
      return { written: false, step: 'declined', message: vscode.l10n.t('{0} was left as it was.', fileName) };
    try {
      await vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode(plan.text));
    } catch (error) {
      return {
        written: false,
        step: 'write',
        message: vscode.l10n.t(
          '{0} could not be written: {1}',
          fileName,
          error instanceof Error ? error.message : String(error),
        ),
      };
    }
    return {
      written: true,
      message: vscode.l10n.t('{0} was replaced with the metadata from {1}.', fileName, plan.url),
    };
  }

  return vscode.commands.registerCommand(CommandId.RefreshMetadataFromSource, async (args?: RefreshArguments) => {
    const outcome = await refresh(args);
    log().info(`Refresh metadata: ${outcome.message}`);
    if (outcome.written) void vscode.window.showInformationMessage(outcome.message);
    else if (outcome.step && outcome.step !== 'declined') void vscode.window.showErrorMessage(outcome.message);
    else void vscode.window.showInformationMessage(outcome.message);
    return outcome;
  });
}
