/**
 * The host side of the decode panel: one WebviewPanel, reused for each decoded message. The page
 * is rebuilt whenever it becomes visible again (no retained context), says "ready", and the host
 * answers with the current state, so nothing lives only in the page.
 */
import * as vscode from 'vscode';
import { log } from '../../log';
import type { HostToPanel, PanelToHost } from '../../shared/protocol';
import { buildPanelHtml } from '../../webview/html';
import { createPanelMessageHandler, type PanelMessageHandlers } from '../../webview/messageHandler';

export const DECODE_PANEL_VIEW_TYPE = 'samlLens.decodePanel';

export type PanelActionHandlers = Omit<PanelMessageHandlers, 'ready' | 'rendered' | 'cspViolation'>;

export type RenderedAck = Extract<PanelToHost, { type: 'rendered' }>;
export type CspViolation = Omit<Extract<PanelToHost, { type: 'cspViolation' }>, 'type'>;

export class DecodePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: HostToPanel | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedAck>();
  /** Fires each time the page has rendered a report. */
  readonly onDidRender = this.renderedEmitter.event;
  private lastAck: RenderedAck | undefined;
  private readonly violations: CspViolation[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: PanelActionHandlers,
  ) {}

  get lastRendered(): RenderedAck | undefined {
    return this.lastAck;
  }

  get cspViolations(): readonly CspViolation[] {
    return this.violations;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Shows `message` in the panel, opening it beside the editor if needed. */
  show(message: HostToPanel, title: string): void {
    this.current = message;
    if (!this.panel) {
      this.panel = this.createPanel(title);
    } else {
      this.panel.title = title;
      this.panel.reveal(undefined, true);
    }
    // A page that has not said "ready" yet gets the state when it does.
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.renderedEmitter.dispose();
  }

  private createPanel(title: string): vscode.WebviewPanel {
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'media', 'webview');
    const panel = vscode.window.createWebviewPanel(
      DECODE_PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [mediaRoot],
        retainContextWhenHidden: false,
      },
    );
    const webview = panel.webview;
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.css')).toString(),
      title: 'SAML message',
    });
    const handle = createPanelMessageHandler(
      {
        ...this.actions,
        ready: () => {
          if (this.current) void webview.postMessage(this.current);
        },
        rendered: (ack) => {
          this.lastAck = ack;
          this.renderedEmitter.fire(ack);
        },
        cspViolation: ({ directive, blockedUri, sample }) => {
          this.violations.push({ directive, blockedUri, sample });
          log().warn(
            `Decode panel: the page's Content-Security-Policy blocked ${blockedUri || 'inline content'} (${directive})`,
          );
        },
      },
      log(),
    );
    const subscriptions = [webview.onDidReceiveMessage(handle)];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      this.panel = undefined;
      this.lastAck = undefined;
    });
    return panel;
  }
}
