/**
 * Downloads a metadata document from its source URL with Node's http/https and nothing else, so it
 * runs in unit tests against local servers. It refuses what a person did not ask for: plain http to
 * anything but a loopback address, more than 5 redirects (or a loop), a body larger than the limit
 * (aborted as soon as it is exceeded, not after), and a connection or a whole download that takes
 * too long. Every refusal names the step and its cause.
 *
 * Proxies: in VS Code the extension host applies the proxy it is configured with (http.proxy,
 * http.noProxy, http.proxySupport, the HTTPS_PROXY environment variable) to Node's http/https, so
 * these requests go through it, and loopback addresses stay direct. `proxyFor` says which proxy
 * that is, only to name it when it refuses or cannot be reached: a proxy's refusal of a CONNECT
 * arrives as an ordinary response over the unencrypted connection to the proxy.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';

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
  /** The proxy the request for a URL goes through, when known (see the module comment). */
  readonly proxyFor?: (url: URL) => ProxyInUse | undefined;
}

export interface ProxyInUse {
  /** The proxy's URL without credentials, e.g. `http://proxy.corp:3128`. */
  readonly href: string;
  readonly hostname: string;
  readonly port: number;
  /** Where it is configured: `http.proxy` or the environment variable's name. */
  readonly from: string;
}

/** How a message names the proxy: `the proxy http://proxy.corp:3128 (http.proxy)`. */
export function describeProxy(proxy: ProxyInUse): string {
  return `the proxy ${proxy.href} (${proxy.from})`;
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
  | 'proxy'
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

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A connection error that is about the proxy rather than `url`'s host. */
function proxyFailure(
  error: NodeJS.ErrnoException & { port?: number; hostname?: string },
  proxy: ProxyInUse,
): Failure | undefined {
  const name = describeProxy(proxy);
  // VS Code's proxy agent reports a proxy it could not connect to this way, without the socket's error.
  if (/socket connection to proxies/i.test(error.message))
    return new Failure('proxy', `${capitalised(name)} cannot be reached (${error.message.replace(/\.$/, '')}).`);
  const aboutProxy = error.port === proxy.port || error.hostname === proxy.hostname;
  if (!aboutProxy) return undefined;
  switch (error.code) {
    case 'ECONNREFUSED':
      return new Failure('proxy', `${capitalised(name)} cannot be reached: it refused the connection (ECONNREFUSED).`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Failure('proxy', `${capitalised(name)} cannot be reached: its name does not resolve (${error.code}).`);
    default:
      return new Failure('proxy', `${capitalised(name)} failed: ${error.message}.`);
  }
}

function networkFailure(error: NodeJS.ErrnoException, url: URL, proxy: ProxyInUse | undefined): Failure {
  const fromProxy = proxy && proxyFailure(error, proxy);
  if (fromProxy) return fromProxy;
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
  options: Required<Omit<DownloadOptions, 'signal' | 'onProgress' | 'proxyFor'>> & DownloadOptions,
  deadline: AbortSignal,
): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const proxy = options.proxyFor?.(url);
    const through = proxy ? ` through ${describeProxy(proxy)}` : '';
    const request = client.get(url, {
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml, */*' },
      signal: deadline,
    });
    const connectTimer = setTimeout(() => {
      request.destroy(
        new Failure(
          'timeout',
          `${url.host} did not answer${through} within ${options.connectTimeoutMs / 1000} s (connect timeout).`,
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
      else reject(networkFailure(error, url, proxy));
    });
    request.on('response', (response) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      const answer = `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
      if (url.protocol === 'https:' && !(response.socket as TLSSocket | null)?.encrypted) {
        // Not over TLS: the proxy's own answer to CONNECT, not the server's.
        response.resume();
        const port = url.port || '443';
        const who = proxy ? describeProxy(proxy) : 'a proxy between VS Code and the server';
        const credentials =
          status === 407
            ? ' It asks for credentials: put them in http.proxy (http://user:password@host:port) or set http.proxyAuthorization.'
            : '';
        reject(
          new Failure(
            'proxy',
            `${capitalised(who)} refused to connect to ${url.hostname}:${port}: it answered ${answer}.${credentials}`,
          ),
        );
        return;
      }
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        resolve({ status, location: response.headers.location });
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(new Failure('http-status', `${url.href} answered ${answer}.`));
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
