import { decodeSamlInput } from '../../core/messages';
import { validateDecoded } from '../../core/validate';
import { parseDateTime } from '../../core/dateTime';
import type { DecodeSuccess } from '../../core/messages';
import type {
  Finding,
  ServiceProviderExpectations,
  TrustedCertificate,
  ValidationContext,
  ValidationReport,
} from '../../core/validate';
import {
  summariseMetadata,
  type IdentityProviderSummary,
  type ServiceProviderSummary,
} from '../../core/metadata/summary';
import { ExitCode, InputError, UsageError } from '../errors';
import { readMessageArgument, readTextFile } from '../inputs';
import type { Output } from '../output';

export const VALIDATE_HELP = `Usage: saml-lens validate [INPUT|-] --idp-metadata FILE [options]

Decodes a SAML message and lists every reason a service provider would reject it.

Trust:
  --idp-metadata FILE       IdP metadata; its signing certificates are the only ones trusted and
                            its entityID is the expected Issuer (an aggregate is matched by Issuer)
Service provider expectations (from metadata, or given one by one):
  --sp-metadata FILE        SP metadata: entityID (Audience), ACS URLs (Destination, Recipient) and
                            RequestedAttribute names (an aggregate is matched by Audience)
  --sp-entity-id ID         the expected Audience
  --acs URL                 an expected Destination/Recipient (repeatable)
  --expect-attributes A,B   attribute names the SP needs (e.g. FirstName,LastName,Country,Email)
Checks:
  --request-id ID           the AuthnRequest ID the response must answer (InResponseTo)
  --now ISO-8601            validate as of this instant (default: now)
  --clock-skew SECONDS      allowed clock difference (default 180)
  --decryption-key FILE     SP private key (PEM) for an EncryptedAssertion
  --strict-sha1             treat SHA-1 signatures and digests as failures
Output:
  --json                    machine-readable report (schema: docs/cli-validate.schema.json)

Exit codes: 0 valid, 1 invalid, 2 not verifiable, 3 parse error, 64 usage error.`;

