/**
 * "SAML: Show Certificate Timeline": the validity of every certificate of the active metadata
 * document on one time line (core/metadata/timeline.ts), in a webview (webview/timelineHtml.ts).
 * Choosing a bar reveals its certificate in the editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMetadata } from '../../core/metadata';
import { certificateTimeline, type CertificateTimeline } from '../../core/metadata/timeline';
import { readConfig } from '../../config';
import { CommandId } from '../../ids';
import { log } from '../../log';
import { buildTimelineHtml, readTimelineMessage } from '../../webview/timelineHtml';
import { parseMetadataInWorker } from '../metadataDocuments/headless/client';
import { WORKER_THRESHOLD } from '../metadataTree/load';

export const TIMELINE_VIEW_TYPE = 'samlLens.certificateTimeline';

export interface TimelineShown {
  readonly panel: vscode.WebviewPanel;
  readonly timeline: CertificateTimeline;
  /** Reveals bar `index` as the page's message does. */
  readonly reveal: (index: number) => Promise<void>;
}

export function registerCertificateTimeline(context: vscode.ExtensionContext): vscode.Disposable {
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'metadataWorker.js').fsPath;

  async function show(uri?: vscode.Uri): Promise<TimelineShown | undefined> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a metadata document first: there is no active editor.'));
      return undefined;
    }
    const name = path.basename(document.uri.path);
    const text = document.getText();
    const parsed = text.length > WORKER_THRESHOLD ? await parseMetadataInWorker(text, workerPath) : parseMetadata(text);
    if (!parsed.ok || parsed.model.entities.length === 0) {
      void vscode.window.showErrorMessage(
        parsed.ok
          ? vscode.l10n.t('{0} holds no EntityDescriptor: it is not SAML metadata.', name)
          : vscode.l10n.t('{0} cannot be read: {1}', name, parsed.error.message),
      );
      return undefined;
    }
    const warnDays = readConfig(document.uri).certificates.expiryWarningDays;
    const timeline = certificateTimeline(parsed.model, text, { now: new Date(), warnDays });
    if (timeline.bars.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no readable certificate.', name));
      return undefined;
    }
    const title = vscode.l10n.t('Certificates of {0}', name);
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [] },
    );
    panel.webview.html = buildTimelineHtml({ timeline, title, warnDays });
    const version = document.version;
    const reveal = async (index: number) => {
      const bar = timeline.bars[index];
      if (document.version !== version) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('{0} changed since the timeline was drawn: run the command again.', name),
        );
        return;
      }
      const range = new vscode.Range(document.positionAt(bar.range.start), document.positionAt(bar.range.end));
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    };
    const subscription = panel.webview.onDidReceiveMessage((message: unknown) => {
      const index = readTimelineMessage(message, timeline.bars.length);
      if (index === undefined)
        log().warn(`Certificate timeline: dropped a message from the page: ${JSON.stringify(message)}`);
      else void reveal(index);
    });
    panel.onDidDispose(() => subscription.dispose());
    return { panel, timeline, reveal };
  }

  return vscode.commands.registerCommand(CommandId.ShowCertificateTimeline, (uri?: vscode.Uri) => show(uri));
}
