// The active editor's metadata signature status in the status bar: shown for signed metadata only
// (the tree's root says "unsigned" for the rest), with the full explanation in the tooltip.
import * as vscode from 'vscode';
import type { MetadataSignatureStatus } from '../../core/metadata/signature';
import { log } from '../../log';
import { SIGNATURE_ICONS, signatureStateLabel } from './labels';
import type { MetadataSignatures } from './service';

export interface SignatureStatusBar extends vscode.Disposable {
  /** Shows `status` for `document` when it is the active editor's; undefined hides the item. */
  show(document: vscode.TextDocument, status: MetadataSignatureStatus | undefined): void;
  /** The item's text, or undefined while it is hidden. */
  current(): string | undefined;
}

export function registerSignatureStatusBar(service: MetadataSignatures): SignatureStatusBar {
  const item = vscode.window.createStatusBarItem('samlLens.metadataSignature', vscode.StatusBarAlignment.Left, 49);
  item.name = vscode.l10n.t('SAML Lens Metadata Signature');
  let text: string | undefined;

  const show = (document: vscode.TextDocument, status: MetadataSignatureStatus | undefined) => {
    if (vscode.window.activeTextEditor?.document !== document) return;
    if (!status || status.state === 'unsigned') {
      text = undefined;
      item.hide();
      return;
    }
    text = `$(${SIGNATURE_ICONS[status.state].id}) ${vscode.l10n.t('Metadata: {0}', signatureStateLabel(status.state))}`;
    item.text = text;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(status.message);
    for (const line of [...status.reasons.map((r) => r.message), ...status.warnings])
      tooltip.appendMarkdown('\n\n- ').appendText(line);
    item.tooltip = tooltip;
    item.backgroundColor =
      status.state === 'broken' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };

  const followEditor = async (editor: vscode.TextEditor | undefined) => {
    if (!editor || editor.document.languageId !== 'xml') {
      text = undefined;
      item.hide();
      return;
    }
    try {
      const { answer } = await service.statuses(editor.document);
      show(editor.document, answer.ok ? answer.root : undefined);
    } catch (error) {
      log().error(`Metadata signature status bar: ${(error as Error).message}`);
    }
  };
  void followEditor(vscode.window.activeTextEditor);
  const disposable = vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor((editor) => void followEditor(editor)),
  );
  return Object.assign(disposable, { show, current: () => text });
}