export interface ValidateArgs {
  input?: string;
  idpMetadata?: string;
  spMetadata?: string;
  spEntityId?: string;
  acs: string[];
  expectAttributes?: string;
  requestId?: string;
  now?: string;
  clockSkew?: string;
  decryptionKey?: string;
  strictSha1: boolean;
  json: boolean;
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

function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--clock-skew takes a whole number of seconds, not "${value}".`);
  return Number(value);
}

function metadataSummary(path: string, option: string) {
  const summary = summariseMetadata(readTextFile(path, `${option} file`));
  if (!summary.ok) throw new InputError(`${option} ${path}: ${summary.message}`);
  return summary;
}

/** The one entity that matches `wanted`, or the only one; otherwise an explanation. */
function pick<T extends { entityId: string }>(
  entities: readonly T[],
  wanted: readonly string[],
  path: string,
  kind: string,
): T {
  if (entities.length === 0) throw new InputError(`${path} holds no ${kind} entity.`);
  const match = entities.find((e) => wanted.includes(e.entityId));
  if (match) return match;
  if (entities.length === 1) return entities[0];
  throw new InputError(
    `${path} holds ${entities.length} ${kind} entities and none has the entityID ${wanted.map((w) => `"${w}"`).join(' or ') || 'named by the message'}.`,
  );
}

function trustFrom(idp: IdentityProviderSummary, path: string): TrustedCertificate[] {
  return idp.signingCertificates.map((base64) => ({
    base64,
    source: `${path} (${idp.entityId})`,
    entityId: idp.entityId,
  }));
}

function spFrom(sp: ServiceProviderSummary, path: string): ServiceProviderExpectations {
  return {
    entityId: sp.entityId,
    acsUrls: [...sp.acsUrls],
    expectedAttributes: sp.expectedAttributes.map((name) => ({ name, required: true })),
    source: `${path} (${sp.entityId})`,
  };
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

/**
 * Builds the context, validates, and when a metadata aggregate was given, validates again with
 * the entity the message names (its Issuer / Audience are only known after a first pass).
 */
export function validateMessage(decoded: DecodeSuccess, args: ValidateArgs): ValidationReport {
  const now = parseInstant(args.now, '--now');
  const clockSkewSeconds = parseSeconds(args.clockSkew);
  const decryptionKeyPem = args.decryptionKey ? readDecryptionKey(args.decryptionKey) : undefined;
  const idps = args.idpMetadata ? metadataSummary(args.idpMetadata, '--idp-metadata') : undefined;
  const sps = args.spMetadata ? metadataSummary(args.spMetadata, '--sp-metadata') : undefined;
  const expected = args.expectAttributes
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);

  const context = (issuer: string[], audiences: string[]): ValidationContext => {
    const idp =
      idps && args.idpMetadata
        ? pick(idps.identityProviders, issuer, args.idpMetadata, 'identity provider')
        : undefined;
    let sp: ServiceProviderExpectations | undefined =
      sps && args.spMetadata
        ? spFrom(pick(sps.serviceProviders, audiences, args.spMetadata, 'service provider'), args.spMetadata)
        : undefined;
    if (args.spEntityId || args.acs.length > 0 || expected) {
      sp = {
        entityId: args.spEntityId ?? sp?.entityId,
        acsUrls: args.acs.length > 0 ? args.acs : sp?.acsUrls,
        expectedAttributes: expected ? expected.map((name) => ({ name, required: true })) : sp?.expectedAttributes,
        source: sp ? `${sp.source} and command-line options` : 'command-line options',
      };
    }
    return {
      now,
      clockSkewSeconds,
      trustedCertificates: idp && args.idpMetadata ? trustFrom(idp, args.idpMetadata) : [],
      idpEntityId: idp?.entityId,
      sp,
      requestId: args.requestId,
      strictSha1: args.strictSha1,
      decryptionKeyPem,
    };
  };

  const aggregate = (idps?.identityProviders.length ?? 0) > 1 || (sps?.serviceProviders.length ?? 0) > 1;
  if (!aggregate) return validateDecoded(decoded, context([], []));
  const first = validateDecoded(decoded, { ...context([], []), trustedCertificates: [] });
  const issuers = [first.issuer.response, first.issuer.assertion].filter((i): i is string => Boolean(i));
  return validateDecoded(decoded, context(issuers, first.conditions.audiences));
}

const VERDICT_EXIT = { valid: ExitCode.Ok, invalid: ExitCode.Invalid, not_verifiable: ExitCode.NotVerifiable } as const;

/** The documented, stable JSON shape (docs/cli-validate.schema.json). */
export function reportToJson(report: ValidationReport) {
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
  };
}

const STATUS_ORDER: Finding['status'][] = ['fail', 'warn', 'not-checked', 'info', 'pass'];

function printReport(report: ValidationReport, out: Output): void {
  const c = out.colour;
  const verdictText = {
    valid: c.green('VALID'),
    invalid: c.red('INVALID'),
    not_verifiable: c.yellow('NOT VERIFIABLE'),
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
  if (!args.idpMetadata) {
    throw new UsageError(
      'validate needs --idp-metadata FILE: only certificates from metadata you trust can verify a signature.',
    );
  }
  // Mistakes in the options are reported before any input is read.
  parseInstant(args.now, '--now');
  parseSeconds(args.clockSkew);
  const { text } = readMessageArgument(args.input, process.stdin.isTTY === true);
  const decoded = decodeSamlInput(text);
  if (!decoded.ok) {
    if (args.json) {
      out.line(
        JSON.stringify(
          { verdict: 'parse_error', error: { code: decoded.code, message: decoded.message }, findings: [] },
          null,
          2,
        ),
      );
      return ExitCode.ParseError;
    }
    throw new InputError(decoded.message);
  }
  const report = validateMessage(decoded, args);
  if (args.json) out.line(JSON.stringify(reportToJson(report), null, 2));
  else printReport(report, out);
  return VERDICT_EXIT[report.verdict];
}
