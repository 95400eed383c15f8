/**
 * A sign-in flow from a browser capture: every SAML message in the order the browser saw it, each
 * decoded by the one decoder and validated by the one validator with the trust rule of core/trust,
 * as of the moment it was captured and against the request it answers. Then what only the whole
 * conversation shows: which response answers which request, IdP- or SP-initiated, a RelayState or
 * ACS URL that changed on the way, and how far the IdP's clock is from the capture's.
 */
import { parseDateTimeOrUndefined } from '../dateTime';
import { decodeSamlInput, type DecodeSuccess, type SamlMessageType } from '../messages/decode';
import { readAddressing } from '../messages/text';
import {
  contextFromSelection,
  selectTrust,
  type ConfiguredAnchor,
  type MetadataDocument,
  type TrustChoice,
} from '../trust/select';
import { DEFAULT_SKEW_SECONDS } from '../validate/checks';
import type { ValidationReport } from '../validate/types';
import { checkSimpleSign } from '../validate/simpleSign';
import { validateDecoded } from '../validate/validate';
import type { Verdict } from '../verdict';
import { parseXmlDom } from '../xml/dom';
import { readCapture, type CaptureFormat, type CaptureNote } from './capture';
import { findCarriers, percentDecode, type Carrier, type SamlParameter } from './carriers';

export type FlowBinding = 'redirect' | 'post' | 'simplesign' | 'artifact';
export type FlowDirection = 'to-idp' | 'to-sp' | 'unknown';

/** What only a whole flow shows, as the flow view and `saml-lens flow` report it; each is documented in docs/diagnostics.md. */
export const FlowFindingCode = {
  Unsolicited: 'flow.unsolicited',
  UnknownRequest: 'flow.unknown-request',
  UnansweredRequest: 'flow.unanswered-request',
  RelayStateChanged: 'flow.relay-state-changed',
  AcsMismatch: 'flow.acs-mismatch',
  ClockOffset: 'flow.clock-offset',
  Artifact: 'flow.artifact',
  Undecodable: 'flow.undecodable',
  SimpleSignNotChecked: 'flow.simplesign-not-checked',
  SimpleSignSignature: 'flow.simplesign-signature',
} as const;
export type FlowFindingCode = (typeof FlowFindingCode)[keyof typeof FlowFindingCode];

export interface FlowFinding {
  readonly code: FlowFindingCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** The flow message it is about (its index in `messages`). */
  readonly messageIndex?: number;
}

export interface FlowMessage {
  readonly index: number;
  /** The capture entry that carried it (0-based), for "entry N" in messages. */
  readonly entryIndex: number;
  /** ISO-8601, when the capture says when (HAR). */
  readonly time?: string;
  readonly direction: FlowDirection;
  readonly url: string;
  readonly binding: FlowBinding;
  readonly parameter: SamlParameter;
  /** How the capture held it: a request's query or form, a redirect's Location, a page's auto-posting form. */
  readonly source: Carrier['source'];
  readonly relayState?: string;
  readonly messageType?: SamlMessageType;
  readonly id?: string;
  readonly inResponseTo?: string;
  readonly issuer?: string;
  readonly issueInstant?: string;
  readonly destination?: string;
  /** AuthnRequest: where the SP asked the response to be sent. */
  readonly assertionConsumerServiceUrl?: string;
  /** Text the decode panel (or `saml-lens validate`) can open: the URL, the form body or the XML. */
  readonly decodeInput: string;
  readonly decodeError?: { readonly code: string; readonly message: string };
  readonly verdict?: Verdict;
  readonly report?: ValidationReport;
  readonly trust?: readonly TrustChoice[];
  /** The request ID the InResponseTo check used (from the capture). */
  readonly requestId?: string;
  /** The request this message answers (index in `messages`). */
  readonly answers?: number;
  /** IdP messages: IssueInstant minus the capture's time for the entry, in seconds. */
  readonly clockOffsetSeconds?: number;
}

export interface FlowClock {
  /** The largest offset (by size) between an IdP IssueInstant and the capture's own time, in seconds. */
  readonly offsetSeconds: number;
  readonly messageIndex: number;
  readonly allowedSkewSeconds: number;
}

