/**
 * Downloads a metadata document from its source URL with Node's http/https and nothing else, so it
 * runs in unit tests against local servers. It refuses what a person did not ask for: plain http to
 * anything but a loopback address, more than 5 redirects (or a loop), a body larger than the limit
 * (aborted as soon as it is exceeded, not after), and a connection or a whole download that takes
 * too long. Every refusal names the step and its cause. Proxies are not used (see the README).
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface DownloadOptions {
  /** Connecting (DNS, TCP, TLS) and waiting for the response headers. */
  readonly connectTimeoutMs?: number;
  /** The whole download, redirects included. */
  readonly totalTimeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly signal?: AbortSignal;
  /** Told about every URL requested (redirects included) and the bytes read so far. */
  readonly onProgress?: (progress: { url: string; bytes: number }) => void;
}

export const DOWNLOAD_DEFAULTS = {
  connectTimeoutMs: 15_000,
  totalTimeoutMs: 120_000,
  maxBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
} as const;

export type DownloadFailureKind =
  | 'invalid-url'
  | 'not-https'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'http-status'
  | 'too-large'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'network'
  | 'cancelled';

export type DownloadResult =
  | { ok: true; text: string; url: string; redirects: readonly string[]; bytes: number }
  | { ok: false; kind: DownloadFailureKind; message: string; url: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Why `text` may not be downloaded from, or undefined when it may (https, or http to a loopback address). */
export function refuseUrl(text: string): { kind: 'invalid-url' | 'not-https'; message: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'invalid-url', message: `"${text}" is not a URL.` };
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  if (url.protocol === 'http:')
    return {
      kind: 'not-https',
      message: `${text} is plain http to ${url.hostname}: metadata is downloaded over https only (http only from 127.0.0.1, ::1 or localhost).`,
    };
  return { kind: 'not-https', message: `${text} is not an https URL (${url.protocol.replace(/:$/, '')}).` };
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

class Failure extends Error {
  constructor(
    readonly kind: DownloadFailureKind,
    message: string,
  ) {
    super(message);
  }
}

function networkFailure(error: NodeJS.ErrnoException, url: URL): Failure {
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Failure('dns', `The name ${url.hostname} could not be resolved (DNS: ${error.code}).`);
    case 'ECONNREFUSED':
      return new Failure('refused', `${url.host} refused the connection.`);
    case 'ECONNRESET':
      return new Failure('network', `${url.host} closed the connection before the download ended.`);
    default:
      return new Failure('network', `The download from ${url.host} failed: ${error.message}.`);
  }
}

interface Hop {
  readonly status: number;
  readonly location?: string;
  readonly body?: Buffer;
}

function requestOnce(
  url: URL,
  options: Required<Omit<DownloadOptions, 'signal' | 'onProgress'>> & DownloadOptions,
  deadline: AbortSignal,
): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, {
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml, */*' },
      signal: deadline,
    });
    const connectTimer = setTimeout(() => {
      request.destroy(
        new Failure(
          'timeout',
          `${url.host} did not answer within ${options.connectTimeoutMs / 1000} s (connect timeout).`,
        ),
      );
    }, options.connectTimeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (error instanceof Failure) reject(error);
      else if (error.name === 'AbortError')
        reject(
          deadline.reason instanceof Failure
            ? deadline.reason
            : new Failure('cancelled', 'The download was cancelled.'),
        );
      else reject(networkFailure(error, url));
    });
    request.on('response', (response) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        resolve({ status, location: response.headers.location });
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(
          new Failure(
            'http-status',
            `${url.href} answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}.`,
          ),
        );
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        request.destroy(
          new Failure(
            'too-large',
            `${url.href} announces ${megabytes(declared)}, more than the limit of ${megabytes(options.maxBytes)}.`,
          ),
        );
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > options.maxBytes) {
          request.destroy(
            new Failure(
              'too-large',
              `${url.href} sent more than the limit of ${megabytes(options.maxBytes)}; the download was stopped.`,
            ),
          );
          return;
        }
        chunks.push(chunk);
        options.onProgress?.({ url: url.href, bytes: length });
      });
      response.on('error', (error: NodeJS.ErrnoException) => request.destroy(error));
      response.on('end', () => {
        if (!response.complete) return;
        resolve({ status, body: Buffer.concat(chunks) });
      });
    });
  });
}

/** Downloads `source` (see the module comment); never throws. */
export async function downloadMetadata(source: string, given: DownloadOptions = {}): Promise<DownloadResult> {
  const options = { ...DOWNLOAD_DEFAULTS, ...given };
  const refused = refuseUrl(source);
  if (refused) return { ok: false, ...refused, url: source };
  const controller = new AbortController();
  const totalTimer = setTimeout(
    () =>
      controller.abort(
        new Failure(
          'timeout',
          `The download did not finish within ${options.totalTimeoutMs / 1000} s (total timeout).`,
        ),
      ),
    options.totalTimeoutMs,
  );
  const cancel = () => controller.abort(new Failure('cancelled', 'The download was cancelled.'));
  options.signal?.addEventListener('abort', cancel, { once: true });
  const redirects: string[] = [];
  let url = new URL(source);
  try {
    if (options.signal?.aborted) throw new Failure('cancelled', 'The download was cancelled.');
    for (;;) {
      options.onProgress?.({ url: url.href, bytes: 0 });
      const hop = await requestOnce(url, options, controller.signal);
      if (hop.body) {
        return { ok: true, text: hop.body.toString('utf8'), url: url.href, redirects, bytes: hop.body.length };
      }
      const next = new URL(hop.location ?? '', url);
      const seen = [source, ...redirects];
      if (seen.includes(next.href))
        throw new Failure('redirect-loop', `The redirects loop: ${[...seen, next.href].join(' → ')}.`);
      if (redirects.length >= options.maxRedirects)
        throw new Failure(
          'too-many-redirects',
          `More than ${options.maxRedirects} redirects: ${[...seen, next.href].join(' → ')}.`,
        );
      const refusedHop = refuseUrl(next.href);
      if (refusedHop)
        throw new Failure(
          refusedHop.kind,
          `${url.href} redirects to ${next.href}, which is refused: ${refusedHop.message}`,
        );
      redirects.push(next.href);
      url = next;
    }
  } catch (error) {
    const failure =
      error instanceof Failure ? error : new Failure('network', `The download failed: ${(error as Error).message}.`);
    return { ok: false, kind: failure.kind, message: failure.message, url: url.href };
  } finally {
    clearTimeout(totalTimer);
    options.signal?.removeEventListener('abort', cancel);
  }
}
