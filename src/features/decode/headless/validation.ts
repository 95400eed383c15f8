/**
 * Runs the core validator on a decoded message and turns its report into the panel's model.
 * Runs inside the decode worker; no vscode import.
 */
import type { DecodeSuccess, SamlMessageType } from '../../../core/messages/decode';
import type { MessageAddressing } from '../../../core/messages/text';
import {
  contextFromSelection,
  selectTrust,
  type ConfiguredAnchor,
  type ConfiguredServiceProvider,
  type MetadataDocument,
  type TrustSelection,
} from '../../../core/trust';
import type { Finding, TimelineEntry, ValidationContext, ValidationReport } from '../../../core/validate/types';
import { validateDecoded } from '../../../core/validate';
import type { CheckRow, LibraryVerdictRow, PanelModel, SourceNote, TimelineRow } from '../../../shared/protocol';
import { predictLibraryVerdicts, readLibrarySettings, type LibraryVerdict } from '../../../core/libraries';
import { claimRows } from './claims';
import { prettyPrintXml } from '../../../core/messages/text';

export type ValidationReportLike = ValidationReport;

export interface ValidationInputs {
  /** The validation clock, ISO-8601: tests pin it. */
  readonly now: string;
  readonly clockSkewSeconds: number;
  /** Trusted keys and expectations, chosen by core/trust's rule (the command line's too). */
  readonly selection: TrustSelection;
  readonly trustNotes: readonly SourceNote[];
  readonly expectationNotes: readonly SourceNote[];
  /** The service provider's private key (PKCS#8 PEM), for EncryptedAssertion/EncryptedID. Never shown. */
  readonly decryptionKeyPem?: string;
  /** The ID of the request the service provider sent, compared with InResponseTo. */
  readonly requestId?: string;
  /** `samlLens.spLibrary` as configured (checked here: unknown options are named, not used). */
  readonly spLibrary?: unknown;
}

/** The sources the editor gathered (workspace, settings, the panel's choices), without VS Code types. */
export interface PanelSources {
  readonly trustDocuments: readonly MetadataDocument[];
  readonly expectationDocuments: readonly MetadataDocument[];
  readonly anchors: readonly ConfiguredAnchor[];
  readonly serviceProviders: readonly ConfiguredServiceProvider[];
  readonly noServiceProvider?: boolean;
}

/** The panel's choice of trust and expectations: core/trust's rule on what the editor gathered. */
export function selectForPanel(
  messageType: SamlMessageType,
  addressing: MessageAddressing,
  sources: PanelSources,
  now: Date,
): TrustSelection {
  const strip = (d: MetadataDocument): MetadataDocument => ({
    label: d.label,
    contents: d.contents,
    namedFor: d.namedFor,
    ...(d.how ? { how: d.how } : {}),
    ...(d.useFor ? { useFor: d.useFor } : {}),
  });
  return selectTrust({
    messageType,
    addressing,
    now,
    documents: [
      ...sources.trustDocuments.map((d) => strip({ ...d, useFor: 'trust' })),
      ...sources.expectationDocuments.map((d) => strip({ ...d, useFor: 'expectations' })),
    ],
    anchors: sources.anchors,
    serviceProviders: sources.serviceProviders,
    noServiceProvider: sources.noServiceProvider,
  });
}

/** The panel shows at most this much XML; "Open XML in editor" always has the whole text. */
export const MAX_PANEL_XML_CHARS = 1024 * 1024;

const BINDING_WORDS: Record<DecodeSuccess['binding'], string> = {
  post: 'HTTP-POST (base64)',
  redirect: 'HTTP-Redirect (base64 + DEFLATE)',
  xml: 'XML as pasted',
};

function validationContext(inputs: ValidationInputs): ValidationContext {
  return contextFromSelection(inputs.selection, {
    now: new Date(inputs.now),
    clockSkewSeconds: inputs.clockSkewSeconds,
    decryptionKeyPem: inputs.decryptionKeyPem,
    requestId: inputs.requestId,
  });
}

function checkRow(finding: Finding): CheckRow {
  return {
    status: finding.status,
    title: finding.title,
    message: finding.message,
    code: finding.code,
    expected: finding.expected,
    found: finding.found,
    why: finding.why,
    fix: finding.fix || undefined,
  };
}

function timelineRow(entry: TimelineEntry): TimelineRow {
  // A failed bound reads better with its consequence: "expired 3 hours ago", "too early: in 5 minutes".
  const past = entry.relative.endsWith(' ago');
  const relative =
    entry.status !== 'fail' ? entry.relative : past ? `expired ${entry.relative}` : `too early: ${entry.relative}`;
  return {
    label: entry.label,
    instant: entry.instant,
    relative,
    status: entry.status === 'fail' ? 'bad' : entry.status === 'pass' ? 'ok' : 'info',
  };
}

