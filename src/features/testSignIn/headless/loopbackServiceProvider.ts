// A throwaway service provider on the loopback interface, to check an IdP's configuration with a
// real sign-in: it sends an AuthnRequest to the IdP's single sign-on endpoint (Redirect or POST
// binding) and receives the Response at its ACS, which it hands to the editor to validate.
//
// It listens on 127.0.0.1 only, answers only requests whose Host is its own address (or the
// forwarded address the editor gave it, for remote workbenches), reads at most MAX_BODY_BYTES of
// any request, and its stop() closes every connection. No vscode here: the unit tests drive it
// with plain HTTP.
import * as crypto from 'crypto';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { buildSpMetadata } from '../../../core/build/metadata';
import { buildAuthnRequest, encodeRedirect } from '../../../core/build/response';
import { postBindingForm } from '../../../core/build/testResponse';
import { escapeHtml } from '../../../core/xml/escape';

export const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
export const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** A SAMLResponse is a few kilobytes, an encrypted one with many attributes tens: 1 MB is generous. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const PATHS = { login: '/saml/login', acs: '/saml/acs', metadata: '/saml/metadata' } as const;

export interface IdentityProviderEndpoint {
  entityId: string;
  /** The SingleSignOnService to send the AuthnRequest to. */
  ssoUrl: string;
  ssoBinding: typeof BINDING_REDIRECT | typeof BINDING_POST;
}

export interface LoopbackServiceProviderOptions {
  idp: IdentityProviderEndpoint;
  /** The port to listen on (registered at the IdP); 0 picks a free one (tests). */
  port: number;
  /** The SP's entityID; default the metadata URL. */
  entityId?: string;
  /**
   * The base URL the browser reaches this server at: http://localhost:PORT, or what the editor's
   * port forwarding gave for it in a remote workbench. Its host is accepted in the Host header.
   */
  externalBase?: (port: number) => string;
  /** Attribute names the SP expects, published as RequestedAttributes. */
  expectedAttributes?: readonly string[];
}

export interface ReceivedResponse {
  /** The SAMLResponse form field as posted (base64). */
  samlResponse: string;
  relayState: string | undefined;
  /** The ID of the AuthnRequest this server sent and is waiting for, when the RelayState names one; else undefined (IdP-initiated). */
  requestId: string | undefined;
  receivedAt: Date;
}

