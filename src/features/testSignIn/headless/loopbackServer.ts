// What the loopback test servers (the test SP and the test IdP) share: listening on 127.0.0.1 only,
// answering only requests whose Host is their own address (or the forwarded address the editor gave
// them, for remote workbenches), reading at most MAX_BODY_BYTES of any request, a plain HTML page for
// every answer and refusal, and a stop() that closes every connection. No vscode here.
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { escapeHtml } from '../../../core/xml/escape';
import type { HarRecorder } from './harRecorder';

/** A SAML message is a few kilobytes, an encrypted one with many attributes tens: 1 MB is generous. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A minimal HTML page; `body` is HTML the caller has escaped. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
  <body>
    <h1>${escapeHtml(title)}</h1>
    ${body}
  </body>
</html>
`;
}

export interface LoopbackServerOptions {
  /** The port to listen on; 0 picks a free one (tests). */
  port: number;
  /**
   * The base URL the browser reaches this server at: http://localhost:PORT, or what the editor's
   * port forwarding gave for it in a remote workbench. Its host is accepted in the Host header.
   */
  externalBase?: (port: number) => string;
  /** Records every exchange as HAR, for the SAML flow view. */
  recorder?: HarRecorder;
}

export interface LoopbackServerIdentity {
  /** How the server names itself in messages: "test SP", "test IdP". */
  label: string;
  /** What to do when the port is taken, e.g. "choose another in samlLens.testSignIn.port". */
  portAdvice: string;
  /** The paths it serves, for the "nothing here" and "method not accepted" answers. */
  paths: readonly string[];
  onRefused?: (reason: string) => void;
}

export abstract class LoopbackServer {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** The body read from each request, for the recorder. */
  private readonly bodies = new WeakMap<http.IncomingMessage, string>();
  private boundPort = 0;

  constructor(
    private readonly loopback: LoopbackServerOptions,
    private readonly identity: LoopbackServerIdentity,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get baseUrl(): string {
    return this.loopback.externalBase?.(this.boundPort) ?? `http://localhost:${this.boundPort}`;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Starts listening on 127.0.0.1; a port in use is refused with a message that says so. */
  start(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = http.createServer((request, response) => void this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    const { port } = this.loopback;
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `Port ${port} on 127.0.0.1 is already in use; ${this.identity.portAdvice}.`
              : `The ${this.identity.label} could not listen on 127.0.0.1:${port}: ${error.message}`,
          ),
        );
      });
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        this.boundPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening and closes every open connection; resolves when the port is free again. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /** Answers `METHOD /path`; throws HttpError for a refusal. Unknown routes fall through to 404/405. */
  protected abstract route(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean>;

  /** The hosts a browser may name in the Host header: this server's own, and the forwarded one. */
  private allowedHosts(): Set<string> {
    const hosts = new Set([`127.0.0.1:${this.boundPort}`, `localhost:${this.boundPort}`]);
    const forwarded = this.forwardedHost();
    if (forwarded) hosts.add(forwarded);
    return hosts;
  }

  /** The host of the base URL the browser was given; undefined when it does not parse. */
  private forwardedHost(): string | undefined {
    try {
      return new URL(this.baseUrl).host;
    } catch {
      return undefined;
    }
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const { label, paths } = this.identity;
    const host = request.headers.host ?? '';
    if (this.loopback.recorder) {
      // As the browser addressed it: below the forwarded base (which may carry a path) when it used that host.
      const base = host === this.forwardedHost() ? this.baseUrl.replace(/\/$/, '') : `http://${host}`;
      this.loopback.recorder.watch(request, response, `${base}${request.url ?? '/'}`, () => this.bodies.get(request));
    }
    try {
      if (!this.allowedHosts().has(host))
        throw new HttpError(421, `This ${label} answers only at its own address, not at Host "${host}".`);
      const url = new URL(request.url ?? '/', `http://${host}`);
      if (await this.route(request, response, url)) return;
      if (request.method === 'GET' && url.pathname === '/favicon.ico') {
        // The browser asks for an icon at every visit on its own: no refusal to log.
        response.writeHead(404, { 'Cache-Control': 'no-store' }).end();
        return;
      }
      if (paths.includes(url.pathname))
        throw new HttpError(405, `${request.method ?? ''} is not accepted at ${url.pathname}.`);
      throw new HttpError(404, `Nothing here: this ${label} serves ${paths.join(', ')}.`);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      this.identity.onRefused?.(`${status} ${request.method ?? ''} ${request.url ?? ''}: ${message}`);
      if (!response.headersSent)
        this.send(response, status, page(`SAML Lens ${label}`, `<p>${escapeHtml(message)}</p>`));
    }
  }

  protected send(response: http.ServerResponse, status: number, html: string): void {
    response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(html);
  }

  protected redirect(response: http.ServerResponse, location: string): void {
    response.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
    response.end();
  }

  /** The body of an HTML form post, at most MAX_BODY_BYTES; `where` names the endpoint in messages. */
  protected async readForm(request: http.IncomingMessage, where: string): Promise<string> {
    const type = request.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
      throw new HttpError(
        415,
        `The ${where} takes the HTTP-POST binding's form (application/x-www-form-urlencoded), not "${type}".`,
      );
    return this.readBody(request);
  }

  private readBody(request: http.IncomingMessage): Promise<string> {
    const { label } = this.identity;
    return new Promise((resolve, reject) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        reject(
          new HttpError(413, `The request body is ${declared} bytes; this ${label} reads at most ${MAX_BODY_BYTES}.`),
        );
        request.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      request.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > MAX_BODY_BYTES) {
          reject(
            new HttpError(413, `The request body is over ${MAX_BODY_BYTES} bytes; this ${label} reads at most that.`),
          );
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.bodies.set(request, body);
        resolve(body);
      });
      request.on('error', reject);
    });
  }
}
