/**
 * A copy of a capture that can be attached to a ticket: credential headers and cookies removed,
 * password-like form fields replaced, and on request the SAML messages' NameIDs and attribute values
 * replaced by placeholders, re-encoded in the binding they came in. Every value removed is then also
 * scrubbed wherever else it appears in the file (a NameID echoed in a URL, a page or a Referer),
 * including inside base64-encoded bodies. The original file is never written to.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as zlib from 'node:zlib';
import { XMLSerializer } from '@xmldom/xmldom';
import { REDACTED_NAME_ID } from '../messages/text';
import { NS } from '../xml/namespaces';
import { parseXmlDom } from '../xml/dom';
import { escapeHtml } from '../xml/escape';
import { readCapture, type CaptureErrorCode } from './capture';
import { decodeHtmlEntities, percentDecode } from './carriers';

export interface RedactOptions {
  /** Also replace NameIDs and attribute values in the SAML messages. */
  readonly samlContent?: boolean;
}

export interface RedactionSummary {
  readonly headers: number;
  readonly cookies: number;
  readonly formFields: number;
  readonly samlMessages: number;
}

export type RedactResult =
  | { ok: true; text: string; summary: RedactionSummary }
  | { ok: false; code: CaptureErrorCode | 'redact.same-file' | 'redact.io'; message: string };

export const REDACTED = '[redacted]';
export const REDACTED_VALUE = '[redacted value]';

const CREDENTIAL_HEADER =
  /^(cookie|set-cookie|authorization|proxy-authorization|x-(csrf|xsrf)[\w-]*|x-[\w-]*(token|api-?key|auth)[\w-]*)$/i;
const SECRET_FIELD = /pass(word|wd)?|pwd|secret|otp|pin(code)?$|credential|csrf|xsrf/i;
const COOKIE_ATTRIBUTE = /^(path|domain|expires|max-age|samesite|priority|partitioned)$/i;
/** Shorter values are not scrubbed across the file: "US" or "B" would hit unrelated text. */
const MIN_SCRUBBED = 4;

type Json = unknown;

class Redactor {
  readonly secrets = new Set<string>();
  readonly summary = { headers: 0, cookies: 0, formFields: 0, samlMessages: 0 };

  constructor(private readonly samlContent: boolean) {}

  keep(value: string | undefined): void {
    const trimmed = value?.trim();
    if (trimmed && trimmed.length >= MIN_SCRUBBED && trimmed !== REDACTED) this.secrets.add(trimmed);
  }

  /** Headers: credential ones removed, their values (each cookie's value) kept for scrubbing. */
  headers(list: Json): Json {
    if (!Array.isArray(list)) return list;
    return list.filter((header) => {
      const [name, value] = Array.isArray(header) ? header : [header?.name, header?.value];
      if (typeof name !== 'string' || !CREDENTIAL_HEADER.test(name)) return true;
      this.summary.headers++;
      if (typeof value === 'string') {
        this.keep(value);
        for (const part of value.split(/[;,]/)) {
          const equals = part.indexOf('=');
          if (equals > 0 && !COOKIE_ATTRIBUTE.test(part.slice(0, equals).trim())) this.keep(part.slice(equals + 1));
        }
        this.keep(value.replace(/^\S+\s+/, ''));
      }
      return false;
    });
  }

  cookies(list: Json): Json {
    if (!Array.isArray(list)) return list;
    for (const cookie of list) {
      this.summary.cookies++;
      if (typeof cookie?.value === 'string') this.keep(cookie.value);
    }
    return [];
  }

