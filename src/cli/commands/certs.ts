import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  certificateFacts,
  certificateFindings,
  certificateLabel,
  DEFAULT_WARN_DAYS,
  findCertificatesInPem,
} from '../../core/certs';
import type { CertificateFacts, CertificateFinding } from '../../core/certs';
import { parseMetadata } from '../../core/metadata';
import { LineIndex } from '../../core/xml';
import { ExitCode, UsageError } from '../errors';
import { expandFileArguments } from '../inputs';
import type { CliCommand } from '../command';
import type { Output } from '../output';
import { parseInstant } from './validate';

export const CERTS_HELP = `Usage: saml-lens certs FILE|GLOB… [--warn-days N] [--now ISO-8601] [--all] [--json]

Checks every X.509 certificate in metadata, SAML messages and PEM/DER files.

  --warn-days N   warn this many days before expiry (default ${DEFAULT_WARN_DAYS})
  --now ISO-8601  check as of this instant (default: now)
  --all           list every certificate, not only those with findings
  --json          machine-readable output

Exit codes: 0 all certificates fine; 1 a certificate is expired, expires within --warn-days,
or cannot be read; 3 a file cannot be read or parsed; 64 usage error.
Example CI step: npx saml-lens certs "metadata/**/*.xml" --warn-days 30`;

export interface CertsArgs {
  files: string[];
  warnDays?: string;
  now?: string;
  all: boolean;
  json: boolean;
}

interface Place {
  line: number;
  entityID?: string;
  role?: string;
  use?: string;
  where: string;
}

interface CertificateEntry {
  base64: string;
  places: Place[];
  findings: CertificateFinding[];
  facts?: CertificateFacts;
}

interface FileResult {
  path: string;
  error?: string;
  certificates: CertificateEntry[];
}

const GATE_CODES = new Set(['cert.expired', 'cert.expiring', 'cert.invalid', 'cert.double-encoded-pem']);

function canonical(base64: string): string {
  return base64.replace(/\s+/g, '');
}

/** Certificates of one file, grouped by DER so a certificate repeated in many roles is listed once. */
function certificatesOfFile(path: string, now: Date, warnDays: number): FileResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      path,
      error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message,
      certificates: [],
    };
  }
  const byDer = new Map<string, CertificateEntry>();
  const add = (base64: string, place: Place) => {
    const key = canonical(base64);
    let entry = byDer.get(key);
    if (!entry) {
      entry = { base64: key, places: [], findings: certificateFindings(base64, { now, warnDays }) };
      byDer.set(key, entry);
    }
    entry.places.push(place);
  };

  const text = bytes.toString('utf8');
  const looksLikeXml = ['.xml', '.saml'].includes(extname(path).toLowerCase()) || /^\uFEFF?\s*</.test(text);
  if (looksLikeXml) {
    const parsed = parseMetadata(text);
    if (!parsed.ok) return { path, error: parsed.error.message, certificates: [] };
    const lines = new LineIndex(text);
    for (const c of parsed.model.certificates) {
      add(c.base64, {
        line: lines.positionAt(c.range.start).line + 1,
        entityID: c.entityID,
        role: c.roleKind,
        use: c.keyUse,
        where: c.place,
      });
    }
  } else {
    const found = findCertificatesInPem(/-----BEGIN/.test(text) ? text : bytes);
    if (found.length === 0 && bytes.length > 0 && !/-----BEGIN/.test(text)) {
      return { path, error: 'not XML, PEM or a DER certificate', certificates: [] };
    }
    const lines = new LineIndex(text);
    for (const c of found)
      add(c.base64, {
        line: typeof c.start === 'number' && /-----BEGIN/.test(text) ? lines.positionAt(c.start).line + 1 : 1,
        where: 'file',
      });
  }
  return { path, certificates: [...byDer.values()] };
}

