/**
 * Reads a browser capture into plain HTTP exchanges: a HAR 1.2 file (every browser's "Save all as
 * HAR") or a SAML-tracer export. Every entry that cannot be read is reported with its position and
 * why, never dropped silently; a file that is no capture at all gets a message saying what it is.
 *
 * SAML-tracer's export format, as SAML-tracer 1.9.2 writes it (src/SAMLTraceIO.js `exportRequests`,
 * serialising the SAMLTrace.Request objects of src/SAMLTrace.js): `{ requests: [...], timestamp }`;
 * each request has `method`, `url`, `requestId`, `requestHeaders` ([{name, value}]; before 1.0 pairs
 * [name, value] and an `id`), `get` ([name, value] pairs, GET only), `post` ([name, value] pairs) and
 * `postData` ({name: [values]}), `protocol` ("SAML-P", "WS-Fed"), `saml` (the decoded message XML),
 * `samlart`, `responseStatus`, `responseStatusText` and `responseHeaders`. It has no time per request:
 * the only time is `timestamp`, when the file was exported.
 */

export type CaptureFormat = 'har' | 'saml-tracer';

export interface NameValue {
  readonly name: string;
  readonly value: string;
}

export interface CaptureEntry {
  /** Position in the file's list (0-based), for messages and for the redacted copy. */
  readonly index: number;
  /** When the browser started the request (HAR only). */
  readonly time?: Date;
  readonly method: string;
  readonly url: string;
  /** The request body as `application/x-www-form-urlencoded` text, when it is one (names and values still encoded). */
  readonly form?: string;
  /** SAML-tracer only: the message XML as the tracer decoded it. */
  readonly samlXml?: string;
  /** The response's Location header (a redirect), when there is one. */
  readonly location?: string;
  /** The response body as text, when the capture holds it (base64 bodies decoded). */
  readonly responseBody?: string;
}

export interface CaptureNote {
  readonly entryIndex?: number;
  readonly message: string;
}

export interface Capture {
  readonly format: CaptureFormat;
  readonly entries: readonly CaptureEntry[];
  /** What could not be read, entry by entry. */
  readonly notes: readonly CaptureNote[];
  /** SAML-tracer: when the file was exported. */
  readonly exportedAt?: Date;
}

export type CaptureErrorCode =
  | 'capture.empty'
  | 'capture.truncated'
  | 'capture.not-json'
  | 'capture.not-capture'
  | 'capture.no-entries'
  | 'capture.too-large';

export type CaptureResult = ({ ok: true } & Capture) | { ok: false; code: CaptureErrorCode; message: string };

/** Response bodies above this size are not searched for auto-posting forms (a SAML page is a few KB). */
export const MAX_SEARCHED_BODY = 8 * 1024 * 1024;
/** A capture above this size is refused before parsing (JSON.parse needs several times the file in memory). */
export const MAX_CAPTURE_LENGTH = 512 * 1024 * 1024;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function fail(code: CaptureErrorCode, message: string): CaptureResult {
  return { ok: false, code, message };
}

function parseJson(
  source: string,
): { ok: true; value: unknown } | { ok: false; code: CaptureErrorCode; message: string } {
  const trimmed = source.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: false, code: 'capture.empty', message: 'The capture file is empty.' };
  if (trimmed.startsWith('<')) {
    return {
      ok: false,
      code: 'capture.not-json',
      message:
        'This is markup (XML or HTML), not a browser capture. Save the network log as HAR (DevTools → Network → "Save all as HAR") or export it from SAML-tracer; to look at a single SAML message, use SAML: Decode instead.',
    };
  }
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch (error) {
    const message = (error as Error).message;
    if (/Unexpected end of JSON input|Unterminated string|end of data/i.test(message)) {
      return {
        ok: false,
        code: 'capture.truncated',
        message: `The capture ends in the middle of its JSON (${trimmed.length.toLocaleString('en-US')} characters read): the file was cut off while saving or copying. Save the capture again.`,
      };
    }
    return {
      ok: false,
      code: 'capture.not-json',
      message: `The capture is not valid JSON: ${message}. A HAR file and a SAML-tracer export are both JSON.`,
    };
  }
}