export interface Flow {
  readonly format: CaptureFormat;
  readonly entryCount: number;
  readonly messages: readonly FlowMessage[];
  readonly findings: readonly FlowFinding[];
  readonly notes: readonly CaptureNote[];
  /** How the sign-ins started: one per Response. */
  readonly initiation: readonly ('sp-initiated' | 'idp-initiated')[];
  readonly clock?: FlowClock;
  /** The flow's verdict: invalid if any message is, not verifiable if any is, else valid. */
  readonly verdict: Verdict;
}

export interface FlowOptions {
  readonly documents?: readonly MetadataDocument[];
  readonly anchors?: readonly ConfiguredAnchor[];
  readonly clockSkewSeconds?: number;
  /** Validate every message as of this instant instead of when it was captured. */
  readonly now?: Date;
}

export type FlowResult = ({ ok: true } & Flow) | { ok: false; code: string; message: string };

interface Fields {
  id?: string;
  inResponseTo?: string;
  issuer?: string;
  issueInstant?: string;
  destination?: string;
  assertionConsumerServiceUrl?: string;
}

function readFields(xml: string): Fields {
  const parsed = parseXmlDom(xml);
  if (!parsed.ok) return {};
  const root = parsed.document.documentElement;
  const attribute = (name: string) => root.getAttribute(name) || undefined;
  return {
    id: attribute('ID'),
    inResponseTo: attribute('InResponseTo'),
    issuer: readAddressing(xml).issuer,
    issueInstant: attribute('IssueInstant'),
    destination: attribute('Destination'),
    assertionConsumerServiceUrl: attribute('AssertionConsumerServiceURL'),
  };
}

function decoderInput(c: Carrier): string {
  if (c.source === 'query' || c.source === 'location') return c.url;
  // Only the message and RelayState: with SigAlg present the decoder would expect DEFLATE (Redirect).
  const relay = c.parameters.find((p) => p.name === 'RelayState');
  return `${c.parameter}=${c.value}${relay ? `&RelayState=${relay.value}` : ''}`;
}

