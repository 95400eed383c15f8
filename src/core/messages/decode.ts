// Turns whatever the user pasted into the SAML message it carries: raw or URL-encoded base64 (HTTP-POST),
// base64 + raw DEFLATE (HTTP-Redirect), a full URL, a form body, a log line containing one of those,
// or plain XML. Every failure is a result with a specific message, never an exception.
import * as zlib from 'zlib';
import { loadMessageDocument } from '../xml/messageDocument';
import { NS } from '../xml/namespaces';

export type SamlMessageType = 'Response' | 'AuthnRequest' | 'LogoutRequest' | 'LogoutResponse';

export type DecodeErrorCode =
  | 'decode.empty'
  | 'decode.too-large'
  | 'decode.no-message'
  | 'decode.not-base64'
  | 'decode.truncated'
  | 'decode.inflate-failed'
  | 'decode.inflate-too-large'
  | 'decode.not-xml'
  | 'decode.not-utf8'
  | 'decode.doctype'
  | 'decode.not-saml';

export interface DecodeSuccess {
  ok: true;
  binding: 'post' | 'redirect' | 'xml';
  messageType: SamlMessageType;
  /** The decoded message text, exactly as carried (no re-serialisation). */
  xml: string;
  relayState?: string;
  sigAlg?: string;
  signature?: string;
  /** Decoded query/form parameters, when the input had any. */
  parameters: Record<string, string>;
  /**
   * The parameters exactly as they appeared (still URL-encoded), in order. Redirect-binding
   * signatures cover these original bytes, not a re-encoding.
   */
  rawParameters: { name: string; value: string }[];
}

export interface DecodeFailure {
  ok: false;
  code: DecodeErrorCode;
  message: string;
}

export type DecodeResult = DecodeSuccess | DecodeFailure;

/** Pasted text above this size is refused before any work. */
export const MAX_ENCODED_LENGTH = 10 * 1024 * 1024;
/** Inflating stops here: a few KB of DEFLATE can expand to gigabytes. */
export const MAX_INFLATED_BYTES = 20 * 1024 * 1024;

const MESSAGE_ROOTS: Record<string, SamlMessageType> = {
  Response: 'Response',
  AuthnRequest: 'AuthnRequest',
  LogoutRequest: 'LogoutRequest',
  LogoutResponse: 'LogoutResponse',
};

function fail(code: DecodeErrorCode, message: string): DecodeFailure {
  return { ok: false, code, message };
}

/** `%XX` and `+` (form encoding) decoded; undefined when an escape is broken. */
export function percentDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Splits `a=1&b=2` keeping each raw (encoded) value. */
export function splitQuery(query: string): { name: string; value: string }[] {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? { name: pair, value: '' } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
    });
}

/**
 * Finds `SAMLResponse=` / `SAMLRequest=` in a URL, a form body or a log line and returns the
 * surrounding query string (delimited by whitespace, quotes or brackets, starting after a `?`).
 */
