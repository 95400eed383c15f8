// Loading features on first use. dist/extension.js holds only what activate() needs: thin command
// callbacks and providers. Each feature's implementation is its own bundle (dist/features/*.js,
// built from src/features/bundles/), required the first time the feature is used. Evaluating the
// single 890 KB bundle and registering everything made activation cost about 100 ms of the host's
// CPU; most sessions use one or two features.
import * as vscode from 'vscode';

/** The bundles built from src/features/bundles/<name>.ts into dist/features/<name>.js. */
export type FeatureBundle = 'metadata' | 'decode' | 'authoring' | 'generators' | 'testSignIn' | 'testIdentityProvider';

/** Requires a feature bundle from the extension's dist folder (synchronous, cached by Node). */
export function requireFeature<T>(extensionUri: vscode.Uri, bundle: FeatureBundle): T {
  // A computed path: esbuild leaves the call alone instead of inlining the module.
  return require(vscode.Uri.joinPath(extensionUri, 'dist', 'features', `${bundle}.js`).fsPath) as T;
}

/** Calls `create` once, on first use, and keeps its result. */
export function once<T>(create: () => T): () => T {
  let created: { value: T } | undefined;
  return () => (created ??= { value: create() }).value;
}

/**
 * A feature loaded on first use: its commands are registered at once as stand-ins that load the
 * feature and then run the real command (which the feature registers itself) with the same arguments.
 */
export class DeferredFeature<T extends vscode.Disposable> implements vscode.Disposable {
  private standIns: vscode.Disposable | undefined;
  private loaded: T | undefined;

  constructor(
    private readonly commandIds: readonly string[],
    private readonly load: () => T,
  ) {
    this.standIns = this.registerStandIns();
  }

  private registerStandIns(): vscode.Disposable {
    return vscode.Disposable.from(
      ...this.commandIds.map((id) =>
        vscode.commands.registerCommand(id, (...args: unknown[]) => {
          this.get();
          return vscode.commands.executeCommand(id, ...args);
        }),
      ),
    );
  }

  get isLoaded(): boolean {
    return this.loaded !== undefined;
  }

  /** The feature, loaded now if it was not yet. */
  get(): T {
    if (!this.loaded) {
      // The feature registers the same command ids: the stand-ins must be gone first.
      this.standIns?.dispose();
      this.standIns = undefined;
      try {
        this.loaded = this.load();
      } catch (error) {
        // A feature that failed to load (its bundle missing, say) keeps its commands, so each use
        // says why it fails rather than "command not found".
        this.standIns = this.registerStandIns();
        throw error;
      }
    }
    return this.loaded;
  }

  dispose(): void {
    this.standIns?.dispose();
    this.loaded?.dispose();
  }
}
