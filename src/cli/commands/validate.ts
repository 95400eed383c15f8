import { readFileSync } from 'node:fs';
import { decodeSamlInput } from '../../core/messages';
import { readAddressing } from '../../core/messages/text';
import { validateDecoded } from '../../core/validate';
import { parseDateTime } from '../../core/dateTime';
import type { DecodeSuccess } from '../../core/messages';
import type { Finding, ValidationContext, ValidationReport } from '../../core/validate';
import { predictLibraryVerdicts, type LibrarySettings, type LibraryVerdict } from '../../core/libraries';
import { summariseMetadata } from '../../core/metadata/summary';
import {
  contextFromSelection,
  describeChoice,
  parseFingerprint,
  readTrustAnchorFile,
  selectTrust,
  type ConfiguredAnchor,
  type MetadataDocument,
  type TrustChoice,
  type TrustSelection,
} from '../../core/trust';
import { ExitCode, InputError, UsageError } from '../errors';
import { readMessageArgument, readTextFile } from '../inputs';
import type { CliCommand } from '../command';
import type { Output } from '../output';
import { librarySettingsFromArgs, printLibraryVerdicts } from '../libraries';

export const VALIDATE_HELP = `Usage: saml-lens validate [INPUT|-] --idp-metadata FILE [options]
       saml-lens validate [INPUT|-] (--trust-key FILE | --trust-fingerprint FP) [options]

Decodes a SAML message and lists every reason a service provider would reject it.

Trust (at least one; a certificate inside the message is never trusted by itself; for
AuthnRequests and SP logout messages the signing keys in --sp-metadata count too):
  --idp-metadata FILE       IdP metadata: the signing certificates of the IdP whose entityID is
                            the message's Issuer (in an aggregate, matched by Issuer; in a file
                            with one IdP, that IdP, and a different Issuer fails). Metadata past
                            its validUntil is still used, with a trust.metadata-expired warning.
  --trust-key FILE          a trusted signing certificate (PEM, base64 or DER) or a bare public
                            key ("-----BEGIN PUBLIC KEY-----") (repeatable)
  --trust-fingerprint FP    a trusted certificate's fingerprint: sha256:AB:CD:… or 64 hex digits
                            (sha1:… is accepted with a trust.fingerprint-sha1 warning); the
                            certificate in the message's KeyInfo is used when it matches
                            (repeatable)
Service provider expectations (from metadata, or given one by one):
  --sp-metadata FILE        SP metadata: entityID (Audience), ACS URLs (Destination, Recipient),
                            RequestedAttribute names and WantAssertionsSigned (an aggregate is
                            matched by Audience, Destination or Recipient)
  --sp-entity-id ID         the expected Audience
  --acs URL                 an expected Destination/Recipient (repeatable)
  --expect-attributes A,B   attribute names the SP needs (e.g. FirstName,LastName,Country,Email)
Checks:
  --request-id ID           the AuthnRequest ID the response must answer (InResponseTo)
  --now ISO-8601            validate as of this instant (default: now)
  --clock-skew SECONDS      allowed clock difference (default 180)
  --decryption-key FILE     SP private key (PEM) for an EncryptedAssertion
  --strict-sha1             treat SHA-1 signatures and digests as failures
Service provider libraries (a Response only):
  --as LIB                  also say what this SP library would answer: node-saml, samlify,
                            python3-saml, ruby-saml, or all (a table of the four) (repeatable).
                            The exact versions modelled are named in the README.
  --library-option LIB.OPTION=VALUE
                            a library's own option, e.g. node-saml.wantAuthnResponseSigned=false
                            (VALUE is read as JSON when it is JSON, else as a string) (repeatable)
Output:
  --json                    machine-readable report (schema: docs/cli-validate.schema.json)

The report starts with where trust and expectations came from and how each was chosen
("matched by Issuer", "matched by Audience", "the only IdP in the file", "configured").
When no entity of an aggregate matches, trust.no-matching-entity names the closest ones.

Exit codes: 0 valid, 1 invalid, 2 not verifiable, 3 parse error, 64 usage error.`;