export interface LoopbackEvents {
  onResponse(received: ReceivedResponse): void;
  onRequestSent?(requestId: string): void;
  /** A request the server refused, and why (for the log). */
  onRefused?(reason: string): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function page(title: string, body: string): string {
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

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(
        new HttpError(413, `The request body is ${declared} bytes; this test SP reads at most ${MAX_BODY_BYTES}.`),
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
          new HttpError(413, `The request body is over ${MAX_BODY_BYTES} bytes; this test SP reads at most that.`),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export class LoopbackServiceProvider {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Request IDs sent and not yet answered, by the RelayState that travels with them. */
  private readonly pending = new Map<string, string>();
  private boundPort = 0;

  constructor(
    private readonly options: LoopbackServiceProviderOptions,
    private readonly events: LoopbackEvents,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get baseUrl(): string {
    return this.options.externalBase?.(this.boundPort) ?? `http://localhost:${this.boundPort}`;
  }

  get entityId(): string {
    return this.options.entityId || this.url(PATHS.metadata);
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
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
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `Port ${this.options.port} on 127.0.0.1 is already in use; choose another in samlLens.testSignIn.port (and register the new reply URL at the IdP).`
              : `The test SP could not listen on 127.0.0.1:${this.options.port}: ${error.message}`,
          ),
        );
      });
      server.listen(this.options.port, '127.0.0.1', () => {
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

  get listening(): boolean {
    return this.server !== undefined;
  }

  metadataXml(): string {
    return buildSpMetadata({
      entityId: this.entityId,
      acsUrls: [this.url(PATHS.acs)],
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      requestedAttributes: (this.options.expectedAttributes ?? []).map((name) => ({ name, isRequired: true })),
      serviceName: 'SAML Lens test sign-in',
      wantAssertionsSigned: true,
    });
  }

  /** The hosts a browser may name in the Host header: this server's own, and the forwarded one. */
  private allowedHosts(): Set<string> {
    const hosts = new Set([`127.0.0.1:${this.boundPort}`, `localhost:${this.boundPort}`]);
    try {
      hosts.add(new URL(this.baseUrl).host);
    } catch {
      // A base URL that does not parse adds nothing.
    }
    return hosts;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    try {
      const host = request.headers.host ?? '';
      if (!this.allowedHosts().has(host))
        throw new HttpError(421, `This test SP answers only at its own address, not at Host "${host}".`);
      const url = new URL(request.url ?? '/', `http://${host}`);
      const route = `${request.method ?? 'GET'} ${url.pathname}`;
      switch (route) {
        case `GET ${PATHS.login}`:
          return this.sendRequest(response);
        case `POST ${PATHS.acs}`:
          return await this.receiveResponse(request, response);
        case `GET ${PATHS.metadata}`:
          response.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8' });
          response.end(this.metadataXml());
          return;
        case 'GET /':
          return this.send(
            response,
            200,
            page(
              'SAML Lens test sign-in',
              `<p><a href="${PATHS.login}">Sign in with ${escapeHtml(this.options.idp.entityId)}</a></p>`,
            ),
          );
        default:
          if (Object.values(PATHS).includes(url.pathname as (typeof PATHS)[keyof typeof PATHS]))
            throw new HttpError(405, `${request.method ?? ''} is not accepted at ${url.pathname}.`);
          throw new HttpError(404, `Nothing here: this test SP serves ${Object.values(PATHS).join(', ')}.`);
      }
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      this.events.onRefused?.(`${status} ${request.method ?? ''} ${request.url ?? ''}: ${message}`);
      if (!response.headersSent)
        this.send(response, status, page('SAML Lens test SP', `<p>${escapeHtml(message)}</p>`));
    }
  }

  private send(response: http.ServerResponse, status: number, html: string): void {
    response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(html);
  }

  private sendRequest(response: http.ServerResponse): void {
    const id = `_${crypto.randomBytes(16).toString('hex')}`;
    const relayState = crypto.randomBytes(12).toString('hex');
    this.pending.set(relayState, id);
    const { idp } = this.options;
    const xml = buildAuthnRequest({
      id,
      issuer: this.entityId,
      destination: idp.ssoUrl,
      assertionConsumerServiceUrl: this.url(PATHS.acs),
      issueInstant: new Date(),
    });
    this.events.onRequestSent?.(id);
    if (idp.ssoBinding === BINDING_POST) {
      const form = postBindingForm(
        idp.ssoUrl,
        { SAMLRequest: Buffer.from(xml, 'utf8').toString('base64'), RelayState: relayState },
        'SAML Lens test sign-in',
      );
      return this.send(response, 200, form);
    }
    // encodeRedirect answers the whole URL: the SSO URL with the binding's parameters added.
    const location = encodeRedirect(xml, { destination: idp.ssoUrl, parameter: 'SAMLRequest', relayState });
    response.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
    response.end();
  }

  private async receiveResponse(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const type = request.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
      throw new HttpError(
        415,
        `The ACS takes the HTTP-POST binding's form (application/x-www-form-urlencoded), not "${type}".`,
      );
    const form = new URLSearchParams(await readBody(request));
    const samlResponse = form.get('SAMLResponse');
    if (!samlResponse) throw new HttpError(400, 'The form has no SAMLResponse field.');
    const relayState = form.get('RelayState') ?? undefined;
    const requestId = relayState === undefined ? undefined : this.pending.get(relayState);
    if (relayState !== undefined) this.pending.delete(relayState);
    const received: ReceivedResponse = { samlResponse, relayState, requestId, receivedAt: new Date() };
    // Handed over once the browser has its page: the editor may stop this server on receipt.
    response.once('close', () => this.events.onResponse(received));
    this.send(
      response,
      200,
      page(
        'Response received',
        `<p>SAML Lens received the ${requestId ? 'response to its request' : 'IdP-initiated response'}. The verdict is in VS Code; you can close this tab.</p>`,
      ),
    );
  }
}