  /** `a=1&password=x` (a form body or a query): secret-looking fields replaced. */
  formText(text: string): string {
    return text.replace(/(^|[?&])([^=&?#\s]+)=([^&#\s]*)/g, (whole, lead: string, name: string, value: string) => {
      if (!SECRET_FIELD.test(percentDecode(name)) || value === '' || value === encodeURIComponent(REDACTED))
        return whole;
      this.summary.formFields++;
      this.keep(percentDecode(value));
      return `${lead}${name}=${encodeURIComponent(REDACTED)}`;
    });
  }

  /** A {name, value} pair (HAR params, queryString) or [name, value] (SAML-tracer). */
  pair(name: unknown, value: unknown): string | undefined {
    if (typeof name !== 'string' || typeof value !== 'string') return undefined;
    if (SECRET_FIELD.test(percentDecode(name)) && value !== '' && value !== REDACTED) {
      this.summary.formFields++;
      this.keep(percentDecode(value));
      return REDACTED;
    }
    if (this.samlContent && /^SAML(Request|Response)$/.test(name)) return this.samlValue(value);
    return undefined;
  }

  /** NameIDs and attribute values replaced; the values kept for scrubbing. */
  xml(xml: string): string {
    if (!this.samlContent) return xml;
    const parsed = parseXmlDom(xml);
    if (!parsed.ok) return xml;
    let changed = false;
    const replace = (localName: string, placeholder: string) => {
      for (const element of Array.from(
        parsed.document.getElementsByTagNameNS(NS.saml, localName) as unknown as ArrayLike<Element>,
      )) {
        this.keep(element.textContent ?? '');
        while (element.firstChild) element.removeChild(element.firstChild);
        element.appendChild(parsed.document.createTextNode(placeholder));
        changed = true;
      }
    };
    replace('NameID', REDACTED_NAME_ID);
    replace('AttributeValue', REDACTED_VALUE);
    if (!changed) return xml;
    this.summary.samlMessages++;
    return new XMLSerializer().serializeToString(parsed.document);
  }

  /** A SAMLRequest/SAMLResponse value as carried (maybe %-encoded, maybe DEFLATEd), re-encoded the same way. */
  samlValue(value: string): string {
    const encoded = /%[0-9A-Fa-f]{2}/.test(value);
    const base64 = (encoded ? percentDecode(value) : value).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return value;
    const bytes = Buffer.from(base64, 'base64');
    let deflated = false;
    let xml = bytes.toString('utf8');
    if (!xml.trimStart().startsWith('<')) {
      try {
        xml = zlib.inflateRawSync(bytes, { maxOutputLength: 20 * 1024 * 1024 }).toString('utf8');
        deflated = true;
      } catch {
        return value;
      }
    }
    const redacted = this.xml(xml);
    if (redacted === xml) return value;
    const out = (
      deflated ? zlib.deflateRawSync(Buffer.from(redacted, 'utf8')) : Buffer.from(redacted, 'utf8')
    ).toString('base64');
    return encoded ? encodeURIComponent(out) : out;
  }

  /** SAML parameters inside any text: a URL, a form body, an auto-posting page. */
  samlInText(text: string): string {
    if (!this.samlContent || !/SAML(Request|Response)/.test(text)) return text;
    const inQueries = text.replace(
      /(SAML(?:Request|Response)=)([A-Za-z0-9+/=%_-]+)/g,
      (_, lead: string, value: string) => lead + this.samlValue(value),
    );
    return inQueries.replace(/<input\b[^>]*>/gi, (tag) => {
      if (!/name\s*=\s*["']?SAML(Request|Response)\b/i.test(tag)) return tag;
      return tag.replace(/(\svalue\s*=\s*)(["'])([^"']*)\2/i, (_, lead: string, quote: string, value: string) => {
        const redacted = this.samlValue(decodeHtmlEntities(value));
        return `${lead}${quote}${escapeHtml(redacted)}${quote}`;
      });
    });
  }

  /** Every value removed, wherever else it appears: as is, %-encoded, form-encoded, HTML-escaped. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      const forms = new Set([
        secret,
        encodeURIComponent(secret),
        encodeURIComponent(secret).replace(/%20/g, '+'),
        escapeHtml(secret),
        secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
      ]);
      for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }
}

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** First pass: structure (headers, cookies, fields, SAML); it collects what the second pass scrubs. */
function structure(node: Json, r: Redactor, key = ''): Json {
  if (typeof node === 'string') {
    if (key === 'saml') return r.xml(node);
    return r.samlInText(r.formText(node));
  }
  if (Array.isArray(node)) {
    if (node.length === 2 && typeof node[0] === 'string' && typeof node[1] === 'string') {
      const replaced = r.pair(node[0], node[1]);
      if (replaced !== undefined) return [node[0], replaced];
    }
    return node.map((item) => structure(item, r));
  }
  if (!isObject(node)) return node;
  const out: Obj = {};
  for (const [name, value] of Object.entries(node)) {
    if (/^(headers|requestHeaders|responseHeaders)$/.test(name)) out[name] = structure(r.headers(value), r, name);
    else if (name === 'cookies') out[name] = r.cookies(value);
    else if (name === 'headersSize' && typeof value === 'number') out[name] = -1;
    else if (name === 'postData' && isObject(value) && !('mimeType' in value) && !('text' in value)) {
      // SAML-tracer's postData: {field: [values]}.
      out[name] = Object.fromEntries(
        Object.entries(value).map(([field, values]) => [
          field,
          Array.isArray(values) ? values.map((v) => r.pair(field, v) ?? structure(v, r)) : values,
        ]),
      );
    } else if (name === 'content' && isObject(value) && value.encoding === 'base64' && typeof value.text === 'string') {
      const decoded = Buffer.from(value.text, 'base64').toString('utf8');
      out[name] = { ...value, text: Buffer.from(String(structure(decoded, r)), 'utf8').toString('base64') };
    } else if (name === 'value' && typeof value === 'string' && 'name' in node) {
      out[name] = r.pair(node.name, value) ?? structure(value, r, name);
    } else out[name] = structure(value, r, name);
  }
  return out;
}

function scrubAll(node: Json, r: Redactor): Json {
  if (typeof node === 'string') return r.scrub(node);
  if (Array.isArray(node)) return node.map((item) => scrubAll(item, r));
  if (!isObject(node)) return node;
  const out: Obj = {};
  for (const [name, value] of Object.entries(node)) {
    if (name === 'content' && isObject(value) && value.encoding === 'base64' && typeof value.text === 'string') {
      const decoded = r.scrub(Buffer.from(value.text, 'base64').toString('utf8'));
      out[name] = { ...value, text: Buffer.from(decoded, 'utf8').toString('base64') };
    } else out[name] = scrubAll(value, r);
  }
  return out;
}

/** The redacted copy's text. */
export function redactCapture(source: string, options: RedactOptions = {}): RedactResult {
  const capture = readCapture(source);
  if (!capture.ok) return capture;
  const redactor = new Redactor(options.samlContent === true);
  const structured = structure(JSON.parse(source.replace(/^\uFEFF/, '')), redactor);
  const text = JSON.stringify(scrubAll(structured, redactor), null, 2) + '\n';
  return { ok: true, text, summary: redactor.summary };
}

function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** Reads `input`, writes the redacted copy to `output` (never over the original). */
export function saveRedactedCapture(input: string, output: string, options: RedactOptions = {}): RedactResult {
  if (samePath(input, output)) {
    return {
      ok: false,
      code: 'redact.same-file',
      message: `The redacted copy must be a new file: ${output} is the capture itself, which is never modified.`,
    };
  }
  let source: string;
  try {
    source = readFileSync(input, 'utf8');
  } catch (error) {
    return { ok: false, code: 'redact.io', message: `Cannot read the capture ${input}: ${(error as Error).message}` };
  }
  const redacted = redactCapture(source, options);
  if (!redacted.ok) return redacted;
  try {
    writeFileSync(output, redacted.text, { encoding: 'utf8', flag: 'w' });
  } catch (error) {
    return { ok: false, code: 'redact.io', message: `Cannot write ${output}: ${(error as Error).message}` };
  }
  return redacted;
}
