import type * as vscode from 'vscode';
import type { WorkspaceCheckResult } from './features/certificates/workspaceCheck';
import type { DecodeApi } from './features/decode/register';
import type { FlowApi } from './features/flow/register';
import type { MetadataSignaturesApi } from './features/metadataSignatures';
import type { MetadataTreeApi } from './features/metadataTree';

/**
 * What `activate()` returns. Other extensions could use it; the extension-host tests use it
 * to reach feature state (e.g. the tree provider, the last validation report) and to inject a clock.
 * Each feature adds its own optional field.
 */
export interface SamlLensApi {
  readonly version: string;
  /** The SAML Metadata tree view (src/features/metadataTree). */
  readonly metadataTree?: MetadataTreeApi;
  readonly certificates?: CertificatesApi;
  /** Metadata signature diagnostics and status bar (src/features/metadataSignatures). */
  readonly metadataSignatures?: MetadataSignaturesApi;
  /** Decode & validate (src/features/decode): the last report, and decoding without the UI. */
  readonly decode?: DecodeApi;
  /** Sign-in flows from browser captures (src/features/flow). */
  readonly flow?: FlowApi;
}

/** Certificates in the editor (src/features/certificates). */
export interface CertificatesApi {
  /** Pins "now" for every certificate check (tests), or returns to real time with `undefined`. */
  setClock(now: Date | undefined): void;
  /** The certificate status bar text, or undefined while it is hidden. */
  statusBarText(): string | undefined;
  /**
   * SAML: Check Certificates in Workspace, with a token that cancels it as the notification's
   * Cancel button does; resolves with what was checked until then.
   */
  checkWorkspace(token?: vscode.CancellationToken): Thenable<WorkspaceCheckResult>;
}
