import * as vscode from 'vscode';
import { ViewId } from '../../ids';
import type { MetadataNode } from './nodes';

/**
 * The "SAML Metadata" view as activate() creates it: VS Code asks for its children only once the
 * view is shown, and only then is the tree's implementation loaded (its provider is attached to
 * this one, which forwards every call to it).
 */
export class DeferredTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private target: vscode.TreeDataProvider<T> | undefined;
  private forwarding: vscode.Disposable | undefined;

  constructor(private readonly load: () => void) {}

  attach(target: vscode.TreeDataProvider<T>): void {
    this.forwarding?.dispose();
    this.target = target;
    this.forwarding = target.onDidChangeTreeData?.((change) => this.changed.fire(change));
    this.changed.fire();
  }

  private provider(): vscode.TreeDataProvider<T> {
    if (!this.target) this.load();
    if (!this.target) throw new Error('the SAML Metadata tree did not attach its provider');
    return this.target;
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.provider().getTreeItem(element);
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.provider().getChildren(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.provider().getParent?.(element);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}

/** The view and its stand-in provider, for the tree's implementation to take over. */
export interface MetadataTreeView {
  readonly treeView: vscode.TreeView<MetadataNode>;
  attach(provider: vscode.TreeDataProvider<MetadataNode>): void;
}

/** Creates the view; `load` loads the tree's implementation, which calls `attach`. */
export function createMetadataTreeView(load: () => void): MetadataTreeView & vscode.Disposable {
  const deferred = new DeferredTreeDataProvider<MetadataNode>(load);
  const treeView = vscode.window.createTreeView(ViewId.MetadataTree, {
    treeDataProvider: deferred,
    showCollapseAll: true,
  });
  return {
    treeView,
    attach: (provider) => deferred.attach(provider),
    dispose: () => {
      treeView.dispose();
      deferred.dispose();
    },
  };
}