function decodeCarrier(c: Carrier): { decoded?: DecodeSuccess; error?: { code: string; message: string } } {
  if (c.value !== '') {
    const decoded = decodeSamlInput(decoderInput(c));
    if (decoded.ok) return { decoded };
    if (c.samlXml === undefined) return { error: { code: decoded.code, message: decoded.message } };
  }
  const fromTracer = decodeSamlInput(c.samlXml ?? '');
  return fromTracer.ok
    ? { decoded: { ...fromTracer, binding: c.method === 'POST' ? 'post' : 'redirect', relayState: c.relayState } }
    : { error: { code: fromTracer.code, message: fromTracer.message } };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface Draft extends Fields {
  carrier: Carrier;
  decoded?: DecodeSuccess;
  error?: { code: string; message: string };
}

/** Logout goes either way: the sender is known by its Issuer (from the sign-in or the metadata), else by the host. */
function directionOf(draft: Draft, drafts: readonly Draft[], documents: readonly MetadataDocument[]): FlowDirection {
  const type = draft.decoded?.messageType;
  if (type === 'AuthnRequest') return 'to-idp';
  if (type === 'Response') return 'to-sp';
  const idpIssuers = new Set([
    ...drafts.filter((d) => d.decoded?.messageType === 'Response').map((d) => d.issuer),
    ...documents.flatMap((d) => d.contents.identityProviders.map((idp) => idp.entityId)),
  ]);
  const spIssuers = new Set([
    ...drafts.filter((d) => d.decoded?.messageType === 'AuthnRequest').map((d) => d.issuer),
    ...documents.flatMap((d) => d.contents.serviceProviders.map((sp) => sp.entityId)),
  ]);
  if (draft.issuer !== undefined && idpIssuers.has(draft.issuer)) return 'to-sp';
  if (draft.issuer !== undefined && spIssuers.has(draft.issuer)) return 'to-idp';
  const host = hostOf(draft.carrier.url);
  const idpHosts = new Set(
    drafts.filter((d) => d.decoded?.messageType === 'AuthnRequest').map((d) => hostOf(d.carrier.url)),
  );
  const spHosts = new Set(
    drafts.filter((d) => d.decoded?.messageType === 'Response').map((d) => hostOf(d.carrier.url)),
  );
  if (host && idpHosts.has(host)) return 'to-idp';
  if (host && spHosts.has(host)) return 'to-sp';
  return 'unknown';
}

const REQUEST_FOR: Partial<Record<SamlMessageType, SamlMessageType>> = {
  Response: 'AuthnRequest',
  LogoutResponse: 'LogoutRequest',
};

/** Why an unsolicited Response answers nothing: no AuthnRequest before it, or the last one was answered already. */
function unsolicitedReason(lastRequest: number | undefined, answered: ReadonlyMap<number, number>): string {
  const answeredBy = lastRequest === undefined ? undefined : answered.get(lastRequest);
  return lastRequest === undefined || answeredBy === undefined
    ? 'no AuthnRequest precedes it and it has no InResponseTo'
    : `it has no InResponseTo, and the AuthnRequest before it (message ${lastRequest + 1}) was answered by message ${answeredBy + 1}`;
}

/** Reads a capture and builds its flow. */
export function flowFromCapture(source: string, options: FlowOptions = {}): FlowResult {
  const capture = readCapture(source);
  if (!capture.ok) return capture;
  const drafts: Draft[] = findCarriers(capture.entries).map((carrier) => {
    if (carrier.parameter === 'SAMLart') return { carrier };
    const { decoded, error } = decodeCarrier(carrier);
    return { carrier, decoded, error, ...(decoded ? readFields(decoded.xml) : {}) };
  });
  if (drafts.length === 0) {
    const notes = capture.notes.length ? ` (${plural(capture.notes.length, 'entry')} could not be read)` : '';
    return {
      ok: false,
      code: 'flow.no-saml',
      message: `The capture holds ${plural(capture.entries.length, 'request')}${notes}, none carrying SAMLRequest, SAMLResponse or SAMLart. Record the capture during the sign-in, with "Preserve log" on so the redirects between sites are kept.`,
    };
  }

  const findings: FlowFinding[] = [];
  const skew = options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  const initiation: ('sp-initiated' | 'idp-initiated')[] = [];
  /** Each answered request's index, with the index of the message answering it. */
  const answered = new Map<number, number>();
  const messages: FlowMessage[] = drafts.map((draft, index) => {
    const { carrier, decoded } = draft;
    const direction = directionOf(draft, drafts, options.documents ?? []);
    const binding: FlowBinding =
      carrier.parameter === 'SAMLart'
        ? 'artifact'
        : carrier.simpleSign
          ? 'simplesign'
          : decoded?.binding === 'redirect'
            ? 'redirect'
            : 'post';
    const base = {
      index,
      entryIndex: carrier.entryIndex,
      time: carrier.time?.toISOString(),
      direction,
      url: carrier.url,
      binding,
      parameter: carrier.parameter,
      source: carrier.source,
      relayState: carrier.relayState,
      decodeInput: decoded?.binding === 'xml' || carrier.value === '' ? (decoded?.xml ?? '') : decoderInput(carrier),
    };
    if (carrier.parameter === 'SAMLart') {
      findings.push({
        code: 'flow.artifact',
        severity: 'info',
        messageIndex: index,
        message: `Message ${index + 1} is a SAML artifact (HTTP-Artifact binding): the message it stands for is fetched by the service provider from the IdP over a back channel, which a browser capture cannot see, so its content cannot be shown or validated.`,
      });
      return { ...base };
    }
    if (!decoded) {
      findings.push({
        code: 'flow.undecodable',
        severity: 'error',
        messageIndex: index,
        message: `Message ${index + 1} (entry ${carrier.entryIndex + 1}, ${carrier.parameter}) could not be decoded: ${draft.error?.message ?? 'unknown error'}`,
      });
      return { ...base, decodeError: draft.error };
    }

    // The request this message answers, else the one still waiting for an answer (which it then fails to match).
    const requestType = REQUEST_FOR[decoded.messageType];
    let answers: number | undefined;
    let requestId: string | undefined;
    if (requestType) {
      const earlier = drafts
        .slice(0, index)
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => d.decoded?.messageType === requestType);
      const match = draft.inResponseTo ? earlier.find(({ d }) => d.id === draft.inResponseTo) : undefined;
      const outstanding = [...earlier].reverse().find(({ i }) => !answered.has(i));
      const request = match ?? outstanding;
      if (match) {
        answers = match.i;
        answered.set(match.i, index);
      }
      requestId = request?.d.id;
      if (decoded.messageType === 'Response') initiation.push(match ? 'sp-initiated' : 'idp-initiated');
      if (!match && draft.inResponseTo) {
        findings.push({
          code: 'flow.unknown-request',
          severity: 'warning',
          messageIndex: index,
          message: `Message ${index + 1} (${decoded.messageType}) answers request ${draft.inResponseTo}, which is not in the capture${request ? `; the ${requestType} waiting for an answer is ${request.d.id ?? '(no ID)'} (message ${request.i + 1})` : ''}. Start the capture before the sign-in begins, or the response belongs to another attempt.`,
        });
      } else if (!match && decoded.messageType === 'Response') {
        findings.push({
          code: 'flow.unsolicited',
          severity: outstanding ? 'warning' : 'info',
          messageIndex: index,
          message: outstanding
            ? `Message ${index + 1} is an unsolicited Response (no InResponseTo) although the SP sent AuthnRequest ${outstanding.d.id ?? ''} (message ${outstanding.i + 1}); an SP that started the sign-in expects the answer to its request.`
            : `Message ${index + 1} is an IdP-initiated (unsolicited) Response: ${unsolicitedReason(earlier.at(-1)?.i, answered)}. The SP must allow IdP-initiated sign-in.`,
        });
      }
      if (match) {
        const request = match.d;
        if (request.carrier.relayState !== undefined && request.carrier.relayState !== carrier.relayState) {
          findings.push({
            code: 'flow.relay-state-changed',
            severity: 'warning',
            messageIndex: index,
            message: `RelayState changed: the request (message ${match.i + 1}) sent "${request.carrier.relayState}", the ${decoded.messageType} came back with ${carrier.relayState === undefined ? 'none' : `"${carrier.relayState}"`}. The IdP must return RelayState unchanged, or the SP loses where the user was going (or its CSRF state).`,
          });
        }
        const acs = request.assertionConsumerServiceUrl;
        if (
          decoded.messageType === 'Response' &&
          acs !== undefined &&
          withoutQuery(acs) !== withoutQuery(carrier.url)
        ) {
          findings.push({
            code: 'flow.acs-mismatch',
            severity: 'error',
            messageIndex: index,
            message: `The AuthnRequest (message ${match.i + 1}) asked for the response at ${acs}, but it was posted to ${carrier.url}. Check the reply URL configured at the IdP for this SP.`,
          });
        }
      }
    }

    const issued = parseDateTimeOrUndefined(draft.issueInstant ?? '');
    const fromIdp = direction === 'to-sp';
    const clockOffsetSeconds =
      fromIdp && issued && carrier.time ? Math.round((issued.getTime() - carrier.time.getTime()) / 1000) : undefined;
    const now = options.now ?? carrier.time ?? issued ?? capture.exportedAt ?? new Date();
    const selection = selectTrust({
      messageType: decoded.messageType,
      addressing: readAddressing(decoded.xml),
      now,
      documents: options.documents ?? [],
      anchors: options.anchors,
    });
    const context = contextFromSelection(selection, { now, clockSkewSeconds: options.clockSkewSeconds, requestId });
    context.receivedAt = binding === 'redirect' ? withoutQuery(carrier.url) : carrier.url;
    const report = validateDecoded(decoded, context);
    let verdict = report.verdict;
    if (binding === 'simplesign' && (carrier.parameter === 'SAMLRequest' || carrier.parameter === 'SAMLResponse')) {
      const outcome = checkSimpleSign(
        {
          parameter: carrier.parameter,
          message: percentDecode(carrier.value),
          relayState: carrier.relayState,
          sigAlg: carrier.sigAlg ?? '',
          signature: carrier.signature ?? '',
        },
        context.trustedCertificates,
      );
      const what = `Message ${index + 1}'s POST-SimpleSign signature (SigAlg and Signature form fields)`;
      if (outcome.status === 'valid')
        findings.push({
          code: 'flow.simplesign-signature',
          severity: 'info',
          messageIndex: index,
          message: `${what} verifies with ${outcome.source}.`,
        });
      else if (outcome.status === 'invalid') {
        verdict = 'invalid';
        findings.push({
          code: 'flow.simplesign-signature',
          severity: 'error',
          messageIndex: index,
          message: `${what} is not valid: ${outcome.message}.`,
        });
      } else
        findings.push({
          code: 'flow.simplesign-not-checked',
          severity: 'warning',
          messageIndex: index,
          message: `${what} is not checked: ${outcome.message}.`,
        });
    }
    return {
      ...base,
      messageType: decoded.messageType,
      id: draft.id,
      inResponseTo: draft.inResponseTo,
      issuer: draft.issuer,
      issueInstant: draft.issueInstant,
      destination: draft.destination,
      assertionConsumerServiceUrl: draft.assertionConsumerServiceUrl,
      verdict,
      report,
      trust: selection.choices,
      requestId,
      answers,
      clockOffsetSeconds,
    };
  });

  drafts.forEach((draft, index) => {
    const type = draft.decoded?.messageType;
    if ((type === 'AuthnRequest' || type === 'LogoutRequest') && !answered.has(index)) {
      findings.push({
        code: 'flow.unanswered-request',
        severity: 'warning',
        messageIndex: index,
        message: `The ${type} ${draft.id ?? ''} (message ${index + 1}) has no answer in the capture: the IdP did not respond, responded elsewhere, or the capture stopped too early.`,
      });
    }
  });

  const clock = clockOf(messages, skew);
  if (clock && Math.abs(clock.offsetSeconds) > skew) {
    findings.push({
      code: 'flow.clock-offset',
      severity: 'warning',
      messageIndex: clock.messageIndex,
      message: `The IdP's IssueInstant of message ${clock.messageIndex + 1} is ${describeOffset(clock.offsetSeconds)} the time the browser recorded, more than the ${skew} s the validator allows. One of the clocks (the IdP's, or the capturing machine's) is off; the SP's clock decides.`,
    });
  }
  const verdicts = messages.map((m) => m.verdict);
  const verdict: Verdict =
    verdicts.includes('invalid') || messages.some((m) => m.decodeError)
      ? 'invalid'
      : verdicts.includes('not-verifiable') || verdicts.includes(undefined)
        ? 'not-verifiable'
        : 'valid';
  return {
    ok: true,
    format: capture.format,
    entryCount: capture.entries.length,
    messages,
    findings: findings.sort((a, b) => (a.messageIndex ?? 0) - (b.messageIndex ?? 0)),
    notes: capture.notes,
    initiation,
    clock,
    verdict,
  };
}

