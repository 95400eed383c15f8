// A throwaway service provider on the loopback interface, to check an IdP's configuration with a
// real sign-in: it sends an AuthnRequest to the IdP's single sign-on endpoint (Redirect or POST
// binding) and receives the Response at its ACS, which it hands to the editor to validate.
//
// The listening, Host check, body limit and stop() are loopbackServer.ts's, shared with the test IdP.
// No vscode here: the unit tests drive it with plain HTTP.
import * as crypto from 'crypto';
import type * as http from 'http';
import { buildSpMetadata } from '../../../core/build/metadata';
import { buildAuthnRequest, encodeRedirect } from '../../../core/build/response';
import { postBindingForm } from '../../../core/build/testResponse';
import { escapeHtml } from '../../../core/xml/escape';
import { HttpError, LoopbackServer, MAX_BODY_BYTES, page, type LoopbackServerOptions } from './loopbackServer';

export { MAX_BODY_BYTES };

export const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
export const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export const PATHS = { login: '/saml/login', acs: '/saml/acs', metadata: '/saml/metadata' } as const;

export interface IdentityProviderEndpoint {
  entityId: string;
  /** The SingleSignOnService to send the AuthnRequest to. */
  ssoUrl: string;
  ssoBinding: typeof BINDING_REDIRECT | typeof BINDING_POST;
}

export interface LoopbackServiceProviderOptions extends LoopbackServerOptions {
  idp: IdentityProviderEndpoint;
  /** The SP's entityID; default the metadata URL. */
  entityId?: string;
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

export class LoopbackServiceProvider extends LoopbackServer {
  /** Request IDs sent and not yet answered, by the RelayState that travels with them. */
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly options: LoopbackServiceProviderOptions,
    private readonly events: LoopbackEvents,
  ) {
    super(options, {
      label: 'test SP',
      portAdvice: 'choose another in samlLens.testSignIn.port (and register the new reply URL at the IdP)',
      paths: Object.values(PATHS),
      onRefused: (reason) => events.onRefused?.(reason),
    });
  }

  get entityId(): string {
    return this.options.entityId || this.url(PATHS.metadata);
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

  protected async route(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean> {
    switch (`${request.method ?? 'GET'} ${url.pathname}`) {
      case `GET ${PATHS.login}`:
        this.sendRequest(response);
        return true;
      case `POST ${PATHS.acs}`:
        await this.receiveResponse(request, response);
        return true;
      case `GET ${PATHS.metadata}`:
        response.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8' });
        response.end(this.metadataXml());
        return true;
      case 'GET /':
        this.send(
          response,
          200,
          page(
            'SAML Lens test sign-in',
            `<p><a href="${PATHS.login}">Sign in with ${escapeHtml(this.options.idp.entityId)}</a></p>`,
          ),
        );
        return true;
      default:
        return false;
    }
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
    this.redirect(response, encodeRedirect(xml, { destination: idp.ssoUrl, parameter: 'SAMLRequest', relayState }));
  }

  private async receiveResponse(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const form = new URLSearchParams(await this.readForm(request, 'ACS'));
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
