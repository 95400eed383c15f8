// Shared by the certificate host tests: test certificates from the project's own builder, the
// independent reference (openssl, run from the test) and small polling helpers.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { type CertificateSpec, type KeySpec, generateCertificate } from '../../src/core/build/certificate';
import { EXTENSION_ID } from '../../src/ids';

export const DAY = 86_400_000;
/** The pinned "now" of every certificate test. */
export const NOW = new Date('2026-11-29T12:00:00Z');

export async function samlLensApi(): Promise<SamlLensApi> {
  const extension = vscode.extensions.getExtension<SamlLensApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this extension host`);
  const api = await extension.activate();
  assert.ok(api.certificates, 'the API has no certificates field');
  return api;
}

/** base64 wrapped at 64 columns between BEGIN/END lines, as openssl reads it. */
export function pemOf(base64: string): string {
  const lines = base64.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function openssl(args: string[], input: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** What openssl says about a certificate text, or undefined when openssl cannot read it. */
export interface OpensslFacts {
  notBefore: Date;
  notAfter: Date;
  /** "AB:CD:…" as `openssl x509 -fingerprint` prints it. */
  sha1: string;
  sha256: string;
  subject: string;
  publicKeyBits: number;
  rsa: boolean;
  signatureAlgorithm: string;
}

const factsCache = new Map<string, OpensslFacts | undefined>();

export function opensslFacts(base64: string): OpensslFacts | undefined {
  const key = base64.replace(/\s+/g, '');
  if (factsCache.has(key)) return factsCache.get(key);
  const pem = pemOf(base64);
  let text: string;
  try {
    // One run for everything but the SHA-1 fingerprint: spawning from the extension host is slow.
    text = openssl(
      [
        'x509',
        '-noout',
        '-text',
        '-startdate',
        '-enddate',
        '-dateopt',
        'iso_8601',
        '-subject',
        '-nameopt',
        'RFC2253',
        '-fingerprint',
        '-sha256',
      ],
      pem,
    );
  } catch {
    factsCache.set(key, undefined);
    return undefined;
  }
  const date = (name: string) => new Date(new RegExp(`^${name}=(\\S+) (\\S+)$`, 'm').exec(text)!.slice(1).join('T'));
  const facts: OpensslFacts = {
    notBefore: date('notBefore'),
    notAfter: date('notAfter'),
    sha1: /Fingerprint=([0-9A-F:]+)/.exec(openssl(['x509', '-noout', '-fingerprint', '-sha1'], pem))![1],
    sha256: /^sha256 Fingerprint=([0-9A-F:]+)$/m.exec(text)![1],
    subject: /^subject=(.*)$/m.exec(text)![1].trim(),
    publicKeyBits: Number(/Public-Key: \((\d+) bit\)/.exec(text)![1]),
    rsa: /Public Key Algorithm: rsaEncryption/.test(text),
    signatureAlgorithm: /Signature Algorithm: (\S+)/.exec(text)![1],
  };
  factsCache.set(key, facts);
  return facts;
}

/** The diagnostic codes (with severity) the certificate deserves, derived from openssl's reading only. */
export function expectedCodes(base64: string, now: Date, warningDays = 30): string[] {
  const facts = opensslFacts(base64);
  if (!facts) return ['error:unreadable'];
  const codes: string[] = [];
  if (facts.notBefore > now) codes.push('error:cert.not-yet-valid');
  const remaining = facts.notAfter.getTime() - now.getTime();
  if (remaining <= 0) codes.push('error:cert.expired');
  else if (remaining <= warningDays * DAY) codes.push('warning:cert.expiring');
  if (facts.rsa && facts.publicKeyBits < 2048) codes.push('warning:cert.weak-rsa-key');
  if (/sha1|md5/i.test(facts.signatureAlgorithm)) codes.push('warning:cert.weak-signature-algorithm');
  return codes.sort();
}

const SEVERITY_NAME: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** "severity:code" of the SAML Lens errors and warnings on exactly `range`; unreadable codes fold into one. */
export function codesAt(diagnostics: readonly vscode.Diagnostic[], range: vscode.Range): string[] {
  return diagnostics
    .filter(
      (d) => d.source === 'SAML Lens' && d.range.isEqual(range) && d.severity <= vscode.DiagnosticSeverity.Warning,
    )
    .map((d) => {
      const code = codeOf(d);
      const folded = code === 'cert.invalid' || code === 'cert.double-encoded-pem' ? 'unreadable' : code;
      return `${SEVERITY_NAME[d.severity]}:${folded}`;
    })
    .sort();
}

/** Polls `read` until `done` accepts its value; fails with the last value when time runs out. */
export async function pollFor<T>(
  what: string,
  read: () => T | Thenable<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(value, null, 1)?.slice(0, 3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** One certificate from the builder, with a seed so reruns give the same bytes. */
export function buildCertificate(key: KeySpec, spec: Omit<CertificateSpec, 'seed'> & { seed: string }): string {
  return generateCertificate(key, spec).certificateBase64;
}

/** X509Certificate element contents in an XML text, with offsets; comments are skipped. */
export function certificateElements(text: string): { base64: string; start: number; end: number }[] {
  // Blank out comments (keeping offsets) so commented-out certificates are not counted.
  const visible = text.replace(/<!--[\s\S]*?-->/g, (comment) => ' '.repeat(comment.length));
  const found: { base64: string; start: number; end: number }[] = [];
  const element = /<((?:[\w.-]+:)?X509Certificate)(?:\s[^>]*)?>([^<]*)<\/\1\s*>/g;
  for (const match of visible.matchAll(element)) {
    const start = match.index! + match[0].indexOf('>') + 1;
    const base64 = match[2].replace(/&#(13|x[dD]);/g, '');
    found.push({ base64, start, end: start + match[2].length });
  }
  return found;
}

export function rangeOf(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}