export interface ValidateArgs {
  input?: string;
  idpMetadata?: string;
  spMetadata?: string;
  trustKeys?: string[];
  trustFingerprints?: string[];
  spEntityId?: string;
  acs: string[];
  expectAttributes?: string;
  requestId?: string;
  now?: string;
  clockSkew?: string;
  decryptionKey?: string;
  strictSha1: boolean;
  json: boolean;
  /** --as: library ids or `all`. */
  as?: string[];
  /** --library-option: LIB.OPTION=VALUE. */
  libraryOptions?: string[];
}

/** An instant given on the command line, read by the same strict xs:dateTime parser as the messages. */
export function parseInstant(value: string | undefined, option: string): Date {
  if (value === undefined) return new Date();
  const parsed = parseDateTime(value);
  if (!parsed.ok) {
    throw new UsageError(
      `${option} takes an ISO-8601 instant such as 2026-11-29T12:00:00Z, not "${value}": ${parsed.reason}.`,
    );
  }
  return parsed.date;
}

export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--clock-skew takes a whole number of seconds, not "${value}".`);
  return Number(value);
}

export function metadataDocument(path: string, option: string, namedFor: 'idp' | 'sp'): MetadataDocument {
  const summary = summariseMetadata(readTextFile(path, `${option} file`));
  if (!summary.ok) throw new InputError(`${option} ${path}: ${summary.message}`);
  if (summary.entityCount === 0) throw new InputError(`${option} ${path} holds no EntityDescriptor.`);
  return { label: path, contents: summary, namedFor };
}

function readAnchorFile(path: string): ConfiguredAnchor {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    readTextFile(path, '--trust-key file'); // throws the same specific message as other files
    throw new InputError(`Cannot read --trust-key file "${path}".`);
  }
  const read = readTrustAnchorFile(bytes, `--trust-key ${path}`, `${path} (--trust-key)`);
  if (!read.ok) throw new InputError(read.message);
  return read.anchor;
}

function trustAnchors(args: ValidateArgs): ConfiguredAnchor[] {
  const anchors: ConfiguredAnchor[] = (args.trustKeys ?? []).map(readAnchorFile);
  for (const value of args.trustFingerprints ?? []) {
    const read = parseFingerprint(value, '--trust-fingerprint');
    if (!read.ok) throw new UsageError(`--trust-fingerprint: ${read.message}`);
    anchors.push(read.anchor);
  }
  return anchors;
}

function readDecryptionKey(path: string): string {
  const pem = readTextFile(path, '--decryption-key file');
  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new InputError(
      `--decryption-key ${path} is not a PEM private key (expected a "-----BEGIN PRIVATE KEY-----" block).`,
    );
  }
  return pem;
}

/** Where trust and expectations come from for this message, by the rule the editor uses too (core/trust). */
export function selectForMessage(decoded: DecodeSuccess, args: ValidateArgs, now: Date): TrustSelection {
  const documents: MetadataDocument[] = [];
  if (args.idpMetadata) documents.push(metadataDocument(args.idpMetadata, '--idp-metadata', 'idp'));
  if (args.spMetadata) documents.push(metadataDocument(args.spMetadata, '--sp-metadata', 'sp'));
  const expected = args.expectAttributes
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return selectTrust({
    messageType: decoded.messageType,
    addressing: readAddressing(decoded.xml),
    now,
    documents,
    anchors: trustAnchors(args),
    spOverride: {
      entityId: args.spEntityId,
      acsUrls: args.acs,
      expectedAttributes: expected,
      source: 'command-line options',
    },
  });
}

/** Chooses trust and expectations (core/trust), then validates. */
export function validateMessage(
  decoded: DecodeSuccess,
  args: ValidateArgs,
): ValidationReport & { selection: TrustSelection; context: ValidationContext } {
  const now = parseInstant(args.now, '--now');
  const clockSkewSeconds = parseSeconds(args.clockSkew);
  const decryptionKeyPem = args.decryptionKey ? readDecryptionKey(args.decryptionKey) : undefined;
  const selection = selectForMessage(decoded, args, now);
  const context = contextFromSelection(selection, {
    now,
    clockSkewSeconds,
    requestId: args.requestId,
    strictSha1: args.strictSha1,
    decryptionKeyPem,
  });
  const report = validateDecoded(decoded, context);
  return Object.assign(report, { selection, context });
}

/** A verdict's exit code: the same for one message (validate) and a whole flow (flow). */
export const VERDICT_EXIT = {
  valid: ExitCode.Ok,
  invalid: ExitCode.Invalid,
  'not-verifiable': ExitCode.NotVerifiable,
} as const;

/** The documented, stable JSON shape (docs/cli-validate.schema.json). */
export function reportToJson(
  report: ValidationReport,
  choices: readonly TrustChoice[] = [],
  libraryVerdicts?: readonly LibraryVerdict[],
) {
  return {
    verdict: report.verdict,
    messageType: report.messageType,
    issuer: report.issuer.response ?? report.issuer.assertion ?? null,
    issuerVerified: report.issuer.verified,
    status: {
      code: report.status.code ?? null,
      subCode: report.status.subCode ?? null,
      message: report.status.message ?? null,
    },
    subject: {
      nameId: report.subject.nameId
        ? {
            value: report.subject.nameId.value,
            format: report.subject.nameId.format ?? null,
            verified: report.subject.nameId.verified,
            containsComment: report.subject.nameId.containsComment,
          }
        : null,
    },
    attributes: report.attributes.map((a) => ({
      name: a.name,
      friendlyName: a.friendlyName ?? null,
      nameFormat: a.nameFormat ?? null,
      values: a.values,
      verified: a.verified,
    })),
    signatures: report.signatures.map((s) => ({
      covers: s.covers,
      referenceUri: s.referenceUri,
      signatureAlgorithm: s.signatureAlgorithm,
      digestAlgorithm: s.digestAlgorithm,
      canonicalization: s.canonicalization,
      certificate: s.certificate
        ? {
            subject: s.certificate.subject,
            sha1: s.certificate.sha1,
            sha256: s.certificate.sha256,
            source: s.certificate.source,
            kind: s.certificate.kind ?? null,
          }
        : null,
      digestMatches: s.digestMatches,
      signatureValid: s.signatureValid,
      trusted: s.trusted,
    })),
    conditions: {
      notBefore: report.conditions.notBefore ?? null,
      notOnOrAfter: report.conditions.notOnOrAfter ?? null,
      audiences: report.conditions.audiences,
      recipient: report.conditions.recipient ?? null,
      destination: report.conditions.destination ?? null,
      inResponseTo: report.conditions.inResponseTo ?? null,
      subjectConfirmationNotOnOrAfter: report.conditions.subjectConfirmationNotOnOrAfter ?? null,
      sessionNotOnOrAfter: report.conditions.sessionNotOnOrAfter ?? null,
      verified: report.conditions.verified,
    },
    trust: choices.map((c) => ({
      what: c.what,
      role: c.role,
      entityId: c.entityId ?? null,
      source: c.source,
      how: c.how,
    })),
    findings: report.findings.map((f) => ({
      code: f.code,
      status: f.status,
      severity: f.severity,
      title: f.title,
      message: f.message,
      expected: f.expected ?? null,
      found: f.found ?? null,
      why: f.why,
      fix: f.fix,
    })),
    ...(libraryVerdicts && { libraryVerdicts }),
  };
}

const STATUS_ORDER: Finding['status'][] = ['fail', 'warn', 'not-checked', 'info', 'pass'];

function printReport(report: ValidationReport, choices: readonly TrustChoice[], out: Output): void {
  const c = out.colour;
  const verdictText = {
    valid: c.green('VALID'),
    invalid: c.red('INVALID'),
    'not-verifiable': c.yellow('NOT VERIFIABLE'),
  }[report.verdict];
  const failures = report.findings.filter((f) => f.status === 'fail').length;
  out.line(
    `${c.bold(verdictText)}  ${report.messageType}${report.issuer.response ? ` from ${report.issuer.response}` : ''}${failures ? ` · ${failures} failed check${failures === 1 ? '' : 's'}` : ''}`,
  );
  if (report.subject.nameId) {
    out.line(
      `NameID: ${report.subject.nameId.value} ${report.subject.nameId.verified ? c.green('(signed)') : c.yellow('(NOT signed)')}`,
    );
  }
  for (const a of report.attributes) {
    out.line(
      `  ${a.name}${a.friendlyName ? ` (${a.friendlyName})` : ''} = ${a.values.join(', ')} ${a.verified ? c.dim('signed') : c.yellow('NOT signed')}`,
    );
  }
  out.line();
  for (const choice of choices) out.line(`${c.dim('trust')}  ${choice.what}: ${describeChoice(choice)}`);
  if (choices.length === 0) out.line(`${c.dim('trust')}  nothing trusted and no service provider chosen`);
  out.line();
  const marks = {
    fail: c.red('✗ fail'),
    warn: c.yellow('! warn'),
    'not-checked': c.yellow('? not checked'),
    info: c.dim('i info'),
    pass: c.green('✓ pass'),
  };
  const sorted = [...report.findings].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  for (const f of sorted) {
    out.line(`${marks[f.status]}  ${f.title}: ${f.message} ${c.dim(`[${f.code}]`)}`);
    if (f.status === 'pass') continue;
    if (f.expected !== undefined) out.line(`         expected: ${f.expected}`);
    if (f.found !== undefined) out.line(`         found:    ${f.found}`);
    if (f.why) out.line(`         why:      ${f.why}`);
    if (f.fix) out.line(`         fix:      ${f.fix}`);
  }
}

export function runValidate(args: ValidateArgs, out: Output): number {
  // SP metadata carries the keys that sign AuthnRequests and SP logout messages.
  if (!args.idpMetadata && !args.spMetadata && !args.trustKeys?.length && !args.trustFingerprints?.length) {
    throw new UsageError(
      'validate needs --idp-metadata FILE (or --trust-key FILE / --trust-fingerprint FP; --sp-metadata for messages an SP signs): only keys you trust can verify a signature.',
    );
  }
  // Mistakes in the options are reported before any input is read.
  parseInstant(args.now, '--now');
  parseSeconds(args.clockSkew);
  const librarySettings: LibrarySettings | undefined = librarySettingsFromArgs(args.as, args.libraryOptions);
  const { text } = readMessageArgument(args.input, process.stdin.isTTY === true);
  const decoded = decodeSamlInput(text);
  if (!decoded.ok) {
    if (args.json) {
      out.line(
        JSON.stringify(
          { verdict: 'parse-error', error: { code: decoded.code, message: decoded.message }, findings: [] },
          null,
          2,
        ),
      );
      return ExitCode.ParseError;
    }
    throw new InputError(decoded.message);
  }
  const report = validateMessage(decoded, args);
  const verdicts = librarySettings
    ? predictLibraryVerdicts(decoded.xml, report, report.context, librarySettings)
    : undefined;
  if (args.json) out.line(JSON.stringify(reportToJson(report, report.selection.choices, verdicts), null, 2));
  else {
    printReport(report, report.selection.choices, out);
    if (verdicts) printLibraryVerdicts(verdicts, out, args.as?.includes('all') === true);
  }
  return VERDICT_EXIT[report.verdict];
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'list every reason a service provider would reject a SAML response',
  help: VALIDATE_HELP,
  options: {
    'idp-metadata': { type: 'string' },
    'sp-metadata': { type: 'string' },
    'trust-key': { type: 'string', multiple: true },
    'trust-fingerprint': { type: 'string', multiple: true },
    'sp-entity-id': { type: 'string' },
    acs: { type: 'string', multiple: true },
    'expect-attributes': { type: 'string' },
    'request-id': { type: 'string' },
    now: { type: 'string' },
    'clock-skew': { type: 'string' },
    'decryption-key': { type: 'string' },
    'strict-sha1': { type: 'boolean' },
    as: { type: 'string', multiple: true },
    'library-option': { type: 'string', multiple: true },
  },
  run: (line, out) =>
    runValidate(
      {
        input: line.onePositional('INPUT'),
        idpMetadata: line.string('idp-metadata'),
        spMetadata: line.string('sp-metadata'),
        trustKeys: line.strings('trust-key'),
        trustFingerprints: line.strings('trust-fingerprint'),
        spEntityId: line.string('sp-entity-id'),
        acs: line.strings('acs'),
        expectAttributes: line.string('expect-attributes'),
        requestId: line.string('request-id'),
        now: line.string('now'),
        clockSkew: line.string('clock-skew'),
        decryptionKey: line.string('decryption-key'),
        strictSha1: line.flag('strict-sha1'),
        json: line.flag('json'),
        as: line.strings('as'),
        libraryOptions: line.strings('library-option'),
      },
      out,
    ),
};