function headline(report: ValidationReport): string {
  const failed = report.findings.filter((f) => f.status === 'fail');
  const unchecked = report.findings.filter((f) => f.status === 'not-checked');
  switch (report.verdict) {
    case 'valid': {
      const count = (status: Finding['status']) => report.findings.filter((f) => f.status === status).length;
      const signed = report.signatures.some((s) => s.trusted && s.signatureValid);
      return `${signed ? 'Signed by a trusted certificate and nothing failed' : 'Nothing failed'}: ${count('pass')} passed, ${count('warn')} warnings, ${count('not-checked')} not checked.`;
    }
    case 'invalid': {
      const titles = new Map<string, number>();
      for (const f of failed) titles.set(f.title, (titles.get(f.title) ?? 0) + 1);
      const list = [...titles].map(([title, count]) => (count > 1 ? `${title} (${count})` : title)).join(', ');
      return `${failed.length} ${failed.length === 1 ? 'check' : 'checks'} failed: ${list}.`;
    }
    case 'not-verifiable':
      return unchecked.length > 0
        ? `Could not be fully checked: ${unchecked.map((f) => f.message).join(' ')}`
        : 'Could not be fully checked.';
  }
}

function capped(text: string): string {
  return text.length <= MAX_PANEL_XML_CHARS
    ? text
    : `${text.slice(0, MAX_PANEL_XML_CHARS)}\n… (${text.length - MAX_PANEL_XML_CHARS} more characters: use Open XML in editor to see all of it)`;
}

export function panelModel(decoded: DecodeSuccess, report: ValidationReport, inputs: ValidationInputs): PanelModel {
  const nameId = report.subject.nameId;
  return {
    verdict: report.verdict,
    headline: headline(report),
    messageKind: decoded.messageType,
    binding: BINDING_WORDS[decoded.binding],
    issuer: report.issuer.response ?? report.issuer.assertion,
    checkedAt: inputs.now,
    checks: report.findings.map(checkRow),
    subject: nameId && { nameId: nameId.value, format: nameId.format, signed: nameId.verified },
    attributes: report.attributes.map((a) => ({
      name: a.name,
      friendlyName: a.friendlyName,
      nameFormat: a.nameFormat,
      values: a.values,
      signed: a.verified,
    })),
    claims: claimRows(
      (inputs.selection.sp?.expectedAttributes ?? []).map((a) => a.name),
      report.attributes,
      report.findings,
    ),
    timeline: report.timeline.map(timelineRow),
    signatures: report.signatures.map((s) => ({
      covers: s.covers,
      signatureAlgorithm: s.signatureAlgorithm,
      digestAlgorithm: s.digestAlgorithm,
      certificateSubject: s.certificate?.subject,
      certificateThumbprint: s.certificate?.sha256,
      certificateSource: s.certificate?.source,
      digestMatches: s.digestMatches,
      signatureMatches: s.signatureValid,
      trusted: s.trusted,
    })),
    trust: inputs.trustNotes,
    expectations: inputs.expectationNotes,
    xml: { pretty: capped(prettyPrintXml(decoded.xml)), raw: capped(decoded.xml) },
  };
}

function libraryRow(v: LibraryVerdict): LibraryVerdictRow {
  return {
    library: v.library,
    packageName: v.packageName,
    version: v.version,
    provenance: v.provenance,
    outcome: v.outcome,
    message: v.message,
    match: v.match,
    check: v.check,
    changes: v.changes.map((c) => ({ option: c.option, value: JSON.stringify(c.value), outcome: c.outcome })),
    acceptsWhatSamlLensRejects: v.acceptsWhatSamlLensRejects ?? [],
    assumed: v.assumed,
  };
}

/** What the SP libraries would answer, for a Response only, with the setting's problems named. */
export function libraryVerdicts(
  decoded: DecodeSuccess,
  report: ValidationReport,
  context: ValidationContext,
  setting: unknown,
): Pick<PanelModel, 'libraries' | 'libraryNotes'> {
  if (report.messageType !== 'Response') return {};
  const { settings, problems } = readLibrarySettings(setting);
  return {
    libraries: predictLibraryVerdicts(decoded.xml, report, context, settings).map(libraryRow),
    ...(problems.length > 0 && { libraryNotes: problems }),
  };
}

export function runValidation(
  decoded: DecodeSuccess,
  inputs: ValidationInputs,
): { report: ValidationReport; model: PanelModel } {
  const context = validationContext(inputs);
  const report = validateDecoded(decoded, context);
  return {
    report,
    model: { ...panelModel(decoded, report, inputs), ...libraryVerdicts(decoded, report, context, inputs.spLibrary) },
  };
}
