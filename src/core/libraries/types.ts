// What a model of a service-provider library is: the library's identity (package and exact version),
// the options that change its verdict (named as the library names them), and its checks in the
// order the library runs them. The first check that fails is the library's rejection, with the
// message the library itself prints, so a person can match it against their logs.
import type { ResponseFacts } from './facts';

export const SP_LIBRARY_IDS = ['node-saml', 'samlify', 'python3-saml', 'ruby-saml'] as const;
export type SpLibraryId = (typeof SP_LIBRARY_IDS)[number];

export type OptionValue = boolean | number | string | readonly number[];

export interface LibraryOption {
  /** The library's own option name, dotted for nested settings (python3-saml `security.wantMessagesSigned`). */
  name: string;
  default: OptionValue;
  /** One sentence: what it does in that library. */
  description: string;
  /** Values worth trying when saying which setting would change a verdict. */
  alternatives: readonly OptionValue[];
}

export type LibraryOptions = Readonly<Record<string, OptionValue>>;

/** How a predicted message compares with the library's: exactly, or only up to what the library appends (times, values). */
export type MessageMatch = 'exact' | 'prefix';

export interface CheckFailure {
  message: string;
  /** Default 'exact'. */
  match?: MessageMatch;
  /** What the library does here cannot be predicted; `message` says why. */
  unknown?: boolean;
}

export interface LibraryCheck {
  /** Short, stable: what the library checks here, in words a developer recognises ("Response signature"). */
  name: string;
  /** The failure when this check rejects the response, else undefined. */
  check(facts: ResponseFacts, options: LibraryOptions): CheckFailure | undefined;
}

export interface SpLibraryModel {
  id: SpLibraryId;
  /** The package a developer installs: "@node-saml/node-saml", "python3-onelogin-saml2". */
  packageName: string;
  /** The exact version modelled (and tested against): npm's version, or Debian's with its revision. */
  version: string;
  /** Where that version comes from, and anything else the verdict depends on (samlify's schema validator). */
  provenance: string;
  options: readonly LibraryOption[];
  /** In the library's order. */
  checks: readonly LibraryCheck[];
  /** How the library refuses any document with a DOCTYPE, when it does (otherwise what follows is unknown). */
  doctype?: CheckFailure;
  /** Documented behaviour differences of today's upstream release, security fixes first. */
  upstreamNotes: readonly string[];
}

export interface SettingChange {
  option: string;
  value: OptionValue;
  /** What the library would then do: "would accept this", or its new rejection. */
  outcome: string;
}

export interface LibraryVerdict {
  library: SpLibraryId;
  packageName: string;
  version: string;
  provenance: string;
  /** 'unknown' when SAML Lens cannot read what the library would read (a DOCTYPE, which SAML Lens never parses). */
  outcome: 'accepted' | 'rejected' | 'unknown';
  /** The library's error message; empty when accepted. */
  message: string;
  match: MessageMatch;
  /** The check that rejects, or why the outcome is unknown. */
  check?: string;
  /** The options the verdict was predicted with (defaults, overridden by the user's). */
  options: LibraryOptions;
  /** Settings of this library that would change the outcome, one at a time. */
  changes: SettingChange[];
  /** SP settings SAML Lens was not given and took from the message to predict this (IdP entityID, …). */
  assumed: string[];
  /**
   * Said plainly when the library would accept what SAML Lens rejects (an attack or a specification
   * violation): the failing SAML Lens findings.
   */
  acceptsWhatSamlLensRejects?: string[];
}
