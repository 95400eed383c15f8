// A browser's side of the loopback test servers (test SP, test IdP): one HTTP request to 127.0.0.1
// with the Host header a browser on this machine sends, the answer read whole.
import * as http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface CallOptions {
  host?: string;
  body?: string;
  type?: string;
}

export function call(
  server: { port: number },
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: {
          Host: options.host ?? `localhost:${server.port}`,
          ...(options.body !== undefined && { 'Content-Type': options.type ?? 'application/x-www-form-urlencoded' }),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The value of a hidden field of an HTML form, with the page's HTML escaping undone. */
export function formField(html: string, name: string): string | undefined {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  return value
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
