/**
 * The one message protocol between the decode panel's host side (src/webview, src/features/decode)
 * and its page (src/webview-ui). Both sides import these types; every message is a plain JSON
 * object keyed on `type`. The page only ever renders these values as text.
 */

import type { Verdict } from '../core/verdict';

export type { Verdict };

/** One row of the checklist; failures come first. */
export interface CheckRow {
  readonly status: 'fail' | 'warn' | 'not-checked' | 'info' | 'pass';
  readonly title: string;
  /** What was found, in one sentence. */
  readonly message: string;
  readonly code?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly why?: string;
  readonly fix?: string;
}

export interface AttributeRow {
  readonly name: string;
  readonly friendlyName?: string;
  readonly nameFormat?: string;
  readonly values: readonly string[];
  /** True only when the attribute was read from bytes a trusted signature covers. */
  readonly signed: boolean;
}

/** How one attribute the service provider expects fares in this message. */
export interface ClaimRow {
  readonly expected: string;
  readonly status: 'present' | 'missing' | 'near-miss';
  /** For a near miss: the attribute the message carries instead, and how to map it. */
  readonly foundName?: string;
  readonly suggestion?: string;
}

export interface TimelineRow {
  readonly label: string;
  /** ISO-8601 instant as written in the message. */
  readonly instant: string;
  /** Relative to the validation clock, e.g. "expired 3 hours ago". */
  readonly relative: string;
  readonly status: 'ok' | 'bad' | 'info';
}

export interface SignatureRow {
  readonly covers: string;
  readonly signatureAlgorithm?: string;
  readonly digestAlgorithm?: string;
  readonly certificateSubject?: string;
  readonly certificateThumbprint?: string;
  readonly certificateSource?: string;
  readonly digestMatches?: boolean;
  readonly signatureMatches?: boolean;
  readonly trusted: boolean;
}

/** What one modelled SP library (an exact version) would answer to this Response (core/libraries). */
export interface LibraryVerdictRow {
  readonly library: string;
  readonly packageName: string;
  readonly version: string;
  readonly provenance: string;
  readonly outcome: 'accepted' | 'rejected' | 'unknown';
  /** The library's own error message, as it prints it; empty when accepted. */
  readonly message: string;
  /** 'prefix': the library appends more (times, values) after `message`. */
  readonly match: 'exact' | 'prefix';
  /** The library's check that rejects, or why the outcome is unknown. */
  readonly check?: string;
  /** Single settings of this library that would change the outcome. */
  readonly changes: readonly { readonly option: string; readonly value: string; readonly outcome: string }[];
  /** SAML Lens finding codes that fail while this library would accept the response. */
  readonly acceptsWhatSamlLensRejects: readonly string[];
  /** SP settings that were not given and were taken from the message for the prediction. */
  readonly assumed: readonly string[];
}

/** Where something the validator relied on came from, said in words ("samples/entra-id/….xml"). */
export interface SourceNote {
  readonly what: string;
  readonly source: string;
}

/** Everything the panel shows, already in words: the page does no SAML logic. */
export interface PanelModel {
  readonly verdict: Verdict;
  readonly headline: string;
  readonly messageKind: string;
  readonly binding: string;
  readonly issuer?: string;
  /** The validation clock, ISO-8601. */
  readonly checkedAt: string;
  readonly checks: readonly CheckRow[];
  readonly subject?: { readonly nameId: string; readonly format?: string; readonly signed: boolean };
  readonly attributes: readonly AttributeRow[];
  readonly claims: readonly ClaimRow[];
  readonly timeline: readonly TimelineRow[];
  readonly signatures: readonly SignatureRow[];
  readonly trust: readonly SourceNote[];
  readonly expectations: readonly SourceNote[];
  readonly xml: { readonly pretty: string; readonly raw: string };
  /** For a Response: what each SP library of `samlLens.spLibrary` would answer; absent otherwise. */
  readonly libraries?: readonly LibraryVerdictRow[];
  /** What in `samlLens.spLibrary` was ignored, and why. */
  readonly libraryNotes?: readonly string[];
}

/** Messages the host sends to the page. */
export type HostToPanel =
  | { readonly type: 'show'; readonly model: PanelModel }
  /** Validating again failed (the last report would be stale): the reason, and a way to retry. */
  | { readonly type: 'failed'; readonly message: string };

/** Messages the page sends to the host. The host accepts only these (see src/webview/messageHandler.ts). */
export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'rendered'; readonly verdict: Verdict; readonly checks: number; readonly attributes: number }
  | { readonly type: 'revalidate' }
  | { readonly type: 'chooseCertificate' }
  | { readonly type: 'chooseServiceProvider' }
  /** Ask the user for the SP's private key file; the key itself never comes from or goes to the page. */
  | { readonly type: 'chooseDecryptionKey' }
  | { readonly type: 'enterRequestId' }
  | { readonly type: 'openXml'; readonly which: 'pretty' | 'raw' }
  | { readonly type: 'copyRedacted' }
  | {
      readonly type: 'cspViolation';
      readonly directive: string;
      readonly blockedUri: string;
      readonly sample: string;
    };

export type PanelToHostType = PanelToHost['type'];
