/**
 * The "SAML Metadata" view: the entities, roles, keys and endpoints of the metadata in the active
 * editor. It follows the active editor, refreshes while typing, reveals nodes as the cursor moves,
 * and offers copy/save/details commands on its nodes.
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, CommandId, SettingKey, ViewId } from '../../ids';
import { log } from '../../log';
import {
  CERTIFICATE_SCHEME,
  CertificateDocumentProvider,
  certificateFileStem,
  certificateUri,
  compactBase64,
  pemOf,
} from './certificates';
import { type TreeSource, currentSource, sameSource, sourceUri } from './load';
import { EndpointNode, EntityNode, type MetadataNode, carriesCertificate } from './nodes';
import { ROLE_WORDS, parseFilter } from './headless/outline';
import { MetadataTreeProvider, type TreeState } from './provider';
import type { MetadataTreeView } from './view';

/** Edits are parsed again after this quiet period. */
export const EDIT_DEBOUNCE_MS = 300;
/** The cursor's node is revealed after this quiet period, so arrow-key repeats do not flood the view. */
const CURSOR_DEBOUNCE_MS = 150;

/** Context key the welcome view reads: "empty", "not-metadata" or "outline". */
const STATE_CONTEXT_KEY = 'samlLens.metadataTree.state';

/** What tests (and other extensions) can reach through the extension's API. */
export interface MetadataTreeApi {
  readonly provider: MetadataTreeProvider;
  readonly treeView: vscode.TreeView<MetadataNode>;
  /** Resolves once no edit is waiting to be parsed, no load is running and the filter is applied. */
  whenSettled(): Promise<void>;
  /** Pins "now" for certificate states and counts. */
  setClock(now: () => Date): void;
  /** Applies a filter as the filter command would; returns the error message for a bad filter. */
  setFilter(text: string): string | undefined;
  /** Selects a node's element in the editor, as clicking the node does. */
  revealInEditor(node: MetadataNode): Promise<void>;
}

