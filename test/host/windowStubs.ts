import * as vscode from 'vscode';

export type AnyFunction = (...args: any[]) => any;

/** Replaces vscode.window functions for one test; `restore()` puts the real ones back. */
export class WindowStubs {
  private readonly originals = new Map<string, AnyFunction>();

  protected replace(name: keyof typeof vscode.window, stub: AnyFunction): void {
    const window = vscode.window as unknown as Record<string, AnyFunction>;
    if (!this.originals.has(name)) this.originals.set(name, window[name]);
    window[name] = stub;
  }

  restore(): void {
    const window = vscode.window as unknown as Record<string, AnyFunction>;
    for (const [name, original] of this.originals) window[name] = original;
  }
}
