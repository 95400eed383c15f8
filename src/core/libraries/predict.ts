// Runs a library model over a response's facts: the first failing check is the library's verdict;
// then each of the library's options is flipped alone to say which setting would change it.
import type { FindingCode, ValidationContext, ValidationReport } from '../validate';
import { responseFacts, type ResponseFacts } from './facts';
import { NODE_SAML } from './nodeSaml';
import { PYTHON3_SAML } from './python3Saml';
import { RUBY_SAML } from './rubySaml';
import { SAMLIFY } from './samlify';
import {
  SP_LIBRARY_IDS,
  type CheckFailure,
  type LibraryOptions,
  type LibraryVerdict,
  type OptionValue,
  type SettingChange,
  type SpLibraryId,
  type SpLibraryModel,
} from './types';

export const LIBRARY_MODELS: Readonly<Record<SpLibraryId, SpLibraryModel>> = {
  'node-saml': NODE_SAML,
  samlify: SAMLIFY,
  'python3-saml': PYTHON3_SAML,
  'ruby-saml': RUBY_SAML,
};

export function defaultOptions(model: SpLibraryModel): Record<string, OptionValue> {
  return Object.fromEntries(model.options.map((o) => [o.name, o.default]));
}

interface Outcome {
  outcome: LibraryVerdict['outcome'];
  failure?: CheckFailure;
  check?: string;
}

function judge(model: SpLibraryModel, facts: ResponseFacts, options: LibraryOptions): Outcome {
  if (facts.doctype && model.doctype) return { outcome: 'rejected', failure: model.doctype, check: 'DOCTYPE' };
  if (facts.doctype)
    return {
      outcome: 'unknown',
      check: 'SAML Lens never reads a document with a DOCTYPE, so it cannot tell what this library would make of it',
    };
  if (!facts.readable)
    return {
      outcome: 'unknown',
      check: 'SAML Lens cannot read this message, so it cannot tell what this library would read',
    };
  if (facts.rootName !== 'Response') return { outcome: 'unknown', check: 'the message is not a Response' };
  for (const check of model.checks) {
    const failure = check.check(facts, options);
    if (failure?.unknown) return { outcome: 'unknown', check: `${check.name}: ${failure.message}` };
    if (failure) return { outcome: 'rejected', failure, check: check.name };
  }
  return { outcome: 'accepted' };
}

function describe(outcome: Outcome): string {
  if (outcome.outcome === 'accepted') return 'would accept this';
  if (outcome.outcome === 'unknown') return 'cannot be predicted';
  return `would reject it: ${outcome.failure?.message ?? ''}`;
}

/** SAML Lens findings that reject this message outright (not warnings, not what could not be checked). */
function rejectingFindings(report: ValidationReport): FindingCode[] {
  return [...new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.code))];
}

/** One library's verdict on facts already read; `userOptions` override the library's defaults. */
export function predictFromFacts(
  model: SpLibraryModel,
  facts: ResponseFacts,
  report: ValidationReport,
  userOptions: LibraryOptions = {},
): LibraryVerdict {
  const options = { ...defaultOptions(model), ...userOptions };
  const result = judge(model, facts, options);
  const changes: SettingChange[] = [];
  if (result.outcome !== 'unknown') {
    for (const option of model.options) {
      for (const value of option.alternatives) {
        if (value === options[option.name]) continue;
        const other = judge(model, facts, { ...options, [option.name]: value });
        const changed =
          other.outcome !== result.outcome ||
          (other.outcome === 'rejected' && other.failure?.message !== result.failure?.message);
        // A setting that only moves the rejection to another check is noise; one that accepts, or
        // makes an accepting library reject, is what a person needs to know.
        if (changed && (other.outcome === 'accepted' || result.outcome === 'accepted'))
          changes.push({ option: option.name, value, outcome: describe(other) });
      }
    }
  }
  const rejecting = rejectingFindings(report);
  return {
    library: model.id,
    packageName: model.packageName,
    version: model.version,
    provenance: model.provenance,
    outcome: result.outcome,
    message: result.failure?.message ?? '',
    match: result.failure?.match ?? 'exact',
    ...(result.check !== undefined && { check: result.check }),
    options,
    changes,
    assumed: [...facts.sp.assumed],
    ...(result.outcome === 'accepted' && rejecting.length > 0 && { acceptsWhatSamlLensRejects: rejecting }),
  };
}

export interface LibrarySettings {
  /** Which libraries; default all four. */
  libraries?: readonly SpLibraryId[];
  /** Options per library, by the library's own option names. */
  options?: Partial<Record<SpLibraryId, LibraryOptions>>;
}

/**
 * The verdicts of the SP libraries on a Response SAML Lens has validated with `context`: each with
 * the library's defaults plus the SP's own expectations (entity ID, ACS URL, IdP certificate, request ID).
 */
export function predictLibraryVerdicts(
  xml: string,
  report: ValidationReport,
  context: ValidationContext,
  settings: LibrarySettings = {},
): LibraryVerdict[] {
  // A message SAML Lens could not read is a Response to the libraries only if it is one behind a
  // DOCTYPE (which they may read and SAML Lens never does).
  if (report.messageType !== 'Response' && !(report.messageType === 'unknown' && /<!DOCTYPE/i.test(xml))) return [];
  const facts = responseFacts(xml, report, context);
  return (settings.libraries ?? SP_LIBRARY_IDS).map((id) =>
    predictFromFacts(LIBRARY_MODELS[id], facts, report, settings.options?.[id]),
  );
}