function describePlace(p: Place): string {
  const parts = [
    p.entityID,
    p.role,
    p.use && `use=${p.use}`,
    p.where === 'signature' ? 'document signature' : undefined,
  ].filter(Boolean);
  return `line ${p.line}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function factsOf(entry: CertificateEntry): CertificateFacts | undefined {
  if (entry.facts) return entry.facts;
  const facts = certificateFacts(entry.base64);
  entry.facts = facts.ok ? facts.value : undefined;
  return entry.facts;
}

function jsonOf(result: FileResult) {
  return {
    path: result.path,
    error: result.error ?? null,
    certificates: result.certificates.map((entry) => {
      const facts = factsOf(entry);
      return {
        subject: facts?.subject ?? null,
        issuer: facts?.issuer ?? null,
        serialNumber: facts?.serialNumber ?? null,
        notBefore: facts?.notBefore.toISOString() ?? null,
        notAfter: facts?.notAfter.toISOString() ?? null,
        sha1: facts?.thumbprints.sha1 ?? null,
        sha256: facts?.thumbprints.sha256 ?? null,
        publicKey: facts
          ? {
              algorithm: facts.publicKey.algorithm,
              bits: facts.publicKey.bits ?? null,
              curve: facts.publicKey.curve ?? null,
            }
          : null,
        signatureAlgorithm: facts?.signatureAlgorithm.name ?? null,
        findings: entry.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix })),
        places: entry.places,
      };
    }),
  };
}

export function runCerts(args: CertsArgs, out: Output): number {
  if (args.files.length === 0) throw new UsageError('certs needs at least one FILE or GLOB.');
  let warnDays = DEFAULT_WARN_DAYS;
  if (args.warnDays !== undefined) {
    if (!/^\d+$/.test(args.warnDays))
      throw new UsageError(`--warn-days takes a whole number of days, not "${args.warnDays}".`);
    warnDays = Number(args.warnDays);
  }
  const now = parseInstant(args.now, '--now');
  const files = expandFileArguments(args.files);
  const results = files.map((path) => certificatesOfFile(path, now, warnDays));

  const all = results.flatMap((r) => r.certificates);
  const count = (code: string) => all.filter((e) => e.findings.some((f) => f.code === code)).length;
  const summary = {
    files: results.length,
    certificates: all.length,
    expired: count('cert.expired'),
    expiring: count('cert.expiring'),
    invalid: count('cert.invalid') + count('cert.double-encoded-pem'),
  };
  const unreadable = results.filter((r) => r.error);
  const gateFailed = all.some((e) => e.findings.some((f) => GATE_CODES.has(f.code)));

  if (args.json) {
    out.line(JSON.stringify({ now: now.toISOString(), warnDays, summary, files: results.map(jsonOf) }, null, 2));
  } else {
    const c = out.colour;
    for (const result of results) {
      if (result.error) {
        out.line(`${c.red('✗')} ${result.path}: ${result.error}`);
        continue;
      }
      const shown = args.all ? result.certificates : result.certificates.filter((e) => e.findings.length > 0);
      out.line(
        `${c.bold(result.path)}: ${result.certificates.length} certificate${result.certificates.length === 1 ? '' : 's'}`,
      );
      for (const entry of shown) {
        // The listing needs three facts: read from the DER alone, not OpenSSL's full parse.
        const label = entry.findings.some((f) => f.code === 'cert.invalid')
          ? undefined
          : certificateLabel(entry.base64);
        const worst = entry.findings.some((f) => f.severity === 'error')
          ? c.red('✗')
          : entry.findings.length
            ? c.yellow('!')
            : c.green('✓');
        out.line(
          `  ${worst} ${label ? (label.subjectCommonName ?? label.subject) : 'unreadable certificate'}${label ? c.dim(`  SHA-1 ${label.sha1}  notAfter ${label.notAfter.toISOString()}`) : ''}`,
        );
        out.line(
          c.dim(
            `      at ${entry.places.slice(0, 3).map(describePlace).join('; ')}${entry.places.length > 3 ? `; +${entry.places.length - 3} more` : ''}`,
          ),
        );
        for (const f of entry.findings)
          out.line(
            `      ${f.severity === 'error' ? c.red(f.code) : f.severity === 'warning' ? c.yellow(f.code) : c.dim(f.code)}: ${f.message}`,
          );
      }
    }
    out.line(
      `${summary.certificates} certificates in ${summary.files} files: ${summary.expired} expired, ${summary.expiring} expiring within ${warnDays} days, ${summary.invalid} unreadable.`,
    );
  }
  // A file that cannot be read fails the gate louder than an expiring certificate: nothing in it was checked.
  if (unreadable.length > 0) return ExitCode.ParseError;
  return gateFailed ? ExitCode.Invalid : ExitCode.Ok;
}

export const certsCommand: CliCommand = {
  name: 'certs',
  summary: 'check certificates in metadata, messages and PEM/DER files (a CI expiry gate)',
  help: CERTS_HELP,
  options: { 'warn-days': { type: 'string' }, now: { type: 'string' }, all: { type: 'boolean' } },
  run: (line, out) =>
    runCerts(
      {
        files: [...line.positionals],
        warnDays: line.string('warn-days'),
        now: line.string('now'),
        all: line.flag('all'),
        json: line.flag('json'),
      },
      out,
    ),
};