function findQuery(text: string): string | undefined {
  const match = /(?:^|[?&\s"'<>([{,;])(SAMLResponse|SAMLRequest)=/.exec(text);
  if (!match) return undefined;
  const keyStart = match.index + match[0].length - match[1].length - 1;
  let start = keyStart;
  while (start > 0 && !/[\s"'<>?([{,;]/.test(text[start - 1])) start--;
  let end = keyStart;
  while (end < text.length && !/[\s"'<>)\]},;]/.test(text[end])) end++;
  return text.slice(start, end);
}

/** Converts base64 text (whitespace, URL-safe alphabet and missing padding tolerated) to bytes. */
function base64ToBytes(text: string): { bytes: Buffer } | DecodeFailure {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (compact === '') return fail('decode.empty', 'The SAML parameter is empty: there is no message to decode.');
  const bad = /[^A-Za-z0-9+/=]/.exec(compact);
  if (bad) {
    return fail(
      'decode.not-base64',
      `This is not base64: the character "${bad[0]}" at position ${bad.index + 1} cannot appear in a base64-encoded SAML message.`,
    );
  }
  if (/=[^=]/.test(compact) || /={3,}$/.test(compact)) {
    return fail(
      'decode.not-base64',
      'This is not valid base64: "=" padding appears in the middle of the text. Two messages may have been pasted together.',
    );
  }
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) {
    return fail(
      'decode.truncated',
      `The base64 text looks truncated: ${unpadded.length} characters cannot encode whole bytes. Copy the complete value (it often ends with "=").`,
    );
  }
  return { bytes: Buffer.from(unpadded, 'base64') };
}

const UTF16_BOMS: [number, number, 'utf-16le' | 'utf-16be'][] = [
  [0xff, 0xfe, 'utf-16le'],
  [0xfe, 0xff, 'utf-16be'],
];

function utf16Encoding(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  return UTF16_BOMS.find(([first, second]) => bytes[0] === first && bytes[1] === second)?.[2];
}

function looksLikeXml(bytes: Buffer): boolean {
  const encoding = utf16Encoding(bytes);
  const head = bytes.subarray(0, 128);
  const start = (encoding ? new TextDecoder(encoding).decode(head) : head.toString('utf8'))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return start.startsWith('<');
}

/** Where UTF-8 decoding first fails, for the message: offset and the offending byte. */
function firstInvalidUtf8(bytes: Buffer): { offset: number; byte: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection (a cut inside a multi-byte sequence also fails, so allow 3 bytes of slack).
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    try {
      decoder.decode(bytes.subarray(0, middle));
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  let offset = low;
  while (offset < bytes.length && bytes[offset] < 0x80) offset++;
  return { offset, byte: bytes[Math.min(offset, bytes.length - 1)] };
}

/**
 * Bytes to text as XML defines it: a UTF-16 byte order mark, else UTF-8 unless the XML declaration names
 * another encoding. Invalid UTF-8 is refused with a message rather than silently turned into U+FFFD,
 * which would only surface later as a baffling digest mismatch.
 */
function bytesToText(bytes: Buffer): { xml: string } | DecodeFailure {
  const utf16 = utf16Encoding(bytes);
  if (utf16) return { xml: new TextDecoder(utf16).decode(bytes) };
  try {
    return { xml: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const declared = /^\s*<\?xml[^?>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
      bytes.subarray(0, 200).toString('latin1'),
    )?.[1];
    if (declared && !/^utf-?8$/i.test(declared)) {
      try {
        return { xml: new TextDecoder(declared.toLowerCase()).decode(bytes) };
      } catch {
        return fail(
          'decode.not-utf8',
          `The message declares encoding="${declared}", which is not a known character encoding; SAML messages are normally UTF-8.`,
        );
      }
    }
    if (!looksLikeXml(bytes)) {
      return fail(
        'decode.not-xml',
        'The decoded data is binary, not XML text: it neither starts with "<" nor is valid UTF-8. Check that the whole value was copied.',
      );
    }
    const { offset, byte } = firstInvalidUtf8(bytes);
    return fail(
      'decode.not-utf8',
      `The decoded message is not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset} cannot start or continue a UTF-8 character, and the XML declaration names no other encoding. ` +
        "The value was probably re-encoded (e.g. as Latin-1) on the way; copy it again from the browser's network tab.",
    );
  }
}

function inflate(bytes: Buffer): { xml: string } | DecodeFailure {
  const attempts: Array<(input: Buffer) => Buffer> = [
    (input) => zlib.inflateRawSync(input, { maxOutputLength: MAX_INFLATED_BYTES }),
    // Some tools wrap the DEFLATE stream in a zlib header although the binding says raw DEFLATE.
    (input) => zlib.inflateSync(input, { maxOutputLength: MAX_INFLATED_BYTES }),
  ];
  let firstError: NodeJS.ErrnoException | undefined;
  for (const attempt of attempts) {
    let inflated: Buffer;
    try {
      inflated = attempt(bytes);
    } catch (error) {
      const errno = error as NodeJS.ErrnoException;
      if (
        errno.code === 'ERR_BUFFER_TOO_LARGE' ||
        /Cannot create a Buffer larger|buffer.*too large/i.test(errno.message)
      ) {
        return fail(
          'decode.inflate-too-large',
          `The compressed message inflates to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB, which no real SAML message does; decompression was stopped (possible decompression bomb).`,
        );
      }
      firstError ??= errno;
      continue;
    }
    return bytesToText(inflated);
  }
  if (firstError?.code === 'Z_BUF_ERROR' || /unexpected end/i.test(firstError?.message ?? '')) {
    return fail(
      'decode.truncated',
      'The DEFLATE data ends too early: the message was cut off while copying. Copy the complete SAMLRequest/SAMLResponse value.',
    );
  }
  return fail(
    'decode.inflate-failed',
    `The base64 decodes to binary data that is neither XML nor DEFLATE-compressed XML (${firstError?.message ?? 'inflate failed'}). Check that the whole value was copied.`,
  );
}

/** Recognises the message by the namespace URI and local name of its root element. */
function classify(xml: string): { messageType: SamlMessageType } | DecodeFailure {
  const loaded = loadMessageDocument(xml);
  if (!loaded.ok) {
    if (loaded.code === 'xml.doctype') return fail('decode.doctype', loaded.message);
    if (loaded.code === 'xml.empty') return fail('decode.empty', 'The decoded message is empty.');
    if (loaded.code === 'xml.too-large') return fail('decode.too-large', loaded.message);
    return loaded.code === 'xml.truncated'
      ? fail(
          'decode.truncated',
          `The decoded XML ends before the root element is closed: the message looks truncated. ${loaded.message}`,
        )
      : fail('decode.not-xml', `The decoded text is not well-formed XML. ${loaded.message}`);
  }
  const root = loaded.document.documentElement;
  const messageType = root.namespaceURI === NS.samlp ? MESSAGE_ROOTS[root.localName] : undefined;
  if (!messageType) {
    return fail(
      'decode.not-saml',
      `The root element is {${root.namespaceURI ?? 'no namespace'}}${root.localName}, not a SAML 2.0 Response, AuthnRequest, LogoutRequest or LogoutResponse (namespace ${NS.samlp}).`,
    );
  }
  return { messageType };
}

function decodeParameterValue(raw: string, isRedirect: boolean): { xml: string; redirect: boolean } | DecodeFailure {
  const value = percentDecode(raw);
  if (value === undefined)
    return fail('decode.not-base64', 'The SAML parameter contains a broken %-escape and cannot be URL-decoded.');
  // A "+" in an already URL-decoded form body is a space that was a "+" in base64: restore it.
  const decoded = base64ToBytes(value.replace(/ /g, '+'));
  if ('ok' in decoded) return decoded;
  if (decoded.bytes.toString('latin1').trim() === '')
    return fail('decode.empty', 'The SAML parameter decodes to nothing but whitespace: there is no message in it.');
  if (!isRedirect && looksLikeXml(decoded.bytes)) {
    const text = bytesToText(decoded.bytes);
    return 'ok' in text ? text : { xml: text.xml, redirect: false };
  }
  const inflated = inflate(decoded.bytes);
  if ('ok' in inflated) return inflated;
  return { xml: inflated.xml, redirect: true };
}

export function decodeSamlInput(text: string): DecodeResult {
  if (text.length > MAX_ENCODED_LENGTH) {
    return fail(
      'decode.too-large',
      `The input is ${(text.length / 1024 / 1024).toFixed(1)} MB; SAML messages are far smaller, so anything above ${MAX_ENCODED_LENGTH / 1024 / 1024} MB is refused.`,
    );
  }
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '')
    return fail(
      'decode.empty',
      'Nothing to decode: paste a SAMLResponse or SAMLRequest value, a URL, a form body or the XML.',
    );

  if (trimmed.startsWith('<')) {
    const kind = classify(trimmed === text ? text : text.replace(/^\uFEFF/, '').trim());
    if ('ok' in kind) return kind;
    return { ok: true, binding: 'xml', messageType: kind.messageType, xml: trimmed, parameters: {}, rawParameters: [] };
  }

  const query = findQuery(trimmed);
  if (query !== undefined) {
    const rawParameters = splitQuery(query);
    const parameters: Record<string, string> = {};
    for (const { name, value } of rawParameters) parameters[name] ??= percentDecode(value) ?? value;
    const samlParameter = rawParameters.find((p) => p.name === 'SAMLResponse' || p.name === 'SAMLRequest')!;
    // SigAlg only exists in the Redirect binding; otherwise the bytes tell (XML → POST, DEFLATE → Redirect).
    const decoded = decodeParameterValue(samlParameter.value, 'SigAlg' in parameters);
    if ('ok' in decoded) return decoded;
    const kind = classify(decoded.xml);
    if ('ok' in kind) return kind;
    return {
      ok: true,
      binding: decoded.redirect ? 'redirect' : 'post',
      messageType: kind.messageType,
      xml: decoded.xml,
      relayState: parameters.RelayState,
      sigAlg: parameters.SigAlg,
      signature: parameters.Signature,
      parameters,
      rawParameters,
    };
  }

  // Bare base64 (possibly URL-encoded), or a log line with one long base64 run in it.
  let candidate = trimmed;
  const isBareBase64 = candidate.split(/\r?\n/).every((line) => /^[A-Za-z0-9+/=%_-]*$/.test(line.trim()));
  if (!isBareBase64) {
    const runs = candidate.match(/[A-Za-z0-9+/%]{40,}={0,2}(?:%3D){0,2}/gi);
    if (!runs) {
      return fail(
        'decode.no-message',
        'No SAML message found: expected base64 (from a SAMLResponse/SAMLRequest field), a URL or form body containing SAMLResponse= or SAMLRequest=, or XML starting with "<".',
      );
    }
    candidate = runs.reduce((longest, run) => (run.length > longest.length ? run : longest));
  }
  const decoded = decodeParameterValue(candidate.includes('%') ? candidate : candidate.replace(/\+/g, '%2B'), false);
  if ('ok' in decoded) return decoded;
  const kind = classify(decoded.xml);
  if ('ok' in kind) return kind;
  return {
    ok: true,
    binding: decoded.redirect ? 'redirect' : 'post',
    messageType: kind.messageType,
    xml: decoded.xml,
    parameters: {},
    rawParameters: [],
  };
}
