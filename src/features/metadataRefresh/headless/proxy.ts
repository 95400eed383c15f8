/**
 * Which proxy VS Code sends a download through, so that a failure can name it. The extension host
 * applies the proxy to Node's http/https itself (VS Code's proxy support patches them); this
 * module only repeats its choice, in the same order: nothing when http.proxySupport is "off" or the
 * host is a loopback address, nothing when http.noProxy (or, when that is empty, NO_PROXY) matches
 * the host, then http.proxy, then the HTTPS_PROXY / HTTP_PROXY environment variables. A proxy
 * found by the operating system (desktop VS Code only) is not known here.
 */
import { isLoopbackHost, type ProxyInUse } from './download';

export interface ProxySettings {
  /** `http.proxySupport`: off, on, fallback, override (the default). */
  readonly proxySupport?: string;
  /** `http.proxy`. */
  readonly proxy?: string;
  /** `http.noProxy`. */
  readonly noProxy?: readonly string[];
  /** The environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A `no_proxy` list: `*`, host names (a leading dot optional, subdomains included), each with an optional `:port`. */
function bypasses(list: readonly string[], hostname: string, port: string): boolean {
  const entries = list.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  if (entries.includes('*')) return true;
  return entries.some((entry) => {
    const [name, entryPort] = entry.split(':', 2);
    const domain = name.startsWith('.') ? name : `.${name}`;
    return `.${hostname.toLowerCase()}`.endsWith(domain) && (!entryPort || entryPort === port);
  });
}

function parseProxy(text: string | undefined, from: string): ProxyInUse | undefined {
  if (!text?.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return { href: `${url.protocol}//${url.host}`, hostname: url.hostname.replace(/^\[|\]$/g, ''), port, from };
}

/** The proxy VS Code uses for `url` (see the module comment), or undefined when it connects directly. */
export function proxyFor(url: URL, settings: ProxySettings): ProxyInUse | undefined {
  if ((settings.proxySupport ?? 'override') === 'off') return undefined;
  if (isLoopbackHost(url.hostname)) return undefined;
  const env = settings.env ?? {};
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const noProxy = settings.noProxy ?? [];
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    noProxy.length > 0
      ? bypasses(noProxy, host, port)
      : bypasses((env.no_proxy ?? env.NO_PROXY ?? '').split(','), host, port)
  )
    return undefined;
  const configured = parseProxy(settings.proxy, 'http.proxy');
  if (configured) return configured;
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'])
    if (env[name]?.trim()) return parseProxy(env[name], name);
  return undefined;
}
