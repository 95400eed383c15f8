/**
 * What the extension host asks the flow worker (worker.ts): everything crossing the boundary is
 * plain data. The capture is read from disk by the worker, never by the extension host.
 */
import type { FlowSummary } from '../../../core/flow/flow';
import type { RedactionSummary } from '../../../core/flow/redact';

export type FlowWorkerBody =
  | {
      readonly op: 'flow';
      /** The capture's path, read in the worker; or its text (an unsaved editor). */
      readonly capturePath?: string;
      readonly captureText?: string;
      /** Workspace XML files: those that are SAML metadata are used, matched by Issuer or Audience. */
      readonly metadataPaths: readonly string[];
      readonly clockSkewSeconds?: number;
    }
  | { readonly op: 'redact'; readonly input: string; readonly output: string; readonly samlContent: boolean };

export type FlowOutcome =
  { readonly ok: true; readonly flow: FlowSummary } | { readonly ok: false; readonly message: string };

export type RedactOutcome =
  { readonly ok: true; readonly summary: RedactionSummary } | { readonly ok: false; readonly message: string };
