import {
  describeOffset,
  flowFromCapture,
  flowSummary,
  saveRedactedCapture,
  type Flow,
  type FlowMessage,
} from '../../core/flow';
import type { MetadataDocument } from '../../core/trust';
import type { Verdict } from '../../core/verdict';
import type { CliCommand } from '../command';
import { ExitCode, InputError, UsageError } from '../errors';
import { readTextFile } from '../inputs';
import type { Output } from '../output';
import { metadataDocument, parseInstant, parseSeconds, VERDICT_EXIT } from './validate';

export const FLOW_HELP = `Usage: saml-lens flow CAPTURE [--idp-metadata FILE] [--sp-metadata FILE] [options]

Reads a browser capture of a sign-in (a HAR file, or a SAML-tracer export) and validates every
SAML message in it in context: each as of the moment it was captured, each response against the
request in the capture it answers (InResponseTo), with what only the whole flow shows: an
unsolicited (IdP-initiated) response, a RelayState or ACS URL that changed on the way, a
response to a request that is not in the capture, and how far the IdP's clock is from the
capture's. SAMLart (HTTP-Artifact) is recognised, but what it stands for is not in a capture.

Options:
  --idp-metadata FILE     IdP metadata: the keys that verify its signatures
  --sp-metadata FILE      SP metadata: entityID, ACS URLs, and the keys of signed requests
  --clock-skew SECONDS    allowed clock difference (default 180)
  --now ISO-8601          validate every message as of this instant instead of when captured
  --redact-to FILE        also write a copy without cookies, credential headers and passwords
                          (the capture itself is never modified)
  --redact-saml           in that copy, also replace NameIDs and attribute values
  --json                  machine-readable flow

Exit codes: 0 every message valid, 1 some message invalid, 2 none invalid but some not
verifiable, 3 the capture is unreadable or holds no SAML message, 64 usage error.`;

const BINDING = { redirect: 'Redirect', post: 'POST', simplesign: 'SimpleSign', artifact: 'Artifact' } as const;
const DIRECTION = { 'to-idp': '→ IdP', 'to-sp': '→ SP', unknown: '→ ?' } as const;

export interface FlowArgs {
  capture?: string;
  idpMetadata?: string;
  spMetadata?: string;
  clockSkew?: string;
  now?: string;
  redactTo?: string;
  redactSaml: boolean;
  json: boolean;
}

function verdictText(verdict: Verdict | undefined, out: Output): string {
  const c = out.colour;
  if (verdict === 'valid') return c.green('VALID');
  if (verdict === 'invalid') return c.red('INVALID');
  if (verdict === 'not-verifiable') return c.yellow('NOT VERIFIABLE');
  return c.dim('—');
}

function describe(message: FlowMessage): string {
  if (message.binding === 'artifact') return 'SAMLart (artifact)';
  if (!message.messageType) return `${message.parameter} (not decodable)`;
  const answers = message.answers !== undefined ? ` answers #${message.answers + 1}` : '';
  return `${message.messageType} ${message.id ?? '(no ID)'}${answers}`;
}

