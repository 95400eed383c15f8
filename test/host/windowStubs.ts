import * as vscode from 'vscode';

export type AnyFunction = (...args: any[]) => any;

/**
 * Replaces vscode.window functions (and vscode.env.clipboard) for one test; `restore()` puts the
 * real ones back.
 */
export class WindowStubs {
  private readonly originals = new Map<string, AnyFunction>();
  private clipboardDescriptor: PropertyDescriptor | undefined;

  protected replace(name: keyof typeof vscode.window, stub: AnyFunction): void {
    const window = vscode.window as unknown as Record<string, AnyFunction>;
    if (!this.originals.has(name)) this.originals.set(name, window[name]);
    window[name] = stub;
  }

  /** vscode.env is left unfrozen when the extension host runs tests, so its clipboard can be swapped. */
  protected replaceClipboard(stub: vscode.Clipboard): void {
    this.clipboardDescriptor ??= Object.getOwnPropertyDescriptor(vscode.env, 'clipboard');
    Object.defineProperty(vscode.env, 'clipboard', { value: stub, configurable: true });
  }

  restore(): void {
    const window = vscode.window as unknown as Record<string, AnyFunction>;
    for (const [name, original] of this.originals) window[name] = original;
    if (this.clipboardDescriptor) Object.defineProperty(vscode.env, 'clipboard', this.clipboardDescriptor);
  }
}

/**
 * Collects the messages shown. None waits for a click: each is answered with nothing, except that
 * an information message offering an action named in `clicks` gets that action.
 */
export class Notifications extends WindowStubs {
  readonly errors: string[] = [];
  readonly infos: string[] = [];
  constructor(clicks: readonly string[] = []) {
    super();
    this.replace('showInformationMessage', (message: string, ...actions: unknown[]) => {
      this.infos.push(message);
      return Promise.resolve(actions.find((action) => typeof action === 'string' && clicks.includes(action)));
    });
    this.replace('showErrorMessage', (message: string) => {
      this.errors.push(message);
      return Promise.resolve(undefined);
    });
  }
}