class MetadataTreeController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private editTimer: NodeJS.Timeout | undefined;
  private cursorTimer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private filterShown: Promise<void> = Promise.resolve();
  private source: TreeSource | undefined;
  /** Set while the view is hidden and the editor or its text changed: parse when it shows again. */
  private stale = true;
  /** The selection we set ourselves, so that following the cursor does not jump back. */
  private ownSelection: vscode.Selection | undefined;

  constructor(
    readonly provider: MetadataTreeProvider,
    readonly treeView: vscode.TreeView<MetadataNode>,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.follow()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.follow()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (
          this.source?.kind === 'document' &&
          event.document === this.source.document &&
          event.contentChanges.length > 0
        ) {
          if (this.treeView.visible) this.scheduleReload();
          else this.stale = true;
        }
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.source?.kind === 'document' && document === this.source.document) this.follow();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => this.onSelectionChanged(event)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${CONFIG_SECTION}.${SettingKey.CertificatesExpiryWarningDays}`)) {
          this.provider.recount();
          this.updateViewText();
        }
      }),
      treeView.onDidChangeVisibility((event) => {
        if (event.visible) this.follow();
      }),
    );
    this.follow();
  }

  /** A filter being worked out in slices; the view's text follows it. */
  filtering(shown: Promise<void>): void {
    this.filterShown = shown.catch((error: unknown) =>
      log().error(`Metadata tree: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
  }

  async whenSettled(): Promise<void> {
    for (;;) {
      await this.filterShown;
      if (this.editTimer) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const pending = this.pending;
      await pending;
      // Settled only if no edit arrived and no other load started while waiting.
      if (!this.editTimer && pending === this.pending) return;
    }
  }

  /**
   * Shows the metadata of the active editor, or the welcome view when there is none.
   * Nothing is parsed while the view is hidden; it catches up when it becomes visible.
   */
  private follow(): void {
    if (!this.treeView.visible) {
      this.stale = true;
      return;
    }
    const wasStale = this.stale;
    this.stale = false;
    const next = currentSource();
    if (!next) {
      // Focus moved to a panel, a webview or nothing: keep what is shown unless its editor is gone.
      if (this.source && !this.isStillOpen(this.source)) this.show(undefined);
      return;
    }
    if (!wasStale && sameSource(next, this.source)) return;
    this.show(next);
  }

  private isStillOpen(source: TreeSource): boolean {
    const key = sourceUri(source).toString();
    return vscode.window.tabGroups.all.some((group) =>
      group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key),
    );
  }

  private show(source: TreeSource | undefined): void {
    this.source = source;
    clearTimeout(this.editTimer);
    this.editTimer = undefined;
    if (!source) {
      this.provider.clear();
      this.updateViewText();
      return;
    }
    this.reload();
  }

  /** Reads and parses the source again (a file read from disk may have changed there). */
  refreshFromSource(): Promise<void> {
    this.stale = true;
    this.follow();
    return this.whenSettled();
  }

  private scheduleReload(): void {
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      this.editTimer = undefined;
      this.reload();
    }, EDIT_DEBOUNCE_MS);
  }

  private reload(): void {
    const source = this.source;
    if (!source) return;
    const load = vscode.window.withProgress({ location: { viewId: ViewId.MetadataTree } }, () =>
      this.provider.load(source),
    );
    this.pending = Promise.resolve(load).then(
      () => this.updateViewText(),
      (error: unknown) =>
        log().error(`Metadata tree: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
  }

  /** Counts in the description; filter and "read from disk" notes in the message; the welcome state. */
  updateViewText(): void {
    const state: TreeState = this.provider.current;
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, state.kind);
    if (state.kind !== 'outline') {
      this.treeView.description = undefined;
      this.treeView.message = undefined;
      return;
    }
    const counts = state.counts;
    const number = (n: number) => n.toLocaleString(vscode.env.language);
    const parts = [
      vscode.l10n.t('{0} entities', number(counts.entities)),
      counts.idps === 1 ? vscode.l10n.t('1 IdP') : vscode.l10n.t('{0} IdPs', number(counts.idps)),
      counts.sps === 1 ? vscode.l10n.t('1 SP') : vscode.l10n.t('{0} SPs', number(counts.sps)),
    ];
    if (counts.entities === 1) parts.splice(0, 3, vscode.l10n.t('1 entity'));
    const warnDays = this.provider.warnDays();
    if (counts.expiring === 1) parts.push(vscode.l10n.t('1 certificate expires within {0} days', warnDays));
    if (counts.expiring > 1)
      parts.push(vscode.l10n.t('{0} certificates expire within {1} days', counts.expiring, warnDays));
    if (counts.expired === 1) parts.push(vscode.l10n.t('1 expired certificate'));
    if (counts.expired > 1) parts.push(vscode.l10n.t('{0} expired certificates', counts.expired));
    this.treeView.description = state.outline.error ? vscode.l10n.t('not well-formed') : parts.join(' · ');

    const notes: string[] = [];
    if (state.source.kind === 'disk')
      notes.push(vscode.l10n.t('Read from disk: the file is too large for the editor to share with extensions.'));
    const filter = this.provider.activeFilter;
    if (filter) {
      notes.push(
        vscode.l10n.t(
          'Filter "{0}": {1} of {2} entities.',
          filter.text,
          this.provider.visibleEntityCount(),
          counts.entities,
        ),
      );
    }
    this.treeView.message = notes.length ? notes.join(' ') : undefined;
  }

  private onSelectionChanged(event: vscode.TextEditorSelectionChangeEvent): void {
    if (
      !this.treeView.visible ||
      this.source?.kind !== 'document' ||
      event.textEditor.document !== this.source.document
    )
      return;
    const selection = event.selections[0];
    if (this.ownSelection && selection.isEqual(this.ownSelection)) return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const node = this.provider.nodeAt(event.textEditor.document.offsetAt(selection.active));
      if (node)
        void this.treeView.reveal(node, { select: true, focus: false, expand: false }).then(undefined, () => undefined);
    }, CURSOR_DEBOUNCE_MS);
  }

  async revealInEditor(node: MetadataNode): Promise<void> {
    const range = await this.provider.rangeOf(node);
    const state = this.provider.current;
    if (!range || state.kind !== 'outline') return;
    // Anchor at the end and put the cursor on the `<`, so the editor scrolls to the start tag.
    const selection = new vscode.Selection(range.end, range.start);
    if (state.source.kind === 'disk') {
      // The document is not available to extensions; the workbench can still open it at a place.
      await vscode.commands.executeCommand('vscode.open', state.source.uri, {
        selection: new vscode.Range(range.start, range.end),
      });
      return;
    }
    const document = state.source.document;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    // Focus stays in the tree, so the keyboard can keep walking the nodes.
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn,
      preserveFocus: true,
    });
    this.ownSelection = selection;
    editor.selection = selection;
    editor.revealRange(
      new vscode.Range(range.start, range.start),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    clearTimeout(this.cursorTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function nodeArgument(node: unknown, treeView: vscode.TreeView<MetadataNode>): MetadataNode | undefined {
  // From a context menu the node is passed; from the palette, fall back to the tree's selection.
  return (node as MetadataNode | undefined) ?? treeView.selection[0];
}

async function copy(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', what), 3000);
}

function registerNodeCommands(controller: MetadataTreeController, now: () => Date): vscode.Disposable {
  const { treeView } = controller;
  const certificateOf = (node: unknown) => {
    const target = nodeArgument(node, treeView);
    if (carriesCertificate(target)) return target.certificate.base64;
    void vscode.window.showErrorMessage(vscode.l10n.t('Select a key or certificate in the SAML Metadata view first.'));
    return undefined;
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(CERTIFICATE_SCHEME, new CertificateDocumentProvider(now)),
    vscode.commands.registerCommand(CommandId.MetadataTreeRevealInEditor, (node: MetadataNode) =>
      controller.revealInEditor(node),
    ),
    vscode.commands.registerCommand(CommandId.MetadataTreeCopyEntityId, async (node: unknown) => {
      const target = nodeArgument(node, treeView);
      if (target instanceof EntityNode) await copy(target.entity.entityID, vscode.l10n.t('entityID'));
      else void vscode.window.showErrorMessage(vscode.l10n.t('Select an entity in the SAML Metadata view first.'));
    }),
    vscode.commands.registerCommand(CommandId.MetadataTreeCopyLocation, async (node: unknown) => {
      const target = nodeArgument(node, treeView);
      if (target instanceof EndpointNode) await copy(target.endpoint.location, vscode.l10n.t('Location'));
      else void vscode.window.showErrorMessage(vscode.l10n.t('Select an endpoint in the SAML Metadata view first.'));
    }),
    vscode.commands.registerCommand(CommandId.MetadataTreeCopyCertificatePem, async (node: unknown) => {
      const base64 = certificateOf(node);
      if (base64) await copy(pemOf(base64), vscode.l10n.t('certificate (PEM)'));
    }),
    vscode.commands.registerCommand(CommandId.MetadataTreeSaveCertificate, async (node: unknown) => {
      const base64 = certificateOf(node);
      if (!base64) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const stem = certificateFileStem(base64);
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, `${stem}.pem`) : undefined,
        filters: {
          [vscode.l10n.t('PEM certificate')]: ['pem', 'crt'],
          [vscode.l10n.t('DER certificate')]: ['cer', 'der'],
        },
        title: vscode.l10n.t('Save Certificate'),
      });
      if (!target) return;
      // .cer/.der hold the binary DER (what Windows and most IdP admin pages expect); the rest PEM text.
      const binary = /\.(cer|der)$/i.test(target.path);
      const bytes = binary ? Buffer.from(compactBase64(base64), 'base64') : Buffer.from(pemOf(base64), 'utf8');
      await vscode.workspace.fs.writeFile(target, bytes);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target)), 3000);
    }),
    vscode.commands.registerCommand(CommandId.MetadataTreeShowCertificateDetails, async (node: unknown) => {
      const base64 = certificateOf(node);
      if (!base64) return;
      const uri = certificateUri(base64, 'details');
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        // Without the built-in markdown extension, the markdown source is still readable.
        await vscode.window.showTextDocument(uri, { preview: true });
      }
    }),
    vscode.commands.registerCommand(CommandId.MetadataTreeOpenCertificate, async (node: unknown) => {
      const base64 = certificateOf(node);
      if (base64) await vscode.window.showTextDocument(certificateUri(base64, 'pem'), { preview: true });
    }),
  );
}

function filterError(parsed: { error: 'role' | 'cert'; value: string }): string {
  return parsed.error === 'role'
    ? vscode.l10n.t(
        'Unknown role "{0}". Use one of: {1}.',
        parsed.value,
        Object.keys(ROLE_WORDS)
          .map((r) => `role:${r}`)
          .join(', '),
      )
    : vscode.l10n.t('Unknown certificate filter "{0}". Use cert:expiring or cert:expired.', parsed.value);
}

/** Takes over `view` (created by activate(), see ./view.ts) with the tree's provider, controller and commands. */
export function registerMetadataTree(
  context: vscode.ExtensionContext,
  view: MetadataTreeView,
  expose: (api: MetadataTreeApi) => void,
): vscode.Disposable {
  const provider = new MetadataTreeProvider(context.asAbsolutePath('dist/metadataWorker.js'));
  const treeView = view.treeView;
  view.attach(provider);
  const controller = new MetadataTreeController(provider, treeView);
  const now = () => provider.now();

  const applyFilter = (text: string): string | undefined => {
    const parsed = parseFilter(text);
    if ('error' in parsed) return filterError(parsed);
    const shown = () => {
      controller.updateViewText();
      void vscode.commands.executeCommand(
        'setContext',
        'samlLens.metadataTree.filtered',
        provider.activeFilter !== undefined,
      );
    };
    const filtering = provider.setFilter(parsed.filter);
    if (filtering) controller.filtering(filtering.then(shown));
    else shown();
    return undefined;
  };

  expose({
    provider,
    treeView,
    whenSettled: () => controller.whenSettled(),
    setClock: (clock) => {
      provider.setClock(clock);
      controller.updateViewText();
    },
    setFilter: applyFilter,
    revealInEditor: (node) => controller.revealInEditor(node),
  });

  return vscode.Disposable.from(
    provider,
    controller,
    registerNodeCommands(controller, now),
    vscode.commands.registerCommand(CommandId.MetadataTreeRefresh, () => controller.refreshFromSource()),
    vscode.commands.registerCommand(CommandId.MetadataTreeFilter, async () => {
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter SAML Metadata'),
        value: provider.activeFilter?.text ?? '',
        prompt: vscode.l10n.t(
          'Words match the entityID or display name; role:idp, role:sp, role:aa, role:sts narrow by role; cert:expiring and cert:expired by certificate.',
        ),
        placeHolder: vscode.l10n.t('e.g. contoso role:idp cert:expiring'),
        validateInput: (value) => {
          const parsed = parseFilter(value);
          return 'error' in parsed ? filterError(parsed) : undefined;
        },
      });
      if (text !== undefined) applyFilter(text);
    }),
    vscode.commands.registerCommand(CommandId.MetadataTreeClearFilter, () => applyFilter('')),
  );
}
