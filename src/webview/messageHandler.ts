/**
 * The host side's gate for messages coming from the decode panel's page. The page renders
 * attacker-controlled text, so anything it sends is treated as untrusted input: only the message
 * types in the allow-list, with exactly the expected fields and field types, reach a handler.
 * Everything else is ignored and logged. No vscode import, so unit tests can exercise it directly.
 */
import type { PanelToHost, PanelToHostType, Verdict } from '../shared/protocol';

export type ParsedMessage =
  { readonly ok: true; readonly message: PanelToHost } | { readonly ok: false; readonly reason: string };

export type PanelMessageHandlers = {
  readonly [K in PanelToHostType]?: (message: Extract<PanelToHost, { type: K }>) => unknown;
};

export interface MessageLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** Longest string accepted in a field; CSP reports quote page text, which we never need whole. */
const MAX_FIELD_LENGTH = 2000;

type FieldKind = 'string' | 'count' | 'verdict' | 'xmlChoice';

/** The allow-list: every accepted type and the exact fields it carries. */
const ALLOWED: { readonly [K in PanelToHostType]: Readonly<Record<string, FieldKind>> } = {
  ready: {},
  rendered: { verdict: 'verdict', checks: 'count', attributes: 'count' },
  revalidate: {},
  chooseCertificate: {},
  chooseServiceProvider: {},
  chooseDecryptionKey: {},
  enterRequestId: {},
  openXml: { which: 'xmlChoice' },
  copyRedacted: {},
  cspViolation: { directive: 'string', blockedUri: 'string', sample: 'string' },
};

const VERDICTS: readonly Verdict[] = ['valid', 'invalid', 'not-verifiable'];

function fieldProblem(kind: FieldKind, value: unknown): string | undefined {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') return 'is not a string';
      return value.length > MAX_FIELD_LENGTH ? `is longer than ${MAX_FIELD_LENGTH} characters` : undefined;
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'is not a non-negative integer';
    case 'verdict':
      return VERDICTS.includes(value as Verdict) ? undefined : `is not one of ${VERDICTS.join(', ')}`;
    case 'xmlChoice':
      return value === 'pretty' || value === 'raw' ? undefined : 'is not "pretty" or "raw"';
  }
}

function describeType(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value;
}

/** Checks one message from the page against the allow-list. */
export function parsePanelMessage(raw: unknown): ParsedMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      reason: `expected a message object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}`,
    };
  }
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(ALLOWED, type)) {
    return { ok: false, reason: `message type ${describeType(type)} is not allowed` };
  }
  const fields = ALLOWED[type as PanelToHostType];
  for (const key of Object.keys(record)) {
    if (key !== 'type' && !Object.prototype.hasOwnProperty.call(fields, key)) {
      return { ok: false, reason: `"${type}" message has an unexpected field "${key}"` };
    }
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (!(key in record)) return { ok: false, reason: `"${type}" message lacks the field "${key}"` };
    const problem = fieldProblem(kind, record[key]);
    if (problem) return { ok: false, reason: `"${type}" message field "${key}" ${problem}` };
  }
  return { ok: true, message: record as unknown as PanelToHost };
}

/**
 * Returns the function to pass to `webview.onDidReceiveMessage`: it dispatches allowed messages
 * to their handler and logs (never throws) on anything else or on a failing handler.
 */
export function createPanelMessageHandler(
  handlers: PanelMessageHandlers,
  logger: MessageLogger,
): (raw: unknown) => Promise<void> {
  return async (raw) => {
    const parsed = parsePanelMessage(raw);
    if (!parsed.ok) {
      logger.warn(`Decode panel: ignored a message from the page: ${parsed.reason}`);
      return;
    }
    const handler = handlers[parsed.message.type] as ((message: PanelToHost) => unknown) | undefined;
    if (!handler) return;
    try {
      await handler(parsed.message);
    } catch (error) {
      logger.error(
        `Decode panel: handling "${parsed.message.type}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}
