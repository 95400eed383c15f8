// The choices of "Generate Self-Signed Certificate" and the certificate they produce. No vscode
// import, so unit tests can check the result with openssl.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { generateCertificate, type GeneratedCertificate, type KeySpec } from '../../../core/build/certificate';

export interface KeyChoice {
  readonly id: string;
  readonly label: string;
  readonly spec: KeySpec;
}

export const KEY_CHOICES: readonly KeyChoice[] = [
  { id: 'rsa-2048', label: 'RSA 2048', spec: { keyType: 'rsa', bits: 2048 } },
  { id: 'rsa-3072', label: 'RSA 3072', spec: { keyType: 'rsa', bits: 3072 } },
  { id: 'rsa-4096', label: 'RSA 4096', spec: { keyType: 'rsa', bits: 4096 } },
  { id: 'ec-p256', label: 'EC P-256', spec: { keyType: 'ec', curve: 'P-256' } },
  { id: 'ec-p384', label: 'EC P-384', spec: { keyType: 'ec', curve: 'P-384' } },
];

export const MIN_VALIDITY_YEARS = 1;
export const MAX_VALIDITY_YEARS = 10;

/** The host of an http(s) entityID (what a certificate for that SP is usually named after), else undefined. */
export function commonNameFromEntityId(entityId: string | undefined): string | undefined {
  if (!entityId) return undefined;
  try {
    const url = new URL(entityId);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** Undefined when the text is a usable common name, else why not (an InputBox validation message). */
export function commonNameProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'Enter a common name, e.g. the SP host name www.example.com.';
  // X.520 ub-common-name: 64 characters.
  if (value.length > 64) return `A common name has at most 64 characters; this one has ${value.length}.`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'The common name contains a control character.';
  return undefined;
}

/** The validity in whole years, or why the text is not one (an InputBox validation message). */
export function parseValidityYears(text: string): { ok: true; years: number } | { ok: false; message: string } {
  const value = text.trim();
  if (!/^\d+$/.test(value))
    return { ok: false, message: `Enter a whole number of years from ${MIN_VALIDITY_YEARS} to ${MAX_VALIDITY_YEARS}.` };
  const years = Number(value);
  if (years < MIN_VALIDITY_YEARS || years > MAX_VALIDITY_YEARS) {
    return {
      ok: false,
      message: `The validity must be ${MIN_VALIDITY_YEARS} to ${MAX_VALIDITY_YEARS} years; ${years} is outside that range.`,
    };
  }
  return { ok: true, years };
}

/** The same instant `years` calendar years later (29 February becomes 1 March in a non-leap year). */
export function addYears(date: Date, years: number): Date {
  const later = new Date(date.getTime());
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh private key from Node's native crypto (fast, off the main thread), as PKCS#8 PEM. */
async function newPrivateKeyPem(spec: KeySpec): Promise<string> {
  const pair =
    spec.keyType === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: spec.bits })
      : await generateKeyPairAsync('ec', { namedCurve: spec.curve });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export interface SelfSignedRequest {
  readonly key: KeySpec;
  readonly commonName: string;
  readonly years: number;
  /** Start of validity. */
  readonly now: Date;
}

/** A new key pair and a self-signed certificate for it, valid from `now` for `years` years. */
export async function createSelfSignedCertificate(request: SelfSignedRequest): Promise<GeneratedCertificate> {
  const problem = commonNameProblem(request.commonName);
  if (problem) throw new Error(problem);
  const validity = parseValidityYears(String(request.years));
  if (!validity.ok) throw new Error(validity.message);
  return generateCertificate(request.key, {
    subject: { commonName: request.commonName.trim() },
    notBefore: request.now,
    notAfter: addYears(request.now, validity.years),
    privateKeyPem: await newPrivateKeyPem(request.key),
  });
}
