// Every exchange a loopback test server has, as a HAR 1.2 capture (the format browsers' developer
// tools save), so a test sign-in opens in the SAML flow view like a capture from a browser. Only
// what the server itself saw and sent is recorded: requests as they arrived, responses as written.
import type * as http from 'http';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: HarNameValue[];
    queryString: HarNameValue[];
    cookies: HarNameValue[];
    headersSize: number;
    bodySize: number;
    postData?: { mimeType: string; text: string; params: HarNameValue[] };
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarNameValue[];
    cookies: HarNameValue[];
    content: { size: number; mimeType: string; text: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
  };
}

/** At most this many exchanges are kept (the oldest go first): a capture of a test, not a log. */
export const MAX_HAR_ENTRIES = 500;

function headerList(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): HarNameValue[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) })),
  );
}

function pairs(params: URLSearchParams): HarNameValue[] {
  return [...params].map(([name, value]) => ({ name, value }));
}

export class HarRecorder {
  private readonly entries: HarEntry[] = [];

  constructor(private readonly creatorVersion = '0') {}

  get size(): number {
    return this.entries.length;
  }

  /**
   * Records one exchange once the response is written: `url` is the address the browser used,
   * `requestBody` the body as read (undefined when the server did not read one).
   */
  watch(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: string,
    body: () => string | undefined,
  ): void {
    const started = new Date();
    const chunks: Buffer[] = [];
    // Headers given to writeHead are sent without being kept where getHeaders() reads.
    let written: http.OutgoingHttpHeaders = {};
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => http.ServerResponse;
    response.writeHead = ((status: number, ...rest: unknown[]) => {
      const headers = rest.find((r) => typeof r === 'object' && r !== null && !Array.isArray(r));
      if (headers) written = Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
      return writeHead(status, ...rest);
    }) as typeof response.writeHead;
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => http.ServerResponse;
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return write(chunk, ...rest);
    }) as typeof response.write;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk);
      return end(chunk, ...rest);
    }) as typeof response.end;
    response.once('finish', () => {
      const requestBody = body();
      const parsed = new URL(url);
      const headers = { ...response.getHeaders(), ...written };
      const contentType = String(headers['content-type'] ?? '');
      const text = Buffer.concat(chunks).toString('utf8');
      const requestType = request.headers['content-type'] ?? '';
      this.add({
        startedDateTime: started.toISOString(),
        time: Date.now() - started.getTime(),
        request: {
          method: request.method ?? 'GET',
          url,
          httpVersion: `HTTP/${request.httpVersion}`,
          headers: headerList(request.headers),
          queryString: pairs(parsed.searchParams),
          cookies: [],
          headersSize: -1,
          bodySize: requestBody === undefined ? 0 : Buffer.byteLength(requestBody),
          ...(requestBody !== undefined && {
            postData: {
              mimeType: requestType,
              text: requestBody,
              params: requestType.startsWith('application/x-www-form-urlencoded')
                ? pairs(new URLSearchParams(requestBody))
                : [],
            },
          }),
        },
        response: {
          status: response.statusCode,
          statusText: response.statusMessage ?? '',
          httpVersion: `HTTP/${request.httpVersion}`,
          headers: headerList(headers),
          cookies: [],
          content: { size: Buffer.byteLength(text), mimeType: contentType, text },
          redirectURL: String(headers.location ?? ''),
          headersSize: -1,
          bodySize: Buffer.byteLength(text),
        },
        cache: {},
        timings: { send: 0, wait: Date.now() - started.getTime(), receive: 0 },
      });
    });
  }

  add(entry: HarEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_HAR_ENTRIES) this.entries.shift();
  }

  /** The capture so far, in time order, merged with the entries of other recorders (the other test server). */
  toHar(...others: readonly HarRecorder[]): Har {
    const entries = [...this.entries, ...others.flatMap((o) => o.entries)].sort((a, b) =>
      a.startedDateTime.localeCompare(b.startedDateTime),
    );
    return { log: { version: '1.2', creator: { name: 'SAML Lens', version: this.creatorVersion }, entries } };
  }
}