function printFlow(flow: Flow, out: Output): void {
  const c = out.colour;
  const kinds = [...new Set(flow.initiation)].map((i) => (i === 'sp-initiated' ? 'SP-initiated' : 'IdP-initiated'));
  out.line(
    `${c.bold(verdictText(flow.verdict, out))}  ${flow.format === 'har' ? 'HAR' : 'SAML-tracer export'} · ${flow.entryCount} requests · ${flow.messages.length} SAML message${flow.messages.length === 1 ? '' : 's'}${kinds.length ? ` · ${kinds.join(', ')}` : ''}`,
  );
  out.line();
  for (const m of flow.messages) {
    const time = m.time ? m.time.slice(11, 19) : '--:--:--';
    out.line(
      `${String(m.index + 1).padStart(2)}  ${time}  ${DIRECTION[m.direction].padEnd(5)}  ${BINDING[m.binding].padEnd(10)}  ${describe(m)}  ${verdictText(m.verdict, out)}`,
    );
    out.line(`    ${c.dim(`${m.url.length > 100 ? `${m.url.slice(0, 100)}…` : m.url}`)}`);
    if (m.issuer) out.line(`    ${c.dim(`Issuer ${m.issuer}`)}`);
    if (m.relayState !== undefined) out.line(`    ${c.dim(`RelayState ${m.relayState}`)}`);
    if (m.decodeError) out.line(`    ${c.red('✗')} ${m.decodeError.message}`);
    for (const f of m.report?.findings ?? []) {
      if (f.status === 'fail') out.line(`    ${c.red('✗ fail')}  ${f.title}: ${f.message} ${c.dim(`[${f.code}]`)}`);
      else if (f.status === 'warn' || f.status === 'not-checked')
        out.line(
          `    ${c.yellow(f.status === 'warn' ? '! warn' : '? not checked')}  ${f.message} ${c.dim(`[${f.code}]`)}`,
        );
    }
  }
  out.line();
  if (flow.clock) {
    out.line(
      `Clock: the IdP's IssueInstant (message ${flow.clock.messageIndex + 1}) is ${describeOffset(flow.clock.offsetSeconds)} the capture's time; the validator allows ${flow.clock.allowedSkewSeconds} s.`,
    );
  } else out.line(c.dim('Clock: the capture has no time per request (or no IdP message), so no offset.'));
  if (flow.findings.length) out.line('Flow:');
  const mark = { error: c.red('✗'), warning: c.yellow('!'), info: c.dim('i') };
  for (const f of flow.findings) out.line(`  ${mark[f.severity]} ${f.message} ${c.dim(`[${f.code}]`)}`);
  for (const note of flow.notes) out.line(`  ${c.dim('i')} ${note.message}`);
}

export function runFlow(args: FlowArgs, out: Output): number {
  if (args.capture === undefined)
    throw new UsageError('flow needs a capture file (a .har file or a SAML-tracer export).');
  if (args.redactSaml && !args.redactTo) throw new UsageError('--redact-saml needs --redact-to FILE.');
  const clockSkewSeconds = parseSeconds(args.clockSkew);
  const now = args.now === undefined ? undefined : parseInstant(args.now, '--now');
  const documents: MetadataDocument[] = [];
  if (args.idpMetadata) documents.push(metadataDocument(args.idpMetadata, '--idp-metadata', 'idp'));
  if (args.spMetadata) documents.push(metadataDocument(args.spMetadata, '--sp-metadata', 'sp'));
  const source = readTextFile(args.capture, 'capture');
  const flow = flowFromCapture(source, { documents, clockSkewSeconds, now });
  if (!flow.ok) {
    if (args.json) {
      out.line(JSON.stringify({ verdict: 'parse-error', error: { code: flow.code, message: flow.message } }, null, 2));
      return ExitCode.ParseError;
    }
    throw new InputError(`${args.capture}: ${flow.message}`);
  }
  if (args.redactTo) {
    const saved = saveRedactedCapture(args.capture, args.redactTo, { samlContent: args.redactSaml });
    if (!saved.ok) throw new InputError(saved.message);
    out.error(
      `Redacted copy written to ${args.redactTo}: ${saved.summary.headers} credential headers, ${saved.summary.cookies} cookies, ${saved.summary.formFields} password fields${args.redactSaml ? `, ${saved.summary.samlMessages} SAML message copies` : ''} replaced.`,
    );
  }
  if (args.json) out.line(JSON.stringify(flowSummary(flow), null, 2));
  else printFlow(flow, out);
  return VERDICT_EXIT[flow.verdict];
}

export const flowCommand: CliCommand = {
  name: 'flow',
  summary: 'validate every SAML message of a browser capture (HAR, SAML-tracer) in context',
  help: FLOW_HELP,
  options: {
    'idp-metadata': { type: 'string' },
    'sp-metadata': { type: 'string' },
    'clock-skew': { type: 'string' },
    now: { type: 'string' },
    'redact-to': { type: 'string' },
    'redact-saml': { type: 'boolean' },
  },
  run: (line, out) =>
    runFlow(
      {
        capture: line.onePositional('CAPTURE'),
        idpMetadata: line.string('idp-metadata'),
        spMetadata: line.string('sp-metadata'),
        clockSkew: line.string('clock-skew'),
        now: line.string('now'),
        redactTo: line.string('redact-to'),
        redactSaml: line.flag('redact-saml'),
        json: line.flag('json'),
      },
      out,
    ),
};