/** "42 s ahead of", "3 min 5 s behind". */
export function describeOffset(seconds: number): string {
  const size = Math.abs(seconds);
  const amount = size >= 60 ? `${Math.floor(size / 60)} min ${size % 60} s` : `${size} s`;
  return `${amount} ${seconds >= 0 ? 'ahead of' : 'behind'}`;
}

function clockOf(messages: readonly FlowMessage[], skew: number): FlowClock | undefined {
  let clock: FlowClock | undefined;
  for (const m of messages) {
    if (m.clockOffsetSeconds === undefined) continue;
    if (!clock || Math.abs(m.clockOffsetSeconds) > Math.abs(clock.offsetSeconds))
      clock = { offsetSeconds: m.clockOffsetSeconds, messageIndex: m.index, allowedSkewSeconds: skew };
  }
  return clock;
}

/** A flow as plain, compact data: each message's non-passing checks instead of its whole report (CLI JSON, the editor's view). */
export function flowSummary(flow: Flow) {
  return {
    verdict: flow.verdict,
    format: flow.format,
    entryCount: flow.entryCount,
    initiation: flow.initiation,
    clock: flow.clock ?? null,
    messages: flow.messages.map(({ report, trust, ...message }) => ({
      ...message,
      findings: (report?.findings ?? [])
        .filter((f) => f.status !== 'pass')
        .map((f) => ({ code: f.code, status: f.status, title: f.title, message: f.message })),
      trust: (trust ?? []).map((c) => ({ what: c.what, source: c.source, how: c.how })),
    })),
    findings: flow.findings,
    notes: flow.notes,
  };
}

export type FlowSummary = ReturnType<typeof flowSummary>;
export type FlowSummaryMessage = FlowSummary['messages'][number];
