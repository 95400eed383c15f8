/**
 * The SAML Flow view: one row per message of the capture (time, direction, binding, type, verdict),
 * and under each the flow's findings about it and the validator's checks that did not pass.
 */
import * as vscode from 'vscode';
import type { FlowSummary, FlowSummaryMessage } from '../../core/flow/flow';
import { CommandId } from '../../ids';

export interface FlowRow {
  readonly label: string;
  readonly description: string;
  readonly children: readonly FlowRow[];
}

type Node =
  | { readonly kind: 'message'; readonly message: FlowSummaryMessage }
  | { readonly kind: 'finding'; readonly label: string; readonly detail: string; readonly severity: string }
  | { readonly kind: 'summary'; readonly label: string; readonly detail: string };

const BINDING = { redirect: 'Redirect', post: 'POST', simplesign: 'SimpleSign', artifact: 'Artifact' } as const;

function verdictText(verdict: string | undefined): string {
  if (verdict === 'valid') return vscode.l10n.t('valid');
  if (verdict === 'invalid') return vscode.l10n.t('invalid');
  if (verdict === 'not-verifiable') return vscode.l10n.t('not verifiable');
  return vscode.l10n.t('not validated');
}

function messageLabel(m: FlowSummaryMessage): string {
  const time = m.time ? m.time.slice(11, 19) : '—';
  const direction = m.direction === 'to-idp' ? '→ IdP' : m.direction === 'to-sp' ? '→ SP' : '→ ?';
  const type = m.messageType ?? (m.binding === 'artifact' ? 'SAMLart' : m.parameter);
  return `${time}  ${direction}  ${BINDING[m.binding]}  ${type}`;
}

const ICONS: Record<string, vscode.ThemeIcon> = {
  valid: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  invalid: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  'not-verifiable': new vscode.ThemeIcon('question', new vscode.ThemeColor('testing.iconQueued')),
  error: new vscode.ThemeIcon('error'),
  warning: new vscode.ThemeIcon('warning'),
  fail: new vscode.ThemeIcon('error'),
  warn: new vscode.ThemeIcon('warning'),
  'not-checked': new vscode.ThemeIcon('question'),
  info: new vscode.ThemeIcon('info'),
};

export class FlowTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  flow: FlowSummary | undefined;
  captureUri: vscode.Uri | undefined;

  show(flow: FlowSummary, uri: vscode.Uri): void {
    this.flow = flow;
    this.captureUri = uri;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The message a command argument (a row) stands for. */
  messageOf(node: unknown): FlowSummaryMessage | undefined {
    const candidate = node as Node | undefined;
    return candidate?.kind === 'message' ? candidate.message : undefined;
  }

  getChildren(node?: Node): Node[] {
    const flow = this.flow;
    if (!flow) return [];
    if (!node) {
      const kinds = [...new Set(flow.initiation)].join(', ');
      const clock = flow.clock
        ? vscode.l10n.t(
            'IdP clock {0} s from the capture (allowed {1} s)',
            flow.clock.offsetSeconds,
            flow.clock.allowedSkewSeconds,
          )
        : vscode.l10n.t('no capture times');
      const general = flow.findings.filter((f) => f.messageIndex === undefined);
      return [
        { kind: 'summary', label: verdictText(flow.verdict), detail: [kinds, clock].filter(Boolean).join(' · ') },
        ...flow.messages.map((message): Node => ({ kind: 'message', message })),
        ...general.map((f): Node => ({ kind: 'finding', label: f.message, detail: f.code, severity: f.severity })),
        ...flow.notes.map((n): Node => ({ kind: 'finding', label: n.message, detail: '', severity: 'info' })),
      ];
    }
    if (node.kind !== 'message') return [];
    const m = node.message;
    return [
      ...flow.findings
        .filter((f) => f.messageIndex === m.index)
        .map((f): Node => ({ kind: 'finding', label: f.message, detail: f.code, severity: f.severity })),
      ...(m.decodeError
        ? [{ kind: 'finding', label: m.decodeError.message, detail: m.decodeError.code, severity: 'error' } as Node]
        : []),
      ...m.findings.map((f): Node => ({
        kind: 'finding',
        label: `${f.title}: ${f.message}`,
        detail: f.code,
        severity: f.status,
      })),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') {
      const m = node.message;
      const item = new vscode.TreeItem(
        messageLabel(m),
        this.getChildren(node).length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      item.description = [
        verdictText(m.verdict),
        m.id,
        m.answers !== undefined ? vscode.l10n.t('answers #{0}', m.answers + 1) : '',
      ]
        .filter(Boolean)
        .join(' · ');
      item.tooltip = [
        m.url,
        m.issuer && `Issuer: ${m.issuer}`,
        m.relayState !== undefined && `RelayState: ${m.relayState}`,
      ]
        .filter(Boolean)
        .join('\n');
      item.iconPath = ICONS[m.verdict ?? 'info'];
      item.contextValue = 'samlFlowMessage';
      item.command = {
        command: CommandId.FlowOpenMessage,
        title: vscode.l10n.t('Open in the decode panel'),
        arguments: [node],
      };
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.description = node.detail;
    item.tooltip = node.label;
    item.iconPath = node.kind === 'summary' ? ICONS[this.flow?.verdict ?? 'info'] : ICONS[node.severity];
    return item;
  }

  /** The rows as the view shows them (for tests). */
  rows(): FlowRow[] {
    const toRow = (node: Node): FlowRow => {
      const item = this.getTreeItem(node);
      return {
        label: String(item.label),
        description: String(item.description ?? ''),
        children: this.getChildren(node).map(toRow),
      };
    };
    return this.getChildren().map(toRow);
  }
}