/** Parses a HAR 1.2 file or a SAML-tracer export. */
export function readCapture(source: string): CaptureResult {
  if (source.length > MAX_CAPTURE_LENGTH) {
    return fail(
      'capture.too-large',
      `The capture is ${(source.length / 1024 / 1024).toFixed(0)} MB; captures above ${MAX_CAPTURE_LENGTH / 1024 / 1024} MB are refused. Record only the sign-in (clear the network log first).`,
    );
  }
  const parsed = parseJson(source);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (isObject(root) && isObject(root.log)) return readHar(root.log);
  if (isObject(root) && Array.isArray(root.requests)) return readSamlTracer(root);
  if (isObject(root) && 'log' in root)
    return fail(
      'capture.not-capture',
      'The file has a "log" property, but it is not an object: this is not a HAR file.',
    );
  const shape = Array.isArray(root) ? 'a JSON array' : isObject(root) ? 'a JSON object' : `a JSON ${typeof root}`;
  const keys = isObject(root)
    ? ` with ${Object.keys(root)
        .slice(0, 5)
        .map((k) => `"${k}"`)
        .join(', ')}`
    : '';
  return fail(
    'capture.not-capture',
    `This is ${shape}${keys}, neither a HAR file (an object with "log": {"entries": [...]}) nor a SAML-tracer export (an object with "requests": [...]).`,
  );
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (const header of headers) {
    // SAML-tracer before 1.0 wrote [name, value] pairs.
    const [key, value] = Array.isArray(header) ? header : isObject(header) ? [header.name, header.value] : [];
    if (typeof key === 'string' && key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * HAR `params` values are left URL-encoded by Chromium and decoded by Firefox; a value with a
 * %-escape in it is taken as encoded, anything else is encoded here.
 */
function paramsToForm(params: readonly NameValue[]): string {
  const encode = (value: string) => (/%[0-9A-Fa-f]{2}/.test(value) ? value : encodeURIComponent(value));
  return params.map((p) => `${encode(p.name)}=${encode(p.value)}`).join('&');
}

function nameValues(list: unknown): NameValue[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => (Array.isArray(item) ? { name: item[0], value: item[1] } : isObject(item) ? item : {}))
    .filter((p): p is NameValue => typeof p.name === 'string')
    .map((p) => ({ name: p.name, value: typeof p.value === 'string' ? p.value : '' }));
}

function harBody(entryIndex: number, content: unknown, notes: CaptureNote[]): string | undefined {
  if (!isObject(content)) return undefined;
  const body = text(content.text);
  if (body === undefined || body === '') return undefined;
  if (body.length > MAX_SEARCHED_BODY) {
    notes.push({
      entryIndex,
      message: `Entry ${entryIndex + 1}: the response body is ${(body.length / 1024 / 1024).toFixed(1)} MB, larger than any SAML page; it was not searched for a SAML form.`,
    });
    return undefined;
  }
  if (content.encoding === 'base64') {
    const compact = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
      notes.push({
        entryIndex,
        message: `Entry ${entryIndex + 1}: the response body says encoding "base64" but is not base64; it was not searched for a SAML form.`,
      });
      return undefined;
    }
    return Buffer.from(compact, 'base64').toString('utf8');
  }
  return body;
}

function readHar(log: Json): CaptureResult {
  if (!Array.isArray(log.entries)) {
    return fail(
      'capture.not-capture',
      'The HAR file has no "log.entries" list: it holds no requests. Save the capture again from the Network tab.',
    );
  }
  if (log.entries.length === 0) {
    return fail(
      'capture.no-entries',
      'The HAR file holds no requests (log.entries is empty): the network log was empty when it was saved. Keep DevTools open with "Preserve log" on during the sign-in, then save it.',
    );
  }
  const notes: CaptureNote[] = [];
  const entries: CaptureEntry[] = [];
  log.entries.forEach((raw: unknown, index: number) => {
    const request = isObject(raw) ? raw.request : undefined;
    if (!isObject(raw) || !isObject(request) || typeof request.url !== 'string') {
      notes.push({ entryIndex: index, message: `Entry ${index + 1} has no request URL; it was skipped.` });
      return;
    }
    let time: Date | undefined;
    if (typeof raw.startedDateTime === 'string') {
      const parsed = new Date(raw.startedDateTime);
      if (Number.isNaN(parsed.getTime()))
        notes.push({
          entryIndex: index,
          message: `Entry ${index + 1}: startedDateTime "${raw.startedDateTime}" is not a date; its time is unknown.`,
        });
      else time = parsed;
    }
    const postData = isObject(request.postData) ? request.postData : undefined;
    const mime = (text(postData?.mimeType) ?? headerValue(request.headers, 'content-type') ?? '').toLowerCase();
    let form: string | undefined;
    if (postData) {
      const params = nameValues(postData.params);
      const body = text(postData.text);
      if (body !== undefined && body !== '' && (mime === '' || mime.startsWith('application/x-www-form-urlencoded')))
        form = body;
      else if (params.length) form = paramsToForm(params);
      else if (body !== undefined && /(^|&)(SAMLRequest|SAMLResponse|SAMLart)=/.test(body)) form = body;
    }
    const response = isObject(raw.response) ? raw.response : undefined;
    const location = headerValue(response?.headers, 'location') ?? (text(response?.redirectURL) || undefined);
    entries.push({
      index,
      time,
      method: text(request.method) ?? 'GET',
      url: request.url,
      form,
      location,
      responseBody: harBody(index, response?.content, notes),
    });
  });
  return { ok: true, format: 'har', entries, notes };
}

function readSamlTracer(root: Json): CaptureResult {
  const requests = root.requests as unknown[];
  if (requests.length === 0) {
    return fail(
      'capture.no-entries',
      'The SAML-tracer export holds no requests ("requests" is empty): export again after the sign-in.',
    );
  }
  const notes: CaptureNote[] = [];
  const entries: CaptureEntry[] = [];
  requests.forEach((raw, index) => {
    if (!isObject(raw) || typeof raw.url !== 'string') {
      notes.push({ entryIndex: index, message: `Request ${index + 1} has no URL; it was skipped.` });
      return;
    }
    const post = nameValues(raw.post);
    entries.push({
      index,
      method: text(raw.method) ?? 'GET',
      url: raw.url,
      form: post.length ? paramsToForm(post) : undefined,
      samlXml: text(raw.saml) || undefined,
      location: headerValue(raw.responseHeaders, 'location'),
    });
  });
  const exported = typeof root.timestamp === 'string' ? new Date(root.timestamp) : undefined;
  return {
    ok: true,
    format: 'saml-tracer',
    entries,
    notes,
    exportedAt: exported && !Number.isNaN(exported.getTime()) ? exported : undefined,
  };
}
